package vm

import "strconv"

// NetworkField is the path of spec.networks[i] (plus rest) under a VMI spec at prefix,
// as KubeVirt prints it: spec.template.spec.networks[1].multus.networkName.
func NetworkField(prefix string, i int, rest string) string {
	return prefix + ".networks[" + strconv.Itoa(i) + "]" + rest
}

// InterfaceField is the path of domain.devices.interfaces[i] (plus rest) under a VMI spec at prefix.
func InterfaceField(prefix string, i int, rest string) string {
	return prefix + ".domain.devices.interfaces[" + strconv.Itoa(i) + "]" + rest
}

// AnnotationField is how results point at one annotation of a mapping at mapField.
func AnnotationField(mapField, key string) string { return mapField + "[" + key + "]" }
