package rewrite

import (
	"fmt"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// Change is one edit the plan makes, worded for both modes.
type Change struct {
	Rule     report.Rule
	Field    string
	Done     string       // fix mode: what was changed
	Would    string       // validate mode: what fix would change
	Severity krm.Severity // Info, or Warning for a change the user should review
}

// Finding is a result that is not itself a change.
type Finding = report.Finding

// Use records that a VM in Namespace uses a declared network, so its NAD is derived there.
type Use struct {
	Network   *network.Network
	Namespace string
	// NoNAD marks a use whose NAD cannot be placed (no namespace is known); it still counts as a use.
	NoNAD bool
}

// NADRef is a NAD a VM references, resolved as KubeVirt resolves it.
type NADRef struct{ Namespace, Name string }

// Plan is the outcome of planning one VM.
type Plan struct {
	Changes  []Change
	Findings []Finding
	Uses     []Use
	// RefsBefore and RefsAfter are the NADs the VM references before and after the edits.
	RefsBefore, RefsAfter []NADRef
	edits                 []func()
	released, failed      bool
}

// Failed reports whether any finding is an error: the VM must then stay as it is.
func (p *Plan) Failed() bool {
	if p.released {
		return p.failed
	}
	for _, f := range p.Findings {
		if f.Severity == krm.Error {
			return true
		}
	}
	return false
}

// Apply runs the edits. Call it only for a plan that did not fail.
func (p *Plan) Apply() {
	for _, e := range p.edits {
		e()
	}
	p.edits = nil
}

// Release drops what only planning and reporting needed (the edits hold the VM's
// tree), keeping the uses and references the NAD reconciliation reads, so that a
// large package's VMs need not stay in memory once written.
func (p *Plan) Release() {
	p.failed = p.Failed()
	p.released = true
	p.edits, p.Changes, p.Findings = nil, nil, nil
}

// Input is one VM to plan.
type Input struct {
	Kind      *vm.Kind
	Node      *yaml.Node
	Namespace string
	Spec      *vm.Spec
	Settings  api.Settings
	Index     *bind.Index
	// MacvtapPlugins are binding plugin names that mean macvtap (never valid on the pod network).
	MacvtapPlugins map[string]bool
}

// planner carries one VM's planning state.
type planner struct {
	in     Input
	plan   *Plan
	prefix string // the VMI spec's dotted path
	// per network index (in Spec.Networks order)
	matches []bind.Match
	final   []string // final network names
	// netIface[i] is the index in Spec.Interfaces paired with network i, or -1;
	// ifaceNet is the reverse.
	netIface, ifaceNet []int
	// addedRefs are the references of networks made from the annotation.
	addedRefs []string
	// userRenames maps references that followed a kustomize rename to their new value.
	userRenames [][2]string
}

func (p *planner) errorf(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings = append(p.plan.Findings, Finding{Rule: rule, Field: field, Message: fmt.Sprintf(format, a...), Severity: krm.Error})
}

func (p *planner) warnf(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings = append(p.plan.Findings, Finding{Rule: rule, Field: field, Message: fmt.Sprintf(format, a...), Severity: krm.Warning})
}

func (p *planner) infof(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings = append(p.plan.Findings, Finding{Rule: rule, Field: field, Message: fmt.Sprintf(format, a...), Severity: krm.Info})
}

func (p *planner) change(c Change, edit func()) {
	if c.Severity == "" {
		c.Severity = krm.Info
	}
	p.plan.Changes = append(p.plan.Changes, c)
	p.plan.edits = append(p.plan.edits, edit)
}

func (p *planner) netField(i int, rest string) string {
	return fmt.Sprintf("%s.networks[%d]%s", p.prefix, p.in.Spec.Networks[i].Index, rest)
}

func (p *planner) ifaceField(iface *vm.Interface, rest string) string {
	return fmt.Sprintf("%s.domain.devices.interfaces[%d]%s", p.prefix, iface.Index, rest)
}

// Make plans the rewrite of one VM.
func Make(in Input) *Plan {
	p := &planner{in: in, plan: &Plan{}, prefix: in.Kind.SpecField()}
	p.bindNetworks()
	p.pairByName()
	p.finalNames()
	p.pairLeftovers()
	p.collisions()
	p.multusInterfaces()
	p.podInterfaces()
	p.annotations()
	p.inertAnnotations()
	p.refsAfter()
	return p.plan
}

// refsAfter records the NADs the VM references once the plan is applied.
func (p *planner) refsAfter() {
	if p.plan.Failed() {
		p.plan.RefsAfter = p.plan.RefsBefore
		return
	}
	refs := p.addedRefs
	for i, n := range p.in.Spec.Networks {
		if n.Source == vm.SourceMultus && n.NetworkName != "" {
			ref := p.finalRef(i)
			for _, r := range p.userRenames {
				if r[0] == ref {
					ref = r[1]
				}
			}
			refs = append(refs, ref)
		}
	}
	for _, ref := range refs {
		ns, name, _ := bind.Split(ref, p.in.Namespace)
		p.plan.RefsAfter = append(p.plan.RefsAfter, NADRef{Namespace: ns, Name: name})
	}
}
