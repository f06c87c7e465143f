package fn

import (
	"bytes"
	"cmp"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// Options are how the function was called (main's flags).
type Options struct {
	// Form forces the input's form; by default it is read from the input.
	Form resourcelist.Form
	// Config is a function config given apart from the input (--config FILE): the
	// config of a plain stream, which has no functionConfig of its own.
	Config []byte
	// Report, when set, also gets every warning and error line: where stderr is
	// lost (Helm 4 post-renderer plugins) or kept apart (CI).
	Report io.Writer
	// Namespace is where objects without a namespace land (--namespace), and
	// NamespaceFrom who said so ("--namespace" when empty).
	Namespace, NamespaceFrom string
	// DropLocalConfig: see Given.DropLocalConfig.
	DropLocalConfig bool
	// HelmNamespace is Helm's HELM_NAMESPACE, the release namespace, which Helm
	// gives a post-renderer: read only for a plain stream (what Helm pipes).
	HelmNamespace string
	// OnInputRead, when set, learns the input's size before any item is
	// processed (main sizes the garbage collector's budget with it).
	OnInputRead func(bytes int64, stream bool)
	// GoYAMLOnly reads and writes with go-yaml alone, never the fast path: tests
	// hold the two to the same output.
	GoYAMLOnly bool
	// Validate runs in validate mode whatever the config says (--validate): a
	// gate over a build changes nothing and fails on every fix it would make.
	Validate bool
	// KubeVirtVersion is the release the output is for (--kubevirt-version; 0: unstated).
	KubeVirtVersion release.Minor
}

// Run reads a ResourceList from stdin, runs the function, writes the output
// ResourceList to stdout and every warning and error to stderr. It returns the
// exit code: 1 iff an error result exists (or the input cannot be read).
func Run(stdin io.Reader, stdout, stderr io.Writer) int {
	return RunWith(Options{}, stdin, stdout, stderr)
}

// RunWith is Run as main calls it: a ResourceList or a plain YAML stream on stdin.
// A stream's output is the stream, with new NADs appended, written only if no
// error result exists (so Helm stops instead of installing half-fixed manifests);
// its results go to stderr only.
func RunWith(opts Options, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic is a bug; it must still end as a clear error, never a stack dump
		// in an orchestrator's log.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "error: internal error: %v; please report it with the input that caused it\n", p)
			code = 1
		}
	}()
	// Before the results exist, what goes wrong goes to both; after, stderr gets
	// the warnings and errors, the report file every result, both the summary.
	early := stderr
	if opts.Report != nil {
		early = io.MultiWriter(stderr, opts.Report)
	}
	var fc *yaml.Node
	if opts.Config != nil {
		var err error
		if fc, err = readConfigFile(opts.Config); err != nil {
			fmt.Fprintf(early, "error: --config: %v\n", err)
			return 1
		}
	}
	// The readers see every line break as a line feed; the output gets the input's back.
	stdin, breaks := yamllex.TeeBreaks(stdin)
	rl, err := resourcelist.ReadWith(stdin, resourcelist.Options{Form: opts.Form, GoYAMLOnly: opts.GoYAMLOnly})
	if err != nil {
		fmt.Fprintf(early, "error: %v\n", err)
		return 1
	}
	if fc != nil && !rl.Stream() && rl.FunctionConfig != nil {
		fmt.Fprintf(early, "error: --config gives a function config, and so does the ResourceList; keep one\n")
		return 1
	}
	if opts.OnInputRead != nil {
		opts.OnInputRead(rl.Size, rl.Stream())
	}
	given := Given{FunctionConfig: fc, Validate: opts.Validate, KubeVirtVersion: opts.KubeVirtVersion, DropLocalConfig: opts.DropLocalConfig}
	switch {
	case opts.Namespace != "":
		given.Namespace, given.NamespaceFrom = opts.Namespace, cmp.Or(opts.NamespaceFrom, "--namespace")
	case opts.HelmNamespace != "" && rl.Stream():
		given.Namespace, given.NamespaceFrom = opts.HelmNamespace, "HELM_NAMESPACE (Helm's release namespace)"
	}
	out := breaks.Writer(stdout)
	rep, err := Render(rl, given, resourcelist.NewWriter(out, rl))
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		fmt.Fprintf(early, "error: %v\n", err)
		return 1
	}
	summary := rep.Summary + "\n"
	if err := rep.WriteStderr(stderr); err != nil {
		return 1
	}
	if _, err := io.WriteString(stderr, summary); err != nil {
		return 1
	}
	if opts.Report != nil {
		if rep.WriteAll(opts.Report) != nil {
			return 1
		}
		if _, err := io.WriteString(opts.Report, summary); err != nil {
			return 1
		}
	}
	if rep.HasErrors() {
		return 1
	}
	return 0
}

// readConfigFile reads a --config file: one VMNetworks object (YAML or JSON).
func readConfigFile(b []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not YAML: %v", err)
	}
	var next yaml.Node
	if dec.Decode(&next) != io.EOF {
		return nil, fmt.Errorf("holds more than one YAML document; give one VMNetworks")
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("is not an object; give a kubevirt-networks.io/v1alpha1 VMNetworks")
	}
	return doc.Content[0], nil
}
