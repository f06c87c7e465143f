package kbuild

import (
	"os"
	"path/filepath"
	"testing"
)

// Discovery matches exactly the apps whose root kustomization lists the
// function as a transformer, reading nothing outside the app.
func TestDiscover(t *testing.T) {
	dir := tree(t, map[string]string{
		"file/kustomization.yaml":      "transformers: [vm-networks.yaml]\n",
		"file/vm-networks.yaml":        marker,
		"named/kustomization.yaml":     "transformers: [fns/net-config.yaml]\n",
		"named/fns/net-config.yaml":    marker,
		"inline/kustomization.yml":     "transformers:\n- |-\n" + indentLines(marker, "  "),
		"resource/kustomization.yaml":  "resources: [vm-networks.yaml]\n",
		"resource/vm-networks.yaml":    marker,
		"base-only/kustomization.yaml": "resources: [../file]\n",
		"outside/kustomization.yaml":   "transformers: [../file/vm-networks.yaml]\n",
		"two/kustomization.yaml":       "transformers: [vm-networks.yaml]\n",
		"two/kustomization.yml":        "transformers: [vm-networks.yaml]\n",
		"two/vm-networks.yaml":         marker,
		"none/vm-networks.yaml":        marker,
		"other/kustomization.yaml":     "transformers: [t.yaml]\n",
		"other/t.yaml":                 otherExec,
	})
	if err := os.Symlink(filepath.Join(dir, "file", "vm-networks.yaml"), filepath.Join(dir, "other", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "other", "kustomization.yaml"), []byte("transformers: [t.yaml, link.yaml]\n"), 0o644)
	for app, want := range map[string]bool{
		"file": true, "named": true, "inline": true,
		"resource": false, "base-only": false, "outside": false, "two": false, "none": false,
		"other":   false, // a link out of the app is not followed
		"missing": false,
	} {
		if got, err := Discover(filepath.Join(dir, app)); err != nil || got != want {
			t.Errorf("Discover(%s) = %v, %v; want %v", app, got, err, want)
		}
	}
}
