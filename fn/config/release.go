package config

import (
	"fmt"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// StatedRelease is a KubeVirt release an input object states, and where.
type StatedRelease struct {
	Minor release.Minor
	// Field is the field that states it, Value what it says.
	Field, Value string
}

// readRelease takes the release a KubeVirt CR states: spec.imageTag (what its
// operator deploys once the CR is applied) before status.observedKubeVirtVersion
// (what ran when the object was read). Neither is a version for a tag that names
// none (a digest, "latest").
func readRelease(node *yaml.Node) *StatedRelease {
	for _, f := range [][]string{{"spec", "imageTag"}, {"status", "observedKubeVirtVersion"}} {
		v, ok := str(ynode.Path(node, f...))
		if !ok {
			continue
		}
		if m, ok := release.FromImageTag(v); ok {
			return &StatedRelease{Minor: m, Field: strings.Join(f, "."), Value: v}
		}
	}
	return nil
}

// ApplyReleaseSources settles the release the output is for: the input's KubeVirt
// CR (the cluster's truth) over --kubevirt-version (this run's word) over
// spec.cluster.kubevirtVersion; each disagreement is a warning naming both.
// A CR stating a release outside the supported range is a warning, and the
// release stays what the configuration says.
func ApplyReleaseSources(c *api.Cluster, flag release.Minor, crs []ClusterCR, fc *report.Object) report.Batch {
	var b report.Batch
	warn := func(obj *report.Object, field, msg string) {
		if obj != nil {
			b.Add(obj, report.Finding{Rule: RuleSettingsConflict, Field: field, Severity: krm.Warning, Message: msg})
		}
	}
	set := func(m release.Minor, from string, obj *report.Object, field string) {
		if c.From == nil {
			c.From = map[string]string{}
		}
		if prev := c.From["kubevirtVersion"]; prev != "" && c.KubeVirt != m {
			if fc != nil {
				obj, field = fc, "spec.cluster.kubevirtVersion"
			}
			warn(obj, field, fmt.Sprintf("%s says KubeVirt %s, but %s says %s, which wins: the output is for %s", prev, c.KubeVirt, from, m, m))
		}
		c.KubeVirt, c.From["kubevirtVersion"] = m, from
	}
	if flag != 0 {
		set(flag, "--kubevirt-version", nil, "")
	}
	for _, cr := range crs {
		r := cr.Release
		if r == nil {
			continue
		}
		from := fmt.Sprintf("%s (%s %s)", cr.Obj.Label(), r.Field, r.Value)
		if r.Minor < release.Oldest || r.Minor > release.Newest {
			warn(cr.Obj, r.Field, fmt.Sprintf("%s is KubeVirt %q, outside the range this function knows (%s); the output is for %s: check it against that release's rules", r.Field, r.Value, release.Range(), c.Release()))
			continue
		}
		set(r.Minor, from, cr.Obj, r.Field)
	}
	return b
}

// ApplyRelease gives the settings the selected release left to its defaults (the
// PasstBinding gate), and refuses settings the release cannot honour.
func ApplyRelease(s *api.Settings, fc *report.Object, field string) report.Batch {
	var b report.Batch
	c := &s.Cluster
	rel := c.Release()
	add := func(sev krm.Severity, f, msg string) {
		b.Add(fc, report.Finding{Rule: RuleSettingsConflict, Field: f, Severity: sev, Message: msg})
	}
	if c.From["passtBindingFeatureGate"] == "" {
		c.PasstBindingFeatureGate = rel.PasstBindingGateDefault()
	} else if c.PasstBindingFeatureGate && !rel.HasPasstBindingField() {
		add(krm.Warning, "spec.cluster.passtBindingFeatureGate", fmt.Sprintf("%s says the PasstBinding feature gate is on, but KubeVirt %s has no such gate (passtBinding exists from v1.8); it is ignored", c.From["passtBindingFeatureGate"], rel))
		c.PasstBindingFeatureGate = false
	}
	if !rel.HasPasstBindingField() {
		if s.PodBinding == api.PodPasstBinding {
			add(krm.Error, field, fmt.Sprintf("%s passtBinding: KubeVirt %s has no passtBinding field (it exists from v1.8); use masquerade, or register the passt binding plugin and write binding: {name: passt} in the VMs", field, rel))
		}
		if c.PrimaryUDNBinding == api.UDNPasst {
			add(krm.Error, "spec.cluster.primaryUDNBinding", fmt.Sprintf("spec.cluster.primaryUDNBinding passt: KubeVirt %s has no passtBinding field (it exists from v1.8); use l2bridge", rel))
		}
	} else if s.PodBinding == api.PodPasstBinding && !c.PasstBindingFeatureGate {
		why := "spec.cluster.passtBindingFeatureGate says it is off"
		if c.From["passtBindingFeatureGate"] == "" {
			why = fmt.Sprintf("it is Beta and KubeVirt %s turns Beta gates on only when the KubeVirt CR lists them", rel)
		}
		add(krm.Error, field, fmt.Sprintf("%s passtBinding needs the PasstBinding feature gate, and %s; use masquerade, or enable the gate and say so in spec.cluster.passtBindingFeatureGate", field, why))
	}
	return b
}
