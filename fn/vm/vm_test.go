package vm

import (
	"fmt"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func object(t *testing.T, s string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

// Every kind keeps its VMI spec where the kind says, and nothing else in the
// function needs to know where.
func TestKindsFindTheirSpec(t *testing.T) {
	spec := "{networks: [{name: default, pod: {}}]}"
	for _, tc := range []struct{ apiVersion, kind, yaml string }{
		{"kubevirt.io/v1", "VirtualMachine", "spec: {template: {spec: " + spec + "}}"},
		{"kubevirt.io/v1alpha3", "VirtualMachineInstance", "spec: " + spec},
		{"kubevirt.io/v1", "VirtualMachineInstanceReplicaSet", "spec: {replicas: 2, template: {spec: " + spec + "}}"},
		{"pool.kubevirt.io/v1beta1", "VirtualMachinePool", "spec: {virtualMachineTemplate: {spec: {template: {spec: " + spec + "}}}}"},
	} {
		k := Lookup(tc.apiVersion, tc.kind)
		if k == nil {
			t.Fatalf("%s %s is not a VM kind", tc.apiVersion, tc.kind)
		}
		s, problems := ReadSpec(k.Spec(object(t, tc.yaml)), k.SpecField())
		if len(problems) > 0 || len(s.Networks) != 1 || s.Networks[0].Source != SourcePod {
			t.Errorf("%s: networks %+v, problems %v", tc.kind, s, problems)
		}
	}
	for _, other := range [][2]string{{"kubevirt.io/v2", "VirtualMachine"}, {"v1", "Pod"}, {"kubevirt.io", "VirtualMachine"}} {
		if Lookup(other[0], other[1]) != nil {
			t.Errorf("%s %s taken for a VM kind", other[0], other[1])
		}
	}
}

// ReadSpec reads what the checks and the rewrite need, and names every shape it
// cannot read with its field.
func TestReadSpec(t *testing.T) {
	cases := []struct {
		spec, want string
	}{
		{"{domain: {devices: {interfaces: [{name: a, bridge: {}, macAddress: '02:00:00:00:00:01', state: down}]}}, networks: [{name: a, multus: {networkName: ns/x, default: true}}]}",
			"networks [a multus ns/x default] interfaces [a [bridge] mac 02:00:00:00:00:01 state down]"},
		{"{domain: {devices: {interfaces: [{name: a, binding: {name: l2bridge}}]}}, networks: [{name: a, pod: {}}]}",
			"networks [a pod] interfaces [a [binding] plugin l2bridge]"},
		{"{networks: [{name: a, pod: {}, multus: {networkName: x}}]}", "networks [a many] interfaces []"},
		{"{networks: {a: {pod: {}}}}", "problem spec.networks: spec.networks must be a list of networks"},
		{"{domain: {devices: {interfaces: [eth0]}}}", "problem spec.domain.devices.interfaces[0]: spec.domain.devices.interfaces[0] must be a mapping with a name and a binding"},
	}
	for _, tc := range cases {
		s, problems := ReadSpec(object(t, tc.spec), "spec")
		got := ""
		if len(problems) > 0 {
			got = fmt.Sprintf("problem %s: %s", problems[0].Field, problems[0].Message)
		} else {
			got = "networks ["
			for _, n := range s.Networks {
				got += fmt.Sprintf("%s %s", n.Name, n.Source)
				if n.NetworkName != "" {
					got += " " + n.NetworkName
				}
				if n.Default {
					got += " default"
				}
			}
			got += "] interfaces ["
			for _, i := range s.Interfaces {
				got += fmt.Sprintf("%s %v", i.Name, i.Bindings)
				if i.Plugin != "" {
					got += " plugin " + i.Plugin
				}
				if i.MAC != "" {
					got += " mac " + i.MAC
				}
				if i.State != "" {
					got += " state " + i.State
				}
			}
			got += "]"
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.spec, got, tc.want)
		}
	}
}
