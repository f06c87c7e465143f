// Command kubevirt-networks is a KRM function that makes KubeVirt VM networking
// correct by construction: it derives Multus NetworkAttachmentDefinitions from
// VMNetwork config items and rewrites VM networks and interfaces to match.
package main

import (
	"fmt"
	"os"

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
	os.Exit(fn.Run(os.Stdin, os.Stdout, os.Stderr))
}
