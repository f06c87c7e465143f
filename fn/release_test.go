package fn_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
)

// podVM is a VM with one pod interface whose binding is given as YAML.
func podVM(name, iface string) string {
	return fmt.Sprintf(`apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: %s, namespace: vms}
spec:
  template:
    spec:
      domain:
        devices:
          interfaces:
          - %s
      networks:
      - {name: default, pod: {}}
`, name, iface)
}

// Every rule that differs between releases, as a user meets it: the input VM,
// the release, what the output holds and what the results say. Each case runs in
// a stream with --kubevirt-version, and again with spec.cluster.kubevirtVersion.
func TestRulesByRelease(t *testing.T) {
	cases := []struct {
		name    string
		vm      string
		release string
		code    int
		out     []string // substrings of the output
		notOut  []string
		stderr  []string
	}{
		{"passt migrates to the plugin before v1.8", podVM("p", "{name: default, passt: {}}"), "v1.7", 0,
			[]string{"binding: {name: passt}"}, []string{"passtBinding"}, []string{"KubeVirt v1.7 has no passtBinding field, so the passt binding plugin is used instead"}},
		{"passt migrates to the plugin on v1.4, naming the gate", podVM("p", "{name: default, passt: {}}"), "1.4", 0,
			[]string{"binding: {name: passt}"}, nil, []string{"NetworkBindingPlugins feature gate", "binding plugin \"passt\": KubeVirt v1.4 admits binding plugins only with"}},
		{"passt on v1.8 without the gate gets the pod binding", podVM("p", "{name: default, passt: {}}"), "v1.8.2", 0,
			[]string{"masquerade: {}"}, []string{"passtBinding", "name: passt"}, []string{"no PasstBinding feature gate (Beta in KubeVirt v1.8"}},
		{"passt becomes passtBinding on v1.9, no assumption said", podVM("p", "{name: default, passt: {}}"), "v1.9", 0,
			[]string{"passtBinding: {}"}, nil, nil},
		{"passtBinding on v1.6 is the plugin there", podVM("p", "{name: default, passtBinding: {}}"), "v1.6", 0,
			[]string{"binding: {name: passt}"}, []string{"passtBinding"}, []string{"KubeVirt v1.6 has no passtBinding field (it exists from v1.8)"}},
		{"link state down is refused on v1.4", podVM("s", "{name: default, masquerade: {}, state: down}"), "v1.4", 1,
			nil, nil, []string{"logical default interface state value is unsupported: down", "exist from KubeVirt v1.5"}},
		{"link state down is fine on v1.5", podVM("s", "{name: default, masquerade: {}, state: down}"), "v1.5", 0,
			nil, nil, nil},
		{"portRanges is an unknown field before v1.9", podVM("r", "{name: default, masquerade: {}, portRanges: [{protocol: TCP, start: 80, end: 90}]}"), "v1.8", 1,
			nil, nil, []string{`unknown field "portRanges": kubevirt.io/api v1.8 has no such field`, "exists from KubeVirt v1.9"}},
		{"a plugin beside a method before v1.9", podVM("b", "{name: default, masquerade: {}, binding: {name: l2bridge}}"), "v1.7", 0,
			[]string{"masquerade: {}"}, []string{"l2bridge"}, []string{"KubeVirt v1.7 does not refuse several bindings on one interface"}},
	}
	for _, tc := range cases {
		for _, form := range []string{"flag", "config"} {
			t.Run(tc.name+"/"+form, func(t *testing.T) {
				m, err := release.Parse(tc.release)
				if err != nil {
					t.Fatal(err)
				}
				input, opts := tc.vm, fn.Options{}
				if form == "flag" {
					opts.KubeVirtVersion = m
				} else {
					input = fmt.Sprintf("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata: {name: c}\nspec:\n  cluster: {kubevirtVersion: %q}\n---\n", tc.release) + input
				}
				out, stderr, code := runStream(t, opts, input)
				if code != tc.code {
					t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, out, stderr)
				}
				for _, s := range tc.out {
					if !strings.Contains(out, s) {
						t.Errorf("output lacks %q:\n%s", s, out)
					}
				}
				for _, s := range tc.notOut {
					if strings.Contains(out, s) {
						t.Errorf("output holds %q:\n%s", s, out)
					}
				}
				for _, s := range tc.stderr {
					if !strings.Contains(stderr, s) {
						t.Errorf("stderr lacks %q:\n%s", s, stderr)
					}
				}
				if strings.Contains(stderr, "assumes KubeVirt v1.9") {
					t.Errorf("a stated release is said to be assumed:\n%s", stderr)
				}
			})
		}
	}
}

// Without a stated release the output is v1.9's, and the change that depends on
// the release says so, naming the setting.
func TestUnstatedReleaseSaysSo(t *testing.T) {
	out, stderr, code := runStream(t, fn.Options{}, podVM("p", "{name: default, passt: {}}"))
	if code != 0 || !strings.Contains(out, "passtBinding: {}") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(stderr, "this assumes KubeVirt v1.9 because spec.cluster.kubevirtVersion is not set") {
		t.Errorf("the assumption is not said:\n%s", stderr)
	}
	// A change valid on every release says nothing of releases.
	_, stderr, _ = runStream(t, fn.Options{}, podVM("q", "{name: default}"))
	if strings.Contains(stderr, "kubevirtVersion") {
		t.Errorf("a release-independent change names the setting:\n%s", stderr)
	}
}

