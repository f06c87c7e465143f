package fn

import (
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// checkVM runs KubeVirt's admission rules on a VM as it now stands (rewritten in
// fix mode, as written in validate mode) and summarises it for the fleet checks.
func (r *run) checkVM(v *vmItem, node *yaml.Node) {
	if v.plan == nil {
		return // unreadable: already reported
	}
	s, problems := vm.ReadSpec(v.kind.Spec(node), v.kind.SpecField())
	if len(problems) > 0 {
		return
	}
	group, version, _ := strings.Cut(v.obj.APIVersion, "/")
	findings := check.Strict(node, group, version, v.kind.Name)
	findings = append(findings, check.VM(check.Input{
		Prefix: v.kind.SpecField(), Spec: s, Cluster: r.settings.Cluster,
		HasPreference: v.kind.HasPreference(node),
	})...)
	v.checked.AddFindings(v.obj, withoutRepeats(findings, r.reported(v.plan)))
	v.guest = check.GuestOf(v.obj, v.kind, s, replicas(v.kind, node))
}

// reported lists the fields planning already reported an error at: its errors, and
// in validate mode the changes it would make (each an error there).
func (r *run) reported(p *rewrite.Plan) map[string]bool {
	seen := map[string]bool{}
	for _, f := range p.Findings {
		if f.Severity == krm.Error {
			seen[f.Field] = true
		}
	}
	if !r.fix() && !p.Failed() {
		for _, c := range p.Changes {
			seen[c.Field] = true
		}
	}
	return seen
}

// withoutRepeats drops check errors at a field already reported: one problem, one result.
func withoutRepeats(findings []report.Finding, seen map[string]bool) []report.Finding {
	out := findings[:0]
	for _, f := range findings {
		if f.Severity == krm.Error && seen[f.Field] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// replicas is how many VMs a replicated kind makes; KubeVirt defaults it to 1.
func replicas(kind *vm.Kind, node *yaml.Node) int64 {
	if !kind.Replicated {
		return 1
	}
	if n, ok := ynode.Int(ynode.Get(node, "spec"), "replicas"); ok {
		return n
	}
	return 1
}
