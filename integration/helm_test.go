package integration

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// helm finds the pinned Helm of a major version (scripts/test.sh builds helm3 and
// helm4 into .cache/bin from tools/helm3 and tools/helm4) and gives it a home of
// its own, so no user's plugins or repositories take part.
func helm(t *testing.T, major string) (bin string, env []string) {
	t.Helper()
	bin = requireTool(t, "helm"+major)
	pinned := pinnedHelm(t, major)
	if v := mustRun(t, repoRoot, nil, bin, "version", "--short"); strings.TrimSpace(v.stdout) != pinned {
		t.Fatalf("%s is Helm %q; the project pins %s (scripts/test.sh builds it)", bin, strings.TrimSpace(v.stdout), pinned)
	}
	home := t.TempDir()
	// HELM_DATA_HOME, not HELM_PLUGINS: Helm 4.3.1's `plugin install` links a local
	// plugin under $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says.
	env = []string{"HELM_CONFIG_HOME=" + filepath.Join(home, "config"), "HELM_CACHE_HOME=" + filepath.Join(home, "cache"), "HELM_DATA_HOME=" + filepath.Join(home, "data")}
	return bin, env
}

func pinnedHelm(t *testing.T, major string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "tools", "helm"+major, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "helm.sh/helm/v"+major {
			return f[1]
		}
	}
	t.Fatalf("tools/helm%s/go.mod does not require helm.sh/helm/v%s", major, major)
	return ""
}

var chart = filepath.Join("examples", "helm", "chart")

// helmTemplate renders the example chart through the post-renderer: Helm 3 runs
// the binary named by --post-renderer; Helm 4 runs the example plugin, installed
// first.
func helmTemplate(t *testing.T, major string, extra ...string) result {
	t.Helper()
	bin, env := helm(t, major)
	if major == "4" {
		mustRun(t, repoRoot, env, bin, "plugin", "install", filepath.Join("examples", "helm", "plugin"))
	}
	args := append([]string{"template", "demo", chart, "--namespace", "vms", "--post-renderer", "kubevirt-networks"}, extra...)
	return run(t, repoRoot, env, bin, args...)
}

// streamObjects parses a rendered stream into its objects, by kind/name.
func streamObjects(t *testing.T, s string) map[string]*yaml.RNode {
	t.Helper()
	objs := map[string]*yaml.RNode{}
	dec := yaml.NewDecoder(strings.NewReader(s))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err == io.EOF {
			return objs
		} else if err != nil {
			t.Fatalf("not YAML: %v\n%s", err, s)
		}
		n := yaml.NewRNode(&doc)
		if n.IsNilOrEmpty() {
			continue
		}
		objs[n.GetKind()+"/"+n.GetName()] = n
	}
}

// Helm 3's --post-renderer runs the function on the chart's manifests: the NADs
// are derived, the VM fixed (logical names, bridge binding, the annotation turned
// into a network), the Secret and its comments untouched, the VMNetworks gone.
func TestHelm3PostRenderer(t *testing.T) {
	r := helmTemplate(t, "3")
	if r.code != 0 {
		t.Fatalf("helm template: exit %d\n%s", r.code, r.stderr)
	}
	golden(t, expected("helm", "template.yaml"), r.stdout)
	checkHelmOutput(t, r.stdout)
}

func checkHelmOutput(t *testing.T, out string) {
	t.Helper()
	objs := streamObjects(t, out)
	for _, want := range []string{"Secret/fedora-cloudinit", "VirtualMachine/fedora", "NetworkAttachmentDefinition/office-lan", "NetworkAttachmentDefinition/storage-vlan42"} {
		if objs[want] == nil {
			t.Errorf("%s missing from the output:\n%s", want, out)
		}
	}
	if len(objs) != 4 {
		t.Errorf("%d objects out, want 4 (no VMNetwork):\n%s", len(objs), out)
	}
	if !strings.Contains(out, "    # keep the storage NIC out of the default route\n") || !strings.Contains(out, "# Source: fedora-vm/templates/vm.yaml\n") {
		t.Errorf("comments lost:\n%s", out)
	}
	vm := objs["VirtualMachine/fedora"]
	if vm == nil {
		return
	}
	nets, _ := vm.Pipe(yaml.Lookup("spec", "template", "spec", "networks"))
	ifaces, _ := vm.Pipe(yaml.Lookup("spec", "template", "spec", "domain", "devices", "interfaces"))
	if got := nets.MustString(); got != "- name: default\n  pod: {}\n- name: lan\n  multus:\n    networkName: office-lan\n- name: storage\n  multus:\n    networkName: storage-vlan42\n" {
		t.Errorf("VM networks:\n%s", got)
	}
	if got := ifaces.MustString(); got != "- name: default\n  masquerade: {}\n- name: lan # the office LAN\n  bridge: {}\n- name: storage\n  bridge: {}\n" {
		t.Errorf("VM interfaces:\n%s", got)
	}
	if a := vm.GetAnnotations(); len(a) != 0 {
		t.Errorf("the Multus annotation stays: %v", a)
	}
}