// Settings the stated release cannot honour are config errors naming the
// release; a version outside the range names the range.
func TestReleaseConfigErrors(t *testing.T) {
	cases := []struct{ spec, want string }{
		{`{cluster: {kubevirtVersion: v1.3}}`, "KubeVirt v1.3 is outside the supported range v1.4 to v1.9"},
		{`{cluster: {kubevirtVersion: "2.0"}}`, "outside the supported range v1.4 to v1.9"},
		{`{cluster: {kubevirtVersion: latest}}`, `"latest" is not a KubeVirt release`},
		{`{podNetwork: {binding: passtBinding}, cluster: {kubevirtVersion: v1.7}}`, "KubeVirt v1.7 has no passtBinding field"},
		{`{podNetwork: {binding: passtBinding}, cluster: {kubevirtVersion: v1.8}}`, "KubeVirt v1.8 turns Beta gates on only when the KubeVirt CR lists them"},
		{`{cluster: {kubevirtVersion: v1.6, primaryUDNBinding: passt}}`, "spec.cluster.primaryUDNBinding passt: KubeVirt v1.6 has no passtBinding field"},
	}
	for _, tc := range cases {
		in := "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata: {name: c}\nspec: " + tc.spec + "\n---\n" + podVM("p", "{name: default, passt: {}}")
		out, stderr, code := runStream(t, fn.Options{}, in)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s", tc.spec, code, tc.want, stderr)
		}
		if strings.Contains(out, "passtBinding: {}") || strings.Contains(out, "name: passt") {
			t.Errorf("%s: a config error still changed the VM:\n%s", tc.spec, out)
		}
	}
	// The gate set on a release without it: a warning, and it is off.
	in := "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata: {name: c}\nspec: {cluster: {kubevirtVersion: v1.7, passtBindingFeatureGate: true}}\n---\n" + podVM("p", "{name: default, passt: {}}")
	out, stderr, code := runStream(t, fn.Options{}, in)
	if code != 0 || !strings.Contains(stderr, "KubeVirt v1.7 has no such gate") || !strings.Contains(out, "name: passt") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr)
	}
}

// A KubeVirt CR in the input that states its version wins over the config and
// the flag, with a warning naming both; a digest states none.
func TestReleaseFromTheKubeVirtCR(t *testing.T) {
	cr := func(field string) string {
		return "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nmetadata: {name: kubevirt, namespace: kubevirt}\n" + field + "\n---\n"
	}
	cases := []struct {
		name, cr string
		flag     release.Minor
		out      string
		stderr   string
	}{
		{"imageTag wins over the flag", cr("spec: {imageTag: v1.6.1}"), 9, "name: passt", "--kubevirt-version says KubeVirt v1.9, but KubeVirt kubevirt/kubevirt (spec.imageTag v1.6.1) says v1.6, which wins"},
		{"status alone", cr("status: {observedKubeVirtVersion: v1.7.0}"), 0, "name: passt", ""},
		{"imageTag before status", cr("spec: {imageTag: v1.9.0}\nstatus: {observedKubeVirtVersion: v1.7.0}"), 0, "passtBinding: {}", ""},
		{"a digest states nothing", cr("spec: {imageTag: 'sha256:0123'}"), 7, "name: passt", ""},
		{"out of range is a warning", cr("spec: {imageTag: v1.2.0}"), 7, "name: passt", "outside the range this function knows (v1.4 to v1.9); the output is for v1.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runStream(t, fn.Options{KubeVirtVersion: tc.flag}, tc.cr+podVM("p", "{name: default, passt: {}}"))
			if code != 0 || !strings.Contains(out, tc.out) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want output with %q and stderr with %q:\n%s\n%s", code, tc.out, tc.stderr, out, stderr)
			}
		})
	}
}

// The guarantees hold at every release: idempotent, nothing dropped, the diff is
// the change, on every golden case, KubeVirt's examples and a fleet.
func TestPropertiesAtEveryRelease(t *testing.T) {
	inputs := goldenInputs(t)
	examples := wrap(t, exampleFiles(t)...)
	for _, m := range release.All() {
		opts := fn.Options{KubeVirtVersion: m}
		t.Run(m.String(), func(t *testing.T) {
			for _, g := range inputs {
				checkPropertiesWith(t, opts, g.input)
				checkDiffIsChangeWith(t, opts, g.input, true)
			}
			checkPropertiesWith(t, opts, examples)
			checkDiffIsChangeWith(t, opts, examples, true)
			checkDiffIsChangeWith(t, opts, fleet(30), true)
		})
	}
}

// assumed is the sentence a run without a stated release adds.
var assumed = regexp.MustCompile(`; this assumes KubeVirt v1\.9 because spec\.cluster\.kubevirtVersion is not set \([^)]*\): set it to the release the cluster runs`)

