package vm

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The registry says which VMs an item holds: the fixing step and the alias
// expansion walk no container themselves.
func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		name      string
		item      string
		want      []string // the targets' names
		templated bool
		inner     bool
	}{
		{"a VM is its own target", "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: a}\n", []string{"a"}, false, false},
		{"a List's VMs, not its other objects", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: kubevirt.io/v1, kind: VirtualMachine, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n- {apiVersion: kubevirt.io/v1, kind: VirtualMachineInstance, metadata: {name: b}}\n", []string{"a", "b"}, false, true},
		{"a Template's VMs, their values templated", "apiVersion: template.openshift.io/v1\nkind: Template\nobjects:\n- {apiVersion: kubevirt.io/v1, kind: VirtualMachine, metadata: {name: \"${NAME}\"}}\n", []string{"${NAME}"}, true, true},
		{"a kind whose values hold clusterctl's variables", "apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1\nkind: KubevirtMachineTemplate\nmetadata: {name: m}\n", []string{"m"}, true, false},
		{"an object that holds no VM", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", nil, false, false},
		{"a ResourceList is no container", "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: kubevirt.io/v1, kind: VirtualMachine, metadata: {name: a}}\n", nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := yaml.Parse(tc.item)
			if err != nil {
				t.Fatal(err)
			}
			targets := Targets(n.YNode(), n.GetApiVersion(), n.GetKind())
			var names []string
			for _, tg := range targets {
				names = append(names, ynode.Str(ynode.Get(tg.Node, "metadata"), "name"))
				if tg.Kind == nil || tg.Templated != tc.templated || tg.Inner != tc.inner {
					t.Errorf("target %+v: templated %v, inner %v; want %v, %v", names, tg.Templated, tg.Inner, tc.templated, tc.inner)
				}
			}
			if len(names) != len(tc.want) {
				t.Fatalf("targets %v, want %v", names, tc.want)
			}
			for i := range names {
				if names[i] != tc.want[i] {
					t.Errorf("targets %v, want %v", names, tc.want)
				}
			}
		})
	}
}
