package config

import (
	"fmt"
	"slices"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The cluster CRs the input may hold: KubeVirt's own, and the HyperConverged
// Cluster Operator's, which writes KubeVirt's (OpenShift Virtualization, HCO).
const (
	KubeVirtAPIVersion = "kubevirt.io/v1"
	KindKubeVirt       = "KubeVirt"
	HCOGroup           = "hco.kubevirt.io"
	KindHyperConverged = "HyperConverged"
)

// IsClusterCR reports whether apiVersion/kind name a KubeVirt or HyperConverged CR.
func IsClusterCR(apiVersion, kind string) bool {
	return apiVersion == KubeVirtAPIVersion && kind == KindKubeVirt ||
		(apiVersion == HCOGroup+"/v1beta1" || apiVersion == HCOGroup+"/v1") && kind == KindHyperConverged
}

// ClusterCR is what a KubeVirt or HyperConverged CR says about what spec.cluster
// models; a nil field says nothing.
type ClusterCR struct {
	Obj                               *report.Object
	DefaultNetworkInterface           *api.PodBinding
	PermitBridgeInterfaceOnPodNetwork *bool
	BindingPlugins                    []string // nil: none registered by this CR
	MigrationNetwork                  *string
	// Gates are KubeVirt feature gates the CR enables (true) or disables (false).
	Gates map[string]bool
	// Releases are the KubeVirt releases the CR states.
	Releases []StatedRelease
}

// ReadClusterCR reads a KubeVirt CR (spec.configuration) or an HCO HyperConverged
// CR (v1beta1 or v1), as each operator reads it.
func ReadClusterCR(node *yaml.Node, obj *report.Object) ClusterCR {
	cr := ClusterCR{Obj: obj, Gates: map[string]bool{}}
	spec := ynode.Get(node, "spec")
	if ynode.Str(node, "kind") == KindHyperConverged {
		// HCO always gives KubeVirt masquerade as the default interface
		// (hyperconverged-cluster-operator, controllers/operands/kubevirt.go).
		masq := api.PodMasquerade
		cr.DefaultNetworkInterface = &masq
		// v1 moved the fields under spec.networking and spec.virtualization.
		bindings, migration := ynode.Get(spec, "networkBinding"), ynode.Path(spec, "liveMigrationConfig", "network")
		if ynode.Str(node, "apiVersion") == HCOGroup+"/v1" {
			bindings, migration = ynode.Path(spec, "networking", "networkBinding"), ynode.Path(spec, "virtualization", "liveMigrationConfig", "network")
		}
		cr.BindingPlugins = mapKeys(bindings)
		if m, ok := str(migration); ok {
			cr.MigrationNetwork = &m
		}
		return cr
	}
	cr.Releases = readReleases(node, obj)
	conf := ynode.Get(spec, "configuration")
	net := ynode.Get(conf, "network")
	if v, ok := str(ynode.Get(net, "defaultNetworkInterface")); ok {
		b := api.PodBinding(v)
		cr.DefaultNetworkInterface = &b
	}
	if v := ynode.Get(net, "permitBridgeInterfaceOnPodNetwork"); v != nil && v.Kind == yaml.ScalarNode && (v.Value == "true" || v.Value == "false") {
		b := v.Value == "true"
		cr.PermitBridgeInterfaceOnPodNetwork = &b
	}
	cr.BindingPlugins = mapKeys(ynode.Get(net, "binding"))
	if m, ok := str(ynode.Path(conf, "migrations", "network")); ok {
		cr.MigrationNetwork = &m
	}
	dev := ynode.Get(conf, "developerConfiguration")
	for _, g := range seqStrings(ynode.Get(dev, "featureGates")) {
		cr.Gates[g] = true
	}
	for _, g := range seqStrings(ynode.Get(dev, "disabledFeatureGates")) {
		cr.Gates[g] = false
	}
	return cr
}

// ApplyClusterCR makes what the CR states the cluster's truth: it wins over
// spec.cluster, and where spec.cluster said otherwise a warning on the function
// config names both values. The CR itself is never changed.
func ApplyClusterCR(cr ClusterCR, c *api.Cluster, fc *report.Object) report.Batch {
	var b report.Batch
	from := cr.Obj.Label()
	apply := func(field, crField, have, want string, set func()) {
		if c.From[field] == "spec.cluster" && have != want && fc != nil {
			b.Add(fc, report.Finding{Rule: RuleSettingsConflict, Field: "spec.cluster." + field, Severity: krm.Warning,
				Message: fmt.Sprintf("spec.cluster.%s is %s, but the input's %s says %s (%s), which is the cluster's truth and wins; remove spec.cluster.%s, or make it agree", field, have, from, want, crField, field)})
		}
		set()
		if c.From == nil {
			c.From = map[string]string{}
		}
		c.From[field] = from
	}
	if v := cr.DefaultNetworkInterface; v != nil && (*v == api.PodBridge || *v == api.PodMasquerade) {
		apply("defaultNetworkInterface", "network.defaultNetworkInterface", string(c.DefaultNetworkInterface), string(*v), func() { c.DefaultNetworkInterface = *v })
	}
	if v := cr.PermitBridgeInterfaceOnPodNetwork; v != nil {
		apply("permitBridgeInterfaceOnPodNetwork", "network.permitBridgeInterfaceOnPodNetwork", fmt.Sprint(c.PermitBridgeInterfaceOnPodNetwork), fmt.Sprint(*v), func() { c.PermitBridgeInterfaceOnPodNetwork = *v })
	}
	if cr.BindingPlugins != nil {
		apply("bindingPlugins", "its registered binding plugins", "["+strings.Join(c.BindingPlugins, ", ")+"]", "["+strings.Join(cr.BindingPlugins, ", ")+"]", func() { c.BindingPlugins = cr.BindingPlugins })
	}
	if v := cr.MigrationNetwork; v != nil {
		apply("migrationNetwork", "the migration network", quoted(c.MigrationNetwork), quoted(*v), func() { c.MigrationNetwork = *v })
	}
	if cr.Obj.Kind == KindKubeVirt {
		if c.Gates == nil {
			c.Gates = map[string]bool{}
		}
		for g, on := range cr.Gates {
			c.Gates[g] = on
		}
	}
	for _, g := range []struct {
		gate, field string
		dst         *bool
	}{
		{"PasstBinding", "passtBindingFeatureGate", &c.PasstBindingFeatureGate},
		{"PortRangesSpec", "portRangesSpecFeatureGate", &c.PortRangesSpecFeatureGate},
		{"NetworkDevicesWithDRA", "networkDevicesWithDRAFeatureGate", &c.NetworkDevicesWithDRAFeatureGate},
	} {
		if on, ok := cr.Gates[g.gate]; ok {
			apply(g.field, "feature gate "+g.gate, fmt.Sprint(*g.dst), fmt.Sprint(on), func() { *g.dst = on })
		}
	}
	return b
}

func quoted(s string) string {
	if s == "" {
		return "unset"
	}
	return fmt.Sprintf("%q", s)
}

func str(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		return "", false
	}
	return n.Value, true
}

func mapKeys(n *yaml.Node) []string {
	if !ynode.IsMap(n) {
		return nil
	}
	keys := ynode.Keys(n)
	slices.Sort(keys)
	return keys
}

func seqStrings(n *yaml.Node) []string {
	if !ynode.IsSeq(n) {
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if v, ok := str(c); ok {
			out = append(out, v)
		}
	}
	return out
}
