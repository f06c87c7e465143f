// Package fn is the kubevirt-networks KRM function. Data flows one way:
//
//	read config (VMNetwork items + function config)   → config
//	model of logical networks, index of input NADs    → network, nad, bind
//	plan each VM's rewrite (pure), apply when clean   → vm, rewrite, multus
//	derive NADs from the networks the VMs use         → nad
//	reconcile NAD items (update, create, prune)       → this package
//	results, mirrored to stderr                       → report
//
// Process works on parsed items; Run adds the ResourceList I/O.
package fn
