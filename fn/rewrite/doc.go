// Package rewrite plans the network rewrite of one VM (README: "Renames",
// "Rewrite", "Manual Multus annotations"): which
// networks and interfaces to rename, which binding each needs, which NAD each
// references, and how a manual Multus annotation becomes spec.networks. Planning
// only reads; the plan's edits run only when the VM got no error, so a VM is
// rewritten entirely or not at all.
package rewrite
