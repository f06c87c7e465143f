package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// Flags: a bad one ends the run with exit 2 before any input is read; good ones
// set the options.
func TestParseArgs(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vm-networks.yaml")
	if err := os.WriteFile(cfg, []byte("kind: VMNetworks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--bogus"}, 2},
		{[]string{"--config"}, 2},
		{[]string{"--config", filepath.Join(dir, "missing.yaml")}, 2},
		{[]string{"--report", filepath.Join(dir, "no", "such", "dir")}, 2},
		{[]string{"--help"}, 0},
		{[]string{"--version"}, 0},
		{[]string{"--stream", "--config", cfg}, -1},
		{[]string{"--resource-list", "--config=" + cfg, "--report=" + filepath.Join(dir, "report.txt")}, -1},
		{[]string{"--namespace", "Not_A_Namespace"}, 2},
		{[]string{"--namespace"}, 2},
	} {
		opts, code := parseArgs(tc.args)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d", tc.args, code, tc.code)
		}
		if code == -1 && (opts.Config == nil || opts.Form == resourcelist.Detect) {
			t.Errorf("%v: options not set: %+v", tc.args, opts)
		}
	}
}

// --namespace and -n name where namespace-less objects land.
func TestNamespaceFlag(t *testing.T) {
	for _, args := range [][]string{{"--namespace", "tenant-a"}, {"-n", "tenant-a"}, {"--namespace=tenant-a"}} {
		opts, code := parseArgs(args)
		if code != -1 || opts.Namespace != "tenant-a" {
			t.Errorf("%v: exit %d, namespace %q", args, code, opts.Namespace)
		}
	}
}
