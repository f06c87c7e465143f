// Package multus parses the k8s.v1.cni.cncf.io/networks annotation in both of
// Multus' forms. Elements are read as plain maps, not the NAD client's typed
// NetworkSelectionElement, so that every key the user wrote is seen and the
// ones KubeVirt cannot express can be named instead of dropped unseen.
package multus
