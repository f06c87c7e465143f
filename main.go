// Command kubevirt-networks is a KRM function that makes KubeVirt VM networking
// correct by construction: it derives Multus NetworkAttachmentDefinitions from
// network declarations and rewrites VM networks and interfaces to match. It reads
// a ResourceList (kustomize, kpt, Argo CD) or a plain YAML stream (Helm
// post-renderers, kubectl pipes) on stdin.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/internal/kbuild"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "kustomize" {
		os.Exit(runKustomize(os.Args[2:]))
	}
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
		case "--validate":
			opts.Validate = true
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
// no longer follows the input's size. A stream holds its whole output until the
// end (nothing is written if an error result exists) beside its input: twice as
// much again, or the collector runs without end. GOGC or GOMEMLIMIT in the
// environment win. BENCHMARKS.md has the measurements.
func memoryBudget(input int64, stream bool) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(150)
	factor := int64(2)
	if stream {
		factor = 4
	}
	debug.SetMemoryLimit(16<<20 + factor*min(input, 48<<20))
}

// runKustomize is `kubevirt-networks kustomize [DIR] [--kustomize BIN]`: the
// build an Argo CD plugin or a CI job runs, without kustomize's exec plumbing
// where that gives the same output (internal/kbuild).
func runKustomize(args []string) int {
	dir, bin, validate := ".", os.Getenv("KUSTOMIZE"), false
	if bin == "" {
		bin = "kustomize"
	}
	for i := 0; i < len(args); i++ {
		arg, value, hasValue := strings.Cut(args[i], "=")
		switch {
		case arg == "--kustomize" && hasValue:
			bin = value
		case arg == "--kustomize" && i+1 < len(args):
			i++
			bin = args[i]
		case arg == "--help" || arg == "-h":
			fmt.Print(kustomizeUsage)
			return 0
		case arg == "--validate":
			validate = true
		case !strings.HasPrefix(arg, "-"):
			dir = args[i]
		default:
			fmt.Fprintf(os.Stderr, "error: kustomize: unknown argument %q (see kubevirt-networks kustomize --help)\n", args[i])
			return 2
		}
	}
	plan, err := kbuild.Make(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	if !plan.Fast && !validate {
		fmt.Fprintf(os.Stderr, "kubevirt-networks: building %s with kustomize's exec functions: %s\n", dir, plan.Why)
		return exitCode(plan.Build(bin, os.Stdout, os.Stderr))
	}
	if !plan.Fast {
		// A gate checks what the fast build reads; where it cannot be used, the
		// plain build is the answer (the function runs inside it, in fix mode).
		fmt.Fprintf(os.Stderr, "error: %s cannot be validated apart from its build: %s; run kustomize build %s --enable-alpha-plugins --enable-exec with spec.mode: validate instead\n", dir, plan.Why, dir)
		return 1
	}
	var built bytes.Buffer
	if err := plan.Build(bin, &built, os.Stderr); err != nil {
		return exitCode(err)
	}
	opts := fn.Options{Form: resourcelist.StreamForm, Config: plan.Config, OnInputRead: memoryBudget, Validate: validate}
	return fn.RunWith(opts, &built, os.Stdout, os.Stderr)
}

// exitCode is a command's exit code: its own, or 1 when it could not run.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	fmt.Fprintf(os.Stderr, "error: %v\n", err)
	return 1
}

const kustomizeUsage = `kubevirt-networks kustomize [DIR] [--kustomize BIN] [--validate]

Builds the kustomization in DIR (default .) whose last transformer is this
function, without kustomize's exec plumbing: kustomize builds the tree with the
function's transformer left out (and the VMNetwork items kept), then the
function runs on that output with the transformer's VMNetworks as its config.
The objects are the ones "kustomize build DIR --enable-alpha-plugins
--enable-exec" writes; the NADs the function adds come after kustomize's
objects. Where the result could differ (the function at another level of the
tree, a transformer after it, a namePrefix or nameSuffix), it runs that plain
build instead and says why on stderr. BIN is the kustomize binary (default:
$KUSTOMIZE, else kustomize on PATH). With --validate the function changes
nothing and every fix it would make is an error: a gate for CI (Flux users
render in CI, see the README). Exit code: kustomize's when it fails, else the
function's.
`
