package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// plugin reads examples/argocd/plugin.yaml: its generate and discover commands.
func plugin(t *testing.T) (generate, discover []string) {
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
	d, err := node.Pipe(yaml.Lookup("spec", "discover", "find", "command"))
	if err != nil || d == nil {
		t.Fatalf("plugin.yaml has no spec.discover.find.command")
	}
	for _, c := range d.YNode().Content {
		discover = append(discover, c.Value)
	}
	return generate, discover
}

// Argo CD uses the plugin for an app where the find command prints anything.
func discovered(t *testing.T, discover []string, dir string) bool {
	t.Helper()
	r := mustRun(t, dir, argoEnv, discover[0], discover[1:]...)
	return strings.TrimSpace(r.stdout) != ""
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
	generate, discover := plugin(t)
	app := examples("argocd", "app")
	if !discovered(t, discover, app) {
		t.Errorf("discovery does not match the example app")
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
	// As the repo-server patch runs it: read-only root, no capabilities, /tmp its own.
	r := mustRun(t, repoRoot, nil, "podman", append([]string{"run", "--rm", "--network", "none",
		"--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--tmpfs", "/tmp", "--user", "999",
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
	for _, want := range []string{"name: argocd-repo-server", "name: kubevirt-networks\n", "image: ghcr.io/kubevirt-networks/kubevirt-networks-argocd", "/var/run/argocd/argocd-cmp-server", "runAsUser: 999", "name: kubevirt-networks-tmp", "image: quay.io/argoproj/argocd",
		"runAsNonRoot: true", "allowPrivilegeEscalation: false", "readOnlyRootFilesystem: true", "drop:\n            - ALL", "type: RuntimeDefault", "mountPath: /tmp"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("patched Deployment lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Discovery matches exactly the apps generate builds with the function: the
// examples that list it at their root, not their bases, not an app of another
// file name that lists no VMNetworks, whatever the config file is called.
func TestArgoCDDiscovery(t *testing.T) {
	_, discover := plugin(t)
	for dir, want := range map[string]bool{
		examples("argocd", "app"):                    true,
		examples("kustomize", "exec"):                true,
		examples("kustomize", "layered", "prod"):     true,
		examples("kustomize", "base"):                false,
		examples("kustomize", "layered", "platform"): true,
		examples("kustomize", "overlay-prefix"):      false,
		examples("helm", "chart"):                    false,
	} {
		if got := discovered(t, discover, dir); got != want {
			t.Errorf("%s: discovered %v, want %v", dir, got, want)
		}
	}
	// A config of any name is found, and generate builds what discovery matched.
	root := writeTree(t, app("resources: [../base]\ntransformers: [networking/kubevirt.yaml]\n").with(files{"app/networking/kubevirt.yaml": vmNetworksDoc}))
	if !discovered(t, discover, filepath.Join(root, "app")) {
		t.Errorf("a config named networking/kubevirt.yaml was not discovered")
	}
	generate, _ := plugin(t)
	mustRun(t, filepath.Join(root, "app"), argoEnv, generate[0], generate[1:]...)
}

// Argo CD's destination namespace reaches the function as Helm's release
// namespace does: namespace-less VMs are in it for every rule (an OVN NAD names
// it in netAttachDefName, which without it is an error); --namespace wins.
func TestArgoCDAppNamespace(t *testing.T) {
	generate, _ := plugin(t)
	root := writeTree(t, files{
		"app/kustomization.yaml": "resources: [vms.yaml, networks.yaml]\ntransformers: [vm-networks.yaml]\n",
		"app/vm-networks.yaml":   vmNetworksDoc,
		"app/networks.yaml":      vmNetworkDoc("tenant", "type: ovn-layer2\nsubnets: [10.10.0.0/24]\n"),
		"app/vms.yaml":           vmDoc("web", "", "tenant", "bridge"),
	})
	dir := filepath.Join(root, "app")
	var noNamespace []string
	for _, e := range argoEnv {
		if !strings.HasPrefix(e, "ARGOCD_APP_NAMESPACE=") {
			noNamespace = append(noNamespace, e)
		}
	}
	without := run(t, dir, noNamespace, generate[0], generate[1:]...)
	if without.code != 1 || !strings.Contains(without.stderr, "--namespace") {
		t.Fatalf("without a namespace: exit %d\n%s", without.code, without.stderr)
	}
	env := append(append([]string{}, argoEnv...), "ARGOCD_APP_NAMESPACE=tenant-a")
	r := mustRun(t, dir, env, generate[0], generate[1:]...)
	if !strings.Contains(r.stdout, `"netAttachDefName": "tenant-a/tenant"`) {
		t.Errorf("ARGOCD_APP_NAMESPACE is not the VMs' namespace:\n%s", r.stdout)
	}
	flag := mustRun(t, dir, env, "kubevirt-networks", "kustomize", "--namespace", "tenant-b", ".")
	if !strings.Contains(flag.stdout, `"netAttachDefName": "tenant-b/tenant"`) {
		t.Errorf("--namespace does not win over ARGOCD_APP_NAMESPACE:\n%s", flag.stdout)
	}
	bad := run(t, dir, append(env, "ARGOCD_APP_NAMESPACE=Not_A_Namespace"), generate[0], generate[1:]...)
	if bad.code != 2 || !strings.Contains(bad.stderr, "ARGOCD_APP_NAMESPACE") {
		t.Errorf("a malformed ARGOCD_APP_NAMESPACE: exit %d\n%s", bad.code, bad.stderr)
	}
}
