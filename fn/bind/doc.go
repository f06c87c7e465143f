// Package bind resolves a VM's Multus network reference to a declared network
// or a NAD in the input, the way KubeVirt resolves it: `a/b` is NAD b in namespace
// a, a bare name is in the VM's namespace; then a declared network by its NAD, or
// by its logical or previous name; then a NAD in the input (README: "Binding a VM
// network to a declared network").
package bind
