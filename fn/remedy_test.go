package fn_test

import (
	"strings"
	"testing"
)

// nadCase is a VM on a declared network, beside the user's own NAD for it
// (unmanaged: the function never overwrites it), as a ResourceList.
func nadCase(declared, nadAnnotations, nadConfig string) string {
	return `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata:
    name: net
    annotations: {config.kubernetes.io/local-config: "true"}
  spec:
    namespace: vms
` + declared + `- apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata:
    name: net
    namespace: vms
    annotations: {` + nadAnnotations + `}
  spec:
    config: '` + nadConfig + `'
` + indentItem(secondaryVM("vm", "vms", "net", "sriov"))
}

// The remedy a conflict proposes can be followed and yields no new conflict:
// a NAD asking for another SR-IOV resource says to write resourceName (never
// extraConfig, which holds CNI keys); written so, the declaration and the NAD
// agree.
func TestRemedyIsFollowable(t *testing.T) {
	const config = `{"cniVersion": "0.3.1", "name": "net", "type": "sriov"}`
	in := nadCase("    type: sriov\n    resourceName: intel.com/a\n", "k8s.v1.cni.cncf.io/resourceName: intel.com/b", config)
	_, stderr, code := run(t, []byte(in))
	if code != 1 || !strings.Contains(stderr, "write resourceName: intel.com/b") || strings.Contains(stderr, "extraConfig") {
		t.Fatalf("the conflict's remedy: exit %d\n%s", code, stderr)
	}
	followed := nadCase("    type: sriov\n    resourceName: intel.com/b\n", "k8s.v1.cni.cncf.io/resourceName: intel.com/b", config)
	if _, stderr, code := run(t, []byte(followed)); code != 0 || strings.Contains(stderr, "differs from what") {
		t.Errorf("the remedy followed still conflicts: exit %d\n%s", code, stderr)
	}
}

// A bridge NAD requesting bridge-marker's resource of another bridge leaves the
// VM Pending: a warning names both bridges; its own bridge's is no finding.
func TestBridgeMarkerOfAnotherBridge(t *testing.T) {
	in := func(marker string) string {
		return strings.Replace(nadCase("    type: bridge\n    bridge: dev-bridge\n    generate: false\n",
			"k8s.v1.cni.cncf.io/resourceName: bridge.network.kubevirt.io/"+marker,
			`{"cniVersion": "0.3.1", "name": "net", "type": "bridge", "bridge": "dev-bridge"}`), "sriov: {}", "bridge: {}", 1)
	}
	_, stderr, code := run(t, []byte(in("bridge-dev")))
	if code != 0 || !strings.Contains(stderr, `warning: NetworkAttachmentDefinition vms/net`) ||
		!strings.Contains(stderr, `attaches host bridge "dev-bridge" but requests bridge-marker's resource for bridge "bridge-dev"`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, stderr, _ := run(t, []byte(in("dev-bridge"))); strings.Contains(stderr, "bridge-marker") {
		t.Errorf("its own bridge's marker was flagged:\n%s", stderr)
	}
}

// indentItem makes a document an item of a ResourceList's items.
func indentItem(doc string) string {
	lines := strings.Split(strings.TrimRight(doc, "\n"), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = "- " + lines[i]
		} else {
			lines[i] = "  " + lines[i]
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
