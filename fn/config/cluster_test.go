package config

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

func crNode(t *testing.T, text string) (*yaml.Node, *report.Object) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	var meta struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct{ Name, Namespace string }
	}
	_ = n.Decode(&meta)
	return n, &report.Object{APIVersion: meta.APIVersion, Kind: meta.Kind, Name: meta.Metadata.Name, Namespace: meta.Metadata.Namespace}
}

// A KubeVirt CR sets what spec.cluster models, and wins over it with a warning
// naming both; what it does not state keeps the config's value.
func TestKubeVirtCRWins(t *testing.T) {
	n, obj := crNode(t, `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata: {name: kubevirt, namespace: kubevirt}
spec:
  configuration:
    network:
      defaultNetworkInterface: masquerade
      permitBridgeInterfaceOnPodNetwork: false
      binding:
        managedtap: {domainAttachmentType: managedTap}
        macvtap: {domainAttachmentType: tap}
    migrations: {network: migration-net}
    developerConfiguration:
      featureGates: [PortRangesSpec]
      disabledFeatureGates: [PasstBinding]
`)
	c := api.DefaultSettings().Cluster
	c.From = map[string]string{"defaultNetworkInterface": "spec.cluster"}
	fc := &report.Object{Kind: api.KindVMNetworks, Name: "config"}
	got := ApplyClusterCR(ReadClusterCR(n, obj), &c, fc)
	if c.DefaultNetworkInterface != api.PodMasquerade || c.PermitBridgeInterfaceOnPodNetwork || c.PasstBindingFeatureGate || !c.PortRangesSpecFeatureGate {
		t.Errorf("cluster after the CR: %+v", c)
	}
	if strings.Join(c.BindingPlugins, ",") != "macvtap,managedtap" || c.MigrationNetwork != "migration-net" {
		t.Errorf("plugins %v, migration network %q", c.BindingPlugins, c.MigrationNetwork)
	}
	if len(got) != 1 || !strings.Contains(got[0].Message, "spec.cluster.defaultNetworkInterface is bridge, but the input's KubeVirt kubevirt/kubevirt says masquerade") {
		t.Errorf("want one warning naming both values, got %+v", got)
	}
}

// HCO always gives KubeVirt masquerade, and names plugins and the migration
// network in its own fields.
func TestHyperConvergedCR(t *testing.T) {
	n, obj := crNode(t, `apiVersion: hco.kubevirt.io/v1beta1
kind: HyperConverged
metadata: {name: kubevirt-hyperconverged, namespace: openshift-cnv}
spec:
  networkBinding:
    l2bridge: {domainAttachmentType: managedTap}
  liveMigrationConfig:
    network: openshift-cnv/migration
`)
	c := api.DefaultSettings().Cluster
	if got := ApplyClusterCR(ReadClusterCR(n, obj), &c, nil); len(got) != 0 {
		t.Errorf("no spec.cluster value was set, so nothing to warn about: %+v", got)
	}
	if c.DefaultNetworkInterface != api.PodMasquerade || strings.Join(c.BindingPlugins, ",") != "l2bridge" || c.MigrationNetwork != "openshift-cnv/migration" {
		t.Errorf("cluster after HCO: %+v", c)
	}
	if !c.PasstBindingFeatureGate {
		t.Errorf("HCO's CR states no KubeVirt gate, so the default stays")
	}
}

// hco.kubevirt.io/v1 (HCO's deploy/hco.cr.yaml today) keeps the same facts under
// spec.networking and spec.virtualization.
func TestHyperConvergedV1CR(t *testing.T) {
	n, obj := crNode(t, `apiVersion: hco.kubevirt.io/v1
kind: HyperConverged
metadata: {name: kubevirt-hyperconverged}
spec:
  networking:
    networkBinding:
      managedtap: {domainAttachmentType: managedTap}
  virtualization:
    liveMigrationConfig:
      network: migration
`)
	if !IsClusterCR("hco.kubevirt.io/v1", KindHyperConverged) {
		t.Fatal("hco.kubevirt.io/v1 is not read")
	}
	c := api.DefaultSettings().Cluster
	ApplyClusterCR(ReadClusterCR(n, obj), &c, nil)
	if c.DefaultNetworkInterface != api.PodMasquerade || strings.Join(c.BindingPlugins, ",") != "managedtap" || c.MigrationNetwork != "migration" {
		t.Errorf("cluster after HCO v1: %+v", c)
	}
}
