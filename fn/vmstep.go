package fn

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// vmResult is everything the later steps need of one VM item: its results, the
// declared networks it uses (for NAD derivation), the NADs it references (for
// pruning) and its interfaces' MACs (for the checks across VMs). It holds nothing
// proportional to the VM's text.
type vmResult struct {
	// planned are the rewrite's results, checked the admission checks'.
	planned, checked report.Batch
	uses             []nad.Use
	refs             []vmRef
	guests           []*check.Guest
	err              error
}

// vmRef is a NAD a VM references, for pruning.
type vmRef struct {
	key   nad.Key
	label string
}

// renderItem is one item's whole path: for a VM read, plan, apply, check, write;
// for an item the function does not own, a parse that proves it is YAML (bad input
// gets a clear error here, not in the next tool), then its own bytes.
func (e *env) renderItem(wi workItem, w *resourcelist.Writer, passThrough bool) (r vmResult) {
	it := wi.Item
	defer func() {
		// A worker's panic would end the process before Run could report it.
		if p := recover(); p != nil {
			r = vmResult{err: fmt.Errorf("internal error on %s: %v; please report it with the input that caused it", it.Label(), p)}
		}
	}()
	node, err := it.Parse()
	if err != nil {
		return vmResult{err: err}
	}
	obj := objectOf(node)
	// The parse says what the object is; the head scan said it first, and must agree.
	c, _ := classify(obj.APIVersion, obj.Kind)
	avTwice, kindTwice := twice(node, "apiVersion"), twice(node, "kind")
	if avTwice && kindTwice {
		// Two objects' keys in one document: kubectl would apply the second alone.
		r.planned.Add(obj, report.Finding{Rule: check.RuleDuplicateKey, Field: "apiVersion", Severity: krm.Error,
			Message: fmt.Sprintf("%s holds two objects' keys (apiVersion and kind are each written twice), so kubectl would apply only the last one's values and lose the other object: a --- line is missing between them (cat a.yaml b.yaml joins the last document of a.yaml with the first of b.yaml unless b.yaml starts with ---); the item is left as it is", it.Label())})
		w.Keep(it.Index)
		return r
	}
	if c != wi.class {
		av, k := it.Head()
		if !avTwice && !kindTwice {
			// The reader took this item for another kind than it is: a bug to
			// report, never an object silently left unprocessed.
			return vmResult{err: fmt.Errorf("internal error: %s was read as %s %s but is %s %s", it.Label(), av, k, obj.APIVersion, obj.Kind)}
		}
		// The text's first apiVersion or kind is one kubectl drops for a later one.
		r.planned.Add(obj, report.Finding{Rule: check.RuleDuplicateKey, Field: "apiVersion", Severity: krm.Warning,
			Message: fmt.Sprintf("apiVersion or kind is written twice: kubectl applies the last (%s %s) and silently drops %s %s, so the object is judged as %s %s; remove the one you do not mean", obj.APIVersion, obj.Kind, av, k, obj.APIVersion, obj.Kind)})
	}
	if e.aliases == nil && !passThrough && e.fix() && it.MayAlias() {
		if idx := ynode.IndexAliases(node); idx != nil {
			// A document of a stream (or an item of kpt's layout) holds its own
			// anchors: its VMs get their own copies before any edit, as those of a
			// ResourceList read as one document do.
			local := *e
			local.aliases = idx
			local.expandItem(node, obj)
			e = &local
		}
	}
	changed := false
	// The item as it came, copied just before its first edit: the writer splices
	// the edits into the text by it (a copy costs less than parsing again).
	var before *yaml.Node
	var targets []vm.Target
	if !passThrough {
		targets = vm.Targets(node, obj.APIVersion, obj.Kind)
	}
	// paths are where the edit goes, relative to the VM; nil: anywhere. An item
	// that is one VM is copied along them only: the rest of the copy is the
	// item's own nodes, which the edit does not touch.
	snap := func(at *yaml.Node, paths [][]string) {
		switch {
		case before != nil:
		case at == node && len(targets) == 1 && paths != nil:
			before = ynode.CopyAlong(node, paths)
		default:
			before = ynode.Copy(node)
		}
	}
	for _, t := range targets {
		changed = e.fixVM(&r, t.Node, targetObject(t, obj), t.Kind, t.Templated, snap) || changed
	}
	if changed {
		r.err = writeChanged(w, it.Index, before, node, obj, func(o *report.Object, f report.Finding) { r.checked.Add(o, f) })
	} else {
		w.Keep(it.Index)
	}
	return r
}

