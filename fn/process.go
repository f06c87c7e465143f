package fn

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// env is what every VM step reads: the settings and what references bind to.
type env struct {
	facts          facts
	settings       api.Settings
	mode           report.Mode
	index          *bind.Index
	macvtapPlugins map[string]bool
	aliases        *ynode.Aliases
	// stream: the input is a plain YAML stream, the output goes to a cluster.
	stream bool
}

func (e *env) fix() bool { return e.mode == report.Fix }

// Given is what the caller knows besides the input.
type Given struct {
	// FunctionConfig, when not nil, is the function config given apart from the
	// input (a stream's --config file).
	FunctionConfig *yaml.Node
	// Namespace, when set, is where namespace-less objects land, and
	// NamespaceFrom says who said so; it wins over spec.defaultNamespace.
	Namespace, NamespaceFrom string
}

// Outcome is what a run found: its results, and the one line that sums them up.
type Outcome struct {
	*report.Report
	Summary string
}

// Process runs the function over a ResourceList (or a stream) and writes the
// output through w as items become ready. It returns the results; an error means
// an item cannot be read at all.
func Process(rl *resourcelist.ResourceList, given Given, w *resourcelist.Writer) (*Outcome, error) {
	var validate bool
	rep, err := process(rl, given, w, &validate)
	if err != nil {
		return nil, err
	}
	return &Outcome{Report: rep, Summary: summary(rep, validate, rl.Stream())}, nil
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

func process(rl *resourcelist.ResourceList, given Given, w *resourcelist.Writer, validate *bool) (*report.Report, error) {
	functionConfig := given.FunctionConfig
	rep := &report.Report{}
	var fc *config.Item
	switch {
	case functionConfig != nil:
		fc = &config.Item{Node: functionConfig, Obj: objectOf(functionConfig)}
	case rl.FunctionConfig != nil:
		fc = &config.Item{Node: rl.FunctionConfig, Obj: objectOf(rl.FunctionConfig)}
	}

	// Declarations and NADs are read first and kept; VMs and everything else are
	// only classified here and go to the workers.
	var decls []config.Item
	var declIndex []int
	var work []*resourcelist.Item
	var nads []*nad.Item
	var nadIndex []int
	var known facts
	var inner []*nad.Item // NADs inside containers: bindings come from them, never reconciled
	// configOnly: a stream of nothing but network config, which is all left out.
	configOnly := rl.Stream() && len(rl.Items) > 0
	for i, it := range rl.Items {
		c := classify(it.Head())
		av, kind := it.Head()
		if rl.Stream() && kind == api.KindVMNetworks && av == api.APIVersion {
			c = streamConfig
		}
		if c != streamConfig && (c != declaration || kind != api.KindVMNetwork) {
			configOnly = false
		}
		if c == vmKind || c == other {
			work = append(work, it)
			continue
		}
		if c == container {
			// Read now for the NADs and preferences inside; its VMs go to the workers.
			node, err := it.Hold()
			if err != nil {
				return nil, err
			}
			for _, o := range contents(node) {
				switch classify(ynode.Str(o, "apiVersion"), ynode.Str(o, "kind")) {
				case nadItem:
					inner = append(inner, nad.Read(o, within(o, objectOf(node))))
				case fact:
					known.read(o)
				}
			}
			work = append(work, it)
			continue
		}
		node, err := it.Hold()
		if err != nil {
			return nil, err
		}
		obj := objectOf(node)
		switch c {
		case malformed:
			rep.Errorf(RuleItemNoKind, nil, "", "%s (name %q) has no apiVersion or kind; it is passed through unchanged, but no orchestrator can apply it: add both", it.Label(), obj.Name)
			w.Keep(i)
		case nadItem:
			nads = append(nads, nad.Read(node, obj))
			nadIndex = append(nadIndex, i)
		case declaration:
			decls = append(decls, config.Item{Node: node, Obj: obj})
			declIndex = append(declIndex, i)
		case streamConfig:
			// A stream's VMNetworks is its function config (unless --config gave one),
			// and like every config item it is left out of the stream.
			if fc != nil && functionConfig != nil {
				return nil, fmt.Errorf("the stream holds a VMNetworks function config (document %d) and --config gives another; keep one", i+1)
			}
			if fc != nil {
				return nil, fmt.Errorf("the stream holds more than one VMNetworks function config (document %d); keep one", i+1)
			}
			fc = &config.Item{Node: node, Obj: obj}
			w.Drop(i)
		case fact:
			known.read(node)
			w.Keep(i)
		}
	}

	cfg := config.Load(fc, decls, known.namespaceLabels)
	rep.Append(cfg.Findings)
	if !cfg.Usable {
		rep.Errorf(config.RuleFunctionConfig, nil, "", "the function config has errors, so nothing was changed; fix them and run again")
		for _, i := range append(declIndex, nadIndex...) {
			w.Keep(i)
		}
		if err := (&env{}).processItems(work, w, false, func(vmResult) {}); err != nil {
			return nil, err
		}
		return rep, w.Finish(nil, rep.Results(), true)
	}
	// HCO writes the KubeVirt CR: where the input holds both, HCO's word is last.
	slices.SortStableFunc(known.clusterCRs, func(a, b config.ClusterCR) int {
		return cmp.Compare(b2i(a.Obj.Kind == config.KindHyperConverged), b2i(b.Obj.Kind == config.KindHyperConverged))
	})
	for _, cr := range known.clusterCRs {
		var fcObj *report.Object
		if fc != nil {
			fcObj = fc.Obj
		}
		rep.Append(config.ApplyClusterCR(cr, &cfg.Settings.Cluster, fcObj))
	}
	if given.Namespace != "" {
		if d := cfg.Settings.DefaultNamespace; d != "" && d != given.Namespace && fc != nil {
			rep.Add(fc.Obj, report.Finding{Rule: config.RuleSettingsConflict, Field: "spec.defaultNamespace", Severity: krm.Warning,
				Message: fmt.Sprintf("spec.defaultNamespace is %q, but %s says %q, which wins: it is where this render's objects land", d, given.NamespaceFrom, given.Namespace)})
		}
		cfg.Settings.DefaultNamespace, cfg.Settings.DefaultNamespaceFrom = given.Namespace, given.NamespaceFrom
	}
	if ns := cfg.Settings.DefaultNamespace; ns != "" {
		for _, it := range append(append([]*nad.Item{}, nads...), inner...) {
			if it.Namespace == "" {
				it.Namespace, it.Unstated = ns, true
			}
		}
	}
	e := &env{settings: cfg.Settings, aliases: rl.Aliases, facts: known, stream: rl.Stream()}
	if cfg.Settings.Mode == api.ModeValidate {
		e.mode = report.Validate
		*validate = true
	}
	if err := e.markLocalConfig(rep, w, decls, declIndex); err != nil {
		return nil, err
	}

	e.index = &bind.Index{Networks: cfg.Networks, NADs: inner}
	for _, it := range nads {
		if !it.Managed || !it.Declared(cfg.Networks) {
			e.index.NADs = append(e.index.NADs, it)
		}
	}
	e.macvtapPlugins = map[string]bool{api.DefaultMacvtapPluginName: true}
	for _, n := range cfg.Networks {
		if n.Spec.Type == api.TypeMacvtap {
			e.macvtapPlugins[n.Binding().Plugin] = true
		}
	}

	// Each VM's results are folded into the report as soon as every VM before it is
	// done, so a fleet's results are never all held. The admission checks' results
	// are reported after the NADs', so they fold apart and merge after those.
	var checked report.Report
	fleet := newFleetFacts()
	e.expandShared(work)
	err := e.processItems(work, w, true, func(r vmResult) {
		rep.Append(r.planned)
		checked.Append(r.checked)
		fleet.add(r)
	})
	if err != nil {
		return nil, err
	}
	out := nad.Reconcile(nad.Wanted{Networks: cfg.Networks, Uses: fleet.uses(), Items: nads, Referenced: fleet.referenced, NADPath: e.settings.NADPath, Mode: e.mode, NoPaths: e.stream,
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
	if err := e.writeNADs(w, out, refused, nads, nadIndex); err != nil {
		return nil, err
	}
	rep.Merge(&checked)
	guests := fleet.guests
	rep.Append(check.Fleet(guests))
	for _, it := range nads {
		// Managed NADs are linted too: a kept one may have been edited by hand, and
		// an updated one is checked as it now is.
		if config := nad.ConfigOf(it.Node); config != "" && !out.Dropped(it) {
			rep.AddAll(it.Obj, check.NAD(it.Name, it.Namespace, config))
		}
	}
	var added []*yaml.Node
	if e.fix() {
		for _, c := range out.Create {
			added = append(added, c.Node())
		}
	}
	if configOnly && len(added) == 0 {
		rep.Warnf(RuleConfigOnly, nil, "", "the stream holds only network config (VMNetwork, VMNetworks), which is left out of the output, and no NAD was derived from it, so the output is empty; give the VMs in the same stream (documents separated by ---), or a namespace to the networks whose NADs you want")
	}
	return rep, w.Finish(added, rep.Results(), rep.HasErrors())
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
		if err := w.Changed(index[k], it.Node); err != nil {
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
func (e *env) writeNADs(w *resourcelist.Writer, out nad.Outcome, refused map[*report.Object]error, nads []*nad.Item, index []int) error {
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
			if err := w.Changed(index[k], it.Node); err != nil {
				return err
			}
		default:
			w.Keep(index[k])
		}
	}
	return nil
}

// aliasFinding is the error of an edit refused because it would reach through a
// YAML alias (or an alias the function cannot expand), at the edited field.
func aliasFinding(err error, field, outcome string) report.Finding {
	rule := RuleVMMalformed
	var shared *ynode.Shared
	if errors.As(err, &shared) {
		rule, field = RuleAliasShared, shared.Field
	}
	return report.Finding{Rule: rule, Field: field, Severity: krm.Error, Message: err.Error() + "; " + outcome}
}

func dotted(path []string) string {
	s := ""
	for i, p := range path {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// processItems runs processItem over the VMs and the items the function does not
// own, on several workers, and hands each result to done in input order (as soon
// as every item before it is done). It returns the first error, in input order.
func (e *env) processItems(items []*resourcelist.Item, w *resourcelist.Writer, process bool, done func(vmResult)) error {
	workers := min(runtime.GOMAXPROCS(0), 4)
	if len(items) < 64 || e.aliases != nil {
		// Aliases may share nodes across VMs: one at a time.
		workers = 1
	}
	var (
		mu       sync.Mutex
		finished = make([]*vmResult, len(items))
		cursor   int
		firstErr error
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				r := e.processItem(items[k], w, process)
				mu.Lock()
				finished[k] = &r
				for ; cursor < len(items) && finished[cursor] != nil; cursor++ {
					if res := finished[cursor]; firstErr == nil {
						if res.err != nil {
							firstErr = res.err
						} else {
							done(*res)
						}
					}
					finished[cursor] = nil
				}
				mu.Unlock()
			}
		}()
	}
	for k := range items {
		next <- k
	}
	close(next)
	wg.Wait()
	return firstErr
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// migrationNAD is the NAD name of KubeVirt's migration network, written as a name
// (in KubeVirt's namespace) or <namespace>/<name>.
func migrationNAD(ref string) string {
	if _, name, ok := strings.Cut(ref, "/"); ok {
		return name
	}
	return ref
}
