package nad

import (
	"slices"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// The steps of Reconcile, each on its own: what the networks and uses want,
// what the networks' use shows, the decision per wanted NAD, and pruning.

func bridgeNet(logical, ns string) *network.Network {
	return &network.Network{Logical: logical, NADName: logical, Namespace: ns, Valid: true, Generate: true, Field: "spec",
		Spec:     api.NetworkSpec{Type: api.TypeBridge, Bridge: "br1"},
		Declared: &report.Object{APIVersion: api.APIVersion, Kind: api.KindVMNetwork, Name: logical}}
}

// item reads a NAD written as YAML; path says the input is the whole package.
func item(t *testing.T, text, path string) *Item {
	t.Helper()
	n, err := yaml.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	obj := &report.Object{APIVersion: n.GetApiVersion(), Kind: n.GetKind(), Name: n.GetName(), Namespace: n.GetNamespace(), Path: path}
	return Read(n.YNode(), obj)
}

func rules(b report.Batch) []string {
	var out []string
	for _, e := range b {
		out = append(out, e.Finding.Rule.ID)
	}
	return out
}

func TestWanted(t *testing.T) {
	pinned, free := bridgeNet("pinned", "infra"), bridgeNet("free", "")
	elsewhere := bridgeNet("elsewhere", "")
	elsewhere.Generate = false
	for _, tc := range []struct {
		name       string
		uses       []Use
		want       []Key
		unstated   []Key
		usedIn     map[string]int
		defaultNet bool
	}{
		{"a pinned network is wanted without uses", nil, []Key{{"infra", "pinned"}}, nil, map[string]int{}, false},
		{"a use wants its NAD in the VM's namespace", []Use{{Network: free, Namespace: "vms"}}, []Key{{"infra", "pinned"}, {"vms", "free"}}, nil, map[string]int{"free": 1}, false},
		{"a use that states no namespace wants a namespace-less NAD", []Use{{Network: free, Namespace: "default", Unstated: true}},
			[]Key{{"default", "free"}, {"infra", "pinned"}}, []Key{{"default", "free"}}, map[string]int{"free": 1}, false},
		{"a use without a placeable NAD counts as a use, and wants none", []Use{{Network: free, NoNAD: true}}, []Key{{"infra", "pinned"}}, nil, map[string]int{"free": 0}, false},
		{"a network generated elsewhere is used, never wanted", []Use{{Network: elsewhere, Namespace: "vms"}}, []Key{{"infra", "pinned"}}, nil, map[string]int{"elsewhere": 1}, false},
		{"a Multus default use is remembered", []Use{{Network: free, Namespace: "vms", Default: true}}, []Key{{"infra", "pinned"}, {"vms", "free"}}, nil, map[string]int{"free": 1}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := wanted(Wanted{Networks: []*network.Network{pinned, free, elsewhere}, Uses: tc.uses})
			if got := x.keys(); !slices.Equal(got, tc.want) {
				t.Errorf("wanted %v, want %v", got, tc.want)
			}
			for _, k := range tc.want {
				if x.stated[k] == slices.Contains(tc.unstated, k) {
					t.Errorf("%v stated: %v", k, x.stated[k])
				}
			}
			for _, n := range []*network.Network{free, elsewhere} {
				if want, ok := tc.usedIn[n.Logical]; ok && len(x.used[n]) != want {
					t.Errorf("%s used in %d namespaces, want %d", n.Logical, len(x.used[n]), want)
				}
			}
			if x.asDefault[free] != tc.defaultNet {
				t.Errorf("as default: %v", x.asDefault[free])
			}
		})
	}
}

