package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func examples(parts ...string) string {
	return filepath.Join(append([]string{repoRoot, "examples"}, parts...)...)
}

// The exec form, as the README shows it: NADs derived, VMs rewritten, the config
// items (local-config) left out of the build.
func TestKustomizeExec(t *testing.T) {
	k := kustomize(t)
	r := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", examples("kustomize", "exec"))
	if strings.Contains(r.stdout, "kind: VMNetwork") {
		t.Errorf("config items leaked into the build:\n%s", r.stdout)
	}
	golden(t, expected("kustomize", "exec", "output.yaml"), r.stdout)
}

// Without --enable-exec kustomize silently skips exec functions; the README warns,
// and this pins the behaviour it warns about.
func TestKustomizeWithoutEnableExecSkipsTheFunction(t *testing.T) {
	k := kustomize(t)
	r := run(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", examples("kustomize", "exec"))
	if r.code == 0 && strings.Contains(r.stdout, "NetworkAttachmentDefinition") {
		t.Fatalf("kustomize ran the exec function without --enable-exec; the README's warning is stale")
	}
}

// kustomize ignores results: errors must reach the user on stderr, and fail the build.
func TestKustomizeErrorsOnStderr(t *testing.T) {
	k := kustomize(t)
	dir := copyTree(t, examples("kustomize"))
	networks := filepath.Join(dir, "base", "networks.yaml")
	b, err := os.ReadFile(networks)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), "type: bridge\n  bridge: br-ext", "type: macvlan", 1)
	if err := os.WriteFile(networks, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(dir, "exec"))
	if r.code == 0 {
		t.Fatalf("kustomize build succeeded on a macvlan network:\n%s", r.stdout)
	}
	for _, want := range []string{
		"error: VMNetwork external spec.type: spec.type macvlan is refused",
		`error: VirtualMachine vms/ubuntu-vm spec.template.spec.networks[1]: network "ubuntu-vm-external-nad" uses VMNetwork "external" of type macvlan`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// An overlay above the function adds a namePrefix; the shipped nameReference
// configuration makes multus.networkName follow the renamed NADs.
func TestKustomizeOverlayNamePrefix(t *testing.T) {
	k := kustomize(t)
	shipped, err := os.ReadFile(filepath.Join(repoRoot, "kustomize", "nameref.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(examples("kustomize", "overlay-prefix", "nameref.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(shipped) != string(copied) {
		t.Errorf("examples/kustomize/overlay-prefix/nameref.yaml is not the shipped kustomize/nameref.yaml")
	}
	r := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", examples("kustomize", "overlay-prefix"))
	for _, want := range []string{"name: prod-ubuntu-vm-external-nad", "networkName: prod-ubuntu-vm-external-nad", "networkName: prod-storage"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("overlay output lacks %q", want)
		}
	}
	golden(t, expected("kustomize", "overlay-prefix", "output.yaml"), r.stdout)
}

// The container form runs the image as kustomize does (docker run --network none
// --user nobody), through a docker -> podman shim; its output equals the exec form's.
func TestKustomizeContainer(t *testing.T) {
	k := kustomize(t)
	images(t)
	r := mustRun(t, repoRoot, dockerShim(t), k, "build", "--enable-alpha-plugins", examples("kustomize", "container"))
	golden(t, expected("kustomize", "exec", "output.yaml"), r.stdout)
}

// A transformers entry in validate mode gates a build: it fails on the example's
// unfixed VMs, and passes on the fixed build, changing nothing.
func TestKustomizeValidateMode(t *testing.T) {
	k := kustomize(t)
	dir := copyTree(t, examples("kustomize"))
	gate := "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata:\n  name: gate\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: kubevirt-networks\nspec:\n  mode: validate\n"
	for name, content := range map[string]string{
		"check-base/kustomization.yaml":  "resources: [../base]\ntransformers: [gate.yaml]\n",
		"check-base/gate.yaml":           gate,
		"check-fixed/kustomization.yaml": "resources: [../exec]\ntransformers: [gate.yaml]\n",
		"check-fixed/gate.yaml":          gate,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, dir, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(dir, "check-base"))
	if r.code == 0 || !strings.Contains(r.stderr, `error: VirtualMachine vms/ubuntu-vm spec.template.spec.networks[1].name: would rename network "ubuntu-vm-external-nad" to "external"`) {
		t.Errorf("the gate passed unfixed VMs (exit %d):\n%s", r.code, r.stderr)
	}
	fixed := mustRun(t, dir, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(dir, "check-fixed"))
	golden(t, expected("kustomize", "exec", "output.yaml"), fixed.stdout)
}

// A tree as a platform team lays it out: a base, a level that runs the function
// with namespace and namePrefix, and a prod overlay with its own namePrefix (and the
// shipped nameref configuration) that runs the function again. What each level
// renames must not reach the names that are not object names.
func TestKustomizeLayered(t *testing.T) {
	k := kustomize(t)
	prod := examples("kustomize", "layered", "prod")
	first := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", prod)
	checkLayered(t, first.stdout)
	second := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", prod)
	if second.stdout != first.stdout {
		t.Errorf("a second build differs")
	}
	if strings.Contains(first.stderr, "error:") {
		t.Errorf("errors:\n%s", first.stderr)
	}
	golden(t, expected("kustomize", "layered", "prod", "output.yaml"), first.stdout)
}

// checkLayered checks a layered build: logical names kept, every OVN NAD's
// netAttachDefName its own <namespace>/<name>, physicalNetworkName the bridge
// mapping's name, every reference resolving to a NAD of the build.
func checkLayered(t *testing.T, stream string) {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(stream)}).Read()
	if err != nil {
		t.Fatalf("not a stream of objects: %v", err)
	}
	nads := map[string]bool{}
	for _, n := range nodes {
		switch n.GetKind() {
		case "VMNetwork", "VMNetworks":
			t.Errorf("config item %s leaked into the build", n.GetName())
		case "NetworkAttachmentDefinition":
			nads[n.GetNamespace()+"/"+n.GetName()] = true
			cfg, _ := n.Pipe(yaml.Lookup("spec", "config"))
			var conf map[string]any
			if err := json.Unmarshal([]byte(yaml.GetValue(cfg)), &conf); err != nil {
				t.Fatalf("NAD %s: %v", n.GetName(), err)
			}
			if conf["type"] == "ovn-k8s-cni-overlay" {
				if want := n.GetNamespace() + "/" + n.GetName(); conf["netAttachDefName"] != want {
					t.Errorf("NAD %s: netAttachDefName %v, want %s", n.GetName(), conf["netAttachDefName"], want)
				}
				if conf["physicalNetworkName"] != "localnet-network" || conf["name"] != "localnet-network" {
					t.Errorf("NAD %s: OVN name %v, physicalNetworkName %v, want the bridge mapping's localnet-network", n.GetName(), conf["name"], conf["physicalNetworkName"])
				}
			}
		}
	}
	logical := map[string]bool{"default": true, "localnet-network": true, "storage": true, "uplink": true}
	for _, n := range nodes {
		if n.GetKind() != "VirtualMachine" {
			continue
		}
		networks, _ := n.Pipe(yaml.Lookup("spec", "template", "spec", "networks"))
		elems, _ := networks.Elements()
		for _, e := range elems {
			name := yaml.GetValue(e.Field("name").Value)
			if !logical[name] {
				t.Errorf("VM %s: network %q is not a logical name (a prefix leaked in?)", n.GetName(), name)
			}
			if m := e.Field("multus"); m != nil {
				ref := yaml.GetValue(m.Value.Field("networkName").Value)
				if !strings.Contains(ref, "/") {
					ref = n.GetNamespace() + "/" + ref
				}
				if !nads[ref] {
					t.Errorf("VM %s: network %q references %s, which is not in the build", n.GetName(), name, ref)
				}
			}
		}
	}
}