// The golden cases at the newest release, stated, give the golden output
// without the assumption; at the oldest, the objects differ only in the cases
// whose input meets a rule that differs (each named with the reason), and
// KubeVirt's own examples get no error at the newest.
func TestGoldenCasesAtOldestAndNewest(t *testing.T) {
	differAtOldest := map[string]string{
		"capk-harvester-vm-specs":   "the CAPK passt template: passt becomes the passt binding plugin",
		"pod-binding-defaults":      "a core passt interface becomes the passt binding plugin",
		"default-network-interface": "spec.podNetwork.binding passtBinding is a config error on v1.4: nothing changed",
		"pod-binding-enforce":       "spec.podNetwork.binding passtBinding is a config error on v1.4: nothing changed",
	}
	for _, g := range goldenInputs(t) {
		t.Run(g.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(testdataDir, g.name, "expected.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			newest, _, _ := runStream(t, fn.Options{KubeVirtVersion: release.Newest}, string(g.input))
			if got, w := newest, assumed.ReplaceAllString(string(want), ""); got != w && !strings.Contains(got, "kubevirtVersion") {
				t.Errorf("stated v1.9 differs from the golden output:\n%s", lineDiff(w, got))
			}
			oldest, stderr, _ := runStream(t, fn.Options{KubeVirtVersion: release.Oldest}, string(g.input))
			if strings.Contains(stderr, "internal error") {
				t.Fatal(stderr)
			}
			differs := objectsText(t, oldest) != objectsText(t, newest)
			if _, expected := differAtOldest[g.name]; differs != expected {
				t.Errorf("at v1.4 the objects differ from v1.9: %v, expected %v\n%s", differs, expected, lineDiff(objectsText(t, newest), objectsText(t, oldest)))
			}
		})
	}
	_, stderr, _ := runStream(t, fn.Options{KubeVirtVersion: release.Newest}, string(wrap(t, exampleFiles(t)...)))
	if strings.Contains(stderr, "error:") {
		t.Errorf("errors on KubeVirt's examples at v1.9:\n%s", stderr)
	}
}

// objectsText is the output without its results, for comparing objects.
func objectsText(t testing.TB, out string) string {
	t.Helper()
	if i := strings.Index(out, "\nresults:"); i >= 0 {
		return out[:i]
	}
	return out
}

// kpt's `-- kubevirtVersion=v1.6` arrives as a ConfigMap's data key.
func TestReleaseFromAConfigMap(t *testing.T) {
	in := strings.Replace(asResourceList(podVM("p", "{name: default, passt: {}}")), "items:\n",
		"functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: function-input}\n  data: {kubevirtVersion: v1.6}\nitems:\n", 1)
	out, stderr, code := run(t, []byte(in))
	if code != 0 || !strings.Contains(out, "binding: {name: passt}") || !strings.Contains(stderr, "KubeVirt v1.6 has no passtBinding field") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr)
	}
}

// The virt-operator Deployment of KubeVirt's install manifest states the release
// by its image's tag; a KubeVirt CR's spec.imageTag weighs more (it is what the
// operator deploys), its status less. Any other Deployment states nothing.
func TestReleaseFromTheOperatorImage(t *testing.T) {
	deploy := func(image string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: virt-operator, namespace: kubevirt}\nspec:\n  template:\n    spec:\n      containers:\n      - name: virt-operator\n        image: " + image + "\n---\n"
	}
	vm := podVM("p", "{name: default, passt: {}}")
	cases := []struct {
		name, in, out, stderr string
	}{
		{"the operator's tag", deploy("quay.io/kubevirt/virt-operator:v1.6.2"), "name: passt", ""},
		{"a digest", deploy("quay.io/kubevirt/virt-operator@sha256:0123"), "passtBinding: {}", "assumes KubeVirt v1.9"},
		{"another image", deploy("quay.io/example/web:v1.6.0"), "passtBinding: {}", "assumes KubeVirt v1.9"},
		{"imageTag weighs more", deploy("quay.io/kubevirt/virt-operator:v1.6.2") + "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nmetadata: {name: kubevirt, namespace: kubevirt}\nspec: {imageTag: v1.9.1}\n---\n",
			"passtBinding: {}", "says KubeVirt v1.6, but KubeVirt kubevirt/kubevirt (spec.imageTag v1.9.1) says v1.9, which wins"},
		{"status weighs less", "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nmetadata: {name: kubevirt, namespace: kubevirt}\nstatus: {observedKubeVirtVersion: v1.9.0}\n---\n" + deploy("quay.io/kubevirt/virt-operator:v1.7.0"),
			"name: passt", "which wins: the output is for v1.7"},
	}
	for _, tc := range cases {
		out, stderr, code := runStream(t, fn.Options{}, tc.in+vm)
		if code != 0 || !strings.Contains(out, tc.out) || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%s: exit %d, want %q in the output and %q in stderr:\n%s\n%s", tc.name, code, tc.out, tc.stderr, out, stderr)
		}
		if !strings.Contains(out, "kind: Deployment") && strings.Contains(tc.in, "Deployment") {
			t.Errorf("%s: the Deployment was left out", tc.name)
		}
	}
}
