package rewrite

import (
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// Finding is a result that is not itself a change.
type Finding = report.Finding

// Use records that a VM uses a declared network, so its NAD is derived.
type Use = nad.Use

// NADRef is a NAD a VM references, resolved as KubeVirt resolves it.
type NADRef struct{ Namespace, Name string }

// Plan is the outcome of planning one VM.
type Plan struct {
	Changes  []report.Change
	Findings report.Findings
	Uses     []Use
	// RefsBefore and RefsAfter are the NADs the VM references before and after the edits.
	RefsBefore, RefsAfter []NADRef
	// Areas are the parts of the VM the edits touch.
	Areas []vm.Area
	// Renamed maps each interface the plan renames to its name in the input, so
	// that later messages name it as the user wrote it.
	Renamed map[string]string
	edits   []func()
}

// Failed reports whether any finding is an error: the VM must then stay as it is.
func (p *Plan) Failed() bool { return p.Findings.HasErrors() }

// Apply runs the edits. Call it only for a plan that did not fail.
func (p *Plan) Apply() {
	for _, e := range p.edits {
		e()
	}
	p.edits = nil
}

// Input is one VM to plan.
type Input struct {
	Kind *vm.Kind
	Node *yaml.Node
	// Namespace is the VM's namespace: its own, else the default namespace when
	// one is known (NamespaceUnstated), else "".
	Namespace         string
	NamespaceUnstated bool
	Spec              *vm.Spec
	Settings          api.Settings
	Index             *bind.Index
	// MacvtapPlugins are binding plugin names that mean macvtap (never valid on the pod network).
	MacvtapPlugins map[string]bool
	// Preferences answers for the preference a VM references: whether it is in the
	// input, and whether it sets devices.preferredInterfaceMasquerade.
	Preferences func(ref vm.PreferenceRef, namespace string) (inInput, masquerade bool)
	// Templated: the VM is an object of an OpenShift Template, where a value holding
	// a ${PARAMETER} is known only once the template is processed.
	Templated bool
}

// param reports whether v is (or holds) a template parameter, never matched or renamed.
func (p *planner) param(v string) bool { return p.in.Templated && strings.Contains(v, "${") }

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
	// renamed maps interfaces the plan renames to their new names.
	renamed   [][2]string
	vmiWarned bool
}

func (p *planner) errorf(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings.Errorf(rule, field, format, a...)
}

func (p *planner) warnf(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings.Warnf(rule, field, format, a...)
}

func (p *planner) infof(rule report.Rule, field, format string, a ...any) {
	p.plan.Findings.Infof(rule, field, format, a...)
}

// change records an edit of area: edit runs only if the whole plan has no error.
func (p *planner) change(area vm.Area, c report.Change, edit func()) {
	p.plan.Changes = append(p.plan.Changes, c)
	p.plan.edits = append(p.plan.edits, edit)
	if !slices.Contains(p.plan.Areas, area) {
		p.plan.Areas = append(p.plan.Areas, area)
	}
}

func (p *planner) netField(i int, rest string) string {
	return vm.NetworkField(p.prefix, p.in.Spec.Networks[i].Index, rest)
}

func (p *planner) ifaceField(iface *vm.Interface, rest string) string {
	return vm.InterfaceField(p.prefix, iface.Index, rest)
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
	p.carryRenames()
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