// Helm 4 takes a post-renderer plugin; the example plugin gives the same objects.
func TestHelm4PostRendererPlugin(t *testing.T) {
	r := helmTemplate(t, "4")
	if r.code != 0 {
		t.Fatalf("helm template: exit %d\n%s", r.code, r.stderr)
	}
	checkHelmOutput(t, r.stdout)
	// Helm 4 sorts the manifests again and heads each new one with its own
	// "# Source:" comment: the objects are compared as data.
	three := helmTemplate(t, "3")
	four := streamObjects(t, r.stdout)
	for key, obj := range streamObjects(t, three.stdout) {
		if got := four[key]; got == nil || asData(t, got) != asData(t, obj) {
			t.Errorf("%s differs between Helm 3 and Helm 4:\n%s\n%s", key, asData(t, obj), asData(t, got))
		}
	}
}

func asData(t *testing.T, n *yaml.RNode) string {
	t.Helper()
	m, err := n.Map()
	if err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A chart the function refuses fails the helm command, with the reason: on
// stderr for Helm 3, in the --report file for Helm 4 (which drops a plugin's
// stderr), and nothing rendered.
func TestHelmFailsOnErrors(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.txt")
	for _, major := range []string{"3", "4"} {
		r := helmTemplate(t, major, "--set", "networks.lan.type=macvlan", "--post-renderer-args", "--report="+report)
		if r.code == 0 {
			t.Errorf("Helm %s rendered a chart with a macvlan network:\n%s", major, r.stdout)
		}
		if strings.Contains(r.stdout, "kind: VirtualMachine") {
			t.Errorf("Helm %s printed manifests after a failed post-render", major)
		}
		b, _ := os.ReadFile(report)
		if !strings.Contains(string(b), "error: VMNetwork lan spec.type: spec.type macvlan is refused") {
			t.Errorf("Helm %s: the report lacks the error:\n%s", major, b)
		}
		if major == "3" && !strings.Contains(r.stderr, "spec.type macvlan is refused") {
			t.Errorf("Helm 3 does not show the error:\n%s", r.stderr)
		}
		os.Remove(report)
	}
}

// A chart that renders nothing hands the post-renderer an empty stream: no error.
func TestHelmEmptyChart(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte("apiVersion: v2\nname: empty\nversion: 0.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin, env := helm(t, "3")
	mustRun(t, repoRoot, env, bin, "template", "empty", dir, "--post-renderer", "kubevirt-networks")
}

// A chart that writes no namespace and references its NAD through the release
// namespace ({{ .Release.Namespace }}/vlan100, as cozystack's vm-instance does)
// renders with exit 0 whether or not the function learns the namespace, and
// whether or not the VMNetwork pins it: the NAD is derived, masquerade on the
// Multus network becomes bridge, and no warning calls the network unused or the
// reference cross-namespace. Helm 3.22 and Helm 4.3 pass a post-renderer no
// HELM_NAMESPACE of their own for --namespace (only one in Helm's environment),
// so the README says to add --post-renderer-args --namespace=NS.
func TestHelmReleaseNamespace(t *testing.T) {
	releaseChart := filepath.Join("integration", "testdata", "release-namespace")
	for _, major := range []string{"3", "4"} {
		bin, env := helm(t, major)
		if major == "4" {
			mustRun(t, repoRoot, env, bin, "plugin", "install", filepath.Join("examples", "helm", "plugin"))
		}
		for _, pin := range []string{"false", "true"} {
			for _, how := range []struct {
				name string
				env  []string
				args []string
			}{
				{"--namespace and the post-renderer's --namespace", nil, []string{"--namespace", "tenant-a", "--post-renderer-args", "--namespace=tenant-a"}},
				{"HELM_NAMESPACE in Helm's environment", []string{"HELM_NAMESPACE=tenant-a"}, nil},
				{"--namespace alone", nil, []string{"--namespace", "tenant-a"}},
			} {
				args := append([]string{"template", "demo", releaseChart, "--set", "vlan.pin=" + pin, "--post-renderer", "kubevirt-networks"}, how.args...)
				r := run(t, repoRoot, append(append([]string{}, env...), how.env...), bin, args...)
				where := "Helm " + major + ", pin " + pin + ", " + how.name
				if r.code != 0 {
					t.Errorf("%s: exit %d\n%s", where, r.code, r.stderr)
					continue
				}
				for _, bad := range []string{"no VM uses", "another namespace", "not in the input"} {
					if strings.Contains(r.stderr, bad) {
						t.Errorf("%s: stderr says %q:\n%s", where, bad, r.stderr)
					}
				}
				objs := streamObjects(t, r.stdout)
				if objs["NetworkAttachmentDefinition/vlan100"] == nil || objs["VirtualMachine/demo-vm"] == nil {
					t.Errorf("%s: NAD or VM missing:\n%s", where, r.stdout)
					continue
				}
				ifaces, _ := objs["VirtualMachine/demo-vm"].Pipe(yaml.Lookup("spec", "template", "spec", "domain", "devices", "interfaces"))
				if got := ifaces.MustString(); got != "- name: default\n  masquerade: {}\n- name: vlan100\n  bridge: {}\n" {
					t.Errorf("%s: VM interfaces:\n%s", where, got)
				}
				if ns := objs["VirtualMachine/demo-vm"].GetNamespace(); ns != "" {
					t.Errorf("%s: the VM gained namespace %q; objects without one stay without", where, ns)
				}
			}
		}
	}
}

// Helm 3 and Helm 4 side by side, as during a migration: the Helm 4 plugin
// installed into Helm's shared plugin folder breaks every Helm 3 plugin command
// (this pins why); installed by examples/helm/install-helm4-plugin.sh, Helm 3
// still lists its own plugins and post-renders, and Helm 4 post-renders.
func TestHelm3And4SideBySide(t *testing.T) {
	helm3, env := helm(t, "3")
	helm4, _ := helm(t, "4")
	data := strings.TrimPrefix(env[2], "HELM_DATA_HOME=")
	hello := filepath.Join(data, "plugins", "hello")
	if err := os.MkdirAll(hello, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(hello, "plugin.yaml"), []byte("name: hello\nversion: 0.1.0\nusage: hi\ndescription: a Helm 3 plugin\ncommand: echo hello\n"), 0o644)

	// The way the README no longer offers: one shared folder.
	mustRun(t, repoRoot, env, helm4, "plugin", "install", filepath.Join("examples", "helm", "plugin"))
	if r := run(t, repoRoot, env, helm3, "plugin", "list"); r.code == 0 || !strings.Contains(r.stderr, "apiVersion") {
		t.Errorf("Helm 3 read a Helm 4 plugin in its folder (the install script's reason is stale): exit %d\n%s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(data, "plugins", "plugin"))

	home := t.TempDir()
	envHome := append(append([]string{}, env...), "HOME="+home, "XDG_DATA_HOME=")
	if r := run(t, repoRoot, envHome, "bash", "examples/helm/install-helm4-plugin.sh", helm3); r.code != 2 {
		t.Errorf("the script installed into Helm 3: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, repoRoot, envHome, "bash", "examples/helm/install-helm4-plugin.sh", helm4)
	list := mustRun(t, repoRoot, envHome, helm3, "plugin", "list")
	if !strings.Contains(list.stdout, "hello") {
		t.Errorf("Helm 3 lost its plugins:\n%s", list.stdout)
	}
	args := []string{"template", "demo", chart, "--namespace", "vms", "--post-renderer", "kubevirt-networks"}
	three := mustRun(t, repoRoot, envHome, helm3, args...)
	helm4Env := append(append([]string{}, envHome...), "HELM_DATA_HOME="+filepath.Join(home, ".local", "share", "helm4"))
	four := mustRun(t, repoRoot, helm4Env, helm4, args...)
	for name, out := range map[string]string{"Helm 3": three.stdout, "Helm 4": four.stdout} {
		if !strings.Contains(out, "kind: NetworkAttachmentDefinition") {
			t.Errorf("%s did not post-render:\n%s", name, out)
		}
	}
}