// `kubevirt-networks kustomize DIR` gives the objects the transformer path gives
// (kustomize build with exec functions), on every example that runs the function
// as a transformer: fast where it can be, the plain build where it says why not.
func TestKustomizeSubcommandMatchesTransformerPath(t *testing.T) {
	k := kustomize(t)
	for _, dir := range [][]string{{"kustomize", "exec"}, {"kustomize", "layered", "prod"}, {"kustomize", "overlay-prefix"}, {"argocd", "app"}} {
		t.Run(filepath.Join(dir...), func(t *testing.T) {
			plainBuild := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", examples(dir...))
			sub := mustRun(t, repoRoot, nil, "kubevirt-networks", "kustomize", examples(dir...))
			sameObjects(t, plainBuild.stdout, sub.stdout)
			fast := !strings.Contains(sub.stderr, "with the function inside kustomize's build")
			if want := dir[len(dir)-1] == "exec" || dir[0] == "argocd"; fast != want {
				t.Errorf("fast path %v, want %v:\n%s", fast, want, sub.stderr)
			}
		})
	}
	// A failing build fails the command with kustomize's exit code and message.
	r := run(t, repoRoot, nil, "kubevirt-networks", "kustomize", t.TempDir())
	if r.code == 0 || !strings.Contains(r.stderr, "kustomization") {
		t.Errorf("an empty folder: exit %d\n%s", r.code, r.stderr)
	}
}

// A newcomer's first mistake: the function listed under generators: instead of
// transformers:. kustomize hands a generator nothing but its config; the function
// says so and how to fix it, instead of reporting "0 VMs changed" alone.
func TestKustomizeFunctionListedAsGenerator(t *testing.T) {
	k := kustomize(t)
	root := writeTree(t, app("resources: [../base]\ngenerators: [vm-networks.yaml]\n"))
	r := mustRun(t, root, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(root, "app"))
	if !strings.Contains(r.stderr, "warning: the function got no objects but its own VMNetworks config") || !strings.Contains(r.stderr, "under transformers:") {
		t.Errorf("no warning for a function listed under generators:\n%s", r.stderr)
	}
	root = writeTree(t, app(functionAtRoot))
	if r := mustRun(t, root, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(root, "app")); strings.Contains(r.stderr, "generators") {
		t.Errorf("a transformer was told it is a generator:\n%s", r.stderr)
	}
}
