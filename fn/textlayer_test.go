package fn_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Regressions of the second YAML red-team (issue 25), each in the forms it
// applies to.

// mergedInterfaces is a VM whose storage interface takes its binding from the
// data interface through a merge key, and whose pod interface needs a binding.
const mergedInterfaces = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: m, namespace: vms}
spec:
  template:
    spec:
      domain:
        devices:
          interfaces:
          - name: default
          - &br
            name: data
            bridge: {}
          - <<: *br
            name: storage
      networks:
      - {name: default, pod: {}}
      - {name: data, multus: {networkName: data}}
      - {name: storage, multus: {networkName: storage}}
`

// Finding 2: a merge key (`- <<: *br`) is read as kubectl reads it: no unknown
// field "<<", the merged binding counts, and an edit elsewhere in the list
// keeps what the merge meant.
func TestMergeKeys(t *testing.T) {
	for form, input := range map[string]string{"stream": mergedInterfaces, "ResourceList": asResourceList(mergedInterfaces)} {
		t.Run(form, func(t *testing.T) {
			out, stderr, code := run(t, []byte(input))
			if code != 0 || strings.Contains(stderr, `"<<"`) || strings.Contains(stderr, "error:") {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			at := strings.Index(out, "name: storage")
			storage := out[strings.LastIndex(out[:at], "- "):strings.Index(out, "networks:")]
			if !strings.Contains(storage, "bridge: {}") || strings.Contains(storage, "masquerade") {
				t.Errorf("the merged interface lost its binding or got a second one:\n%s", out)
			}
			if _, stderr2, _ := run(t, []byte(out)); !strings.Contains(stderr2, "0 VMs changed") {
				t.Errorf("a second run changed the VM:\n%s", stderr2)
			}
		})
	}
	// Nothing to fix: the text, merge key included, is kept.
	valid := strings.Replace(mergedInterfaces, "- name: default\n", "- name: default\n            masquerade: {}\n", 1)
	if out, stderr, code := run(t, []byte(valid)); code != 0 || out != valid {
		t.Errorf("exit %d, the valid VM changed:\n%s\n%s", code, out, stderr)
	}
	// A merge key outside networks and interfaces is judged by the merged keys.
	elsewhere := strings.Replace(valid, "      domain:\n", "      domain:\n        <<: {cpu: {cores: 2}}\n", 1)
	if _, stderr, code := run(t, []byte(elsewhere)); code != 0 || strings.Contains(stderr, "unknown field") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

// Finding 7: results an earlier function wrote stay, before this run's, on a
// run with nothing to change and on one with changes, item by item and read whole.
func TestEarlierResultsKept(t *testing.T) {
	split := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\nresults:\n- message: an earlier function said this\n  severity: info\n"
	whole := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]\nresults: [{message: an earlier function said this, severity: info}]\n"
	withVM := strings.Replace(split, "items:\n", "items:\n"+strings.TrimPrefix(asResourceList(podVM("p", "{name: default}")), "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"), 1)
	for name, input := range map[string]string{"split": split, "whole": whole, "with a change": withVM} {
		out, stderr, code := run(t, []byte(input))
		if code != 0 || !strings.Contains(out, "an earlier function said this") {
			t.Errorf("%s: exit %d, the earlier result is gone:\n%s\n%s", name, code, out, stderr)
		}
		if name == "with a change" {
			earlier, ours := strings.Index(out, "an earlier function said this"), strings.Index(out, "set binding of interface")
			if ours < 0 || earlier > ours {
				t.Errorf("this run's results do not follow the earlier ones:\n%s", out)
			}
		}
	}
}

// Finding 8: a comment-only document (a Helm template that renders only
// comments) before a document the function leaves out stays in the stream; an
// empty document after a %YAML directive is empty, as it is without one.
func TestStreamDocumentEdges(t *testing.T) {
	helm := "---\n# Source: chart/templates/notes.yaml\n# just a comment\n---\n# Source: chart/templates/net.yaml\napiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: data}\nspec: {type: bridge, bridge: br1}\n---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	out, stderr, code := run(t, []byte(helm))
	if code != 0 || !strings.Contains(out, "# Source: chart/templates/notes.yaml\n# just a comment\n---\n# Source: chart/templates/cm.yaml") {
		t.Errorf("exit %d, the comment-only document is lost:\n%s\n%s", code, out, stderr)
	}
	if strings.Contains(out, "VMNetwork") {
		t.Errorf("the VMNetwork document stayed:\n%s", out)
	}
	for _, in := range []string{
		"%YAML 1.1\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
		"---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
	} {
		if out, stderr, code := run(t, []byte(in)); code != 0 || out != in {
			t.Errorf("exit %d for\n%s\ngot\n%s\n%s", code, in, out, stderr)
		}
	}
}

// kubectlJSON is a VM as `kubectl get vm -o json` prints it (four spaces), with
// a surrogate pair and an HTML escape as Python's json.dumps and Go's encoder
// write them; its pod interface needs a binding.
const kubectlJSON = `{
    "apiVersion": "kubevirt.io/v1",
    "kind": "VirtualMachine",
    "metadata": {
        "annotations": {
            "note": "rocket \ud83d\ude80 \u003cb\u003e"
        },
        "name": "vm",
        "namespace": "vms"
    },
    "spec": {
        "template": {
            "spec": {
                "domain": {
                    "devices": {
                        "interfaces": [
                            {
                                "name": "default"
                            }
                        ]
                    }
                },
                "networks": [
                    {
                        "name": "default",
                        "pod": {}
                    }
                ]
            }
        }
    }
}
`

// Finding 5: JSON in, JSON out, in the input's layout, only the changed members
// changed; any valid JSON escaping is read; a List and JSON objects one after the
// other are JSON too; a ResourceList in JSON comes back in JSON.
func TestJSONInJSONOut(t *testing.T) {
	wantLines := []string{`                                "name": "default",`, `                                "masquerade": {}`}
	out, stderr, code := run(t, []byte(kubectlJSON))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := changedLines(kubectlJSON, out); strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("the output differs from the input in\n%s\nwant only\n%s\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"), out)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Errorf("not JSON: %v\n%s", err, out)
	}
	compact := `{"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine", "metadata": {"name": "vm", "namespace": "vms"}, "spec": {"template": {"spec": {"domain": {"devices": {"interfaces": [{"name": "default"}]}}, "networks": [{"name": "default", "pod": {}}]}}}}` + "\n"
	list := `{"apiVersion": "v1", "kind": "List", "items": [` + strings.TrimSpace(compact) + `], "metadata": {"resourceVersion": ""}}` + "\n"
	for name, in := range map[string]string{
		"one line":                  compact,
		"a List":                    list,
		"objects one after another": compact + compact,
		"a ResourceList":            `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [` + strings.TrimSpace(compact) + `]}` + "\n",
	} {
		out, stderr, code := run(t, []byte(in))
		dec := json.NewDecoder(strings.NewReader(out))
		n := 0
		for ; ; n++ {
			var v map[string]any
			if err := dec.Decode(&v); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: not JSON: %v\n%s", name, err, out)
				}
				break
			}
		}
		if code != 0 || n == 0 || !strings.Contains(out, `"masquerade": {}`) {
			t.Errorf("%s: exit %d, %d JSON values:\n%s\n%s", name, code, n, out, stderr)
		}
		if name != "a ResourceList" && strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Errorf("%s: the layout changed:\n%s", name, out)
		}
		if name == "objects one after another" && (n != 2 || strings.Contains(out, "---")) {
			t.Errorf("%s: want two JSON objects without a YAML marker:\n%s", name, out)
		}
	}
}

// changedLines are the lines of b that a does not have, in order.
func changedLines(a, b string) []string {
	have := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		have[l]++
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if have[l] > 0 {
			have[l]--
			continue
		}
		out = append(out, l)
	}
	return out
}

// Finding 6: CRLF stays CRLF, line by line: a run with nothing to fix gives the
// input back byte for byte, an edited document gets CRLF lines, a Helm render
// whose templates are CRLF and whose separators are LF keeps both; a NEL or a
// lone CR in one document leaves the others as they came.
func TestLineBreaksKept(t *testing.T) {
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	vm := podVM("p", "{name: default}")
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c   # spaced\n"
	cases := map[string]struct{ in, want string }{
		"nothing to fix, stream":       {crlf(cm), crlf(cm)},
		"nothing to fix, ResourceList": {crlf(asResourceList(cm)), crlf(asResourceList(cm))},
		"an edit, stream":              {crlf(vm), crlf(strings.Replace(vm, "- {name: default}", "- {name: default, masquerade: {}}", 1))},
		"Helm: LF separators, CRLF templates": {
			"---\n# Source: c/templates/cm.yaml\n" + crlf(cm) + "---\n# Source: c/templates/vm.yaml\n" + crlf(vm),
			"---\n# Source: c/templates/cm.yaml\n" + crlf(cm) + "---\n# Source: c/templates/vm.yaml\n" + crlf(strings.Replace(vm, "- {name: default}", "- {name: default, masquerade: {}}", 1)),
		},
		"a lone CR and a NEL in one document": {
			"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"x\u0085y\"}\r# a comment\n---\n" + cm,
			"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"x\u0085y\"}\r# a comment\n---\n" + cm,
		},
	}
	for name, tc := range cases {
		out, stderr, code := run(t, []byte(tc.in))
		if code != 0 || out != tc.want {
			t.Errorf("%s: exit %d\n%q\nwant\n%q\n%s", name, code, out, tc.want, stderr)
		}
	}
}

// finding4VM is a VM written by hand: four-space indentation, lists indented
// under their keys, comments with two and more spaces before them, blank lines
// between entries, a comment after a list, a folded scalar, a tab in a quoted
// string and text beyond ASCII. Its pod interface needs a binding and its
// NAD-named network the logical name.
const finding4VM = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
    name: f4
    namespace: vms
    annotations:
        description: >-
            folded
            text
spec:
    template:
        spec:
            domain:
                devices:
                    interfaces:
                        - name: default  # the pod NIC

                        - name: ext-nad    # café 🚀
                          bridge: {}
                          model: "virtio"
                        - name: other
                          bridge: {}  # kept
                    # after the list
                    disks: []
                firmware: {serial: "a\tb"}
            networks:
                - name: default
                  pod: {}

                - name: ext-nad
                  multus:
                      networkName: ext-nad   # the NAD
                - name: other
                  multus: {networkName: "other"}
`

