// Command kubevirt-networks is a KRM function that makes KubeVirt VM networking
// correct by construction: it derives Multus NetworkAttachmentDefinitions from
// network declarations and rewrites VM networks and interfaces to match. It reads
// a ResourceList (kustomize, kpt, Argo CD) or a plain YAML stream (Helm
// post-renderers, kubectl pipes) on stdin.
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
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
			return flagValue(args, &i, arg, value, hasValue, false, "error: %s needs a value (see --help)\n")
		}
		switch arg {
		case "--help", "-h", "help":
			fmt.Print(usage)
			return opts, 0
		case "--version", "version":
			fmt.Println("kubevirt-networks " + moduleVersion())
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
		case "--kubevirt-version":
			v, ok := takeValue()
			if !ok {
				return opts, 2
			}
			m, err := release.Parse(v)
			if err != nil {
				fmt.Fprintf(os.Stderr, "error: --kubevirt-version: %v\n", err)
				return opts, 2
			}
			opts.KubeVirtVersion = m
		default:
			fmt.Fprintf(os.Stderr, "error: unknown argument %q; the function reads a ResourceList or a YAML stream on stdin (see --help)\n", args[i])
			return opts, 2
		}
	}
	return opts, -1
}

// flagValue is flag arg's value: written after '=', else the next argument
// (not one that starts with '-' where notFlag), which it consumes. Missing, it
// says so on stderr with missing (a format naming the flag) and returns false.
func flagValue(args []string, i *int, arg, value string, hasValue, notFlag bool, missing string) (string, bool) {
	if hasValue {
		return value, true
	}
	if *i+1 < len(args) && !(notFlag && strings.HasPrefix(args[*i+1], "-")) {
		*i++
		return args[*i], true
	}
	fmt.Fprintf(os.Stderr, missing, arg)
	return "", false
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

// runKustomize is `kubevirt-networks kustomize [DIR] [flags]`: the build an
// Argo CD plugin or a CI job runs (internal/kbuild).
func runKustomize(args []string) int {
	o := kbuild.Options{Dir: "."}
	var validate, discover bool
	namespace, namespaceFrom := os.Getenv("ARGOCD_APP_NAMESPACE"), "ARGOCD_APP_NAMESPACE (the Argo CD application's destination)"
	for i := 0; i < len(args); i++ {
		arg, value, hasValue := strings.Cut(args[i], "=")
		takeValue := func() (string, bool) {
			return flagValue(args, &i, arg, value, hasValue, true, "error: kustomize: %s needs a value (see kubevirt-networks kustomize --help)\n")
		}
		var ok = true
		switch arg {
		case "--help", "-h":
			fmt.Print(kustomizeUsage)
			return 0
		case "--validate":
			validate = true
		case "--discover":
			discover = true
		case "--allow-functions":
			o.AllowFunctions = true
		case "--enable-helm":
			o.EnableHelm = true
		case "--helm-command":
			o.HelmCommand, ok = takeValue()
		case "--load-restrictor":
			o.LoadRestrictor, ok = takeValue()
		case "--namespace", "-n":
			namespace, ok = takeValue()
			namespaceFrom = "--namespace"
		case "--kustomize":
			// Before kustomize was linked in, this named its binary.
			if _, ok = takeValue(); ok {
				fmt.Fprintf(os.Stderr, "kubevirt-networks: --kustomize is ignored: the build is the kustomize linked into this binary\n")
			}
		default:
			if strings.HasPrefix(arg, "-") {
				fmt.Fprintf(os.Stderr, "error: kustomize: unknown argument %q (see kubevirt-networks kustomize --help)\n", args[i])
				return 2
			}
			o.Dir = args[i]
		}
		if !ok {
			return 2
		}
	}
	if discover {
		if found, err := kbuild.Discover(o.Dir); err != nil {
			fmt.Fprintf(os.Stderr, "error: %v\n", err)
			return 1
		} else if found {
			fmt.Println(o.Dir)
		}
		return 0
	}
	if namespace != "" {
		if errs := names.DNS1123Label(namespace); len(errs) > 0 {
			fmt.Fprintf(os.Stderr, "error: %s %q is not a namespace name: %s\n", namespaceFrom, namespace, strings.Join(errs, "; "))
			return 2
		}
		o.SelfArgs = append(o.SelfArgs, "--namespace", namespace)
	}
	if validate {
		o.SelfArgs = append(o.SelfArgs, "--validate")
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	o.Self = self
	o.Say = func(s string) { fmt.Fprintf(os.Stderr, "kubevirt-networks: %s\n", s) }
	kbuild.InputKinds = fn.InputKinds
	res, err := kbuild.Build(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	switch {
	case !res.Fast:
		return write(res.Objects)
	case res.Config == nil:
		fmt.Fprintf(os.Stderr, "kubevirt-networks: %s configures no kubevirt-networks transformer; this is kustomize's build as it is\n", o.Dir)
		return write(res.Objects)
	}
	var out bytes.Buffer
	opts := fn.Options{Form: resourcelist.StreamForm, Config: res.Config, OnInputRead: memoryBudget, Validate: validate,
		Namespace: namespace, NamespaceFrom: namespaceFrom, DropLocalConfig: true}
	if code := fn.RunWith(opts, bytes.NewReader(res.Objects), &out, os.Stderr); code != 0 {
		return code
	}
	final, err := kbuild.Finish(out.Bytes(), res.Stamp)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	return write(final)
}

func write(b []byte) int {
	if _, err := os.Stdout.Write(b); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	return 0
}

// moduleVersion is the version a release build sets (-ldflags -X
// main.version=…), else the module version Go recorded (go install …@vX.Y.Z),
// else "dev" with the commit, where the build recorded one.
func moduleVersion() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return version + "+" + s.Value[:12]
		}
	}
	return version
}

const kustomizeUsage = `kubevirt-networks kustomize [DIR] [flags]

Builds the kustomization in DIR (default .) as "kustomize build DIR
--enable-alpha-plugins --enable-exec" would with the function as a transformer,
without kustomize's exec plumbing: kustomize (linked in) builds the tree with
the function's transformer skipped, then the function runs on that output.
Where that could give other objects (the function below the root or run twice,
a transformer after it), the tree is built with the function inside kustomize's
build instead, and stderr says why. Either way the program that runs for the
function's config is this binary, whatever the config names.

It never reads a file that kustomize build DIR would refuse, and never runs a
program or image the repository names: a tree that configures another KRM
function (exec or container) fails, naming it, unless --allow-functions is given.

Flags:
  --load-restrictor R  kustomize's load restrictor: LoadRestrictionsRootOnly
                       (default) or LoadRestrictionsNone
  --allow-functions    let the tree's other KRM functions run, as kustomize's
                       --enable-exec does (an admin's opt-in: see the README)
  --enable-helm        kustomize's --enable-helm (helmCharts); --helm-command
                       CMD names the helm binary (default helm)
  -n, --namespace NS   the namespace of namespace-less objects (default:
                       $ARGOCD_APP_NAMESPACE, which Argo CD sets)
  --validate           change nothing; every fix the function would make is an
                       error (a gate for CI)
  --discover           print DIR if its kustomization lists the function as a
                       transformer (Argo CD's discovery), else nothing
  -h, --help           this text

Exit code: 0 on success, 1 when the build or the function fails, 2 for a
usage error.
`
