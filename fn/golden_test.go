package fn_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Goldens are reviewed, never blindly regenerated: `go test ./fn -update` rewrites
// them, and `git diff testdata` is then read line by line before committing.
var update = flag.Bool("update", false, "rewrite the golden files of testdata/ from the actual output")

const testdataDir = "../testdata"

func TestGolden(t *testing.T) {
	cases, err := os.ReadDir(testdataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases in testdata/")
	}
	for _, c := range cases {
		if !c.IsDir() {
			t.Errorf("testdata/%s: every entry of testdata/ is a case folder", c.Name())
			continue
		}
		t.Run(c.Name(), func(t *testing.T) { runGolden(t, filepath.Join(testdataDir, c.Name())) })
	}
}

// goldenInput is one golden case's input.
type goldenInput struct {
	name  string
	input []byte
}

// goldenInputs reads every golden case's input.yaml, for the tests that run them another way.
func goldenInputs(t testing.TB) []goldenInput {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(testdataDir, "*", "input.yaml"))
	if len(paths) == 0 {
		t.Fatal("no golden inputs")
	}
	out := make([]goldenInput, 0, len(paths))
	for _, path := range paths {
		input, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goldenInput{filepath.Base(filepath.Dir(path)), input})
	}
	return out
}

func runGolden(t *testing.T, dir string) {
	input, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(input, []byte("# ")) {
		t.Errorf("input.yaml must start with a comment line saying what the case shows")
	}
	var stdout, stderr bytes.Buffer
	code := fn.Run(bytes.NewReader(input), &stdout, &stderr)

	if *update {
		writeGolden(t, filepath.Join(dir, "expected.yaml"), stdout.Bytes())
		writeGolden(t, filepath.Join(dir, "expected-stderr.txt"), stderr.Bytes())
		return
	}
	compareGolden(t, filepath.Join(dir, "expected.yaml"), stdout.Bytes())
	compareGolden(t, filepath.Join(dir, "expected-stderr.txt"), stderr.Bytes())

	wantCode := 0
	if hasSeverity(t, stdout.Bytes(), "error") {
		wantCode = 1
	}
	if code != wantCode {
		t.Errorf("exit code %d, want %d (1 iff an error result exists)", code, wantCode)
	}
	checkSecondRun(t, stdout.Bytes())
}

// checkSecondRun feeds the output back in: nothing may change the second time.
func checkSecondRun(t *testing.T, first []byte) {
	t.Helper()
	var again, stderr bytes.Buffer
	fn.Run(bytes.NewReader(first), &again, &stderr)
	if a, b := section(t, first, "items"), section(t, again.Bytes(), "items"); a != b {
		t.Errorf("second run changed the items:\n--- first\n%s\n--- second\n%s", a, b)
	}
	// The first run's results come back first (an earlier function's results
	// stay); the second run's own follow them.
	for _, r := range results(t, again.Bytes())[len(results(t, first)):] {
		// Validate mode reports what fix would do ("would …") on every run.
		if ynode.Str(ynode.Get(r, "tags"), "source") == "change" && ynode.Str(r, "severity") != "error" && !strings.HasPrefix(ynode.Str(r, "message"), "would ") {
			t.Errorf("second run reported a change: %s", ynode.Str(r, "message"))
		}
	}
}

func parse(t testing.TB, b []byte) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	return doc.Content[0]
}

func section(t *testing.T, b []byte, key string) string {
	t.Helper()
	n := ynode.Get(parse(t, b), key)
	if n == nil {
		return ""
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func results(t testing.TB, b []byte) []*yaml.Node {
	t.Helper()
	n := ynode.Get(parse(t, b), "results")
	if n == nil {
		return nil
	}
	return n.Content
}

func hasSeverity(t *testing.T, b []byte, sev string) bool {
	for _, r := range results(t, b) {
		if ynode.Str(r, "severity") == sev {
			return true
		}
	}
	return false
}

func writeGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if err := os.WriteFile(path, got, 0o644); err != nil {
		t.Fatal(err)
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with go test ./fn -update, then review it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output:\n%s", filepath.Base(path), lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first lines that differ, enough to see what changed.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want: %s\n  got:  %s\n", i+1, wl, gl)
			if shown++; shown >= 8 {
				break
			}
		}
	}
	return b.String()
}
