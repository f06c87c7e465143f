package release_test

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]release.Minor{
		"v1.5": 5, "1.5": 5, "v1.5.3": 5, "1.5.3": 5, "v1.5.0-rc.1": 5, " v1.9 ": 9, "v1.4.0+build": 4,
	} {
		if got, err := release.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"v1.3":   "KubeVirt v1.3 is outside the supported range v1.4 to v1.9",
		"1.10":   "KubeVirt v1.10 is outside the supported range",
		"v2.0":   "outside the supported range",
		"v0.59":  "outside the supported range",
		"latest": `"latest" is not a KubeVirt release`,
		"v1":     "is not a KubeVirt release",
		"v1.x":   "is not a KubeVirt release",
		"":       "is not a KubeVirt release",
	} {
		if _, err := release.Parse(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v; want an error with %q", in, err, want)
		}
	}
	if _, ok := release.FromImageTag("sha256:0123abcd"); ok {
		t.Error("a digest states a release")
	}
}

// The facts that are fields agree with the schema tables generated from
// kubevirt.io/api at each release, so the two cannot drift apart.
func TestFactsAgreeWithTheSchemaTables(t *testing.T) {
	if got := schema.KubeVirtReleases(); len(got) != len(release.All()) {
		t.Fatalf("schema tables for %v, releases %v", got, release.All())
	}
	vm := func(iface, network string) *yaml.Node {
		return yaml.MustParse(`apiVersion: kubevirt.io/v1
kind: VirtualMachine
spec:
  template:
    spec:
      domain: {devices: {interfaces: [` + iface + `]}}
      networks: [` + network + `]
`).YNode()
	}
	known := func(m release.Minor, node *yaml.Node, key string) bool {
		for _, p := range schema.KubeVirt(int(m), "kubevirt.io", "v1", "VirtualMachine").Check(node, schema.Options{}) {
			if p.Kind == schema.Unknown && p.Key == key {
				return false
			}
		}
		return true
	}
	for _, m := range release.All() {
		if !schema.KubeVirt(int(m), "kubevirt.io", "v1", "VirtualMachine").Valid() {
			t.Fatalf("no VirtualMachine in the %s table", m)
		}
		cases := []struct {
			key  string
			node *yaml.Node
			fact bool
		}{
			{"passtBinding", vm("{name: a, passtBinding: {}}", "{name: a, pod: {}}"), m.HasPasstBindingField()},
			{"portRanges", vm("{name: a, masquerade: {}, portRanges: []}", "{name: a, pod: {}}"), m.HasPortRanges()},
			{"resourceClaim", vm("{name: a, sriov: {}}", "{name: a, resourceClaim: {claimName: c}}"), m.HasDRANetworks()},
			{"state", vm("{name: a, bridge: {}, state: absent}", "{name: a, pod: {}}"), true},
			{"binding", vm("{name: a, binding: {name: p}}", "{name: a, pod: {}}"), true},
		}
		for _, c := range cases {
			if got := known(m, c.node, c.key); got != c.fact {
				t.Errorf("%s: the schema table knows %s: %v; fn/release says %v", m, c.key, got, c.fact)
			}
		}
	}
}

// The gate and admission facts, release by release, as traced in facts.go.
func TestFactsByRelease(t *testing.T) {
	type row struct{ passtField, passtGate, betaOn, pluginGate, upDown, exactlyOne, byGate bool }
	want := map[release.Minor]row{
		4: {false, false, false, true, false, false, true},
		5: {false, false, false, false, true, false, true},
		6: {false, false, false, false, true, false, true},
		7: {false, false, false, false, true, false, true},
		8: {true, false, false, false, true, false, false},
		9: {true, true, true, false, true, true, false},
	}
	for _, m := range release.All() {
		got := row{m.HasPasstBindingField(), m.PasstBindingGateDefault(), m.BetaGatesOnByDefault(), m.BindingPluginsNeedGate(),
			m.LinkStateUpDown(), m.ExactlyOneBinding(), m.DiscontinuedByGate()}
		if got != want[m] {
			t.Errorf("%s: %+v, want %+v", m, got, want[m])
		}
	}
}

// The defaults every supported release shares are the function's defaults.
func TestReleaseDefaults(t *testing.T) {
	c := api.DefaultSettings().Cluster
	if string(c.DefaultNetworkInterface) != release.DefaultNetworkInterface || c.PermitBridgeInterfaceOnPodNetwork != release.DefaultPermitBridgeInterfaceOnPod {
		t.Errorf("defaults %v/%v, KubeVirt's %v/%v", c.DefaultNetworkInterface, c.PermitBridgeInterfaceOnPodNetwork, release.DefaultNetworkInterface, release.DefaultPermitBridgeInterfaceOnPod)
	}
	if c.Release() != release.Newest || c.ReleaseStated() {
		t.Errorf("an unstated release is %v (stated %v), want the newest", c.Release(), c.ReleaseStated())
	}
}