// Findings 3 and 4: only the entries an edit touches are written anew, list
// entries as well as mapping entries, and the siblings of a VM in a List or a
// Template are their own bytes.
func TestEditsAtTheirEntries(t *testing.T) {
	decl := "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: external, annotations: {config.kubernetes.io/local-config: \"true\"}}\nspec: {type: bridge, bridge: br1, nadName: ext-nad, namespace: vms}\n---\n"
	want := []string{
		"                          masquerade: {}",
		"                        - name: external    # café 🚀",
		"                - name: external",
	}
	for form, in := range map[string]string{"stream": decl + finding4VM, "ResourceList": asResourceList(decl + finding4VM)} {
		out, stderr, code := run(t, []byte(in))
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", form, code, stderr)
		}
		// The VM's part of the output: the NAD derived for the network follows it.
		vmPart := out[:strings.Index(out, "apiVersion: k8s.cni.cncf.io/v1")]
		vmPart = strings.TrimSuffix(strings.TrimSuffix(vmPart, "- "), "---\n")
		got := changedLines(in, vmPart)
		for i := range got {
			if form == "ResourceList" {
				got[i] = strings.TrimPrefix(got[i], "  ") // the item's indentation
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the lines that changed:\n%s\nwant:\n%s\n%s", form, strings.Join(got, "\n"), strings.Join(want, "\n"), out)
		}
	}
	siblings := map[string]string{
		"List": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    note:   \"spaced\"\n    folded: >\n      some folded\n      text\n    flow: {a: , b: c}\n" +
			"- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n  metadata: {name: v, namespace: vms}\n  spec:\n    template:\n      spec:\n        domain:\n          devices:\n            interfaces:\n            - name: default\n        networks:\n        - name: default\n          pod: {}\n",
		"Template": "apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\nobjects:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec:\n    ports:\n      - port: 80   # http\n        name: http\n" +
			"- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n  metadata: {name: v}\n  spec:\n    template:\n      spec:\n        domain:\n          devices:\n            interfaces:\n            - name: default\n        networks:\n        - name: default\n          pod: {}\n",
	}
	for name, in := range siblings {
		for form, input := range map[string]string{"stream": in, "ResourceList": asResourceList(in)} {
			out, stderr, code := run(t, []byte(input))
			got := changedLines(input, withoutResults(out))
			if code != 0 || len(got) != 1 || strings.TrimSpace(got[0]) != "masquerade: {}" {
				t.Errorf("%s as a %s: exit %d, changed lines %q\n%s\n%s", name, form, code, got, out, stderr)
			}
		}
	}
}
