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
	"sigs.k8s.io/kustomize/kyaml/filesys"
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

func TestKustomizeBehaviours(t *testing.T) {
	dir := behaviourTree(t)
	app := filepath.Join(dir, "app")
	InputKinds = []string{"VMNetwork"}
	w := newWatchFS("/nonexistent/kubevirt-networks", nil, false)
	w.standIn, w.root = true, app
	m, err := build(t, app, w, false)
	if err != nil {
		t.Fatal(err)
	}
	var cm, net map[string]string
	for _, r := range m.Resources() {
		switch r.GetKind() {
		case "ConfigMap":
			cm = r.GetAnnotations()
		case "VMNetwork":
			net = r.GetAnnotations()
		}
	}
	if cm == nil || net == nil {
		t.Fatalf("objects missing from the build: %v", m.Resources())
	}
	ts, err := parseTransformations(cm[transformationsAnnotation])
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range ts {
		order = append(order, x.ConfiguredBy.Kind+" "+x.ConfiguredBy.Name)
	}
	t.Run("buildMetadata in the root read through the file system records every transformer, in order", func(t *testing.T) {
		want := "PrefixTransformer ,LabelTransformer inline,PatchTransformer " + standInPrefix + "0-previous-names,PatchTransformer " + standInPrefix + "0-local-config"
		if got := strings.Join(order, ","); got != want {
			t.Errorf("transformations recorded:\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("inline transformer configs run before the level's files", func(t *testing.T) {
		if !strings.HasPrefix(order[1], "LabelTransformer") {
			t.Errorf("order: %v", order)
		}
	})
	t.Run("function configs are read through the file system given", func(t *testing.T) {
		if ours, _ := w.seen(); len(ours) != 1 {
			t.Errorf("the watch saw %d configs of the function", len(ours))
		}
	})
	t.Run("annotation selectors reach local config and the internal previous names; a JSON patch records the name first", func(t *testing.T) {
		if net[markLocal] != "true" || net["config.kubernetes.io/local-config"] != "false" {
			t.Errorf("not re-marked: %v", net)
		}
		if net[markPrevious] != "ext,p-ext" {
			t.Errorf("previous names copied: %q, want ext then the copy's own record of p-ext", net[markPrevious])
		}
	})
	t.Run("the watched build refuses what the plain build refuses, in its words", func(t *testing.T) {
		os.WriteFile(filepath.Join(app, "kustomization.yaml"), []byte("resources: [cm.yaml]\nconfigMapGenerator:\n- name: x\n  files: [../outside.txt]\n"), 0o644)
		w := newWatchFS("/x", nil, false)
		w.standIn, w.root = true, app
		_, watched := build(t, app, w, false)
		_, plain := krusty.MakeKustomizer(kustomizeOptions(Options{}, types.LoadRestrictionsRootOnly, false)).Run(filesys.MakeFsOnDisk(), app)
		if watched == nil || plain == nil || !strings.Contains(watched.Error(), "security; file") || watched.Error() != plain.Error() {
			t.Errorf("watched: %v\nplain: %v", watched, plain)
		}
	})
}

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
