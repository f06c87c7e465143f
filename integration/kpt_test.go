package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func kpt(t *testing.T) string { return requireTool(t, "kpt") }

// kptExpected is the example package as kpt renders it: beside the package, not
// in it, where kpt would read it as a subpackage.
var kptExpected = filepath.Join("examples", "kpt", ".expected", "vms")

// render runs the package's pipeline twice: the first writes NADs next to their
// networks and rewrites the VMs, the second changes no file.
func renderTwice(t *testing.T, pkg string, env []string, ignore []string, args ...string) {
	t.Helper()
	k := kpt(t)
	base := append([]string{"fn", "render", pkg}, args...)
	mustRun(t, pkg, env, k, base...)
	goldenTree(t, kptExpected, pkg, ignore...)
	first := readTree(t, pkg)
	mustRun(t, pkg, env, k, base...)
	second := readTree(t, pkg)
	for f, content := range second {
		if first[f] != content {
			t.Errorf("the second render changed %s", f)
		}
	}
	if len(first) != len(second) {
		t.Errorf("the second render changed the file set: %d files, then %d", len(first), len(second))
	}
}

func TestKptRenderExec(t *testing.T) {
	pkg := copyTree(t, examples("kpt", "vms"))
	renderTwice(t, pkg, nil, nil, "--allow-exec")
}

// The same pipeline with the image: kpt runs it with podman as nobody, no network.
func TestKptRenderImage(t *testing.T) {
	images(t)
	pkg := copyTree(t, examples("kpt", "vms"))
	kptfile := filepath.Join(pkg, "Kptfile")
	b, err := os.ReadFile(kptfile)
	if err != nil {
		t.Fatal(err)
	}
	withImage := strings.ReplaceAll(string(b), "exec: kubevirt-networks", "image: "+functionImage)
	if err := os.WriteFile(kptfile, []byte(withImage), 0o644); err != nil {
		t.Fatal(err)
	}
	// The tree matches the exec render's, but for the Kptfile that names the image.
	renderTwice(t, pkg, []string{"KPT_FN_RUNTIME=podman"}, []string{"Kptfile"}, "--image-pull-policy", "never")
}

// The validator (mode validate) fails the render when a problem remains, and the
// package is left as it was.
func TestKptRenderValidatorFails(t *testing.T) {
	k := kpt(t)
	pkg := copyTree(t, examples("kpt", "vms"))
	vm := filepath.Join(pkg, "vms", "db.yaml")
	b, err := os.ReadFile(vm)
	if err != nil {
		t.Fatal(err)
	}
	// A PCI address KubeVirt refuses, which fix mode cannot repair.
	broken := strings.Replace(string(b), "          - name: storage\n", "          - name: storage\n            pciAddress: 0000:81:01.10\n", 1)
	if err := os.WriteFile(vm, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, pkg)
	results := t.TempDir()
	r := run(t, pkg, nil, k, "fn", "render", pkg, "--allow-exec", "--results-dir", results)
	if r.code == 0 {
		t.Fatalf("render passed with an invalid PCI address")
	}
	out, err := os.ReadFile(filepath.Join(results, "results.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "has malformed PCI address (0000:81:01.10)") {
		t.Errorf("results.yaml lacks KubeVirt's PCI message:\n%s", out)
	}
	after := readTree(t, pkg)
	for f, content := range before {
		if after[f] != content {
			t.Errorf("a failed render changed %s", f)
		}
	}
}

// kpt fn eval with the function config file, exec and image, does what render's mutator does.
func TestKptEvalExec(t *testing.T) {
	k := kpt(t)
	pkg := copyTree(t, examples("kpt", "vms"))
	mustRun(t, pkg, nil, k, "fn", "eval", pkg, "--exec", "kubevirt-networks", "--fn-config", filepath.Join(pkg, "vm-networks.yaml"))
	goldenTree(t, kptExpected, pkg)
}

func TestKptEvalImage(t *testing.T) {
	images(t)
	k := kpt(t)
	pkg := copyTree(t, examples("kpt", "vms"))
	mustRun(t, pkg, []string{"KPT_FN_RUNTIME=podman"}, k, "fn", "eval", pkg, "--image", functionImage,
		"--image-pull-policy", "never", "--fn-config", filepath.Join(pkg, "vm-networks.yaml"))
	goldenTree(t, kptExpected, pkg)
}

// kpt's key=value function config: a ConfigMap with mode=validate fails on the
// unfixed package and changes nothing.
func TestKptEvalValidateConfigMap(t *testing.T) {
	k := kpt(t)
	pkg := copyTree(t, examples("kpt", "vms"))
	before := readTree(t, pkg)
	r := run(t, pkg, nil, k, "fn", "eval", pkg, "--exec", "kubevirt-networks", "--", "mode=validate")
	if r.code == 0 {
		t.Fatalf("validate passed on a package that needs fixes:\n%s%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "would rename network") {
		t.Errorf("no 'would …' error in kpt's output:\n%s%s", r.stdout, r.stderr)
	}
	after := readTree(t, pkg)
	for f, content := range before {
		if after[f] != content {
			t.Errorf("validate changed %s", f)
		}
	}
}
