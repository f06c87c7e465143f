package fn_test

import (
	"strings"
	"testing"
)

// A List in a plain stream whose two VMs share one anchored interfaces list:
// an edit never reaches through the alias (it once gave the sriov network's VM
// the bridge binding and reported it set). Both forms say the same.
const aliasedDecls = `apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata: {name: fast}
spec: {type: sriov, resourceName: intel.com/sriov, namespace: vms}
---
apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata: {name: lan}
spec: {type: bridge, bridge: br0, namespace: vms}
---
`

func aliasedList(anchorNet, aliasNet string) string {
	return aliasedDecls + `apiVersion: v1
kind: List
items:
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata: {name: a, namespace: vms}
  spec:
    template:
      spec:
        domain:
          devices:
            interfaces: &ifs
            - name: default
              masquerade: {}
            - name: net
              bridge: {}
        networks:
        - name: default
          pod: {}
        - name: net
          multus: {networkName: ` + anchorNet + `}
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata: {name: b, namespace: vms}
  spec:
    template:
      spec:
        domain:
          devices:
            interfaces: *ifs
        networks:
        - name: default
          pod: {}
        - name: net
          multus: {networkName: ` + aliasNet + `}
`
}

// asResourceList wraps a stream's documents as the items of a ResourceList.
func asResourceList(stream string) string {
	var b strings.Builder
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, d := range strings.Split(stream, "---\n") {
		lines := strings.Split(strings.TrimRight(d, "\n"), "\n")
		b.WriteString("- " + lines[0] + "\n")
		for _, l := range lines[1:] {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}

func TestAliasesInAStream(t *testing.T) {
	t.Run("the anchor's VM needs the change the alias's VM must not get", func(t *testing.T) {
		in := aliasedList("fast", "lan")
		for form, input := range map[string]string{"stream": in, "ResourceList": asResourceList(in)} {
			out, stderr, code := run(t, []byte(input))
			if code != 1 || !strings.Contains(stderr, "holds the anchor &ifs, which an alias (*ifs) elsewhere in the input stands for") {
				t.Errorf("%s: exit %d\n%s\n%s", form, code, stderr, out)
			}
		}
	})
	t.Run("the alias's VM needs a change: it gets its own copy", func(t *testing.T) {
		in := aliasedList("lan", "fast")
		for form, input := range map[string]string{"stream": in, "ResourceList": asResourceList(in)} {
			out, stderr, code := run(t, []byte(input))
			if code != 0 {
				t.Fatalf("%s: exit %d\n%s", form, code, stderr)
			}
			a, b, _ := strings.Cut(out, "name: b, namespace: vms")
			if !strings.Contains(a, "interfaces: &ifs") || strings.Contains(a, "sriov: {}") {
				t.Errorf("%s: the anchor's VM changed:\n%s", form, a)
			}
			if strings.Contains(b, "*ifs") || !strings.Contains(b, "sriov: {}") {
				t.Errorf("%s: the alias's VM did not get its own sriov interfaces:\n%s", form, b)
			}
			again, stderr, _ := run(t, []byte(out))
			if !strings.Contains(stderr, "0 VMs changed") || (form == "stream" && again != out) {
				t.Errorf("%s: a second run changed the output:\n%s", form, stderr)
			}
		}
	})
}
