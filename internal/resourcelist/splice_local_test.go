package resourcelist

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

const localVM = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm}
spec:
  template:
    metadata:
      annotations:
        k8s.v1.cni.cncf.io/networks: lan
        other: kept
    spec:
      domain:
        devices:
          interfaces:
          - name: default
          - name: lan
            bridge: {}
      networks:
      - name: default
        pod: {}
      volumes:
      - name: cloudinit
        cloudInitNoCloud:
          userData: |
            #cloud-config
            user: fedora
`

// The local proof: where it holds, the whole read-back agrees (TestMain sets
// CheckLocalProofs, so every splice of the package's tests is held to both);
// where the edit's new text or the window's borders could read otherwise in
// the whole text, it declines and the whole text is read.
func TestLocalProof(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     string
		edit   func(r *yaml.Node)
		proven bool
	}{{
		name: "a VM's interfaces, networks and annotations: three windows, each read alone",
		in:   localVM,
		edit: func(r *yaml.Node) {
			ynode.Delete(at(r, "spec", "template", "metadata", "annotations"), "k8s.v1.cni.cncf.io/networks")
			ynode.Set(at(r, "spec", "template", "spec", "domain", "devices", "interfaces", "0"), "masquerade", ynode.NewMap())
			n := ynode.NewMap()
			ynode.SetString(n, "name", "lan")
			ynode.Set(n, "multus", ynode.NewMap())
			ynode.SetString(ynode.Get(n, "multus"), "networkName", "lan")
			l := at(r, "spec", "template", "spec", "networks")
			l.Content = append(l.Content, n)
		},
		proven: true,
	}, {
		name: "a new block scalar: it could take the lines after it",
		in:   localVM,
		edit: func(r *yaml.Node) {
			ynode.SetString(at(r, "spec", "template", "metadata", "annotations"), "other", "two\nlines\n")
		},
		proven: false,
	}, {
		name:   "an edit of the object's own keys: no window around it",
		in:     localVM,
		edit:   func(r *yaml.Node) { ynode.SetString(r, "kind", "VirtualMachineInstance") },
		proven: false,
	}, {
		name: "a comment after the window that YAML gives to the window's last node",
		in:   "spec:\n  l:\n  - a\n    # after\n  m: 1\n",
		edit: func(r *yaml.Node) {
			l := at(r, "spec", "l")
			l.Content = append(l.Content, ynode.NewString("b"))
		},
		proven: false,
	}, {
		name: "a comment in the window's lines that YAML gives to the next key outside it",
		in:   "l:\n- a\n- b\n  # about b\nm: 1\n",
		edit: func(r *yaml.Node) {
			l := at(r, "l")
			l.Content = l.Content[:1]
		},
		proven: false,
	}, {
		name:   "an alias to an anchor outside the window",
		in:     "base: &b {x: 1}\nspec:\n  m:\n    n: *b\n    o: 1\n",
		edit:   func(r *yaml.Node) { ynode.SetString(at(r, "spec", "m"), "o", "2") },
		proven: false,
	}} {
		orig, err := parseObject([]byte(c.in), false, true)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		edited := ynode.Copy(orig)
		c.edit(edited)
		li := yamllex.NewLineIndex([]byte(c.in))
		b, edits, ok := spliceEdit(li, orig, edited, spliceMode{goYAMLOnly: true})
		if !ok {
			t.Fatalf("%s: no splice", c.name)
		}
		if got := provenLocally(li, orig, edited, edits, true); got != c.proven {
			t.Errorf("%s: proven locally %v, want %v", c.name, got, c.proven)
		}
		if c.proven && !readsBackAs(b, edited, false, true) {
			t.Errorf("%s: proven locally, yet the whole text does not read back:\n%s", c.name, b)
		}
	}
}
