package main

// usage is what --help prints; `kpt fn doc` shows it.
const usage = `kubevirt-networks: a KRM function that makes KubeVirt VM networking correct by construction.

It reads a ResourceList on stdin and writes one on stdout. From VMNetwork items
(kubevirt-networks.io/v1alpha1) it derives Multus NetworkAttachmentDefinitions,
renames VM networks and interfaces to the logical network name, gives each
interface the binding its CNI needs, turns manual k8s.v1.cni.cncf.io/networks
annotations into spec.networks, and reports every change and every problem as
a KRM result (warnings and errors also on stderr). Exit code 1 iff an error
result exists.

Objects rewritten: VirtualMachine, VirtualMachineInstance,
VirtualMachineInstanceReplicaSet (kubevirt.io), VirtualMachinePool (pool.kubevirt.io).

Network config item:

  apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata: {name: external}
  spec:
    type: bridge          # bridge | sriov | macvtap | ovn-localnet | ovn-layer2
    bridge: br-ext        # (macvlan and ipvlan are refused: no KubeVirt binding works)
    vlan: 100
    nadName: ubuntu-vm-external-nad   # default: the logical name
    namespace: vms                    # default: a NAD in each VM namespace

Function config (optional):

  apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetworks
  spec:
    mode: fix             # fix | validate (changes nothing, every needed fix is an error)
    podNetwork: {binding: masquerade, enforce: false}
    networks: []          # inline VMNetwork specs, name required
    nadPath: ""           # folder for new NAD files
    cluster: {permitBridgeInterfaceOnPodNetwork: true, passtBindingFeatureGate: true}

  or a ConfigMap with data keys mode, podBinding, enforce:
    kpt fn eval --exec kubevirt-networks -- mode=validate

Usage:
  kustomize build --enable-alpha-plugins --enable-exec DIR   (transformers: entry)
  kpt fn render PKG --allow-exec                             (Kptfile pipeline)
  kpt fn eval PKG --exec kubevirt-networks --fn-config vm-networks.yaml

Flags:
  --help      this text
  --version   the version
`
