// Command genfleet writes a synthetic fleet of KubeVirt VMs (internal/fleet) for
// scripts/bench.sh: a ResourceList in kpt's layout, or a package of manifests.
//
//	go run ./bench/genfleet --vms 10000 --out /tmp/rl-10k.yaml
//	go run ./bench/genfleet --vms 1000 --pkg-dir /tmp/pkg-1k
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fleet"
)

func main() {
	vms := flag.Int("vms", 10000, "how many VMs")
	seed := flag.Uint64("seed", 42, "the random seed (the same seed, the same fleet)")
	out := flag.String("out", "", "write the ResourceList here instead of stdout")
	pkg := flag.String("pkg-dir", "", "write a package (vms.yaml, networks.yaml) here instead")
	flag.Parse()
	o := fleet.Options{VMs: *vms, Seed: *seed}
	var err error
	switch {
	case *pkg != "":
		err = fleet.WritePackage(*pkg, o)
	case *out != "":
		var f *os.File
		if f, err = os.Create(*out); err == nil {
			err = fleet.WriteResourceList(f, o)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	default:
		err = fleet.WriteResourceList(os.Stdout, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfleet:", err)
		os.Exit(1)
	}
}
