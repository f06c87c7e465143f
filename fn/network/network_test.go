package network

import (
	"encoding/json"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// Each type's NAD CNI type, VM binding and family, as the README's type table says.
func TestTypes(t *testing.T) {
	for _, tc := range []struct {
		spec    api.NetworkSpec
		cni     string
		binding string
		family  CNIFamily
	}{
		{api.NetworkSpec{Type: api.TypeBridge}, "bridge", "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeBridge, CNIType: "cnv-bridge"}, "cnv-bridge", "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeSRIOV}, "sriov", "sriov", FamilySRIOV},
		{api.NetworkSpec{Type: api.TypeMacvtap}, "macvtap", "binding {name: macvtap}", FamilyMacvtap},
		{api.NetworkSpec{Type: api.TypeMacvtap, BindingPlugin: "tap2"}, "macvtap", "binding {name: tap2}", FamilyMacvtap},
		{api.NetworkSpec{Type: api.TypeOVNLocalnet}, OVNCNIType, "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeOVNLayer2}, OVNCNIType, "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeOVS}, "ovs", "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeCustom, Binding: "bridge", CNIConfig: json.RawMessage(`{"type":"ptp"}`)}, "ptp", "bridge", FamilyBridge},
		{api.NetworkSpec{Type: api.TypeCustom, Binding: "managedtap", CNIConfig: json.RawMessage(`{"plugins":[{"type":"kube-ovn"}]}`)}, "kube-ovn", "binding {name: managedtap}", FamilyUnknown},
		{api.NetworkSpec{Type: api.TypeMacvlan}, "macvlan", "", FamilyRefused},
	} {
		n := &Network{Spec: tc.spec}
		if n.CNIType() != tc.cni || n.Binding().String() != tc.binding || n.Family() != tc.family {
			t.Errorf("%+v: CNI %q, binding %q, family %d; want %q, %q, %d", tc.spec, n.CNIType(), n.Binding(), n.Family(), tc.cni, tc.binding, tc.family)
		}
	}
}

// Where a network's NAD lives, and which VM namespaces it serves.
func TestPlacement(t *testing.T) {
	pinned := &Network{Namespace: "infra"}
	fanned := &Network{}
	selected := &Network{Selects: func(ns string) bool { return ns == "red" }}
	for _, tc := range []struct {
		n           *Network
		vmNS, nadNS string
		serves      bool
	}{
		{pinned, "apps", "infra", true}, {fanned, "apps", "apps", true}, {fanned, "", "", true},
		{selected, "red", "red", true}, {selected, "blue", "blue", false},
	} {
		if got := tc.n.NADNamespace(tc.vmNS); got != tc.nadNS || tc.n.Serves(tc.vmNS) != tc.serves {
			t.Errorf("%+v from %q: NAD in %q, serves %v; want %q, %v", tc.n, tc.vmNS, got, tc.n.Serves(tc.vmNS), tc.nadNS, tc.serves)
		}
	}
}

// CNITypeOf reads a plugin's type, or a configuration list's first plugin's.
func TestCNITypeOf(t *testing.T) {
	for config, want := range map[string]string{
		`{"type":"bridge"}`: "bridge",
		`{"name":"x","plugins":[{"type":"sriov"},{"type":"tuning"}]}`: "sriov",
		`{"name":"x"}`: "",
	} {
		if got, err := CNITypeOf(config); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", config, got, err, want)
		}
	}
	if _, err := CNITypeOf("not json"); err == nil {
		t.Error("not JSON: no error")
	}
}

// Every type of the API has one descriptor, in the API's order: a new CNI type
// is one entry there.
func TestEveryTypeHasADescriptor(t *testing.T) {
	if len(Types) != len(api.NetworkTypes) {
		t.Fatalf("%d descriptors for %d types", len(Types), len(api.NetworkTypes))
	}
	for i, typ := range api.NetworkTypes {
		d := TypeOf(typ)
		if d == nil || Types[i] != d || d.Bind == nil {
			t.Errorf("%s: descriptor %+v (at %d)", typ, d, i)
			continue
		}
		for _, f := range d.Required {
			if !contains(d.Fields, f) {
				t.Errorf("%s requires %s but does not take it", typ, f)
			}
		}
		if want := typ == api.TypeMacvlan || typ == api.TypeIPvlan; Refused(typ) != want || IsOVN(typ) != (typ == api.TypeOVNLocalnet || typ == api.TypeOVNLayer2) {
			t.Errorf("%s: refused %v, OVN %v", typ, Refused(typ), IsOVN(typ))
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
