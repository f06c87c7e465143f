// Code generated from fn/api by internal/schema's TestConfigTableIsCurrent; DO NOT EDIT.

package schema

func configTable() *Table {
	return &Table{
		roots: map[string]int{
			"VMNetwork":   1,
			"VMNetworks":  12,
			"NetworkSpec": 4,
		},
		shapes: []shape{
			{kind: kindAny},
			{kind: kindObject, preserve: false, fields: map[string]int{"apiVersion": 2, "kind": 2, "metadata": 3, "spec": 4}},
			{kind: kindString},
			{kind: kindAny},
			{kind: kindObject, preserve: false, fields: map[string]int{"allowPersistentIPs": 5, "binding": 2, "bindingPlugin": 2, "bridge": 2, "bridgeMarker": 5, "cniConfig": 3, "cniType": 2, "cniVersion": 2, "disableContainerInterface": 5, "excludeSubnets": 6, "extraConfig": 3, "generate": 5, "ipam": 3, "linkState": 2, "lowerDevice": 2, "macSpoofCheck": 5, "maxTxRate": 7, "minTxRate": 7, "mtu": 7, "nadName": 2, "name": 2, "namespace": 2, "ovnNetworkName": 2, "physicalNetworkName": 2, "preserveDefaultVlan": 5, "rename": 8, "resourceName": 2, "spoofChk": 2, "subnets": 6, "trunk": 9, "trust": 2, "type": 11, "vlan": 7, "vlanQoS": 7}},
			{kind: kindBool},
			{kind: kindList, elem: 2},
			{kind: kindInt},
			{kind: kindString},
			{kind: kindList, elem: 10},
			{kind: kindObject, preserve: false, fields: map[string]int{"id": 7, "maxID": 7, "minID": 7}},
			{kind: kindString},
			{kind: kindObject, preserve: false, fields: map[string]int{"apiVersion": 2, "kind": 2, "metadata": 3, "spec": 13}},
			{kind: kindObject, preserve: false, fields: map[string]int{"cluster": 14, "defaultNamespace": 2, "mode": 18, "nadPath": 2, "networks": 19, "podNetwork": 20, "rename": 8}},
			{kind: kindObject, preserve: false, fields: map[string]int{"bindingPlugins": 6, "defaultNetworkInterface": 15, "fieldValidation": 16, "kubevirtVersion": 2, "migrationNetwork": 2, "networkDevicesWithDRAFeatureGate": 5, "passtBindingFeatureGate": 5, "permitBridgeInterfaceOnPodNetwork": 5, "portRangesSpecFeatureGate": 5, "primaryUDNBinding": 17}},
			{kind: kindString},
			{kind: kindString},
			{kind: kindString},
			{kind: kindString},
			{kind: kindList, elem: 4},
			{kind: kindObject, preserve: false, fields: map[string]int{"binding": 15, "enforce": 5}},
		},
	}
}