// twice reports whether mapping node has key more than once.
func twice(node *yaml.Node, key string) bool {
	n := 0
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			n++
		}
	}
	return n > 1
}

// fixVM plans one VM's rewrite, applies it (fix mode, no error), runs the
// admission checks on the result and summarises it. It reports whether the VM's
// tree changed.
func (e *env) fixVM(r *vmResult, node *yaml.Node, obj *report.Object, kind *vm.Kind, templated bool, snap func(*yaml.Node, [][]string)) bool {
	flattenMerges(node, kind, snap)
	s, plan := e.plan(r, node, obj, kind, templated)
	if plan == nil {
		return false
	}
	changed := false
	if e.fix() && !plan.Failed() && len(plan.Changes) > 0 {
		paths := editedPaths(kind, plan)
		snap(node, paths)
		if e.aliases == nil {
			// Nothing is shared: the plan holds the VM's own nodes.
			plan.Apply()
			changed = true
		} else if err := e.aliases.Unshare(node, dotted, paths...); err != nil {
			r.planned.Add(obj, aliasFinding(err, "", "the VM is left as it is"))
		} else {
			// Unsharing may have replaced nodes the plan holds: plan again on the VM's own.
			if s, plan = e.plan(&vmResult{}, node, obj, kind, templated); plan != nil {
				plan.Apply()
				changed = true
			}
		}
	}
	refs := plan.RefsBefore
	if changed {
		refs = plan.RefsAfter
	}
	for _, ref := range refs {
		r.refs = append(r.refs, vmRef{key: nad.Key{Namespace: strings.Clone(ref.Namespace), Name: strings.Clone(ref.Name)}, label: obj.Label()})
	}
	if changed || (!e.fix() && !plan.Failed()) {
		for _, c := range plan.Changes {
			r.planned.Add(obj, c.Finding(e.mode))
		}
	}
	r.uses = append(r.uses, plan.Uses...)
	e.check(r, node, obj, kind, plan, s, changed, templated)
	return changed
}

// expandShared runs before any VM is edited, when the input has aliases: every VM
// that will change gets its own copy of what its edited parts alias, first. An
// anchor only such VMs stood for is then free to edit, whichever VM comes first,
// so one run reaches what a second would (a run is idempotent).
func (e *env) expandShared(items []workItem) {
	if e.aliases == nil || !e.fix() {
		return
	}
	for _, it := range items {
		node, err := it.Parse()
		if err != nil {
			continue // reported by the VM's own step
		}
		e.expandItem(node, objectOf(node))
	}
}

// expandItem gives each VM of one item that will change its own copy of what
// its edited parts alias.
func (e *env) expandItem(node *yaml.Node, obj *report.Object) {
	for _, t := range vm.Targets(node, obj.APIVersion, obj.Kind) {
		_, plan := e.plan(&vmResult{}, t.Node, targetObject(t, obj), t.Kind, t.Templated)
		if plan == nil || plan.Failed() || len(plan.Changes) == 0 {
			continue
		}
		_ = e.aliases.ExpandWithin(t.Node, dotted, editedPaths(t.Kind, plan)...) // a failure is reported when the VM is edited
	}
}

// editedPaths are the parts of a VM of kind a plan edits.
func editedPaths(kind *vm.Kind, plan *rewrite.Plan) [][]string {
	var paths [][]string
	for _, a := range plan.Areas {
		paths = append(paths, kind.Paths(a)...)
	}
	return paths
}

// targetObject names a target in results: the item, or the object inside it.
func targetObject(t vm.Target, item *report.Object) *report.Object {
	if t.Inner {
		return within(t.Node, item)
	}
	return item
}

// plan reads the VM and plans its rewrite; a nil plan means the VM cannot be read
// (reported).
func (e *env) plan(r *vmResult, node *yaml.Node, obj *report.Object, kind *vm.Kind, templated bool) (*vm.Spec, *rewrite.Plan) {
	spec := kind.Spec(node)
	if spec == nil {
		r.planned.Add(obj, report.Finding{Rule: RuleVMMalformed, Field: kind.SpecField(), Severity: krm.Error,
			Message: fmt.Sprintf("%s has no %s mapping, which KubeVirt requires; the object is left as it is", kind.Name, kind.SpecField())})
		return nil, nil
	}
	s, problems := vm.ReadSpec(spec, kind.SpecField())
	if len(problems) > 0 {
		for _, p := range problems {
			r.planned.Add(obj, report.Finding{Rule: RuleVMMalformed, Field: p.Field, Severity: krm.Error, Message: p.Message + "; the VM is left as it is"})
		}
		return nil, nil
	}
	plan := rewrite.Make(rewrite.Input{
		Kind: kind, Node: node, Namespace: e.namespace(obj.Namespace), NamespaceUnstated: obj.Namespace == "", Spec: s,
		Settings: e.settings, Index: e.index, MacvtapPlugins: e.macvtapPlugins, Preferences: e.facts.preference, Templated: templated,
	})
	r.planned.Add(obj, plan.Findings...)
	return s, plan
}

