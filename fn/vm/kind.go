package vm

import (
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Kind is one VM kind and the paths of its parts.
type Kind struct {
	Group    string
	Versions []string
	Name     string
	// SpecPath leads to the VMI spec (networks, domain.devices.interfaces).
	SpecPath []string
	// TemplateMetaPath leads to the metadata that becomes the launcher pod's.
	TemplateMetaPath []string
	// InertMetaPaths lead to metadata whose Multus annotations never reach the pod.
	InertMetaPaths [][]string
	// VMSpecPath leads to the VirtualMachine spec holding `preference`; nil when the kind has none.
	VMSpecPath []string
	// Replicated kinds stamp one template into many VMs (a fixed MAC there is shared).
	Replicated bool
	// VMPath leads to a VirtualMachine embedded in another project's object (Cluster
	// API Provider KubeVirt, Harvester): its schema is kubevirt.io/v1 VirtualMachine's.
	// nil: the object is a KubeVirt kind itself.
	VMPath []string
	// Params: values may hold ${VAR} placeholders that a later step fills in
	// (clusterctl's template variables), never matched or judged by type.
	Params bool
}

// embedded is a kind that holds a VirtualMachine at vmPath (metadata and spec).
func embedded(group string, versions []string, name string, vmPath []string, replicated, params bool) *Kind {
	at := func(rest ...string) []string { return append(append([]string{}, vmPath...), rest...) }
	return &Kind{
		Group: group, Versions: versions, Name: name,
		SpecPath: at("spec", "template", "spec"), TemplateMetaPath: at("spec", "template", "metadata"),
		InertMetaPaths: [][]string{{"metadata"}, at("metadata")}, VMSpecPath: at("spec"),
		Replicated: replicated, VMPath: vmPath, Params: params,
	}
}

// Kinds are the objects the function rewrites.
var Kinds = []*Kind{
	{
		Group: "kubevirt.io", Versions: []string{"v1", "v1alpha3"}, Name: "VirtualMachine",
		SpecPath: []string{"spec", "template", "spec"}, TemplateMetaPath: []string{"spec", "template", "metadata"},
		InertMetaPaths: [][]string{{"metadata"}}, VMSpecPath: []string{"spec"},
	},
	{
		Group: "kubevirt.io", Versions: []string{"v1", "v1alpha3"}, Name: "VirtualMachineInstance",
		SpecPath: []string{"spec"}, TemplateMetaPath: []string{"metadata"},
	},
	{
		Group: "kubevirt.io", Versions: []string{"v1", "v1alpha3"}, Name: "VirtualMachineInstanceReplicaSet",
		SpecPath: []string{"spec", "template", "spec"}, TemplateMetaPath: []string{"spec", "template", "metadata"},
		InertMetaPaths: [][]string{{"metadata"}}, Replicated: true,
	},
	{
		Group: "pool.kubevirt.io", Versions: []string{"v1alpha1", "v1beta1"}, Name: "VirtualMachinePool",
		SpecPath:         []string{"spec", "virtualMachineTemplate", "spec", "template", "spec"},
		TemplateMetaPath: []string{"spec", "virtualMachineTemplate", "spec", "template", "metadata"},
		InertMetaPaths:   [][]string{{"metadata"}, {"spec", "virtualMachineTemplate", "metadata"}},
		VMSpecPath:       []string{"spec", "virtualMachineTemplate", "spec"}, Replicated: true,
	},
	// Cluster API Provider KubeVirt: the VMs of a workload cluster's machines.
	embedded(capkGroup, []string{"v1alpha1"}, "KubevirtMachineTemplate", []string{"spec", "template", "spec", "virtualMachineTemplate"}, true, true),
	embedded(capkGroup, []string{"v1alpha1"}, "KubevirtMachine", []string{"spec", "virtualMachineTemplate"}, false, true),
	// Harvester's VM templates (harvesterhci.io VirtualMachineTemplateVersion spec.vm).
	embedded("harvesterhci.io", []string{"v1beta1"}, "VirtualMachineTemplateVersion", []string{"spec", "vm"}, true, false),
}

const capkGroup = "infrastructure.cluster.x-k8s.io"

// Schema is what to hold to kubevirt.io/api: the object itself, or the
// VirtualMachine it embeds, whose problems' paths then start at prefix.
func (k *Kind) Schema(obj *yaml.Node, apiVersion string) (node *yaml.Node, group, version, kind, prefix string) {
	if k.VMPath == nil {
		group, version, _ = strings.Cut(apiVersion, "/")
		return obj, group, version, k.Name, ""
	}
	return mapAt(obj, k.VMPath), "kubevirt.io", "v1", "VirtualMachine", strings.Join(k.VMPath, ".")
}

// Lookup finds the kind of an object by apiVersion and kind.
func Lookup(apiVersion, kind string) *Kind {
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return nil
	}
	for _, k := range Kinds {
		if k.Name != kind || k.Group != group {
			continue
		}
		for _, v := range k.Versions {
			if v == version {
				return k
			}
		}
	}
	return nil
}

// SpecField is the dotted path of the VMI spec, as KubeVirt prints it.
func (k *Kind) SpecField() string { return strings.Join(k.SpecPath, ".") }

// TemplateAnnotationsField is the dotted path of the template annotations.
func (k *Kind) TemplateAnnotationsField() string {
	return strings.Join(append(append([]string{}, k.TemplateMetaPath...), "annotations"), ".")
}

// Spec returns the VMI spec mapping of obj, or nil.
func (k *Kind) Spec(obj *yaml.Node) *yaml.Node { return mapAt(obj, k.SpecPath) }

