// Package network is the model of logical networks: one declaration (a VMNetwork,
// an inline network of the function config, or a network an operator declares:
// SriovNetwork, OVN-Kubernetes UserDefinedNetwork and ClusterUserDefinedNetwork)
// with its defaults applied, where its NAD lives, and which interface binding
// KubeVirt needs for its CNI.
package network
