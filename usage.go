package main

// usage is what --help prints; `kpt fn doc` shows it. Every config field of the
// API is named here, and each type's fields are the ones the loader takes (tests
// hold it to fn/api and fn/config); docs/configuration.md says more.
const usage = `kubevirt-networks is a KRM function that makes KubeVirt VM networking correct by
construction. It reads a ResourceList (kustomize, kpt, Argo CD) or a plain YAML
stream (helm --post-renderer, kubectl pipes) on stdin and writes the same form on
stdout. From VMNetwork items (kubevirt-networks.io/v1alpha1) and the networks
operators declare (SriovNetwork, UserDefinedNetwork, ClusterUserDefinedNetwork) it
derives Multus NetworkAttachmentDefinitions, renames VM networks named after their
NAD to the logical name, gives each interface the binding its CNI needs, turns
manual k8s.v1.cni.cncf.io/networks annotations into spec.networks, and checks every
VM against KubeVirt's admission rules. A VM that works keeps working: only what is
wrong changes, and what cannot be known is said.

Results: a ResourceList gets them as KRM results; warnings and errors also go to
stderr, which ends with one summary line (VMs changed, NADs derived, updated and
pruned, warnings, errors); --report FILE gets every result. Exit code 1 iff an
error result exists; a stream with an error is not written at all, so Helm stops.

Objects rewritten: VirtualMachine, VirtualMachineInstance,
VirtualMachineInstanceReplicaSet (kubevirt.io), VirtualMachinePool (pool.kubevirt.io),
the VMs of Cluster API Provider KubeVirt's KubevirtMachineTemplate and KubevirtMachine
and of Harvester's VirtualMachineTemplateVersion, also inside a List or an OpenShift
Template. A KubeVirt or HyperConverged CR in the input is the cluster's truth for
what spec.cluster models (never changed).

Network config item (local config: kustomize drops it; a stream's output leaves it out):

  apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata: {name: external}          # the logical name
  spec:
    type: bridge        # bridge | sriov | macvtap | ovn-localnet | ovn-layer2 | ovs | custom
                        # (macvlan and ipvlan are refused: no KubeVirt binding carries traffic)
    bridge: br-ext
    nadName: ext-nad    # default: the logical name (name), with the prefix and suffix
                        # kustomize gave the declaring item
    namespace: vms      # default: a NAD in each VM namespace
    generate: true      # false: the NAD exists elsewhere; bind to it, derive nothing
    rename: nadNames    # nadNames (default) | always | never
    # The fields of each type:
    # bridge:       cniVersion, bridge, vlan, mtu, macSpoofCheck, preserveDefaultVlan,
    #               disableContainerInterface, ipam, cniType (bridge | cnv-bridge),
    #               bridgeMarker, extraConfig
    # sriov:        cniVersion, vlan, resourceName, vlanQoS, spoofChk, trust, linkState,
    #               minTxRate, maxTxRate, extraConfig
    # macvtap:      cniVersion, mtu, resourceName or lowerDevice, bindingPlugin (default
    #               macvtap), extraConfig
    # ovn-localnet: cniVersion, vlan, mtu, ovnNetworkName, physicalNetworkName, subnets,
    #               excludeSubnets, allowPersistentIPs, extraConfig
    # ovn-layer2:   cniVersion, mtu, ovnNetworkName, subnets, excludeSubnets,
    #               allowPersistentIPs, extraConfig
    # ovs:          cniVersion, bridge, vlan, mtu, trunk ([{id: 10}, {minID: 20, maxID: 30}]),
    #               extraConfig
    # custom:       cniVersion, resourceName, cniConfig (the whole CNI config),
    #               binding (bridge | sriov | <binding plugin>)
    # extraConfig:  more CNI keys, never ones the function derives

Function config (optional; in a stream: a VMNetworks document, or --config FILE):

  apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetworks
  spec:
    mode: fix             # fix | validate (changes nothing; every needed fix is an error)
    podNetwork: {binding: masquerade, enforce: false}   # masquerade | bridge | passtBinding
    networks: []          # inline VMNetwork specs, name required
    nadPath: ""           # folder for new NAD files
    rename: nadNames      # the default of every network's rename
    defaultNamespace: ""  # where objects without a namespace land (Helm's release
                          # namespace, kubectl -n); --namespace and HELM_NAMESPACE win
    cluster:              # the target cluster's KubeVirt settings (unset: KubeVirt's default;
                          # a KubeVirt or HyperConverged CR in the input wins)
      kubevirtVersion: v1.9             # the release the output is for, v1.4 to v1.9
                                        # (unset: v1.9, warning where it matters)
      permitBridgeInterfaceOnPodNetwork: true
      passtBindingFeatureGate: true     # from v1.8; Beta: on by default from v1.9
      portRangesSpecFeatureGate: false
      networkDevicesWithDRAFeatureGate: false
      defaultNetworkInterface: bridge   # bridge | masquerade
      fieldValidation: Strict           # Strict (unknown VM fields are errors) | Warn
      primaryUDNBinding: l2bridge       # l2bridge | passt
      bindingPlugins: []                # registered binding plugins (unset: not known)
      migrationNetwork: ""              # the NAD of KubeVirt's migration network

  or a ConfigMap with data keys mode, podBinding, enforce, kubevirtVersion:
    kpt fn eval --exec kubevirt-networks -- mode=validate

Usage:
  kustomize build --enable-alpha-plugins --enable-exec DIR   (transformers: entry)
  kpt fn render PKG --allow-exec                             (Kptfile pipeline)
  kpt fn eval PKG --exec kubevirt-networks --fn-config vm-networks.yaml
  helm template CHART --post-renderer kubevirt-networks      (Helm 3: the binary;
      Helm 4: the plugin, after examples/helm/install-helm4-plugin.sh)
  kubectl get vm -A -o yaml | kubevirt-networks --config vm-networks.yaml
  kubevirt-networks kustomize DIR [--validate]                (Argo CD, CI: kustomize
      without its exec plumbing, running no program the repository names;
      see kubevirt-networks kustomize --help)

Flags:
  --help            this text
  --version         the version
  --config FILE     the function config (a VMNetworks), for a stream
  --report FILE     also write every result, changes included, and the summary
                    line to FILE (Helm 4 drops a plugin's stderr)
  --namespace NS    where objects without a namespace land (-n); without it, a
                    stream reads HELM_NAMESPACE, which Helm passes on only when it is in
                    Helm's environment: with helm --namespace NS, add
                    --post-renderer-args --namespace=NS
  --kubevirt-version V
                    the KubeVirt release the output is for (v1.4 to v1.9; v1.5,
                    1.5 and v1.5.3 mean v1.5); wins over spec.cluster.kubevirtVersion,
                    and a KubeVirt CR in the input that states its version wins over it
  --validate        change nothing: every fix the function would make is an error
                    (a CI gate), whatever spec.mode says
  --stream          read a plain YAML stream even if it looks like a ResourceList;
                    an empty input is then an empty stream
  --resource-list   read a ResourceList; anything else is an error
`
