package fn

import (
	"fmt"
	"io"
	"runtime"
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
	"github.com/kubevirt-networks/kubevirt-networks/fn/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// vmItem is one VM-kind item. Its tree lives only while it is processed; what
// the later steps need of it is kept in plan and guest.
type vmItem struct {
	index int
	src   *resourcelist.Item
	kind  *vm.Kind
	obj   *report.Object
	plan  *rewrite.Plan // nil when the VM could not be read
	// guest summarises its interfaces for the fleet checks; nil when unreadable.
	guest *check.Guest
	// planned and checked are its results, merged in input order at the end.
	planned, checked report.Report
	err              error
}

// run is one invocation's state shared by every step.
type run struct {
	out            *resourcelist.Writer
	settings       api.Settings
	index          *bind.Index
	macvtapPlugins map[string]bool
}

// change reports a change: as done in fix mode, as an error in validate mode,
// so a validator fails on anything fix would touch.
func (r *run) change(rep *report.Report, rule report.Rule, obj *report.Object, field, done, would string, sev krm.Severity) {
	if r.settings.Mode == api.ModeValidate {
		rep.Add(krm.Error, rule, obj, field, would)
		return
	}
	if sev == "" {
		sev = krm.Info
	}
	rep.Add(sev, rule, obj, field, done)
}

func (r *run) fix() bool { return r.settings.Mode == api.ModeFix }

// Process runs the function over a ResourceList, writes the output ResourceList to
// stdout as its items become ready, and returns the results (not yet folded). An
// error means an item cannot be read at all.
func Process(rl *resourcelist.ResourceList, stdout io.Writer) (*report.Report, error) {
	r := &run{out: resourcelist.NewWriter(stdout, rl.APIVersion, len(rl.Items))}
	rep := &report.Report{}
	var fc *config.Item
	if rl.FunctionConfig != nil {
		fc = &config.Item{Node: rl.FunctionConfig, Obj: objectOf(rl.FunctionConfig)}
	}

	// The config and NADs are read first and kept; VMs are only classified here.
	var networkItems []config.Item
	var vms []*vmItem
	var nads []*nad.Item
	deferred := make([]bool, len(rl.Items)) // written after the VMs: VMs and NADs
	for i, it := range rl.Items {
		apiVersion, kind := it.Head()
		switch {
		case vm.Lookup(apiVersion, kind) != nil:
			vms = append(vms, &vmItem{index: i, src: it, kind: vm.Lookup(apiVersion, kind)})
			deferred[i] = true
			continue
		case kind == api.KindVMNetwork && strings.HasPrefix(apiVersion, api.Group+"/"),
			nad.IsNAD(apiVersion, kind), kind == "" || apiVersion == "":
		default:
			continue
		}
		node, err := it.Keep()
		if err != nil {
			return nil, err
		}
		obj := objectOf(node)
		switch {
		case obj.Kind == "" || obj.APIVersion == "":
			rep.Errorf(RuleItemNoKind, nil, "", "items[%d] (name %q) has no apiVersion or kind; it is passed through unchanged, but no orchestrator can apply it: add both", i, obj.Name)
		case nad.IsNAD(obj.APIVersion, obj.Kind):
			nads = append(nads, nad.Read(node, obj))
			deferred[i] = true
		default:
			networkItems = append(networkItems, config.Item{Node: node, Obj: obj})
		}
	}

	cfg := config.Load(rep, fc, networkItems)
	r.settings = cfg.Settings
	if !cfg.Usable {
		rep.Errorf(config.RuleFunctionConfig, nil, "", "the function config has errors, so nothing was changed; fix them and run again")
		for i := range rl.Items {
			if err := r.pass(rl.Items[i], i); err != nil {
				return nil, err
			}
		}
		return rep, r.out.Finish(nil, rl.FunctionConfig, results(rep))
	}
	for _, it := range networkItems {
		if !isLocalConfig(it.Node) && localConfigWritable(it.Node) {
			r.change(rep, config.RuleLocalConfigAdded, it.Obj, "metadata.annotations",
				"added config.kubernetes.io/local-config: \"true\" so kustomize leaves this config item out of its output",
				"would add config.kubernetes.io/local-config: \"true\"; without it kustomize emits this config item for the cluster", krm.Info)
			if r.fix() {
				markLocalConfig(it.Node)
			}
		}
	}
	// Everything but VMs and NADs is final now.
	for i, it := range rl.Items {
		if !deferred[i] {
			if err := r.pass(it, i); err != nil {
				return nil, err
			}
		}
	}

	r.index = &bind.Index{Networks: cfg.Networks}
	for _, it := range nads {
		if !it.Managed {
			r.index.UserNADs = append(r.index.UserNADs, it)
		}
	}
	r.macvtapPlugins = map[string]bool{api.DefaultMacvtapPluginName: true}
	for _, n := range cfg.Networks {
		if n.Spec.Type == api.TypeMacvtap {
			r.macvtapPlugins[n.Binding().Plugin] = true
		}
	}

	r.processVMs(vms)
	for _, v := range vms {
		if v.err != nil {
			return nil, v.err
		}
		rep.Append(&v.planned)
	}
	nadRep := &report.Report{}
	removed, added := r.reconcileNADs(nadRep, cfg.Networks, vms, nads)
	rep.Append(nadRep)
	for i, it := range rl.Items {
		if deferred[i] && nad.IsNAD(it.Head()) {
			node, _ := it.Parse()
			if removed[node] {
				r.out.Set(i, nil)
			} else if err := r.pass(it, i); err != nil {
				return nil, err
			}
		}
	}
	var guests []*check.Guest
	for _, v := range vms {
		rep.Append(&v.checked)
		if v.guest != nil {
			guests = append(guests, v.guest)
		}
	}
	check.Fleet(rep, guests)
	for _, it := range nads {
		if !it.Managed && it.Config != "" {
			rep.AddFindings(it.Obj, check.NAD(it.Name, it.Namespace, it.Config))
		}
	}
	addedEntries, err := resourcelist.EncodeEntries(added)
	if err != nil {
		return nil, err
	}
	return rep, r.out.Finish(addedEntries, rl.FunctionConfig, results(rep))
}

// results folds a large package's repeated results and makes them KRM results.
func results(rep *report.Report) []*krm.Result {
	entries := rep.Aggregated()
	out := make([]*krm.Result, len(entries))
	for i := range entries {
		out[i] = entries[i].Result()
	}
	return out
}

// pass writes an item the function leaves as it is (or changed before the VMs).
func (r *run) pass(it *resourcelist.Item, i int) error {
	node, err := it.Parse()
	if err != nil {
		return err
	}
	if a, k := it.Head(); a != ynode.Str(node, "apiVersion") || k != ynode.Str(node, "kind") {
		// The reader took this item for another kind than it is: a bug to report,
		// never an object silently left unprocessed.
		return fmt.Errorf("internal error: items[%d] was read as %s %s but is %s %s", i, a, k, ynode.Str(node, "apiVersion"), ynode.Str(node, "kind"))
	}
	b, err := resourcelist.EncodeEntry(node)
	if err != nil {
		return err
	}
	r.out.Set(i, b)
	it.Done()
	return nil
}

// processVMs plans, rewrites, checks and encodes every VM, one tree at a time per
// worker; each VM's results stay with it so the output does not depend on timing.
func (r *run) processVMs(vms []*vmItem) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	if len(vms) < 64 {
		workers = 1
	}
	next := make(chan *vmItem)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range next {
				r.processVM(v)
			}
		}()
	}
	for _, v := range vms {
		next <- v
	}
	close(next)
	wg.Wait()
}

