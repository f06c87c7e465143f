package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// plugin reads examples/argocd/plugin.yaml.
func plugin(t *testing.T) (generate []string, glob string) {
	t.Helper()
	node, err := yaml.ReadFile(examples("argocd", "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if node.GetKind() != "ConfigManagementPlugin" || node.GetApiVersion() != "argoproj.io/v1alpha1" {
		t.Fatalf("plugin.yaml is %s %s", node.GetApiVersion(), node.GetKind())
	}
	cmd, err := node.Pipe(yaml.Lookup("spec", "generate", "command"))
	if err != nil || cmd == nil {
		t.Fatalf("plugin.yaml has no spec.generate.command")
	}
	generate, err = cmd.ElementValues("")
	if err != nil || len(generate) == 0 {
		cmds, _ := cmd.Elements()
		for _, c := range cmds {
			generate = append(generate, c.YNode().Value)
		}
	}
	g, _ := node.Pipe(yaml.Lookup("spec", "discover", "find", "glob"))
	return generate, yaml.GetValue(g)
}

// argoEnv is what Argo CD sets for a plugin's generate command.
var argoEnv = []string{
	"ARGOCD_APP_NAME=vms", "ARGOCD_APP_NAMESPACE=vms", "ARGOCD_APP_PROJECT_NAME=default",
	"ARGOCD_APP_REVISION=0123456789abcdef", "ARGOCD_APP_SOURCE_PATH=examples/argocd/app",
	"ARGOCD_APP_SOURCE_REPO_URL=https://github.com/kubevirt-networks/kubevirt-networks",
	"ARGOCD_APP_SOURCE_TARGET_REVISION=main", "KUBE_VERSION=1.34", "KUBE_API_VERSIONS=v1,apps/v1",
}

// The plugin's generate command, exactly as plugin.yaml writes it, run in the example
// app with the variables Argo CD sets: its stdout is a clean stream of objects to
// apply, with the NADs and the rewritten VMs and no local-config objects.
func TestArgoCDGenerate(t *testing.T) {
	kustomizeBin := kustomize(t)
	generate, glob := plugin(t)
	app := examples("argocd", "app")
	if m, _ := filepath.Glob(filepath.Join(app, strings.TrimPrefix(glob, "**/"))); len(m) == 0 {
		t.Errorf("the discover glob %q matches nothing in the example app", glob)
	}
	_ = kustomizeBin // generate runs the `kustomize` on PATH, which is the pinned one
	r := mustRun(t, app, argoEnv, generate[0], generate[1:]...)
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(r.stdout)}).Read()
	if err != nil {
		t.Fatalf("generate's stdout is not a stream of objects: %v\n%s", err, r.stdout)
	}
	kinds := map[string]int{}
	for _, n := range nodes {
		kinds[n.GetKind()]++
		if n.GetAnnotations()["config.kubernetes.io/local-config"] == "true" {
			t.Errorf("local-config object %s %s in the stream", n.GetKind(), n.GetName())
		}
	}
	if kinds["NetworkAttachmentDefinition"] != 2 || kinds["VirtualMachine"] != 2 || len(nodes) != 4 {
		t.Errorf("want 2 NADs and 2 VMs, got %v", kinds)
	}
	golden(t, expected("argocd", "generate.yaml"), r.stdout)
	// The objects the transformer path gives (kustomize with exec functions).
	want, err := os.ReadFile(filepath.Join(repoRoot, expected("kustomize", "exec", "output.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	sameObjects(t, string(want), r.stdout)
}

// sameObjects compares two streams as sets of objects, as data: the fast build
// writes kustomize's objects in kustomize's order and key order, the function's
// NADs after them; the transformer path sorts everything again.
func sameObjects(t *testing.T, want, got string) {
	t.Helper()
	w, g := objectSet(t, want), objectSet(t, got)
	for key, obj := range w {
		if g[key] != obj {
			t.Errorf("%s differs:\n--- transformer path\n%s\n--- fast path\n%s", key, obj, g[key])
		}
	}
	for key := range g {
		if _, ok := w[key]; !ok {
			t.Errorf("%s is only in the fast path's output", key)
		}
	}
}

func objectSet(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for key, n := range streamObjects(t, s) {
		out[key+" "+n.GetNamespace()] = asData(t, n)
	}
	return out
}

// Argo CD's generate command on the layered overlay: the same build, checked the same way.
func TestArgoCDGenerateLayered(t *testing.T) {
	kustomize(t)
	generate, _ := plugin(t)
	r := mustRun(t, examples("kustomize", "layered", "prod"), argoEnv, generate[0], generate[1:]...)
	checkLayered(t, r.stdout)
	golden(t, expected("kustomize", "layered", "prod", "output.yaml"), r.stdout)
}

// The sidecar image runs the same generate as the argocd user (999), with its own
// kustomize and the function, and carries plugin.yaml where the CMP server reads it.
func TestArgoCDSidecarImage(t *testing.T) {
	images(t)
	generate, _ := plugin(t)
	r := mustRun(t, repoRoot, nil, "podman", append([]string{"run", "--rm", "--network", "none",
		"-v", examples() + ":/src/examples:ro", "-w", "/src/examples/argocd/app", sidecarImage}, generate...)...)
	golden(t, expected("argocd", "generate.yaml"), r.stdout)
	id := mustRun(t, repoRoot, nil, "podman", "run", "--rm", "--network", "none", sidecarImage, "id", "-u")
	if strings.TrimSpace(id.stdout) != "999" {
		t.Errorf("the sidecar runs as uid %q, want 999", strings.TrimSpace(id.stdout))
	}
	baked := mustRun(t, repoRoot, nil, "podman", "run", "--rm", "--network", "none", sidecarImage, "cat", "/home/argocd/cmp-server/config/plugin.yaml")
	want, _ := os.ReadFile(examples("argocd", "plugin.yaml"))
	if baked.stdout != string(want) {
		t.Errorf("the sidecar's plugin.yaml is not examples/argocd/plugin.yaml")
	}
}

// The repo-server patch merges into Argo CD's repo-server Deployment (a minimal
// stand-in here; users point at Argo CD's install manifest) and adds the sidecar.
func TestArgoCDRepoServerPatch(t *testing.T) {
	k := kustomize(t)
	dir := t.TempDir()
	patch, err := os.ReadFile(examples("argocd", "repo-server-patch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"repo-server-patch.yaml": string(patch),
		"kustomization.yaml":     "resources: [repo-server.yaml]\npatches:\n- path: repo-server-patch.yaml\n",
		"repo-server.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}
    spec:
      containers:
      - name: argocd-repo-server
        image: quay.io/argoproj/argocd:v3.2.0
      volumes:
      - name: var-files
        emptyDir: {}
      - name: plugins
        emptyDir: {}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := mustRun(t, dir, nil, k, "build", dir)
	for _, want := range []string{"name: argocd-repo-server", "name: kubevirt-networks\n", "image: ghcr.io/kubevirt-networks/kubevirt-networks-argocd", "/var/run/argocd/argocd-cmp-server", "runAsUser: 999", "name: kubevirt-networks-tmp", "image: quay.io/argoproj/argocd"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("patched Deployment lacks %q:\n%s", want, r.stdout)
		}
	}
}
