package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
)

// The quick start's output (the README's first command) is the one next to it in
// .expected/, stdout and stderr; UPDATE_GOLDEN=1 rewrites them (review the diff).
// The other examples are run by their tools in ./integration.
func TestQuickstartExample(t *testing.T) {
	dir := filepath.Join("examples", "quickstart")
	in, err := os.ReadFile(filepath.Join(dir, "resourcelist.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := fn.Run(bytes.NewReader(in), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for file, got := range map[string][]byte{"output.yaml": stdout.Bytes(), "stderr.txt": stderr.Bytes()} {
		path := filepath.Join(dir, ".expected", file)
		if os.Getenv("UPDATE_GOLDEN") == "1" {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%s differs from %s:\n%s", file, path, got)
		}
	}
}
