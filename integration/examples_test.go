package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// unified is `diff -u` of two texts under the names given (no timestamps).
func unified(t *testing.T, before, after, beforeName, afterName string) string {
	t.Helper()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "before"), filepath.Join(dir, "after")
	os.WriteFile(a, []byte(before), 0o644)
	os.WriteFile(b, []byte(after), 0o644)
	r := run(t, dir, nil, "diff", "-u", "--label", beforeName, "--label", afterName, a, b)
	if r.code > 1 {
		t.Fatalf("diff: exit %d\n%s", r.code, r.stderr)
	}
	return r.stdout
}

func readRepo(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every example folder explains itself (a README) and shows the change alone
// (.expected/diff.patch): what the function changed, against what the host
// gives without it. Each patch is made again here from the real tools' output
// and must be the committed one (UPDATE_GOLDEN=1 rewrites it; review it).
func TestExamplesShowTheChange(t *testing.T) {
	k := kustomize(t)
	entries, err := os.ReadDir(examples())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(examples(e.Name()), "README.md")); err != nil {
			t.Errorf("examples/%s has no README.md", e.Name())
		}
	}
	base := mustRun(t, repoRoot, nil, k, "build", examples("kustomize", "base")).stdout
	t.Run("quickstart", func(t *testing.T) {
		golden(t, expected("quickstart", "diff.patch"), unified(t, readRepo(t, "examples/quickstart/resourcelist.yaml"),
			readRepo(t, expected("quickstart", "output.yaml")), "resourcelist.yaml", "output.yaml"))
	})
	for _, c := range []struct{ name, output, patch string }{
		{"kustomize", expected("kustomize", "exec", "output.yaml"), expected("kustomize", "exec", "diff.patch")},
		{"argocd", expected("argocd", "generate.yaml"), expected("argocd", "diff.patch")},
		{"flux", "examples/flux/rendered/vms.yaml", expected("flux", "diff.patch")},
	} {
		t.Run(c.name, func(t *testing.T) {
			golden(t, c.patch, unified(t, base, readRepo(t, c.output), "kustomize build examples/kustomize/base", c.output))
		})
	}
	t.Run("helm", func(t *testing.T) {
		bin, env := helm(t, "3")
		plain := mustRun(t, repoRoot, env, bin, "template", "demo", chart, "--namespace", "vms").stdout
		golden(t, expected("helm", "diff.patch"), unified(t, plain, readRepo(t, expected("helm", "template.yaml")),
			"helm template demo examples/helm/chart --namespace vms", "examples/helm/.expected/template.yaml"))
	})
	t.Run("kpt", func(t *testing.T) {
		r := run(t, filepath.Join(repoRoot, "examples", "kpt"), nil, "diff", "-ruN", "vms", ".expected/vms")
		if r.code > 1 {
			t.Fatalf("diff: exit %d\n%s", r.code, r.stderr)
		}
		// diff -r names files with their times: the patch keeps the names alone.
		stamp := regexp.MustCompile(`(?m)^((?:---|\+\+\+) \S+)\t.*$`)
		golden(t, expected("kpt", "diff.patch"), stamp.ReplaceAllString(r.stdout, "$1"))
	})
	// A patch is the change alone: no example's patch is empty, and none touches
	// what the function does not own (a line of the cloud-init Secret, say).
	for _, p := range []string{expected("quickstart", "diff.patch"), expected("kustomize", "exec", "diff.patch"), expected("helm", "diff.patch"), expected("kpt", "diff.patch")} {
		if text := readRepo(t, p); !strings.Contains(text, "\n+") || strings.Contains(text, "-  kind: Secret") {
			t.Errorf("%s is not the function's change alone", p)
		}
	}
}
