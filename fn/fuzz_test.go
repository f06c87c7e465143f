package fn_test

import (
	"testing"
)

// fuzzSeeds are small ResourceLists (and a stream), each showing one thing the function reads:
// coverage-guided fuzzing spends its time minimizing what a large seed reaches, so
// the seeds stay small and the golden cases, KubeVirt's examples and the fleets are
// checked by their own tests instead.
var fuzzSeeds = []string{
	header + `items:
- apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata: {name: external}
  spec: {type: bridge, bridge: br-ext, nadName: ext-nad, vlan: 100}
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata: {name: vm, namespace: vms}
  spec:
    template:
      metadata:
        annotations: {k8s.v1.cni.cncf.io/networks: '[{"name":"ext-nad","mac":"02:00:00:00:00:01"}]'}
      spec:
        domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: ext-nad, macvtap: {}}]}}
        networks: [{name: default, pod: {}}, {name: ext-nad, multus: {networkName: ext-nad}}]
`,
	header + `items:
- apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata: {name: lan, namespace: vms}
  spec:
    config: '{"cniVersion":"0.3.1","type":"sriov","vlan":5}'
- apiVersion: kubevirt.io/v1
  kind: VirtualMachineInstance
  metadata: {name: vmi, namespace: vms}
  spec:
    domain: {devices: {interfaces: [{name: lan, bridge: {}, state: absent}]}}
    networks: [{name: lan, multus: {networkName: lan}}]
functionConfig:
  apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetworks
  spec: {mode: validate, cluster: {permitBridgeInterfaceOnPodNetwork: false}}
`,
	header + `items:
- apiVersion: v1
  kind: List
  items:
  - apiVersion: kubevirt.io/v1
    kind: VirtualMachine
    metadata: {name: in-list}
    spec: {template: {spec: {domain: {devices: {}}}}}
- apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata:
    name: old
    labels: {app.kubernetes.io/managed-by: kubevirt-networks}
    annotations: {kubevirt-networks.io/network: old}
  spec: {config: '{}'}
`,
	"# a comment\n" + header + `items:
- apiVersion: v1
  kind: ConfigMap
  data: &d {k: v}
- apiVersion: pool.kubevirt.io/v1beta1
  kind: VirtualMachinePool
  metadata: {name: pool}
  spec:
    replicas: 2
    virtualMachineTemplate:
      spec:
        template:
          metadata: {annotations: *d}
          spec:
            domain: {devices: {interfaces: [{name: a, bridge: {}, macAddress: "02:00:00:00:00:02"}]}}
            networks: [{name: a, multus: {networkName: x}}]
`,
	`{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":[]}`,
	"{\n  \"apiVersion\": \"kubevirt.io/v1\",\n  \"kind\": \"VirtualMachine\",\n  \"metadata\": {\"name\": \"j\\u00e9\"},\n  \"spec\": {\"template\": {\"spec\": {\"domain\": {\"devices\": {\"interfaces\": [{\"name\": \"default\"}]}}, \"networks\": [{\"name\": \"default\", \"pod\": {}}]}}}\n}\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}\n",
	`---
# Source: c/templates/net.yaml
apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata: {name: lan}
spec: {type: bridge, bridge: br1}
---
# Source: c/templates/vm.yaml
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm, namespace: vms}
spec:
  template:
    spec:
      domain: {devices: {interfaces: [{name: lan, bridge: {}}]}}
      networks: [{name: lan, multus: {networkName: lan}}]
`,
}

// FuzzRun feeds arbitrary ResourceLists to the whole function and checks the
// guarantees of checkProperties on each: no crash or hang, a clear error for what
// it refuses, objects it does not own unchanged, nothing lost, nothing changed by a
// second run. An input it fails on is saved under testdata/fuzz/FuzzRun and from
// then on runs with every `go test` as a regression test.
//
//	go test ./fn -run '^$' -fuzz '^FuzzRun$' -fuzztime 60s
func FuzzRun(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		checkProperties(t, input)
	})
}

// Every seed is accepted: a seed the function refuses would leave the fuzzer
// exploring error paths only.
func TestFuzzSeedsAreAccepted(t *testing.T) {
	for i, s := range fuzzSeeds {
		if out, stderr, _ := run(t, []byte(s)); out == "" {
			t.Errorf("seed %d is refused:\n%s", i, stderr)
		}
	}
}
