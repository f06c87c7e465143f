// Package api holds the function's configuration API (kubevirt-networks.io/v1alpha1)
// and the names it shares with KubeVirt, Multus, the network operators and the KRM
// orchestrators. The types' json tags are the API: the strict decoder's table
// (internal/schema) is generated from them, and the README's reference is tested against it.
package api
