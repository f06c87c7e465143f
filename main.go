// Command kubevirt-networks is a KRM function that makes KubeVirt VM networking
// correct by construction: it derives Multus NetworkAttachmentDefinitions from
// network declarations and rewrites VM networks and interfaces to match. It reads
// a ResourceList (kustomize, kpt, Argo CD) or a plain YAML stream (Helm
// post-renderers, kubectl pipes) on stdin.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	opts, code := parseArgs(os.Args[1:])
	if code >= 0 {
		os.Exit(code)
	}
	opts.HelmNamespace = os.Getenv("HELM_NAMESPACE")
	opts.OnInputRead = memoryBudget
	os.Exit(fn.RunWith(opts, os.Stdin, os.Stdout, os.Stderr))
}

// parseArgs reads the flags; code is the exit code when the run ends here (-1: go on).
func parseArgs(args []string) (opts fn.Options, code int) {
	for i := 0; i < len(args); i++ {
		arg, value, hasValue := strings.Cut(args[i], "=")
		takeValue := func() (string, bool) {
			if hasValue {
				return value, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			fmt.Fprintf(os.Stderr, "error: %s needs a value (see --help)\n", arg)
			return "", false
		}
		switch arg {
		case "--help", "-h", "help":
			fmt.Print(usage)
			return opts, 0
		case "--version", "version":
			fmt.Println("kubevirt-networks " + version)
			return opts, 0
		case "--stream":
			opts.Form = resourcelist.StreamForm
		case "--resource-list":
			opts.Form = resourcelist.ResourceListForm
		case "--config":
			file, ok := takeValue()
			if !ok {
				return opts, 2
			}
			b, err := os.ReadFile(file)
			if err != nil {
				fmt.Fprintf(os.Stderr, "error: --config: %v\n", err)
				return opts, 2
			}
			opts.Config = b
		case "--report":
			file, ok := takeValue()
			if !ok {
				return opts, 2
			}
			f, err := os.Create(file)
			if err != nil {
				fmt.Fprintf(os.Stderr, "error: --report: %v\n", err)
				return opts, 2
			}
			opts.Report = f
		case "--namespace", "-n":
			ns, ok := takeValue()
			if !ok {
				return opts, 2
			}
			if errs := names.DNS1123Label(ns); len(errs) > 0 {
				fmt.Fprintf(os.Stderr, "error: --namespace %q is not a namespace name: %s\n", ns, strings.Join(errs, "; "))
				return opts, 2
			}
			opts.Namespace = ns
		default:
			fmt.Fprintf(os.Stderr, "error: unknown argument %q; the function reads a ResourceList or a YAML stream on stdin (see --help)\n", args[i])
			return opts, 2
		}
	}
	return opts, -1
}

// memoryBudget lets the heap grow to 2.5 times what is live between collections
// (GOGC 150: fewer collections of the many short-lived YAML trees), but caps the
// Go runtime's memory at 16 MiB plus twice the input, so that freed pages go back
// to the system instead of raising the peak; past 48 MiB of input the cap stops
// growing, since the reader then holds further items deflated and what stays live
// no longer follows the input's size. GOGC or GOMEMLIMIT in the environment win.
// BENCHMARKS.md has the measurements.
func memoryBudget(input int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(16<<20 + 2*min(input, 48<<20))
}