func TestLintNetworks(t *testing.T) {
	ovn := bridgeNet("l2", "")
	ovn.Spec = api.NetworkSpec{Type: api.TypeOVNLayer2}
	withIPAM := bridgeNet("dhcp", "vms")
	withIPAM.Spec.IPAM = []byte(`{"type": "host-local", "subnet": "10.0.0.0/24"}`)
	for _, tc := range []struct {
		name  string
		nets  []*network.Network
		uses  []Use
		rules []string
	}{
		{"a network no VM uses", []*network.Network{bridgeNet("idle", "")}, nil, []string{RuleNetworkUnused.ID}},
		{"a used network says nothing", []*network.Network{bridgeNet("busy", "")}, []Use{{Namespace: "vms"}}, nil},
		{"an OVN layer2 network in two namespaces", []*network.Network{ovn}, []Use{{Namespace: "a"}, {Namespace: "b"}}, []string{RuleOVNFanOut.ID}},
		{"host-local IPAM on a bridge network", []*network.Network{withIPAM}, nil, []string{RuleIPAM.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.uses {
				tc.uses[i].Network = tc.nets[0]
			}
			var out Outcome
			w := Wanted{Networks: tc.nets, Uses: tc.uses}
			lintNetworks(&out, w, wanted(w))
			if got := rules(out.Results); !slices.Equal(got, tc.rules) {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	n := bridgeNet("lan", "vms")
	k := Key{"vms", "lan"}
	derived := Derive(n, "vms")
	managed := func(config string) string {
		return "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: lan\n  namespace: vms\n  labels: {app.kubernetes.io/managed-by: kubevirt-networks}\n  annotations: {kubevirt-networks.io/network: lan}\nspec:\n  config: '" + config + "'\n"
	}
	user := func(config string) string {
		return "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: lan, namespace: vms}\nspec:\n  config: '" + config + "'\n"
	}
	for _, tc := range []struct {
		name                    string
		existing                string
		rules                   []string
		create, update, pruneIt int
	}{
		{"missing: created", "", []string{RuleNADCreated.ID}, 1, 0, 0},
		{"managed and as derived: nothing", managed(derived.Config), nil, 0, 0, 0},
		{"managed and stale: updated in place", managed(`{"cniVersion": "0.3.1", "name": "lan", "type": "bridge", "bridge": "br0"}`), []string{RuleNADUpdated.ID}, 0, 1, 0},
		{"managed with a key nothing declares: refused", managed(`{"cniVersion": "0.3.1", "name": "lan", "type": "bridge", "bridge": "br0", "hairpinMode": true}`), []string{RuleNADExtraKeys.ID}, 0, 0, 0},
		{"the user's, same meaning: kept", user(`{"cniVersion": "0.4.0", "type": "bridge", "name": "lan", "bridge": "br1"}`), []string{RuleNADKept.ID}, 0, 0, 0},
		{"the user's, another bridge: a conflict", user(`{"cniVersion": "0.3.1", "name": "lan", "type": "bridge", "bridge": "br9"}`), []string{RuleNADConflict.ID}, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ex *Item
			if tc.existing != "" {
				ex = item(t, tc.existing, "")
			}
			var out Outcome
			w := Wanted{Networks: []*network.Network{n}}
			decide(&out, w, k, wanted(w), ex)
			if got := rules(out.Results); !slices.Equal(got, tc.rules) {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
			if len(out.Create) != tc.create || len(out.Update) != tc.update || len(out.Prune) != tc.pruneIt {
				t.Errorf("create %d, update %d, prune %d", len(out.Create), len(out.Update), len(out.Prune))
			}
		})
	}
}

func TestPrune(t *testing.T) {
	orphan := "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: old\n  namespace: vms\n  labels: {app.kubernetes.io/managed-by: kubevirt-networks}\n  annotations: {kubevirt-networks.io/network: old}\nspec:\n  config: '{\"cniVersion\": \"0.3.1\", \"name\": \"old\", \"type\": \"bridge\", \"bridge\": \"br0\"}'\n"
	users := &Users{}
	users.Add("VirtualMachine vms/db")
	for _, tc := range []struct {
		name       string
		path       string
		referenced map[Key]*Users
		rules      []string
		pruned     int
	}{
		{"the whole package, unreferenced: pruned", "networks/nad_vms_old.yaml", nil, []string{RuleNADPruned.ID}, 1},
		{"the whole package, still referenced: kept with a warning", "networks/nad_vms_old.yaml", map[Key]*Users{{"vms", "old"}: users}, []string{RuleNADStillUsed.ID}, 0},
		{"not the whole package (kustomize): kept silently", "", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out Outcome
			w := Wanted{Items: []*Item{item(t, orphan, tc.path)}, Referenced: tc.referenced}
			prune(&out, w, wanted(w))
			if got := rules(out.Results); !slices.Equal(got, tc.rules) || len(out.Prune) != tc.pruned {
				t.Errorf("rules %v, pruned %d; want %v, %d", got, len(out.Prune), tc.rules, tc.pruned)
			}
		})
	}
}
