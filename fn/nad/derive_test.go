package nad

import (
	"encoding/json"
	"strings"
	"testing"

	nadv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

func i64(v int64) *int64 { return &v }
func yes() *bool         { b := true; return &b }

var derived = []struct {
	name    string
	net     network.Network
	ns      string
	keys    string // the CNI config's keys, in order
	resname string
}{
	{"bridge with vlan", network.Network{Logical: "ext", NADName: "ext-nad", Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br1", VLAN: i64(100), MTU: i64(9000), MACSpoofCheck: yes()}},
		"vms", "cniVersion name type bridge vlan mtu macspoofchk preserveDefaultVlan", ""},
	{"bridge marker", network.Network{Logical: "m", NADName: "m", Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br2", BridgeMarker: yes()}},
		"", "cniVersion name type bridge", "bridge.network.kubevirt.io/br2"},
	{"sriov", network.Network{Logical: "s", NADName: "s", Spec: api.NetworkSpec{Type: api.TypeSRIOV, ResourceName: "intel.com/vf", VLAN: i64(5), LinkState: "auto"}},
		"vms", "cniVersion name type vlan link_state", "intel.com/vf"},
	{"macvtap by lower device", network.Network{Logical: "t", NADName: "t", Spec: api.NetworkSpec{Type: api.TypeMacvtap, LowerDevice: "eno1", MTU: i64(1500)}},
		"vms", "cniVersion name type mtu", "macvtap.network.kubevirt.io/eno1"},
	{"ovn localnet", network.Network{Logical: "phys", NADName: "phys-nad", Spec: api.NetworkSpec{Type: api.TypeOVNLocalnet, VLAN: i64(7), Subnets: []string{"10.0.0.0/24", "fd00::/64"}}},
		"vms", "cniVersion name type topology netAttachDefName vlanID physicalNetworkName subnets", ""},
	{"ovn layer2", network.Network{Logical: "l2", NADName: "l2", Spec: api.NetworkSpec{Type: api.TypeOVNLayer2, AllowPersistentIPs: yes()}},
		"red", "cniVersion name type topology netAttachDefName allowPersistentIPs", ""},
	{"ovn localnet with its own OVN name", network.Network{Logical: "tenant", NADName: "tenant", Spec: api.NetworkSpec{Type: api.TypeOVNLocalnet, OVNNetworkName: "datacenter"}},
		"vms", "cniVersion name type topology netAttachDefName physicalNetworkName", ""},
	{"ovs with trunk", network.Network{Logical: "o", NADName: "o", Spec: api.NetworkSpec{Type: api.TypeOVS, Bridge: "br1", VLAN: i64(5), MTU: i64(1500), Trunk: []api.TrunkRange{{ID: i64(7)}, {MinID: i64(10), MaxID: i64(20)}}}},
		"vms", "cniVersion name type bridge vlan mtu trunk", ""},
	{"bridge with cniVersion and extraConfig", network.Network{Logical: "x", NADName: "x", Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br0", CNIVersion: "1.0.0", ExtraConfig: json.RawMessage(`{"promiscMode":true,"hairpinMode":false}`)}},
		"vms", "cniVersion name type bridge promiscMode hairpinMode", ""},
	{"bridge with extra plugins: a configuration list", network.Network{Logical: "t", NADName: "t", Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br0", ExtraConfig: json.RawMessage(`{"plugins":[{"type":"tuning","mtu":1400}]}`)}},
		"vms", "cniVersion name plugins", ""},
	{"custom", network.Network{Logical: "k", NADName: "k-nad", Spec: api.NetworkSpec{Type: api.TypeCustom, Binding: "bridge", ResourceName: "example.com/dev", CNIConfig: json.RawMessage(`{"type":"kube-ovn","provider":"k.vms.ovn"}`)}},
		"vms", "cniVersion name type provider", "example.com/dev"},
}

// Every derived NAD is a valid NetworkAttachmentDefinition for the NAD client's
// typed API (decoded strictly), with JSON CNI config in the documented key order.
func TestDerivedNADsDecodeIntoTheNADClientType(t *testing.T) {
	for _, tc := range derived {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.net
			d := Derive(&n, tc.ns)
			text, err := yaml.String(Node(d, "nads/x.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var typed nadv1.NetworkAttachmentDefinition
			if err := sigsyaml.UnmarshalStrict([]byte(text), &typed); err != nil {
				t.Fatalf("the NAD client refuses it: %v\n%s", err, text)
			}
			if typed.APIVersion != "k8s.cni.cncf.io/v1" || typed.Kind != "NetworkAttachmentDefinition" || typed.Name != n.NADName || typed.Namespace != tc.ns {
				t.Errorf("identity: %s %s %s/%s", typed.APIVersion, typed.Kind, typed.Namespace, typed.Name)
			}
			if typed.Labels[api.ManagedByLabel] != api.ManagedByValue || typed.Annotations[api.NetworkAnnotation] != n.Logical {
				t.Errorf("not marked managed: %v %v", typed.Labels, typed.Annotations)
			}
			if got := typed.Annotations[api.ResourceNameAnnotation]; got != tc.resname {
				t.Errorf("resourceName annotation %q, want %q", got, tc.resname)
			}
			var conf map[string]any
			if err := json.Unmarshal([]byte(typed.Spec.Config), &conf); err != nil {
				t.Fatalf("spec.config is not JSON: %v", err)
			}
			if got := keyOrder(t, typed.Spec.Config); got != tc.keys {
				t.Errorf("keys %q, want %q", got, tc.keys)
			}
			if network.IsOVN(n.Spec.Type) && (conf["netAttachDefName"] != tc.ns+"/"+n.NADName || conf["name"] != OVNName(&n) ||
				(n.Spec.Type == api.TypeOVNLocalnet && conf["physicalNetworkName"] != OVNName(&n))) {
				t.Errorf("OVN NAD must carry netAttachDefName <ns>/<nad> and the logical name: %v", conf)
			}
		})
	}
}

func keyOrder(t *testing.T, config string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(config))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && dec.More() {
				keys = append(keys, v)
				// skip the value
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return strings.Join(keys, " ")
}

// extraConfig.plugins derives a configuration list: the list holds cniVersion and
// name, its first plugin is the derived one, and it means what its declaration
// does (a list reads as its main plugin, with the others named apart).
func TestExtraPluginsMakeAList(t *testing.T) {
	n := network.Network{Logical: "t", NADName: "t", Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br0", VLAN: i64(3),
		ExtraConfig: json.RawMessage(`{"plugins":[{"type":"tuning"}]}`)}}
	var list struct {
		CNIVersion, Name string
		Plugins          []map[string]any
	}
	if err := json.Unmarshal([]byte(Config(&n, "vms")), &list); err != nil {
		t.Fatal(err)
	}
	if list.Name != "t" || list.CNIVersion == "" || len(list.Plugins) != 2 || list.Plugins[0]["type"] != "bridge" || list.Plugins[0]["vlan"] != float64(3) || list.Plugins[1]["type"] != "tuning" {
		t.Errorf("not a list with the bridge plugin first: %+v", list)
	}
	if _, ok := list.Plugins[0]["name"]; ok {
		t.Errorf("the main plugin repeats the list's name: %v", list.Plugins[0])
	}
	plain := `{"cniVersion":"0.3.1","name":"t","plugins":[{"type":"bridge","bridge":"br0","vlan":3,"preserveDefaultVlan":false},{"type":"tuning"}]}`
	if diffs, ok := Differences(plain, Config(&n, "vms")); !ok || len(diffs) != 0 {
		t.Errorf("the same list written by hand differs: %v", diffs)
	}
}
