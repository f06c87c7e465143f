package config

import (
	"fmt"
	"slices"
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
	// Obj is the object, rank how much its word weighs (higher wins).
	Obj  *report.Object
	rank int
}

// What weighs more: what the operator will deploy over what it deployed.
const (
	rankStatus   = iota // a KubeVirt CR's status.observedKubeVirtVersion: what ran when it was read
	rankOperator        // the virt-operator Deployment's image: what it deploys without imageTag
	rankImageTag        // a KubeVirt CR's spec.imageTag: what its operator deploys once applied
)

// readReleases takes the releases a KubeVirt CR states. A tag that names no
// version (a digest, "latest") states none.
func readReleases(node *yaml.Node, obj *report.Object) []StatedRelease {
	var out []StatedRelease
	for _, f := range []struct {
		path []string
		rank int
	}{{[]string{"status", "observedKubeVirtVersion"}, rankStatus}, {[]string{"spec", "imageTag"}, rankImageTag}} {
		v, ok := str(ynode.Path(node, f.path...))
		if !ok {
			continue
		}
		if m, ok := release.FromImageTag(v); ok {
			out = append(out, StatedRelease{Minor: m, Field: strings.Join(f.path, "."), Value: v, Obj: obj, rank: f.rank})
		}
	}
	return out
}

// OperatorRelease is the release a Deployment running KubeVirt's operator (a
// container image named virt-operator, tagged with a version) states; nil for
// any other Deployment.
func OperatorRelease(node *yaml.Node, obj *report.Object) *StatedRelease {
	containers := ynode.Path(node, "spec", "template", "spec", "containers")
	if !ynode.IsSeq(containers) {
		return nil
	}
	for i, c := range ynode.Resolve(containers).Content {
		image := ynode.Str(c, "image")
		if at := strings.IndexByte(image, '@'); at >= 0 {
			continue // a digest states no version
		}
		slash := strings.LastIndexByte(image, '/')
		name, tag, ok := strings.Cut(image[slash+1:], ":")
		if !ok || name != "virt-operator" {
			continue
		}
		if m, ok := release.FromImageTag(tag); ok {
			return &StatedRelease{Minor: m, Field: fmt.Sprintf("spec.template.spec.containers[%d].image", i), Value: image, Obj: obj, rank: rankOperator}
		}
	}
	return nil
}

// ApplyReleaseSources settles the release the output is for: what the input
// states (the cluster's truth: a KubeVirt CR's spec.imageTag over the
// virt-operator image over the CR's status) over --kubevirt-version (this run's
// word) over spec.cluster.kubevirtVersion; each disagreement is a warning naming
// both. A stated release outside the supported range is a warning, and the
// release stays what the configuration says.
func ApplyReleaseSources(c *api.Cluster, flag release.Minor, stated []StatedRelease, fc *report.Object) report.Batch {
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
	stated = slices.Clone(stated)
	slices.SortStableFunc(stated, func(a, b StatedRelease) int { return a.rank - b.rank })
	for _, r := range stated {
		from := fmt.Sprintf("%s (%s %s)", r.Obj.Label(), r.Field, r.Value)
		if r.Minor < release.Oldest || r.Minor > release.Newest {
			warn(r.Obj, r.Field, fmt.Sprintf("%s is KubeVirt %q, outside the range this function knows (%s); the output is for %s: check it against that release's rules", r.Field, r.Value, release.Range(), c.Release()))
			continue
		}
		set(r.Minor, from, r.Obj, r.Field)
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
