// Package fleet writes synthetic fleets of KubeVirt VMs for benchmarks and for
// the tests that need a large input in kpt's layout: VMNetwork items for every
// network the VMs use, then VMs with two or three networks (the pod network and
// one or two Multus networks of bridge, SR-IOV or macvtap), a manual
// k8s.v1.cni.cncf.io/networks annotation (what the function converts), kpt's
// path and index annotations, disks, a data volume template and cloud-init,
// and a VMNetworks function config last, where kpt puts it. The output is the
// same for the same size and seed.
package fleet
