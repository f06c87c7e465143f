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
// Process is the orchestration over parsed items (process.go); processVM is the
// whole path of one VM (vmstep.go); Run adds the I/O (run.go).
package fn
