package integration

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func releaseVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// The release workflow parses, is triggered by a version tag, tests before it
// publishes, and publishes the binary and both images for amd64 and arm64 under
// the names metadata.yaml and the README use.
func TestReleaseWorkflow(t *testing.T) {
	w, err := yaml.ReadFile(filepath.Join(repoRoot, ".github", "workflows", "release.yaml"))
	if err != nil {
		t.Fatalf("the release workflow is not YAML: %v", err)
	}
	str := func(path ...string) string {
		n, err := w.Pipe(yaml.Lookup(path...))
		if err != nil || n == nil {
			t.Fatalf("the workflow has no %s", strings.Join(path, "."))
		}
		s, _ := n.String()
		return s
	}
	if !strings.Contains(str("on", "push", "tags"), "v*.*.*") {
		t.Errorf("the workflow does not run on version tags")
	}
	for _, job := range []string{"binaries", "images"} {
		if !strings.Contains(str("jobs", job, "needs"), "test") {
			t.Errorf("job %s does not wait for the tests", job)
		}
	}
	test := str("jobs", "test", "steps")
	if !strings.Contains(test, "CI=true bash scripts/test.sh") || !strings.Contains(test, `test "$GITHUB_REF_NAME" = "$(cat VERSION)"`) {
		t.Errorf("the test job does not run the README's test command on the tagged version:\n%s", test)
	}
	if m := str("jobs", "binaries", "strategy", "matrix", "goarch"); !strings.Contains(m, "amd64") || !strings.Contains(m, "arm64") {
		t.Errorf("binaries for %s", m)
	}
	images := str("jobs", "images", "steps")
	meta, err := yaml.ReadFile(filepath.Join(repoRoot, "metadata.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	image := yaml.GetValue(must(meta.Pipe(yaml.Lookup("image"))))
	for _, want := range []string{"tags: " + image + ":${{ github.ref_name }}", "tags: " + image + "-argocd:${{ github.ref_name }}", "target: argocd-sidecar", "VERSION=${{ github.ref_name }}"} {
		if !strings.Contains(images, want) {
			t.Errorf("the images job lacks %q", want)
		}
	}
	if strings.Count(images, "platforms: linux/amd64,linux/arm64") != 2 {
		t.Errorf("both images are not built for amd64 and arm64")
	}
	if !strings.Contains(str("jobs", "binaries", "steps"), "bash scripts/release-build.sh \"$GITHUB_REF_NAME\"") {
		t.Errorf("the binaries job does not run scripts/release-build.sh")
	}
}

func must(n *yaml.RNode, err error) *yaml.RNode {
	if err != nil {
		panic(err)
	}
	return n
}

// The workflow's build step, run as the workflow runs it: both binaries, with
// checksums, and the tag as the version --version prints.
func TestReleaseBuild(t *testing.T) {
	v := releaseVersion(t)
	out := t.TempDir()
	for _, arch := range []string{"amd64", "arm64"} {
		mustRun(t, repoRoot, nil, "bash", "scripts/release-build.sh", v, arch, out)
		bin := filepath.Join(out, "kubevirt-networks-linux-"+arch)
		b, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		machine := map[string]uint16{"amd64": 62, "arm64": 183}[arch]
		if !bytes.HasPrefix(b, []byte("\x7fELF")) || binary.LittleEndian.Uint16(b[18:20]) != machine {
			t.Errorf("%s is not a linux/%s binary", bin, arch)
		}
		if _, err := os.Stat(bin + ".sha256"); err != nil {
			t.Errorf("no checksum for %s", arch)
		}
	}
	r := mustRun(t, repoRoot, nil, filepath.Join(out, "kubevirt-networks-linux-amd64"), "--version")
	if strings.TrimSpace(r.stdout) != "kubevirt-networks "+v {
		t.Errorf("--version says %q, want the tag %s", r.stdout, v)
	}
	if r := run(t, repoRoot, nil, "bash", "scripts/release-build.sh", "latest", "amd64", out); r.code != 2 {
		t.Errorf("a tag that is no version: exit %d", r.code)
	}
}

// Every image reference the project publishes names the version VERSION holds;
// the license file is the one metadata.yaml and the image label name.
func TestReleaseNamesAgree(t *testing.T) {
	v := releaseVersion(t)
	ref := regexp.MustCompile(`ghcr\.io/kubevirt-networks/kubevirt-networks(-argocd)?:(v[0-9][^\s"'` + "`" + `]*)`)
	var seen []string
	for _, f := range []string{"README.md", "examples/argocd/repo-server-patch.yaml", "examples/kustomize/container/vm-networks.yaml", "examples/kpt/vms/Kptfile"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			continue
		}
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			seen = append(seen, f)
			if m[2] != v {
				t.Errorf("%s names %s, but VERSION is %s", f, m[0], v)
			}
		}
	}
	if !slices.Contains(seen, "README.md") || !slices.Contains(seen, "examples/argocd/repo-server-patch.yaml") {
		t.Errorf("the README and the repo-server patch should name the released images: found in %v", seen)
	}
	license, err := os.ReadFile(filepath.Join(repoRoot, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	meta, _ := os.ReadFile(filepath.Join(repoRoot, "metadata.yaml"))
	docker, _ := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if !strings.Contains(string(license), "Apache License") || !strings.Contains(string(license), "Version 2.0, January 2004") ||
		!strings.Contains(string(meta), "license: Apache-2.0") || !strings.Contains(string(docker), `licenses="Apache-2.0"`) {
		t.Errorf("LICENSE, metadata.yaml and the image label do not name one license")
	}
}
