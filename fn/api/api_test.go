package api

import (
	"slices"
	"testing"
)

// The type vocabulary (what each type means is network.Types').
func TestNetworkTypes(t *testing.T) {
	for _, tc := range []NetworkType{TypeBridge, TypeSRIOV, TypeMacvtap, TypeOVNLocalnet, TypeOVNLayer2, TypeOVS, TypeCustom, TypeMacvlan, TypeIPvlan} {
		if !slices.Contains(NetworkTypes, tc) {
			t.Errorf("%s is not in NetworkTypes", tc)
		}
	}
	if len(NetworkTypes) != 9 {
		t.Errorf("NetworkTypes has %d types; a new one needs a row above", len(NetworkTypes))
	}
}

// FieldNames walks both kinds and every struct inside them, json names only.
func TestFieldNames(t *testing.T) {
	names := FieldNames()
	for _, want := range []string{"spec", "type", "nadName", "extraConfig", "podNetwork", "binding", "enforce", "cluster",
		"defaultNamespace", "bindingPlugins", "migrationNetwork", "minID", "maxID"} {
		if !slices.Contains(names, want) {
			t.Errorf("FieldNames lacks %s", want)
		}
	}
	if !slices.IsSorted(names) || slices.Contains(names, "") || slices.Contains(names, "-") {
		t.Errorf("FieldNames is not a sorted list of names: %v", names)
	}
}

// The defaults are KubeVirt v1.9's upstream ones, and the function's own.
func TestDefaultSettings(t *testing.T) {
	d := DefaultSettings()
	c := d.Cluster
	if d.Mode != ModeFix || d.PodBinding != PodMasquerade || d.Enforce || d.Rename != RenameNADNames || d.DefaultNamespace != "" {
		t.Errorf("function defaults: %+v", d)
	}
	if !c.PermitBridgeInterfaceOnPodNetwork || !c.PasstBindingFeatureGate || c.PortRangesSpecFeatureGate || c.NetworkDevicesWithDRAFeatureGate ||
		c.DefaultNetworkInterface != PodBridge || c.FieldValidation != FieldStrict || c.PrimaryUDNBinding != UDNL2Bridge ||
		c.BindingPlugins != nil || c.MigrationNetwork != "" {
		t.Errorf("cluster defaults: %+v", c)
	}
}
