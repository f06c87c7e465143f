package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The Flux path (the rendered-manifests pattern): the sample CI workflow's run
// steps, executed as written in a git checkout, pass on the committed rendering
// and fail once the source changes without a new rendering.
func TestFluxRenderedManifests(t *testing.T) {
	kustomize(t)
	steps := workflowSteps(t)
	if len(steps) != 2 {
		t.Fatalf("the workflow has %d run steps, want the render and the diff gate", len(steps))
	}
	repo := t.TempDir()
	copyAll(t, examples(), filepath.Join(repo, "examples"))
	git := func(args ...string) {
		mustRun(t, repo, nil, "git", append([]string{"-c", "user.email=ci@example.com", "-c", "user.name=ci"}, args...)...)
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "source and rendering")
	for _, s := range steps {
		mustRun(t, repo, nil, "bash", "-c", s)
	}
	// A VM changed without rendering again: the gate fails.
	vms := filepath.Join(repo, "examples", "kustomize", "base", "vms.yaml")
	b, err := os.ReadFile(vms)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vms, []byte(strings.Replace(string(b), "guest: 2Gi", "guest: 3Gi", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, repo, nil, "bash", "-c", steps[0])
	if r := run(t, repo, nil, "bash", "-c", steps[1]); r.code == 0 {
		t.Errorf("the diff gate passed on a stale rendering")
	}
	// What Flux applies holds no local config and no function.
	rendered, _ := os.ReadFile(filepath.Join(repoRoot, "examples", "flux", "rendered", "vms.yaml"))
	for _, bad := range []string{"local-config", "config.kubernetes.io/function", "kind: VMNetwork"} {
		if strings.Contains(string(rendered), bad) {
			t.Errorf("the rendering holds %q", bad)
		}
	}
}

// The validate-only gate keeps the declarations kustomize drops as local config:
// on a source that needs no fix it passes; on one that does, every fix is an error.
func TestValidateGate(t *testing.T) {
	// kustomize is linked in: no binary needed.
	r := run(t, repoRoot, nil, "kubevirt-networks", "kustomize", "--validate", examples("kustomize", "exec"))
	if r.code != 1 || !strings.Contains(r.stderr, "error: ") || !strings.Contains(r.stderr, "would ") || strings.Contains(r.stderr, "not in the input") {
		t.Errorf("a source that needs fixes: exit %d\n%s", r.code, r.stderr)
	}
	// A source already right: the fixed VMs beside their declarations.
	dir := t.TempDir()
	fixed := mustRun(t, repoRoot, nil, "kubevirt-networks", "kustomize", examples("kustomize", "exec"))
	networks, _ := os.ReadFile(examples("kustomize", "base", "networks.yaml"))
	config, _ := os.ReadFile(examples("kustomize", "exec", "vm-networks.yaml"))
	for name, content := range map[string]string{
		"vms.yaml": fixed.stdout, "networks.yaml": string(networks), "vm-networks.yaml": string(config),
		"kustomization.yaml": "resources: [networks.yaml, vms.yaml]\ntransformers: [vm-networks.yaml]\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, repoRoot, nil, "kubevirt-networks", "kustomize", "--validate", dir)
}

func workflowSteps(t *testing.T) []string {
	t.Helper()
	node, err := yaml.ReadFile(examples("flux", "ci-workflow.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := node.Pipe(yaml.Lookup("jobs", "render", "steps"))
	if err != nil || steps == nil {
		t.Fatalf("ci-workflow.yaml has no jobs.render.steps")
	}
	elems, _ := steps.Elements()
	var out []string
	for _, e := range elems {
		if r := e.Field("run"); r != nil {
			out = append(out, yaml.GetValue(r.Value))
		}
	}
	return out
}

func copyAll(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-r", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
}

// Nothing lost on failure: with the app broken, the render script and the
// pre-commit hook fail and leave the committed rendering byte for byte, with no
// temporary file beside it; with the app whole, the hook stops a commit whose
// rendering is stale and passes once it is added.
func TestFluxRenderKeepsTheRenderingOnFailure(t *testing.T) {
	repo := t.TempDir()
	copyAll(t, examples(), filepath.Join(repo, "examples"))
	git := func(args ...string) result {
		return mustRun(t, repo, nil, "git", append([]string{"-c", "user.email=ci@example.com", "-c", "user.name=ci"}, args...)...)
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "source and rendering")
	hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
	if err := os.Symlink("../../examples/flux/pre-commit.sh", hook); err != nil {
		t.Fatal(err)
	}
	rendering := filepath.Join(repo, "examples", "flux", "rendered", "vms.yaml")
	before, err := os.ReadFile(rendering)
	if err != nil {
		t.Fatal(err)
	}
	networks := filepath.Join(repo, "examples", "kustomize", "base", "networks.yaml")
	good, _ := os.ReadFile(networks)
	for name, broken := range map[string]string{
		"the function refuses":  strings.Replace(string(good), "type: bridge\n  bridge: br-ext", "type: macvlan", 1),
		"kustomize cannot read": "apiVersion: [unclosed\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(networks, []byte(broken), 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(networks, good, 0o644)
			for _, cmd := range [][]string{{"bash", "examples/flux/render.sh"}, {"bash", hook}} {
				if r := run(t, repo, nil, cmd[0], cmd[1:]...); r.code == 0 {
					t.Errorf("%s passed on a broken app", cmd[1])
				}
				after, _ := os.ReadFile(rendering)
				if string(after) != string(before) {
					t.Fatalf("%s changed the committed rendering on failure:\n%s", cmd[1], after)
				}
				left, _ := filepath.Glob(filepath.Join(filepath.Dir(rendering), ".*"))
				if len(left) > 0 {
					t.Errorf("%s left %v behind", cmd[1], left)
				}
			}
		})
	}
	// The hook stops a commit whose rendering is stale, and lets it through once added.
	vms := filepath.Join(repo, "examples", "kustomize", "base", "vms.yaml")
	b, _ := os.ReadFile(vms)
	os.WriteFile(vms, []byte(strings.Replace(string(b), "guest: 2Gi", "guest: 3Gi", 1)), 0o644)
	git("add", vms)
	if r := run(t, repo, nil, "git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "-m", "more memory"); r.code == 0 {
		t.Errorf("the hook let a stale rendering through")
	}
	git("add", rendering)
	git("commit", "-q", "-m", "more memory")
}
