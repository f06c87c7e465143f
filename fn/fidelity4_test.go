package fn_test

import (
	"strings"
	"testing"
)

// Fidelity IV, finding 1 (reduced from a Kubermatic user-cluster VM): the Multus
// annotation names the NAD spec.networks already names, the NAD not in the
// input. KubeVirt builds the pod's annotation from spec.networks: the
// annotation is redundant and removed with an info, and no warning claims the
// NAD's binding or the element's keys matter.
func TestRedundantAnnotationOfAnUnknownNAD(t *testing.T) {
	in := `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: worker, namespace: tenant-a}
spec:
  template:
    metadata:
      annotations:
        k8s.v1.cni.cncf.io/networks: '[{"name": "usn-1d2e3f-vlan18", "namespace": "tenant-a", "interface": "net1"}]'
    spec:
      domain:
        devices:
          interfaces:
          - {name: default, masquerade: {}}
          - {name: vlan18, bridge: {}}
      networks:
      - {name: default, pod: {}}
      - {name: vlan18, multus: {networkName: tenant-a/usn-1d2e3f-vlan18}}
`
	out, stderr, code := run(t, []byte(in))
	if code != 0 || strings.Contains(stderr, "warning:") {
		t.Errorf("exit %d, want 0 without warnings:\n%s", code, stderr)
	}
	if strings.Contains(out, "k8s.v1.cni.cncf.io/networks") || !strings.Contains(stderr, "1 VM changed") {
		t.Errorf("the redundant annotation was not removed:\n%s\n%s", out, stderr)
	}
	if !strings.Contains(out, "multus: {networkName: tenant-a/usn-1d2e3f-vlan18}") {
		t.Errorf("spec.networks changed:\n%s", out)
	}
}

// Finding 2 (reduced from a DO316 lab): a VM with only the pod network
// (masquerade) whose annotation adds a macvlan NAD works: the launcher pod gets
// the NIC and the guest reaches that network through the pod's NAT. No error;
// the annotation is kept with a warning that says so. The same NAD bound to a VM
// interface is still refused.
func TestPodOnlyVMWithAMacvlanAnnotation(t *testing.T) {
	const nad = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: mac, namespace: vms}
spec:
  config: '{"cniVersion": "0.3.1", "name": "mac", "type": "macvlan", "master": "eth1", "mode": "bridge"}'
---
`
	in := nad + podOnlyVM("lab", "vms", "mac")
	out, stderr, code := run(t, []byte(in))
	if code != 0 || !strings.Contains(stderr, "through the pod's NAT") || strings.Contains(stderr, "error:") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if out != in {
		t.Errorf("the working VM was changed:\n%s", out)
	}
	bound := nad + secondaryVM("lab", "vms", "mac", "bridge")
	if _, stderr, code := run(t, []byte(bound)); code != 1 || !strings.Contains(stderr, "macvlan") {
		t.Errorf("a VM interface bound to macvlan was not refused: exit %d\n%s", code, stderr)
	}
}

// Finding 4: a NAD that states "role": "primary" (what OVN-Kubernetes renders
// from a primary Layer2 UserDefinedNetwork) makes its namespace's pod network a
// primary user-defined network, exactly as the UserDefinedNetwork does.
func TestPrimaryNetworkWrittenAsANAD(t *testing.T) {
	vmDoc := podOnlyVM("vm", "blue", "")
	asNAD := `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: tenant-blue, namespace: blue}
spec:
  config: '{"cniVersion": "1.0.0", "name": "blue_tenant-blue", "type": "ovn-k8s-cni-overlay", "topology": "layer2", "role": "primary", "subnets": "10.20.0.0/16", "netAttachDefName": "blue/tenant-blue"}'
---
` + vmDoc
	asUDN := `apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: {name: tenant-blue, namespace: blue}
spec:
  topology: Layer2
  layer2: {role: Primary, subnets: [10.20.0.0/16]}
---
` + vmDoc
	nadOut, nadErr, nadCode := run(t, []byte(asNAD))
	udnOut, udnErr, udnCode := run(t, []byte(asUDN))
	vmOf := func(s string) string { return s[strings.Index(s, "kind: VirtualMachine"):] }
	if nadCode != 0 || udnCode != 0 || vmOf(nadOut) != vmOf(udnOut) || !strings.Contains(vmOf(nadOut), "binding: {name: l2bridge}") {
		t.Errorf("the NAD form differs from the UDN form:\n%s\n%s\n---\n%s\n%s", nadOut, nadErr, udnOut, udnErr)
	}
	if !strings.Contains(nadErr, `primary network is NetworkAttachmentDefinition "tenant-blue"`) {
		t.Errorf("the warning does not name the NAD:\n%s", nadErr)
	}
	secondary := strings.Replace(asNAD, `"role": "primary", `, "", 1)
	if out, _, _ := run(t, []byte(secondary)); !strings.Contains(out, "masquerade: {}") {
		t.Errorf("a secondary OVN NAD changed the pod network:\n%s", out)
	}
}

// Finding 5 (reduced from a kube-ovn tree): kube-ovn keys an attachment as
// <nad>.<namespace>.<provider>, so a custom network's provider written for one
// namespace is derived per namespace, never copied into another.
func TestKubeOVNProviderPerNamespace(t *testing.T) {
	vm := func(ns string) string { return "---\n" + secondaryVM("vm", ns, "vswitch1", "bridge") }
	in := `apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata: {name: vswitch1}