// TemplateMeta returns the template metadata mapping of obj, or nil.
func (k *Kind) TemplateMeta(obj *yaml.Node) *yaml.Node { return mapAt(obj, k.TemplateMetaPath) }

// PreferenceRef is the preference a VirtualMachine references (spec.preference).
type PreferenceRef struct {
	Name string
	// Cluster: a VirtualMachineClusterPreference (KubeVirt's default kind), not a
	// namespaced VirtualMachinePreference.
	Cluster bool
	// Inferred: the preference is named by a volume (inferFromVolume), not here.
	Inferred bool
}

// Preference returns the preference the VM references, if any. KubeVirt applies
// it before validating, so it can fill a pod interface's missing binding.
func (k *Kind) Preference(obj *yaml.Node) (PreferenceRef, bool) {
	if k.VMSpecPath == nil {
		return PreferenceRef{}, false
	}
	p := ynode.Get(mapAt(obj, k.VMSpecPath), "preference")
	if !ynode.IsMap(p) {
		return PreferenceRef{}, false
	}
	kind := strings.ToLower(ynode.Str(p, "kind"))
	return PreferenceRef{
		Name:     ynode.Str(p, "name"),
		Cluster:  kind == "" || strings.HasPrefix(kind, "virtualmachineclusterpreference"),
		Inferred: ynode.Str(p, "inferFromVolume") != "",
	}, true
}

// Area is a part of a VM the function edits. Edits are made there only after it is
// made the object's own: no alias reaches in from, or out to, another place.
type Area int

// The areas the function edits.
const (
	// AreaNetworks is spec.networks and domain.devices.interfaces, edited together.
	AreaNetworks Area = iota
	// AreaTemplateAnnotations is the annotations that become the launcher pod's.
	AreaTemplateAnnotations
	// AreaOwnAnnotations is the annotations on the object's own metadata.
	AreaOwnAnnotations
)

// Paths are where an area is in this kind.
func (k *Kind) Paths(a Area) [][]string {
	switch a {
	case AreaNetworks:
		return [][]string{
			append(append([]string{}, k.SpecPath...), "networks"),
			append(append([]string{}, k.SpecPath...), "domain", "devices", "interfaces"),
		}
	case AreaTemplateAnnotations:
		return [][]string{append(append([]string{}, k.TemplateMetaPath...), "annotations")}
	}
	var paths [][]string
	for _, p := range append([][]string{{"metadata"}}, k.InertMetaPaths...) {
		if !slices.ContainsFunc(paths, func(q []string) bool { return slices.Equal(q[:len(q)-1], p) }) {
			paths = append(paths, append(append([]string{}, p...), "annotations"))
		}
	}
	return paths
}

// Replicas is how many VMs the object makes; KubeVirt defaults a replicated kind's to 1.
func (k *Kind) Replicas(obj *yaml.Node) int64 {
	if !k.Replicated {
		return 1
	}
	if n, ok := ynode.Int(ynode.Get(obj, "spec"), "replicas"); ok {
		return n
	}
	return 1
}

func mapAt(obj *yaml.Node, path []string) *yaml.Node {
	n := ynode.Path(obj, path...)
	if !ynode.IsMap(n) {
		return nil
	}
	return ynode.Resolve(n)
}

// Target is one VM an item holds: the item itself for a VM kind, or an object
// of a container the registry knows (a List's items, an OpenShift Template's
// objects).
type Target struct {
	Node *yaml.Node
	Kind *Kind
	// Templated: values may hold parameters a later step fills in (a Template's
	// ${PARAMETER}, clusterctl's ${VAR}), never matched or judged by type.
	Templated bool
	// Inner: the VM is an object inside the item, not the item.
	Inner bool
}

// templateAPIVersion is OpenShift's Template (the common-templates ship VMs in them).
const templateAPIVersion = "template.openshift.io/v1"

// IsContainer reports whether apiVersion/kind name a container of objects the
// registry opens: a List (as kubectl get -o yaml writes it) or an OpenShift
// Template.
func IsContainer(apiVersion, kind string) bool {
	return (strings.HasSuffix(kind, "List") && kind != "ResourceList") || (kind == "Template" && (apiVersion == templateAPIVersion || apiVersion == "v1"))
}

// Contents are the objects a container holds: a List's items, a Template's objects.
func Contents(node *yaml.Node) []*yaml.Node {
	key := "items"
	if ynode.Str(node, "kind") == "Template" {
		key = "objects"
	}
	list := ynode.Get(node, key)
	if !ynode.IsSeq(list) {
		return nil
	}
	out := make([]*yaml.Node, 0, len(list.Content))
	for _, o := range list.Content {
		if o = ynode.Resolve(o); ynode.IsMap(o) {
			out = append(out, o)
		}
	}
	return out
}

// Targets are the VMs an item of apiVersion av and kind kind holds (as the item
// was read: where a key is written twice, the value kubectl keeps), each with
// its kind.
func Targets(node *yaml.Node, av, kind string) []Target {
	if k := Lookup(av, kind); k != nil {
		return []Target{{Node: node, Kind: k, Templated: k.Params}}
	}
	if !IsContainer(av, kind) {
		return nil
	}
	templated := kind == "Template"
	var out []Target
	for _, o := range Contents(node) {
		if k := Lookup(ynode.Str(o, "apiVersion"), ynode.Str(o, "kind")); k != nil {
			out = append(out, Target{Node: o, Kind: k, Templated: templated, Inner: true})
		}
	}
	return out
}
