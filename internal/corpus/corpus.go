// Package corpus gives tests inputs nobody on this project wrote, from where any
// user can get them: KubeVirt's own example manifests, read in place from the
// kubevirt.io/kubevirt Go module at a pinned version (never copied into the
// repository).
package corpus

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// KubeVirtModule is the release whose examples/ the tests read: the one whose
// API (kubevirt.io/api) the function is built against.
const KubeVirtModule = "kubevirt.io/kubevirt@v1.9.0"

// KubeVirtExamples returns the paths of KubeVirt's example manifests, downloading
// the module into Go's module cache if needed. Without the Go module proxy the
// test skips, and with CI=true it fails instead.
func KubeVirtExamples(t testing.TB) []string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", KubeVirtModule).Output()
	var mod struct{ Dir, Error string }
	if err == nil {
		err = json.Unmarshal(out, &mod)
	}
	files, _ := filepath.Glob(filepath.Join(mod.Dir, "examples", "*.yaml"))
	if err != nil || mod.Error != "" || len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("KubeVirt's examples from %s: %v %s (%d files)", KubeVirtModule, err, mod.Error, len(files))
		}
		t.Skipf("KubeVirt's examples from %s are not to be had here: %v %s", KubeVirtModule, err, mod.Error)
	}
	return files
}