spec:
  type: custom
  binding: bridge
  cniConfig: {type: kube-ovn, server_socket: /run/openvswitch/kube-ovn-daemon.sock, provider: vswitch1.default.ovn}
` + vm("default") + vm("tenant-b")
	out, stderr, code := run(t, []byte(in))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{`"provider": "vswitch1.default.ovn"`, `"provider": "vswitch1.tenant-b.ovn"`} {
		if strings.Count(out, want) != 1 {
			t.Errorf("want one NAD with %s:\n%s", want, out)
		}
	}
}

// Finding 3 (reduced from an OpenShift cookbook): the operator CRs the function
// reads are held to their schemas as VMs are: a ClusterUserDefinedNetwork's
// localnet.vlanID (OVN-Kubernetes reads vlan.access.id) is an error under
// strict field validation, a warning under Warn, and names what the operator
// reads; a UserDefinedNetwork's spec.ipam likewise.
func TestOperatorCRsHeldToTheirSchemas(t *testing.T) {
	cudn := `apiVersion: k8s.ovn.org/v1
kind: ClusterUserDefinedNetwork
metadata: {name: vlan100}
spec:
  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: vms}}
  network:
    topology: Localnet
    localnet:
      role: Secondary
      physicalNetworkName: physnet
      vlanID: 100
`
	_, stderr, code := run(t, []byte(cudn))
	if code != 1 || !strings.Contains(stderr, "error: ClusterUserDefinedNetwork vlan100 spec.network.localnet.vlanID: unknown field") ||
		!strings.Contains(stderr, "OVN-Kubernetes reads vlan: {mode: Access, access: {id: <VLAN>}}") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	warn := "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata: {name: c}\nspec:\n  cluster: {fieldValidation: Warn}\n---\n" + cudn
	if _, stderr, code := run(t, []byte(warn)); code != 0 || !strings.Contains(stderr, "warning: ClusterUserDefinedNetwork vlan100 spec.network.localnet.vlanID: unknown field") {
		t.Errorf("fieldValidation Warn: exit %d\n%s", code, stderr)
	}
	udn := `apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: {name: primary, namespace: vms}
spec:
  topology: Layer2
  layer2: {role: Primary, subnets: [10.10.0.0/16]}
  ipam: {lifecycle: Persistent}
`
	if _, stderr, code := run(t, []byte(udn)); code != 1 || !strings.Contains(stderr, "spec.ipam: unknown field") || !strings.Contains(stderr, "spec.layer2.ipam") {
		t.Errorf("a UDN's misplaced ipam: exit %d\n%s", code, stderr)
	}
	// Fields of every release in use are no finding: ipamLifecycle (older), ipam (newer), vlan.
	ok := strings.Replace(cudn, "      vlanID: 100\n", "      vlan: {mode: Access, access: {id: 100}}\n      ipam: {mode: Disabled}\n", 1)
	if _, stderr, code := run(t, []byte(ok)); code != 0 || strings.Contains(stderr, "unknown field") {
		t.Errorf("a valid CUDN: exit %d\n%s", code, stderr)
	}
	sriov := "apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetwork\nmetadata: {name: fast, namespace: openshift-sriov-network-operator}\nspec: {resourceName: intel_sriov, networkNamespace: vms, vlan: 10, logLevel: info, spoofchk: \"on\"}\n"
	if _, stderr, code := run(t, []byte(sriov)); code != 1 || !strings.Contains(stderr, `spec.spoofchk: unknown field`) || !strings.Contains(stderr, `did you mean "spoofChk"?`) {
		t.Errorf("a SriovNetwork's misspelt field: exit %d\n%s", code, stderr)
	}
}

// secondaryVM is a VM on the pod network (masquerade) and on network net, bound
// with binding.
func secondaryVM(name, namespace, net, binding string) string {
	return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: ` + name + `, namespace: ` + namespace + `}
spec:
  template:
    spec:
      domain:
        devices:
          interfaces:
          - {name: default, masquerade: {}}
          - {name: ` + net + `, ` + binding + `: {}}
      networks:
      - {name: default, pod: {}}
      - {name: ` + net + `, multus: {networkName: ` + net + `}}
`
}

// podOnlyVM is a VM on the pod network alone (masquerade), with a Multus
// annotation naming networks where given.
func podOnlyVM(name, namespace, networks string) string {
	meta := ""
	if networks != "" {
		meta = "    metadata:\n      annotations:\n        k8s.v1.cni.cncf.io/networks: " + networks + "\n"
	}
	return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: ` + name + `, namespace: ` + namespace + `}
spec:
  template:
` + meta + `    spec:
      domain:
        devices:
          interfaces:
          - {name: default, masquerade: {}}
      networks:
      - {name: default, pod: {}}
`
}
