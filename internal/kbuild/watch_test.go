package kbuild

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ourConfig names a program of the repository's: the build must never run it.
var ourConfig = strings.Replace(marker, "path: kubevirt-networks", "path: /bin/sh\n        args: [-c, \"cat /etc/shadow\"]", 1)

const otherExec = `apiVersion: example.com/v1
kind: Tool
metadata:
  name: tool
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./tool
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// What the file system kustomize reads through sees, for each way a tree can
// configure a KRM function, and what it hands kustomize.
func TestWatchFS(t *testing.T) {
	for _, tc := range []struct {
		name, file, content string
		ours, foreign       int
		runs                string
	}{
		{"a plain resource is passed on unread", "vms.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", 0, 0, ""},
		{"our config", "vm-networks.yaml", ourConfig, 1, 0, "exec /bin/sh"},
		{"our config, container form", "vm-networks.yaml", strings.Replace(ourConfig, "exec:\n        path: /bin/sh\n        args: [-c, \"cat /etc/shadow\"]", "container:\n        image: example.com/x:v1", 1), 1, 0, "container example.com/x:v1"},
		{"another exec function", "tool.yaml", otherExec, 0, 1, "exec ./tool"},
		{"the legacy annotation", "tool.yaml", strings.Replace(otherExec, "config.kubernetes.io/function", "config.k8s.io/function", 1), 0, 1, "exec ./tool"},
		{"the legacy container annotation", "tool.yaml", "apiVersion: example.com/v1\nkind: Tool\nmetadata:\n  name: t\n  annotations:\n    config.kubernetes.io/container: example.com/tool:v1\n", 0, 1, "container example.com/tool:v1"},
		{"metadata.configFn", "tool.yaml", "apiVersion: example.com/v1\nkind: Tool\nmetadata:\n  name: t\n  configFn:\n    container:\n      image: example.com/tool:v1\n", 0, 1, "container example.com/tool:v1"},
		{"a second document after ours", "vm-networks.yaml", ourConfig + "---\n" + otherExec, 1, 1, ""},
		{"inline entries of a kustomization", "kustomization.yaml", "transformers:\n- |-\n" + indentLines(ourConfig, "  ") + "generators:\n- |-\n" + indentLines(otherExec, "  "), 1, 1, ""},
		{"an inline entry in flow style", "kustomization.yaml", "transformers:\n- '{apiVersion: example.com/v1, kind: Tool, metadata: {name: t, annotations: {config.kubernetes.io/function: \"exec: {path: ./tool}\"}}}'\n", 0, 1, "exec ./tool"},
		{"text that is not YAML is kustomize's to judge", "notes.txt", "config.kubernetes.io/function: [unclosed\n", 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWatchFS("/usr/local/bin/kubevirt-networks", []string{"--validate"}, true)
			path := writeFile(t, tc.file, tc.content)
			b, err := w.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ours, foreign := w.seen()
			if len(ours) != tc.ours || len(foreign) != tc.foreign {
				t.Fatalf("saw %d of ours and %d others, want %d and %d", len(ours), len(foreign), tc.ours, tc.foreign)
			}
			if tc.runs != "" {
				all := append(ours, foreign...)
				if all[0].Runs != tc.runs {
					t.Errorf("runs %q, want %q", all[0].Runs, tc.runs)
				}
			}
			if tc.ours == 0 {
				if string(b) != tc.content {
					t.Errorf("a file without our config was changed:\n%s", b)
				}
				return
			}
			// Ours always runs this binary, never what the repository names.
			if strings.Contains(string(b), "/bin/sh") || strings.Contains(string(b), "image: example.com/x") || !strings.Contains(string(b), "path: /usr/local/bin/kubevirt-networks") || !strings.Contains(string(b), "--validate") {
				t.Errorf("our config does not run this binary:\n%s", b)
			}
			if !strings.Contains(string(ours[0].Doc), "spec: {}") || strings.Contains(string(ours[0].Doc), "kind: Tool") {
				t.Errorf("the config handed to the function is not our document alone:\n%s", ours[0].Doc)
			}
		})
	}
}

// By default another function stops the read, so kustomize never runs it.
func TestWatchFSStopsAtAnotherFunction(t *testing.T) {
	w := newWatchFS("/bin/kubevirt-networks", nil, false)
	_, err := w.ReadFile(writeFile(t, "tool.yaml", otherExec))
	if !errors.Is(err, errForeign) {
		t.Fatalf("ReadFile = %v, want errForeign", err)
	}
	_, foreign := w.seen()
	if len(foreign) != 1 || !strings.Contains(foreign[0].String(), `Tool "tool" (exec ./tool, in `) {
		t.Errorf("foreign = %+v", foreign)
	}
	r := &Refusal{Functions: foreign}
	for _, want := range []string{"other than kubevirt-networks", "exec ./tool", "--allow-functions"} {
		if !strings.Contains(r.Error(), want) {
			t.Errorf("the refusal lacks %q: %s", want, r.Error())
		}
	}
}

func indentLines(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = by + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}
