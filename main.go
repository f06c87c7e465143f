// Command kubevirt-networks is a KRM function that makes KubeVirt VM networking
// correct by construction: it derives Multus NetworkAttachmentDefinitions from
// VMNetwork config items and rewrites VM networks and interfaces to match.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	for _, arg := range os.Args[1:] {
		switch arg {
		case "--help", "-h", "help":
			fmt.Print(usage)
			return
		case "--version", "version":
			fmt.Println("kubevirt-networks " + version)
			return
		default:
			fmt.Fprintf(os.Stderr, "error: unknown argument %q; the function reads a ResourceList on stdin (see --help)\n", arg)
			os.Exit(2)
		}
	}
	fn.OnInputRead = memoryBudget
	os.Exit(fn.Run(os.Stdin, os.Stdout, os.Stderr))
}

// memoryBudget lets the heap grow to 2.5 times what is live between collections
// (GOGC 150: fewer collections of the many short-lived YAML trees), but caps the
// Go runtime's memory at 16 MiB plus twice the input, so that freed pages go back
// to the system instead of raising the peak. The live heap (the items not yet
// written and the results) stays well below that. GOGC or GOMEMLIMIT in the
// environment win. BENCHMARKS.md has the measurements.
func memoryBudget(input int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(16<<20 + 2*input)
}