// check runs KubeVirt's admission rules on the VM as it now stands (rewritten in
// fix mode, as written in validate mode) and summarises it for the fleet checks.
// A field planning already reported an error at is not reported again.
func (e *env) check(r *vmResult, node *yaml.Node, obj *report.Object, kind *vm.Kind, plan *rewrite.Plan, s *vm.Spec, changed, templated bool) {
	if changed {
		var problems []vm.Problem
		if s, problems = vm.ReadSpec(kind.Spec(node), kind.SpecField()); len(problems) > 0 {
			return
		}
	}
	reported := map[string]bool{}
	for _, f := range plan.Findings {
		if f.Severity == krm.Error {
			reported[f.Field] = true
		}
	}
	if !e.fix() && !plan.Failed() {
		for _, c := range plan.Changes {
			reported[c.Field] = true
		}
	}
	var findings []report.Finding
	if target, group, version, k, prefix := kind.Schema(node, obj.APIVersion); target != nil {
		findings = check.Strict(target, e.settings.Cluster.Release(), group, version, k, e.settings.Cluster.FieldValidation, templated, node.Line)
		for i := range findings {
			findings[i].Field = schema.Join(prefix, findings[i].Field)
		}
	}
	findings = append(findings, check.VM(check.Input{
		Prefix: kind.SpecField(), Spec: s, Cluster: e.settings.Cluster, PreferenceMayFill: e.preferenceMayFill(kind, node, e.namespace(obj.Namespace)), Templated: templated,
	})...)
	for _, f := range findings {
		if f.Severity != krm.Error || !reported[f.Field] {
			r.checked.Add(obj, f)
		}
	}
	if g := check.GuestOf(obj, kind, s, kind.Replicas(node)); g != nil {
		for i, nic := range g.NICs {
			if input, ok := plan.Renamed[nic.Name]; ok && changed {
				g.NICs[i].Name = input
			}
		}
		r.guests = append(r.guests, g)
	}
}

// namespace is where an object of namespace ns lands: ns, else the default
// namespace when one is known.
func (e *env) namespace(ns string) string {
	if ns == "" {
		return e.settings.DefaultNamespace
	}
	return ns
}

// preferenceMayFill: the VM's preference fills a missing pod binding, or is not in
// the input, so it may.
func (e *env) preferenceMayFill(kind *vm.Kind, node *yaml.Node, namespace string) bool {
	ref, has := kind.Preference(node)
	if !has {
		return false
	}
	inInput, masquerade := e.facts.preference(ref, namespace)
	return masquerade || !inInput || ref.Inferred
}

// eachItem runs renderItem over the VMs and the items the function does not
// own, on several workers, and hands each result to done in input order (as soon
// as every item before it is done). It returns the first error, in input order.
func (e *env) eachItem(items []workItem, w *resourcelist.Writer, passThrough bool, done func(vmResult)) error {
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
				r := e.renderItem(items[k], w, passThrough)
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

// flattenMerges writes the merge keys (`- <<: *base`) of a VM's networks and
// interfaces out as the keys they stand for, as kubectl reads them, so that the
// function judges and edits what KubeVirt gets. The text keeps them unless the
// VM is edited (snap keeps the tree as it was read, which the text matches).
func flattenMerges(node *yaml.Node, kind *vm.Kind, snap func(*yaml.Node, [][]string)) {
	spec := kind.Spec(node)
	lists := []*yaml.Node{ynode.Get(spec, "networks"), ynode.Path(spec, "domain", "devices", "interfaces")}
	if !ynode.HasMerge(lists[0]) && !ynode.HasMerge(lists[1]) {
		return
	}
	snap(node, nil) // a later edit may go elsewhere: the whole item
	for _, l := range lists {
		ynode.FlattenMerges(ynode.Resolve(l))
	}
}
