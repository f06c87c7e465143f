package fn

import (
	"fmt"
	"slices"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Given is what the caller knows besides the input.
type Given struct {
	// FunctionConfig, when not nil, is the function config given apart from the
	// input (a stream's --config file).
	FunctionConfig *yaml.Node
	// Namespace, when set, is where namespace-less objects land, and
	// NamespaceFrom says who said so; it wins over spec.defaultNamespace.
	Namespace, NamespaceFrom string
	// Validate forces validate mode (--validate).
	Validate bool
	// KubeVirtVersion, when set, is the release the output is for
	// (--kubevirt-version); it wins over spec.cluster.kubevirtVersion.
	KubeVirtVersion release.Minor
	// DropLocalConfig leaves the local-config items the function reads (NADs,
	// declarations, cluster CRs) out of a stream's output after reading them:
	// the stream is a kustomize build's, which kept them for the function.
	DropLocalConfig bool
}

// Outcome is what a run found: its results, and the one line that sums them up.
type Outcome struct {
	*report.Report
	Summary string
}

// Render runs the function over a ResourceList (or a stream) and writes the
// output through w as items become ready. It returns the results; an error means
// an item cannot be read at all.
func Render(rl *resourcelist.ResourceList, given Given, w *resourcelist.Writer) (*Outcome, error) {
	rep, mode, err := render(rl, given, w)
	if err != nil {
		return nil, err
	}
	return &Outcome{Report: rep, Summary: summary(rep, mode == report.Validate, rl.Stream())}, nil
}

// summary is the last line of stderr in every mode and form: what changed (or
// would), and how many warnings and errors, so a change is never invisible.
func summary(rep *report.Report, validate, stream bool) string {
	vms := 0
	for kind, n := range rep.Changed() {
		if kind != api.NADKind && kind != api.KindVMNetwork {
			vms += n
		}
	}
	verb, derive, update, prune := "changed", "derived", "updated", "pruned"
	head := "kubevirt-networks"
	if validate {
		verb, derive, update, prune = "would change", "to derive", "to update", "to prune"
		head += " (validate)"
	}
	line := fmt.Sprintf("%s: %s %s; NADs: %d %s, %d %s, %d %s; %s, %s", head, plural(vms, "VM"), verb,
		rep.Count(nad.RuleNADCreated), derive, rep.Count(nad.RuleNADUpdated), update, rep.Count(nad.RuleNADPruned), prune,
		plural(rep.Warnings(), "warning"), plural(rep.Errors(), "error"))
	if stream && rep.HasErrors() {
		line += "; nothing written, as an error result exists"
	}
	return line
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// render runs the steps of a render, top-down: sort the input, read the
// configuration, fix and check the VMs, reconcile the NADs, finish the output.
func render(rl *resourcelist.ResourceList, given Given, w *resourcelist.Writer) (*report.Report, report.Mode, error) {
	rep := &report.Report{}
	in, err := gather(rl, given, w, rep)
	if err != nil {
		return nil, report.Fix, err
	}
	if listedAsGenerator(rl, in.fc) {
		rep.Warnf(RuleListedAsGenerator, nil, "", "the function got no objects but its own VMNetworks config, which is what kustomize hands a function listed under generators:; list the VMNetworks file under transformers: in the kustomization, so that the function sees the VMs")
	}
	cfg := configure(in, given, rep)
	if !cfg.Usable {
		return rep, report.Fix, passThrough(in, w, rep)
	}
	e := newEnv(cfg, in, rl)
	if err := e.markLocalConfig(rep, w, in.decls, in.declIndex); err != nil {
		return nil, e.mode, err
	}
	fleet, checked, err := e.runVMs(in.work, w, rep)
	if err != nil {
		return nil, e.mode, err
	}
	out, err := e.reconcileNADs(cfg, in, fleet, w, rep)
	if err != nil {
		return nil, e.mode, err
	}
	// The admission checks' results come after the NADs', then what only the
	// whole input shows.
	rep.Merge(checked)
	rep.Append(check.Fleet(fleet.guests))
	lintNADs(in.nads, out, rep)
	return rep, e.mode, e.finish(in, out, w, rep)
}

// inputs is the input sorted by what the function does with each item, each item
// classified once, here.
type inputs struct {
	fc                  *config.Item
	decls               []config.Item
	declIndex           []int
	nads                []*nad.Item
	nadIndex            []int
	inner               []*nad.Item // NADs inside containers: bindings come from them, never reconciled
	work                []workItem  // VMs, containers and everything else: to the workers
	known               facts
	configOnly          bool // a stream of nothing but network config, which is all left out
	givenFunctionConfig bool
}

// gather reads declarations, NADs and facts, which every VM step needs, and
// only classifies the rest.
func gather(rl *resourcelist.ResourceList, given Given, w *resourcelist.Writer, rep *report.Report) (*inputs, error) {
	functionConfig := given.FunctionConfig
	in := &inputs{configOnly: rl.Stream() && len(rl.Items) > 0, givenFunctionConfig: functionConfig != nil}
	switch {
	case functionConfig != nil:
		in.fc = &config.Item{Node: functionConfig, Obj: objectOf(functionConfig)}
	case rl.FunctionConfig != nil:
		in.fc = &config.Item{Node: rl.FunctionConfig, Obj: objectOf(rl.FunctionConfig)}
	}
	for i, it := range rl.Items {
		av, kind := it.Head()
		c, _ := classify(av, kind)
		if rl.Stream() && kind == api.KindVMNetworks && av == api.APIVersion {
			c = streamConfig
		}
		if c != streamConfig && (c != declaration || kind != api.KindVMNetwork) {
			in.configOnly = false
		}
		if c == vmKind || c == other {
			in.work = append(in.work, workItem{it, c})
			continue
		}
		node, err := it.Hold()
		if err != nil {
			return nil, err
		}
		if c == container {
			// Read now for the NADs and preferences inside; its VMs go to the workers.
			for _, o := range vm.Contents(node) {
				switch oc, _ := classify(ynode.Str(o, "apiVersion"), ynode.Str(o, "kind")); oc {
				case nadItem:
					in.inner = append(in.inner, nad.Read(o, within(o, objectOf(node))))
				case fact:
					in.known.read(o)
				}
			}
			in.work = append(in.work, workItem{it, c})
			continue
		}
		if given.DropLocalConfig && isLocalConfig(node) {
			w.Omit(i)
		}
		obj := objectOf(node)
		switch c {
		case malformed:
			rep.Errorf(RuleItemNoKind, nil, "", "%s (name %q) has no apiVersion or kind; it is passed through unchanged, but no orchestrator can apply it: add both", it.Label(), obj.Name)
			w.Keep(i)
		case nadItem:
			in.nads = append(in.nads, nad.Read(node, obj))
			in.nadIndex = append(in.nadIndex, i)
		case declaration:
			in.decls = append(in.decls, config.Item{Node: node, Obj: obj})
			in.declIndex = append(in.declIndex, i)
		case streamConfig:
			// A stream's VMNetworks is its function config (unless --config gave one),
			// and like every config item it is left out of the stream.
			if in.givenFunctionConfig {
				return nil, fmt.Errorf("the stream holds a VMNetworks function config (document %d) and --config gives another; keep one", i+1)
			}
			if in.fc != nil {
				return nil, fmt.Errorf("the stream holds more than one VMNetworks function config (document %d); keep one", i+1)
			}
			in.fc = &config.Item{Node: node, Obj: obj}
			w.Drop(i)
		case fact:
			in.known.read(node)
			w.Keep(i)
		}
	}
	return in, nil
}

// configure reads the configuration and lays over it what the input and the
// caller state about the cluster: its KubeVirt or HCO CR, the namespace objects
// without one land in.
func configure(in *inputs, given Given, rep *report.Report) config.Config {
	cfg := config.Load(in.fc, in.decls, in.known.namespaceLabels)
	rep.Append(cfg.Findings)
	if !cfg.Usable {
		return cfg
	}
	if given.Validate {
		cfg.Settings.Mode = api.ModeValidate
	}
	var fcObj *report.Object
	if in.fc != nil {
		fcObj = in.fc.Obj
	}
	// HCO writes the KubeVirt CR: where the input holds both, HCO's word is last.
	for _, hco := range []bool{false, true} {
		for _, cr := range in.known.clusterCRs {
			if (cr.Obj.Kind == config.KindHyperConverged) == hco {
				rep.Append(config.ApplyClusterCR(cr, &cfg.Settings.Cluster, fcObj))
			}
		}
	}
	rep.Append(config.ApplyReleaseSources(&cfg.Settings.Cluster, given.KubeVirtVersion, in.known.releases, fcObj))
	field := "spec.podNetwork.binding"
	if in.fc != nil && ynode.Str(in.fc.Node, "kind") == "ConfigMap" {
		field = "data.podBinding"
	}
	if b := config.ApplyRelease(&cfg.Settings, fcObj, field); len(b) > 0 {
		rep.Append(b)
		if b.HasErrors() {
			cfg.Usable = false
			return cfg
		}
	}
	if given.Namespace != "" {
		if d := cfg.Settings.DefaultNamespace; d != "" && d != given.Namespace && fcObj != nil {
			rep.Add(fcObj, report.Finding{Rule: config.RuleSettingsConflict, Field: "spec.defaultNamespace", Severity: krm.Warning,
				Message: fmt.Sprintf("spec.defaultNamespace is %q, but %s says %q, which wins: it is where this render's objects land", d, given.NamespaceFrom, given.Namespace)})
		}
		cfg.Settings.DefaultNamespace, cfg.Settings.DefaultNamespaceFrom = given.Namespace, given.NamespaceFrom
	}
	if ns := cfg.Settings.DefaultNamespace; ns != "" {
		for _, it := range slices.Concat(in.nads, in.inner) {
			if it.Namespace == "" {
				it.Namespace, it.Unstated = ns, true
			}
		}
	}
	return cfg
}

// passThrough writes everything as it came, when the configuration cannot be used.
func passThrough(in *inputs, w *resourcelist.Writer, rep *report.Report) error {
	rep.Errorf(config.RuleFunctionConfig, nil, "", "the function config has errors, so nothing was changed; fix them and run again")
	for _, i := range slices.Concat(in.declIndex, in.nadIndex) {
		w.Keep(i)
	}
	if err := (&env{}).eachItem(in.work, w, true, func(vmResult) {}); err != nil {
		return err
	}
	return w.Finish(nil, rep.Results(), true)
}

// newEnv is what every VM step reads: the settings, and the index references bind to.
func newEnv(cfg config.Config, in *inputs, rl *resourcelist.ResourceList) *env {
	e := &env{settings: cfg.Settings, aliases: rl.Aliases, facts: in.known, stream: rl.Stream()}
	if cfg.Settings.Mode == api.ModeValidate {
		e.mode = report.Validate
	}
	e.index = &bind.Index{Networks: cfg.Networks, NADs: in.inner}
	for _, it := range in.nads {
		if !it.Managed || !it.Declared(cfg.Networks) {
			e.index.NADs = append(e.index.NADs, it)
		}
		if p := it.PrimaryNetwork(); p != nil {
			e.index.Primaries = append(e.index.Primaries, p)
		}
	}
	e.macvtapPlugins = map[string]bool{api.DefaultMacvtapPluginName: true}
	for _, n := range cfg.Networks {
		if n.Spec.Type == api.TypeMacvtap {
			e.macvtapPlugins[n.Binding().Plugin] = true
		}
	}
	return e
}

// runVMs fixes and checks every VM on the workers. Each VM's results are folded
// into the report as soon as every VM before it is done, so a fleet's results are
// never all held; the admission checks' results fold apart (they are reported
// after the NADs').
func (e *env) runVMs(work []workItem, w *resourcelist.Writer, rep *report.Report) (*fleetFacts, *report.Report, error) {
	checked := &report.Report{}
	fleet := newFleetFacts()
	e.expandShared(work)
	err := e.eachItem(work, w, false, func(r vmResult) {
		rep.Append(r.planned)
		checked.Append(r.checked)
		fleet.add(r)
	})
	return fleet, checked, err
}

// reconcileNADs decides what the NAD items become and writes them.
func (e *env) reconcileNADs(cfg config.Config, in *inputs, fleet *fleetFacts, w *resourcelist.Writer, rep *report.Report) (nad.Outcome, error) {
	out := nad.Reconcile(nad.Wanted{Networks: cfg.Networks, Uses: fleet.uses(), Items: in.nads, Referenced: fleet.referenced, NADPath: e.settings.NADPath, Mode: e.mode, NoPaths: e.stream,
		MigrationNetwork: migrationNAD(e.settings.Cluster.MigrationNetwork)})
	// An update that would reach through an alias is refused: its error stands
	// where the update's result would have.
	refused := e.unshareUpdates(out)
	for _, r := range out.Results {
		if err, ok := refused[r.Obj]; ok && r.Rule == nad.RuleNADUpdated {
			rep.Add(r.Obj, aliasFinding(err, "spec", "the NAD is left as it is"))
			continue
		}
		rep.Add(r.Obj, r.Finding)
	}
	return out, e.writeNADs(w, out, refused, in.nads, in.nadIndex, rep)
}

// lintNADs checks every NAD of the input as it now stands. Managed NADs are
// linted too: a kept one may have been edited by hand, and an updated one is
// checked as it now is.
func lintNADs(nads []*nad.Item, out nad.Outcome, rep *report.Report) {
	for _, it := range nads {
		if config := nad.ConfigOf(it.Node); config != "" && !out.Dropped(it) {
			rep.AddAll(it.Obj, check.NAD(it.Name, it.Namespace, config, ynode.Str(ynode.Path(it.Node, "metadata", "annotations"), api.ResourceNameAnnotation)))
		}
	}
}

// finish appends the new NADs and the results, and ends the output.
func (e *env) finish(in *inputs, out nad.Outcome, w *resourcelist.Writer, rep *report.Report) error {
	var added []*yaml.Node
	if e.fix() {
		for _, c := range out.Create {
			added = append(added, c.Node())
		}
	}
	if in.configOnly && len(added) == 0 {
		rep.Warnf(RuleConfigOnly, nil, "", "the stream holds only network config (VMNetwork, VMNetworks), which is left out of the output, and no NAD was derived from it, so the output is empty; give the VMs in the same stream (documents separated by ---), or a namespace to the networks whose NADs you want")
	}
	return w.Finish(added, rep.Results(), rep.HasErrors())
}

// markLocalConfig adds config.kubernetes.io/local-config to declarations that lack
// it, so kustomize leaves them out of its output, and writes the declarations.
func (e *env) markLocalConfig(rep *report.Report, w *resourcelist.Writer, decls []config.Item, index []int) error {
	for k, it := range decls {
		if e.stream && it.Obj.Kind == api.KindVMNetwork {
			// A stream has no later tool to drop local config: the function does.
			w.Drop(index[k])
			continue
		}
		if it.Obj.Kind != api.KindVMNetwork || isLocalConfig(it.Node) || !localConfigWritable(it.Node) {
			w.Keep(index[k])
			continue
		}
		if e.fix() {
			if err := e.aliases.Unshare(it.Node, dotted, []string{"metadata", "annotations"}); err != nil {
				rep.Add(it.Obj, aliasFinding(err, "metadata.annotations", "the local-config annotation is not added"))
				w.Keep(index[k])
				continue
			}
		}
		rep.Add(it.Obj, report.Change{Rule: config.RuleLocalConfigAdded, Field: "metadata.annotations", Verb: report.Add,
			What: `config.kubernetes.io/local-config: "true"`, Why: " so kustomize leaves this config item out of its output",
		}.Finding(e.mode))
		if !e.fix() {
			w.Keep(index[k])
			continue
		}
		markLocalConfig(it.Node)
		if err := writeChanged(w, index[k], nil, it.Node, it.Obj, rep.Add); err != nil {
			return err
		}
	}
	return nil
}

// unshareUpdates makes what each NAD update edits the NAD's own (fix mode), and
// returns the NADs whose update would reach through an alias, with why.
func (e *env) unshareUpdates(out nad.Outcome) map[*report.Object]error {
	refused := map[*report.Object]error{}
	if !e.fix() {
		return refused
	}
	for _, u := range out.Update {
		if err := e.aliases.Unshare(u.Item.Node, dotted, []string{"metadata", "annotations"}, []string{"spec"}); err != nil {
			refused[u.Item.Obj] = err
		}
	}
	return refused
}

// writeNADs applies the reconciliation to the NAD items (fix mode, but for the
// refused updates) and writes them.
func (e *env) writeNADs(w *resourcelist.Writer, out nad.Outcome, refused map[*report.Object]error, nads []*nad.Item, index []int, rep *report.Report) error {
	changed := map[*nad.Item]bool{}
	dropped := map[*nad.Item]bool{}
	if e.fix() {
		for _, u := range out.Update {
			if refused[u.Item.Obj] != nil {
				continue
			}
			u.Apply()
			changed[u.Item] = true
		}
		for _, it := range out.Prune {
			dropped[it] = true
		}
	}
	for k, it := range nads {
		switch {
		case dropped[it]:
			w.Drop(index[k])
		case changed[it]:
			if err := writeChanged(w, index[k], nil, it.Node, it.Obj, rep.Add); err != nil {
				return err
			}
		default:
			w.Keep(index[k])
		}
	}
	return nil
}

// migrationNAD is the NAD name of KubeVirt's migration network, written as a name
// (in KubeVirt's namespace) or <namespace>/<name>.
func migrationNAD(ref string) string {
	if _, name, ok := strings.Cut(ref, "/"); ok {
		return name
	}
	return ref
}

// listedAsGenerator says whether a ResourceList is what kustomize hands an exec
// function listed under generators: instead of transformers: its own config as
// the only item (or none), the config carrying kustomize's function annotation.
func listedAsGenerator(rl *resourcelist.ResourceList, fc *config.Item) bool {
	if rl.Stream() || fc == nil || ynode.Str(ynode.Path(fc.Node, "metadata", "annotations"), api.FunctionAnnotation) == "" {
		return false
	}
	for _, it := range rl.Items {
		if av, kind := it.Head(); !api.IsFunctionConfig(av, kind) {
			return false
		}
	}
	return true
}
