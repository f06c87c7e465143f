package integration

import (
	"os"
	"strings"
	"testing"
)

// The image as the orchestrators run it: --network none --user nobody
// --security-opt=no-new-privileges, a ResourceList on stdin.
func TestImageRunsAsNobodyWithoutNetwork(t *testing.T) {
	images(t)
	in, err := os.ReadFile(examples("quickstart", "resourcelist.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := []string{"run", "--rm", "-i", "--network", "none", "--user", "nobody", "--security-opt=no-new-privileges", functionImage}
	got := runStdin(t, string(in), "podman", cmd...)
	want := runStdin(t, string(in), "kubevirt-networks")
	if got != want {
		t.Errorf("the image's output differs from the binary's:\n--- image\n%s\n--- binary\n%s", got, want)
	}
	for _, flag := range []string{"--help", "--version"} {
		r := mustRun(t, repoRoot, nil, "podman", "run", "--rm", "--network", "none", "--user", "nobody", functionImage, flag)
		if !strings.Contains(r.stdout, "kubevirt-networks") {
			t.Errorf("%s printed %q", flag, r.stdout)
		}
	}
}

func runStdin(t *testing.T, stdin, name string, args ...string) string {
	t.Helper()
	c := cmdWithStdin(name, stdin, args...)
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// kpt fn doc runs the image with --help: the usage it prints is the function's docs.
func TestKptFnDoc(t *testing.T) {
	images(t)
	k := kpt(t)
	r := mustRun(t, repoRoot, []string{"KPT_FN_RUNTIME=podman"}, k, "fn", "doc", "--image", functionImage)
	for _, want := range []string{"kubevirt-networks is a KRM function", "kind: VMNetwork", "kind: VMNetworks", "mode: fix"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("kpt fn doc output lacks %q:\n%s", want, r.stdout)
		}
	}
}