func (r *run) processVM(v *vmItem) {
	defer func() {
		// A worker's panic would end the process before Run could report it.
		if p := recover(); p != nil {
			v.err = fmt.Errorf("internal error on items[%d]: %v; please report it with the input that caused it", v.index, p)
		}
	}()
	node, err := v.src.Parse()
	if err != nil {
		v.err = err
		return
	}
	v.obj = objectOf(node)
	if vm.Lookup(v.obj.APIVersion, v.obj.Kind) != v.kind {
		// The text's head misled the classification: not a VM after all.
		v.kind = nil
		entry, err := resourcelist.EncodeEntry(node)
		v.err = err
		r.out.Set(v.index, entry)
		v.src.Done()
		return
	}
	r.planVM(v, node)
	if v.plan != nil && r.fix() && !v.plan.Failed() {
		v.plan.Apply()
	}
	r.checkVM(v, node)
	entry, err := resourcelist.EncodeEntry(node)
	if err != nil {
		v.err = err
		return
	}
	r.out.Set(v.index, entry)
	v.src.Done()
	if v.plan != nil {
		v.plan.Release()
	}
}

// planVM reads one VM and plans its rewrite.
func (r *run) planVM(v *vmItem, node *yaml.Node) {
	spec := v.kind.Spec(node)
	if spec == nil {
		v.planned.Errorf(RuleVMMalformed, v.obj, v.kind.SpecField(), "%s has no %s mapping, which KubeVirt requires; the object is left as it is", v.kind.Name, v.kind.SpecField())
		return
	}
	s, problems := vm.ReadSpec(spec, v.kind.SpecField())
	if len(problems) > 0 {
		for _, p := range problems {
			v.planned.Errorf(RuleVMMalformed, v.obj, p.Field, "%s; the VM is left as it is", p.Message)
		}
		return
	}
	v.plan = rewrite.Make(rewrite.Input{
		Kind: v.kind, Node: node, Namespace: v.obj.Namespace, Spec: s,
		Settings: r.settings, Index: r.index, MacvtapPlugins: r.macvtapPlugins,
	})
	v.planned.AddFindings(v.obj, v.plan.Findings)
	if v.plan.Failed() {
		return
	}
	for _, c := range v.plan.Changes {
		r.change(&v.planned, c.Rule, v.obj, c.Field, c.Done, c.Would, c.Severity)
	}
}
