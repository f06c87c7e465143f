// Package fn is the kubevirt-networks KRM function. Data flows one way:
//
//	read the input (ResourceList or YAML stream)           → resourcelist
//	read the config: function config and declarations      → config, network
//	index what references can bind to (networks, NADs)     → bind, nad
//	one step per VM: read, plan, apply, check, encode      → vm, rewrite, multus, check
//	reconcile NAD items: derive, update, create, prune     → nad
//	checks across VMs (MACs), lint of user NADs            → check
//	results, mirrored to stderr                            → report
//
// Render is the orchestration over the items (process.go: gather, configure,
// runVMs, reconcileNADs, lintNADs, finish); eachItem hands the items to the
// workers, renderItem is one item's whole path and fixVM one VM's (vmstep.go);
// RunWith adds the I/O (run.go). A stream read from a kustomize build
// (internal/kbuild) is rendered the same way, the local config it kept for the
// function left out (Given.DropLocalConfig).
package fn
