package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	repoRoot string
	binDir   string // holds the freshly built kubevirt-networks, first on PATH
)

func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Dir(filepath.Dir(file))
	dir, err := os.MkdirTemp("", "kubevirt-networks-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "kubevirt-networks"), ".")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the function: %v\n%s", err, out)
		os.Exit(1)
	}
	// The function, then the project's pinned kustomize (scripts/test.sh builds it there).
	os.Setenv("PATH", binDir+string(os.PathListSeparator)+filepath.Join(repoRoot, ".cache", "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// requireTool finds a tool; missing, it skips locally and fails in CI.
func requireTool(t *testing.T, name string, candidates ...string) string {
	t.Helper()
	for _, c := range append(candidates, name) {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; scripts/test.sh installs it (kpt: see the README)", name)
	}
	t.Skipf("%s is not installed; run scripts/test.sh to install it", name)
	return ""
}

func kustomize(t *testing.T) string {
	k := requireTool(t, "kustomize")
	if v := run(t, repoRoot, nil, k, "version"); !strings.HasPrefix(strings.TrimSpace(v.stdout), "v5.8.") {
		t.Fatalf("%s is kustomize %q; the project pins v5.8.x (scripts/test.sh builds it into .cache/bin)", k, strings.TrimSpace(v.stdout))
	}
	return k
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs a command and returns its output; env entries are added to the environment.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", name, err)
		}
		code = ee.ExitCode()
	}
	return result{stdout.String(), stderr.String(), code}
}

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	r := run(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// Images are built once per test binary: the function image and the Argo CD sidecar,
// from the real Dockerfile, with local stand-ins for the base images (no registry is
// reachable here) and the host's module cache mounted so the build is offline.
const (
	functionImage = "localhost/kubevirt-networks:dev"
	sidecarImage  = "localhost/kubevirt-networks-argocd:dev"
)

var (
	imagesOnce sync.Once
	imagesErr  error
)

func images(t *testing.T) {
	t.Helper()
	requireTool(t, "podman")
	imagesOnce.Do(func() {
		steps := [][]string{
			{"go", "mod", "download"},
			{"go", "-C", "tools", "mod", "download"},
			{"bash", "scripts/standin-images.sh"},
		}
		modcache := strings.TrimSpace(goEnv("GOMODCACHE"))
		common := []string{"build", "-q",
			"--build-arg", "GO_IMAGE=localhost/kubevirt-networks-go:standin",
			"--build-arg", "BASE_IMAGE=localhost/kubevirt-networks-static:standin",
			"--build-arg", "ARGOCD_IMAGE=localhost/kubevirt-networks-argocd-base:standin",
			"--build-arg", "VERSION=integration",
			"-v", modcache + ":/go/pkg/mod"}
		steps = append(steps,
			append(append([]string{"podman"}, common...), "--target", "argocd-sidecar", "-t", sidecarImage, "."),
			append(append([]string{"podman"}, common...), "-t", functionImage, "."),
		)
		for _, s := range steps {
			cmd := exec.Command(s[0], s[1:]...)
			cmd.Dir = repoRoot
			if out, err := cmd.CombinedOutput(); err != nil {
				imagesErr = fmt.Errorf("%s: %v\n%s", strings.Join(s, " "), err, out)
				return
			}
		}
	})
	if imagesErr != nil {
		t.Fatal(imagesErr)
	}
}

func goEnv(key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// dockerShim puts a `docker` that runs podman first on PATH: kustomize hard-codes docker.
func dockerShim(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	shim := "#!/bin/sh\nexec podman \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "docker"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH")}
}

// copyTree copies a folder to a fresh temp folder and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// readTree maps every file below dir (relative path) to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			if info.Name() == ".expected" && p != dir {
				return filepath.SkipDir // an example's expected output is not part of it
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// expected is where an example keeps its expected output (as the kpt catalog does):
// examples/<example>/.expected/<file>, relative to the repository.
func expected(parts ...string) string {
	return filepath.Join(append([]string{"examples"}, append(parts[:len(parts)-1:len(parts)-1], ".expected", parts[len(parts)-1])...)...)
}

// golden compares got with the file at path (relative to the repository);
// UPDATE_GOLDEN=1 rewrites it (review the diff).
func golden(t *testing.T, rel, got string) {
	t.Helper()
	path := filepath.Join(repoRoot, rel)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 creates it; review it before committing)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s:\n--- want\n%s\n--- got\n%s", rel, want, got)
	}
}

// goldenTree compares a folder with the folder rel (relative to the repository)
// file by file, except the files in ignore.
func goldenTree(t *testing.T, rel, dir string, ignore ...string) {
	t.Helper()
	got := readTree(t, dir)
	for _, f := range ignore {
		delete(got, f)
	}
	path := filepath.Join(repoRoot, rel)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		os.RemoveAll(path)
		for file, content := range got {
			golden(t, filepath.Join(rel, file), content)
		}
		return
	}
	want := readTree(t, path)
	for _, f := range ignore {
		delete(want, f)
	}
	for file, content := range want {
		if got[file] != content {
			t.Errorf("%s differs from %s/%s:\n--- want\n%s\n--- got\n%s", file, rel, file, content, got[file])
		}
	}
	for file := range got {
		if _, ok := want[file]; !ok {
			t.Errorf("unexpected file %s:\n%s", file, got[file])
		}
	}
}

func cmdWithStdin(name, stdin string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Stdin = strings.NewReader(stdin)
	return c
}
