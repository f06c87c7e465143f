package kbuild

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
)

// Each behaviour of kustomize the build relies on, held against the kustomize
// go.mod links in: an upgrade that changes one fails here, by name.

func tree(t *testing.T, fs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range fs {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func build(t *testing.T, dir string, w *watchFS, exec bool) (resmap.ResMap, error) {
	t.Helper()
	return krusty.MakeKustomizer(kustomizeOptions(Options{}, types.LoadRestrictionsRootOnly, exec)).Run(w, dir)
}

const marker = `apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetworks
metadata:
  name: vm-networks
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: kubevirt-networks
spec: {}
`

func behaviourTree(t *testing.T) string {
	return tree(t, map[string]string{
		"app/kustomization.yaml": "namePrefix: p-\nresources: [cm.yaml, net.yaml]\ntransformers:\n- vm-networks.yaml\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata: {name: inline}\n  labels: {inline: \"yes\"}\n  fieldSpecs: [{path: metadata/labels, create: true}]\n",
		"app/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
		"app/net.yaml":           "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata:\n  name: ext\n  annotations: {config.kubernetes.io/local-config: \"true\"}\nspec: {type: bridge, bridge: br0}\n",
		"app/vm-networks.yaml":   marker,
		"outside.txt":            "secret\n",
	})
}

func tempFor(t *testing.T, dir string) string {
	t.Helper()
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	InputKinds = []string{"VMNetwork"}
	if err := writeTemp(tmp, filepath.Join(dir, "app"), root{}, types.LoadRestrictionsRootOnly); err != nil {
		t.Fatal(err)
	}
	return tmp
}

func TestKustomizeBehaviours(t *testing.T) {
	dir := behaviourTree(t)
	tmp := tempFor(t, dir)
	w := newWatchFS("/nonexistent/kubevirt-networks", nil, false)
	m, err := build(t, tmp, w, false)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := m.GetById(m.Resources()[0].CurId())
	if err != nil {
		t.Fatal(err)
	}
	ts, err := parseTransformations(cm.GetAnnotations()[transformationsAnnotation])
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range ts {
		order = append(order, x.ConfiguredBy.Kind)
	}
	t.Run("exec functions are skipped with exec off, and still recorded in order", func(t *testing.T) {
		// The function's exec path does not exist: had it run, the build would fail.
		if got := strings.Join(order, ","); got != "PrefixTransformer,LabelTransformer,VMNetworks,PatchTransformer,PatchTransformer" {
			t.Errorf("transformations recorded: %s", got)
		}
	})
	t.Run("inline transformer configs run before the level's files", func(t *testing.T) {
		if order[1] != "LabelTransformer" || order[2] != "VMNetworks" {
			t.Errorf("order: %v", order)
		}
	})
	t.Run("function configs are read through the file system given", func(t *testing.T) {
		if ours, _ := w.seen(); len(ours) != 1 {
			t.Errorf("the watch saw %d configs of the function", len(ours))
		}
	})
	t.Run("annotation selectors reach local config and the internal previous names; a JSON patch records the name first", func(t *testing.T) {
		var net *resmapResource
		for _, r := range m.Resources() {
			if r.GetKind() == "VMNetwork" {
				net = &resmapResource{r.GetAnnotations()}
			}
		}
		if net == nil {
			t.Fatal("the local-config VMNetwork was dropped")
		}
		if net.a[markLocal] != "true" || net.a["config.kubernetes.io/local-config"] != "false" {
			t.Errorf("not re-marked: %v", net.a)
		}
		if net.a[markPrevious] != "ext,p-ext" {
			t.Errorf("previous names copied: %q, want ext then the copy's own record of p-ext", net.a[markPrevious])
		}
	})
	t.Run("a temporary root refuses a file outside the tree as the tree's own build does", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "app", "kustomization.yaml"), []byte("resources: [cm.yaml]\nconfigMapGenerator:\n- name: x\n  files: [../outside.txt]\n"), 0o644)
		_, viaTemp := build(t, tmp, newWatchFS("/x", nil, false), false)
		_, direct := build(t, filepath.Join(dir, "app"), newWatchFS("/x", nil, false), false)
		if viaTemp == nil || direct == nil || !strings.Contains(viaTemp.Error(), "security; file") || !strings.HasSuffix(viaTemp.Error(), direct.Error()) {
			t.Errorf("via the temporary root: %v\ndirect: %v", viaTemp, direct)
		}
	})
	t.Run("sortOptions below the root are not applied", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "app", "kustomization.yaml"), []byte("resources: [cm.yaml, b.yaml]\nsortOptions: {order: fifo}\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "app", "b.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n"), 0o644)
		m, err := build(t, tmp, newWatchFS("/x", nil, false), false)
		if err != nil {
			t.Fatal(err)
		}
		if m.Resources()[0].GetKind() != "Namespace" {
			t.Errorf("the base's fifo order was applied: the build's root must carry sortOptions itself")
		}
	})
}

type resmapResource struct{ a map[string]string }

// The kustomize linked in is the one the tools module pins (the standalone
// kustomize the tests compare with), and KustomizeVersion names it.
func TestKustomizeVersionsAgree(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	version := func(gomod, module string) string {
		b, err := os.ReadFile(filepath.Join(repo, gomod))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == module {
				return f[1]
			}
		}
		t.Fatalf("%s does not require %s", gomod, module)
		return ""
	}
	if linked, tools := version("go.mod", "sigs.k8s.io/kustomize/api"), version("tools/go.mod", "sigs.k8s.io/kustomize/api"); linked != tools {
		t.Errorf("go.mod links kustomize/api %s, the tools module's kustomize uses %s", linked, tools)
	}
	if v := version("tools/go.mod", "sigs.k8s.io/kustomize/kustomize/v5"); v != KustomizeVersion {
		t.Errorf("KustomizeVersion is %s, the tools module pins kustomize %s", KustomizeVersion, v)
	}
}
