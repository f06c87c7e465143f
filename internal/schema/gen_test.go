package schema

// The tables are generated:
//
//	go test ./internal/schema -run 'TestConfigTableIsCurrent|TestKubeVirtTablesAreCurrent' -update
//
// rewrites zz_config.go from fn/api, and zz_kubevirt_v1_N.go from kubevirt.io/api
// at each release (kubevirtgen, with that release's go.mod in tools/kubevirt-api).

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema/shapes"
)

var update = flag.Bool("update", false, "rewrite the generated tables")

func compareOrUpdate(t *testing.T, file string, want []byte, how string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: %s", file, how)
	}
}

// zz_config.go must be what fn/api declares.
func TestConfigTableIsCurrent(t *testing.T) {
	g := shapes.Generator{
		Preserve: func(t reflect.Type, root bool) bool { return t == reflect.TypeOf(metav1.ObjectMeta{}) && !root },
		Opaque:   shapes.DecodesItself,
	}
	roots := []shapes.Root{
		{Key: api.KindVMNetwork, T: reflect.TypeOf(api.VMNetwork{})},
		{Key: api.KindVMNetworks, T: reflect.TypeOf(api.VMNetworks{})},
		// The network spec on its own, for the function config's inline networks.
		{Key: "NetworkSpec", T: reflect.TypeOf(api.NetworkSpec{})},
	}
	src := "// Code generated from fn/api by internal/schema's TestConfigTableIsCurrent; DO NOT EDIT.\n\npackage schema\n\n" +
		g.Source("configTable", roots)
	want, err := format.Source([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	compareOrUpdate(t, "zz_config.go", want, "go test ./internal/schema -run TestConfigTableIsCurrent -update")
}

// zz_kubevirt_v1_N.go must be what kubevirt.io/api declares at v1.N.0, as
// kubevirtgen writes it. It builds the generator once per release (the Go module
// proxy serves each kubevirt.io/api version by its exact name).
func TestKubeVirtTablesAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator against six kubevirt.io/api releases")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := filepath.Glob(filepath.Join(root, "tools", "kubevirt-api", "v1.*.mod"))
	if err != nil || len(mods) == 0 {
		t.Fatalf("no release go.mod files in tools/kubevirt-api: %v", err)
	}
	var releases []int
	for _, mod := range mods {
		release := strings.TrimSuffix(filepath.Base(mod), ".mod")
		var minor int
		if _, err := fmt.Sscanf(release, "v1.%d", &minor); err != nil {
			t.Fatalf("%s: %v", mod, err)
		}
		releases = append(releases, minor)
		t.Run(release, func(t *testing.T) {
			args := []string{"run", "-modfile=" + mod}
			if minor >= 7 { // pool.kubevirt.io/v1beta1 exists from v1.7
				args = append(args, "-tags", "pool_v1beta1")
			}
			args = append(args, "./internal/schema/kubevirtgen", release)
			cmd := exec.Command("go", args...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			}
			compareOrUpdate(t, fmt.Sprintf("zz_kubevirt_v1_%d.go", minor), out,
				"go test ./internal/schema -run TestKubeVirtTablesAreCurrent -update")
		})
	}
	if got := KubeVirtReleases(); !reflect.DeepEqual(got, releases) && !*update {
		t.Errorf("tables compiled in for %v, release go.mod files for %v", got, releases)
	}
}
