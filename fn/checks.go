package fn

import (
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// check runs KubeVirt's admission rules on every VM as it now stands (rewritten in
// fix mode, as written in validate mode), lints user NADs and checks the fleet.
func (r *run) check(vms []*vmItem, nads []*nad.Item) {
	var guests []*check.Guest
	for _, v := range vms {
		if v.plan == nil {
			continue // unreadable: already reported
		}
		spec := v.kind.Spec(v.node)
		s, problems := vm.ReadSpec(spec, v.kind.SpecField())
		if len(problems) > 0 {
			continue
		}
		group, version, _ := strings.Cut(v.obj.APIVersion, "/")
		findings := check.Strict(v.node, group, version, v.kind.Name)
		findings = append(findings, check.VM(check.Input{
			Prefix: v.kind.SpecField(), Spec: s, Cluster: r.settings.Cluster,
			HasPreference: v.kind.HasPreference(v.node),
		})...)
		r.rep.AddFindings(v.obj, withoutRepeats(findings, r.reported(v.plan)))
		guests = append(guests, &check.Guest{Obj: v.obj, Kind: v.kind, Spec: s, Replicas: replicas(v)})
	}
	check.Fleet(r.rep, guests)
	for _, it := range nads {
		if it.Managed || it.Config == "" {
			continue
		}
		r.rep.AddFindings(it.Obj, check.NAD(it.Name, it.Namespace, it.Config))
	}
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
func replicas(v *vmItem) int64 {
	if !v.kind.Replicated {
		return 1
	}
	if n, ok := ynode.Int(ynode.Get(v.node, "spec"), "replicas"); ok {
		return n
	}
	return 1
}
