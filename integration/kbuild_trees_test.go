package integration

import (
	"fmt"
	"strings"
)

// The differential harness's trees: kustomize trees as people write them around
// the function, each a set of files. Pieces are composed so that each tree
// states only what it is about.

// files is a tree: path → content ("->target" makes a symbolic link).
type files map[string]string

func (f files) with(more files) files {
	out := files{}
	for k, v := range f {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

const vmNetworksDoc = `apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetworks
metadata:
  name: vm-networks
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: kubevirt-networks
spec:
  podNetwork:
    binding: masquerade
`

// vmDoc is a VM with the pod network and one Multus network named after its NAD.
func vmDoc(name, namespace, nad string, binding string) string {
	ns := ""
	if namespace != "" {
		ns = "\n  namespace: " + namespace
	}
	return fmt.Sprintf(`apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: %s%s
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          interfaces:
          - name: default
            masquerade: {}
          - name: %s
            %s: {}
        memory:
          guest: 1Gi
      networks:
      - name: default
        pod: {}
      - name: %s
        multus:
          networkName: %s
`, name, ns, nad, binding, nad, nad)
}

func vmNetworkDoc(name, body string) string {
	return fmt.Sprintf(`apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata:
  name: %s
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
%s`, name, indent(body, "  "))
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = by + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func docs(d ...string) string { return strings.Join(d, "---\n") }

// baseTree is a base of two VMs and their networks, the function at app/.
var baseTree = files{
	"base/kustomization.yaml": "resources: [networks.yaml, vms.yaml]\n",
	"base/networks.yaml": docs(
		vmNetworkDoc("external", "nadName: web-nad\ntype: bridge\nbridge: br-ext\nvlan: 100\n"),
		vmNetworkDoc("storage", "type: sriov\nresourceName: intel.com/sriov_storage\n")),
	"base/vms.yaml":        docs(vmDoc("web", "vms", "web-nad", "bridge"), vmDoc("db", "vms", "storage", "masquerade")),
	"app/vm-networks.yaml": vmNetworksDoc,
}

func app(kustomization string) files {
	return baseTree.with(files{"app/kustomization.yaml": kustomization})
}

const functionAtRoot = "resources: [../base]\ntransformers: [vm-networks.yaml]\n"

// inline turns a document into an inline entry of a kustomization list.
func inline(doc string) string {
	return "- |-\n" + indent(doc, "  ")
}

const labelTransformer = `apiVersion: builtin
kind: LabelTransformer
metadata:
  name: team
labels:
  team: blue
fieldSpecs:
- path: metadata/labels
  create: true
`

const namespaceTransformer = `apiVersion: builtin
kind: NamespaceTransformer
metadata:
  name: ns
  namespace: tenant-a
`

// foreignExec is another team's exec KRM function (a transformer that adds a label).
const foreignExec = `apiVersion: example.com/v1
kind: AddLabel
metadata:
  name: add-label
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./add-label.sh
`

// A script that answers a ResourceList with the same one (sed keeps it a transformer
// that changes nothing visible but runs).
const addLabelScript = "#!/bin/sh\nexec cat\n"

// ksopsGenerator is a KSOPS-style exec generator: a Secret from a script.
const ksopsGenerator = `apiVersion: viaduct.ai/v1
kind: ksops
metadata:
  name: secrets
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./ksops.sh
`

const ksopsScript = `#!/bin/sh
cat <<'EOF'
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: cloud-init
    namespace: vms
  stringData:
    userdata: "#cloud-config\n"
EOF
`

const containerFunction = `apiVersion: example.com/v1
kind: SetImage
metadata:
  name: set-image
  annotations:
    config.kubernetes.io/function: |
      container:
        image: example.com/set-image:v1
`

const sriovNetwork = `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetwork
metadata:
  name: fast-net
  namespace: openshift-sriov-network-operator
spec:
  resourceName: intel_sriov_netdevice
  networkNamespace: vms
  vlan: 0
`

// diffTree is one case of the harness.
type diffTree struct {
	name  string
	files files
	// dir is the app to build (default app).
	dir string
	// fast is whether the build runs the function after kustomize (false: the
	// function inside it, said on stderr).
	fast bool
	// fails: both paths fail (kustomize refuses the tree).
	fails bool
	// refused: the fast build refuses another function by default; with
	// --allow-functions it matches the transformer path.
	refused bool
	// noExec: the transformer path cannot run this tree (a container function).
	noExec bool
	// helm: both builds get --enable-helm with the pinned Helm 3.
	helm bool
}

func diffTrees() []diffTree {
	return []diffTree{
		{name: "function at the root", files: app(functionAtRoot), fast: true},
		{name: "inline NamespaceTransformer before the function", fast: true, files: app(
			"resources: [../base]\ntransformers:\n" + inline(namespaceTransformer) + "- vm-networks.yaml\n")},
		// kustomize runs a level's inline transformer configs before its files,
		// whatever the order they are listed in.
		{name: "inline LabelTransformer listed after the function", fast: true, files: app(
			"resources: [../base]\ntransformers:\n- vm-networks.yaml\n" + inline(labelTransformer))},
		{name: "function config inline", fast: true, files: app("resources: [../base]\ntransformers:\n" + inline(vmNetworksDoc))},
		{name: "function config in a folder", fast: true, files: app("resources: [../base]\ntransformers: [fns/vm-networks.yaml]\n").with(files{
			"app/fns/vm-networks.yaml": vmNetworksDoc})},
		{name: "function config as a kustomization of configs", fast: true, files: app("resources: [../base]\ntransformers: [fns]\n").with(files{
			"app/fns/kustomization.yaml": "resources: [vm-networks.yaml]\n", "app/fns/vm-networks.yaml": vmNetworksDoc})},
		{name: "transformer file: a builtin before the function", fast: true, files: app(functionAtRoot).with(files{
			"app/vm-networks.yaml": docs(labelTransformer, vmNetworksDoc)})},
		{name: "transformer file: a builtin after the function", files: app(functionAtRoot).with(files{
			"app/vm-networks.yaml": docs(vmNetworksDoc, labelTransformer)})},
		{name: "bases two deep", fast: true, files: baseTree.with(files{
			"mid/kustomization.yaml": "resources: [../base]\ncommonLabels: {tier: mid}\n",
			"app/kustomization.yaml": "resources: [../mid]\ntransformers: [vm-networks.yaml]\n"})},
		{name: "bases three deep with namespaces", fast: true, files: baseTree.with(files{
			"low/kustomization.yaml": "resources: [../base]\nnamespace: vms\n",
			"mid/kustomization.yaml": "resources: [../low]\ncommonAnnotations: {owner: team-a}\n",
			"app/kustomization.yaml": "resources: [../mid]\ntransformers: [vm-networks.yaml]\n"})},
		{name: "function below the root, a namespace above", files: baseTree.with(files{
			"platform/kustomization.yaml": "resources: [../base]\ntransformers: [vm-networks.yaml]\n",
			"platform/vm-networks.yaml":   vmNetworksDoc,
			"app/kustomization.yaml":      "resources: [../platform]\nnamespace: tenant-a\n"})},
		{name: "function twice", files: baseTree.with(files{
			"platform/kustomization.yaml": "resources: [../base]\ntransformers: [vm-networks.yaml]\n",
			"platform/vm-networks.yaml":   vmNetworksDoc,
			"app/kustomization.yaml":      "resources: [../platform]\ntransformers: [vm-networks.yaml]\n"})},
		{name: "namePrefix at the root", fast: true, files: app("namePrefix: prod-\n" + functionAtRoot)},
		{name: "nameSuffix at the root", fast: true, files: app("nameSuffix: -v2\n" + functionAtRoot)},
		{name: "namePrefix above the function", files: app(functionAtRoot).with(files{
			"prod/kustomization.yaml": "resources: [../app]\nnamePrefix: prod-\n"}), dir: "prod"},
		{name: "VMNetwork renamed by a patch that allows it", fast: true, files: app(functionAtRoot + `patches:
- target: {kind: VMNetwork, name: external}
  options: {allowNameChange: true}
  patch: |-
    apiVersion: kubevirt-networks.io/v1alpha1
    kind: VMNetwork
    metadata: {name: public}
`)},
		{name: "VMNetwork renamed by a JSON 6902 patch", fast: true, files: app(functionAtRoot + `patches:
- target: {kind: VMNetwork, name: storage}
  patch: |-
    - op: replace
      path: /metadata/name
      value: san
`)},
		{name: "SriovNetwork renamed by a patch", fast: true, files: baseTree.with(files{
			"base/vms.yaml":          docs(vmDoc("web", "vms", "fast-net", "sriov")),
			"base/networks.yaml":     sriovNetwork,
			"app/kustomization.yaml": functionAtRoot + "patches:\n- target: {kind: SriovNetwork}\n  options: {allowNameChange: true}\n  patch: |-\n    apiVersion: sriovnetwork.openshift.io/v1\n    kind: SriovNetwork\n    metadata: {name: fast-net-2, namespace: openshift-sriov-network-operator}\n"})},
		{name: "local-config KubeVirt CR without bridge on the pod network", fast: true, files: app("resources: [../base, kubevirt.yaml]\ntransformers: [vm-networks.yaml]\n").with(files{
			"base/vms.yaml": docs(strings.Replace(vmDoc("web", "vms", "web-nad", "bridge"), "- name: default\n            masquerade: {}", "- name: default\n            bridge: {}", 1)),
			"app/kubevirt.yaml": `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: kubevirt
  annotations: {config.kubernetes.io/local-config: "true"}
spec:
  configuration:
    network:
      permitBridgeInterfaceOnPodNetwork: false
`})},
		{name: "local-config NAD", fast: true, files: app("resources: [../base, nad.yaml]\ntransformers: [vm-networks.yaml]\n").with(files{
			"base/vms.yaml": docs(vmDoc("web", "vms", "mac", "masquerade")),
			"app/nad.yaml": `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: mac
  namespace: vms
  annotations: {config.kubernetes.io/local-config: "true"}
spec:
  config: '{"cniVersion": "0.3.1", "name": "mac", "type": "bridge", "bridge": "br1"}'
`})},
		{name: "sortOptions fifo", fast: true, files: app(functionAtRoot + "sortOptions: {order: fifo}\n")},
		{name: "sortOptions with NADs first", fast: true, files: app(functionAtRoot + "sortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [NetworkAttachmentDefinition]\n    orderLast: []\n")},
		{name: "two kustomization files", fails: true, files: app(functionAtRoot).with(files{"app/kustomization.yml": functionAtRoot})},
		{name: "symlinked app folder", fast: true, dir: "apps/app", files: baseTree.with(files{
			"real/app/kustomization.yaml": "resources: [../../base]\ntransformers: [vm-networks.yaml]\n",
			"real/app/vm-networks.yaml":   vmNetworksDoc,
			"apps/app":                    "->../real/app",
			// What ../base would mean from the link's own folder: never read.
			"apps/base/kustomization.yaml": "resources: [decoy.yaml]\n",
			"apps/base/decoy.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: decoy}\n"})},
		{name: "configMapGenerator with a hash suffix", fast: true, files: app(functionAtRoot + "configMapGenerator:\n- name: cloud-init\n  namespace: vms\n  files: [userdata]\n").with(files{
			"app/userdata": "#cloud-config\npassword: fedora\n"})},
		{name: "secretGenerator with files", fast: true, files: app(functionAtRoot + "secretGenerator:\n- name: keys\n  namespace: vms\n  files: [id.pub]\n").with(files{
			"app/id.pub": "ssh-ed25519 AAAA test\n"})},
		{name: "replacements", fast: true, files: app(functionAtRoot + `configMapGenerator:
- name: settings
  literals: [tier=gold]
  options: {disableNameSuffixHash: true}
replacements:
- source: {kind: ConfigMap, name: settings, fieldPath: data.tier}
  targets:
  - select: {kind: VirtualMachine}
    fieldPaths: [metadata.labels.tier]
    options: {create: true}
`)},
		{name: "patchesStrategicMerge file", fast: true, files: app(functionAtRoot + "patchesStrategicMerge: [memory.yaml]\n").with(files{
			"app/memory.yaml": "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: web, namespace: vms}\nspec:\n  template:\n    spec:\n      domain:\n        memory: {guest: 8Gi}\n"})},
		{name: "patchesJson6902 file", fast: true, files: app(functionAtRoot + "patchesJson6902:\n- target: {group: kubevirt.io, version: v1, kind: VirtualMachine, name: db}\n  path: halt.yaml\n").with(files{
			"app/halt.yaml": "- op: replace\n  path: /spec/runStrategy\n  value: Halted\n"})},
		{name: "patches with a path", fast: true, files: app(functionAtRoot + "patches:\n- path: memory.yaml\n").with(files{
			"app/memory.yaml": "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: db, namespace: vms}\nspec:\n  template:\n    spec:\n      domain:\n        memory: {guest: 8Gi}\n"})},
		{name: "images", fast: true, files: app(functionAtRoot + "images:\n- name: quay.io/containerdisks/fedora\n  newTag: \"41\"\n").with(files{
			"base/vms.yaml": docs(strings.Replace(vmDoc("web", "vms", "web-nad", "bridge"), "          interfaces:", "          disks:\n          - name: root\n            disk: {bus: virtio}\n          interfaces:", 1) + "      volumes:\n      - name: root\n        containerDisk: {image: quay.io/containerdisks/fedora:40}\n")})},
		{name: "labels and annotations", fast: true, files: app(functionAtRoot + "labels:\n- pairs: {app: vms}\n  includeSelectors: false\ncommonAnnotations: {team: blue}\n")},
		{name: "namespace at the root", fast: true, files: app(functionAtRoot + "namespace: tenant-a\n")},
		{name: "a component adds a VM", fast: true, files: app(functionAtRoot + "components: [../extra]\n").with(files{
			"extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [vm.yaml]\n",
			"extra/vm.yaml":            vmDoc("cache", "vms", "web-nad", "bridge")})},
		{name: "PatchTransformer file with a path", fast: true, files: app("resources: [../base]\ntransformers: [patch-transformer.yaml, vm-networks.yaml]\n").with(files{
			"app/patch-transformer.yaml": "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: halt}\npath: halt.yaml\ntarget: {kind: VirtualMachine, name: web}\n",
			"app/halt.yaml":              "- op: replace\n  path: /spec/runStrategy\n  value: Halted\n"})},
		{name: "SecretGenerator file with files", fast: true, files: app(functionAtRoot + "generators: [secret-generator.yaml]\n").with(files{
			"app/secret-generator.yaml": "apiVersion: builtin\nkind: SecretGenerator\nmetadata: {name: keys, namespace: vms}\nfiles: [id.pub]\n",
			"app/id.pub":                "ssh-ed25519 AAAA test\n"})},
		{name: "openapi schema at the root", fast: true, files: app(functionAtRoot + "openapi: {path: schema.json}\n").with(files{
			"app/schema.json": `{"definitions": {}}` + "\n"})},
		{name: "buildMetadata originAnnotations", fast: true, files: app(functionAtRoot + "buildMetadata: [originAnnotations]\n")},
		{name: "buildMetadata transformerAnnotations", fast: true, files: app(functionAtRoot + "namespace: vms\nbuildMetadata: [transformerAnnotations]\n")},
		{name: "buildMetadata managedByLabel", fast: true, files: app(functionAtRoot + "buildMetadata: [managedByLabel]\n")},
		{name: "helmCharts: a local chart inflated at the root", fast: true, helm: true, files: app(functionAtRoot + "helmCharts:\n- name: vmchart\n  releaseName: demo\n  namespace: vms\n").with(files{
			"app/charts/vmchart/Chart.yaml":        "apiVersion: v2\nname: vmchart\nversion: 0.1.0\n",
			"app/charts/vmchart/values.yaml":       "{}\n",
			"app/charts/vmchart/templates/vm.yaml": vmDoc("{{ .Release.Name }}-vm", "{{ .Release.Namespace }}", "web-nad", "bridge")})},
		{name: "no function in the tree", fast: true, files: app("resources: [../base]\n")},
		{name: "VMNetworks without the function annotation", fails: true, files: app(functionAtRoot).with(files{
			"app/vm-networks.yaml": "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nmetadata: {name: vm-networks}\nspec: {}\n"})},
		{name: "function config in container form", fast: true, files: app(functionAtRoot).with(files{
			"app/vm-networks.yaml": strings.Replace(vmNetworksDoc, "exec:\n        path: kubevirt-networks", "container:\n        image: ghcr.io/kubevirt-networks/kubevirt-networks:v0.1.0", 1)}), noExec: true},
		{name: "another exec function at the root", refused: true, files: app("resources: [../base]\ntransformers: [add-label.yaml, vm-networks.yaml]\n").with(files{
			"app/add-label.yaml": foreignExec, "app/add-label.sh": addLabelScript})},
		{name: "another exec function in a base", refused: true, files: baseTree.with(files{
			"team/kustomization.yaml": "resources: [../base]\ntransformers: [add-label.yaml]\n",
			"team/add-label.yaml":     foreignExec, "team/add-label.sh": addLabelScript,
			"app/kustomization.yaml": "resources: [../team]\ntransformers: [vm-networks.yaml]\n"})},
		{name: "KSOPS-style exec generator", refused: true, files: app(functionAtRoot + "generators: [secret-generator.yaml]\n").with(files{
			"app/secret-generator.yaml": ksopsGenerator, "app/ksops.sh": ksopsScript})},
		{name: "KSOPS-style exec generator alone in a folder", refused: true, files: app("resources: [../base, ../secrets]\ntransformers: [vm-networks.yaml]\n").with(files{
			"secrets/kustomization.yaml":    "generators: [secret-generator.yaml]\n",
			"secrets/secret-generator.yaml": ksopsGenerator, "secrets/ksops.sh": ksopsScript})},
		{name: "container function in a base", refused: true, noExec: true, files: baseTree.with(files{
			"team/kustomization.yaml": "resources: [../base]\ntransformers: [set-image.yaml]\n",
			"team/set-image.yaml":     containerFunction,
			"app/kustomization.yaml":  "resources: [../team]\ntransformers: [vm-networks.yaml]\n"})},
	}
}
