package fn_test

import (
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
