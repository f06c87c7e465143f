package fn

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// facts are what the input says about the cluster beyond the networks: the VM
// preferences, the namespaces and the KubeVirt or HCO CRs it holds.
type facts struct {
	// clusterCRs are the KubeVirt and HyperConverged CRs, in input order.
	clusterCRs []config.ClusterCR
	// releases are the KubeVirt releases the input states (the KubeVirt CRs,
	// the virt-operator Deployment).
	releases []config.StatedRelease
	// preferences maps a preference to whether it sets preferredInterfaceMasquerade.
	preferences map[prefKey]bool
	// namespaces are the labels of the Namespace items.
	namespaces map[string]map[string]string
}

type prefKey struct {
	cluster         bool
	namespace, name string
}

// read takes the facts an item holds.
func (f *facts) read(node *yaml.Node) {
	kind := ynode.Str(node, "kind")
	meta := ynode.Get(node, "metadata")
	switch kind {
	case config.KindKubeVirt, config.KindHyperConverged:
		cr := config.ReadClusterCR(node, objectOf(node))
		f.clusterCRs = append(f.clusterCRs, cr)
		f.releases = append(f.releases, cr.Releases...)
	case kindDeployment:
		if r := config.OperatorRelease(node, objectOf(node)); r != nil {
			f.releases = append(f.releases, *r)
		}
	case api.KindNamespace:
		if f.namespaces == nil {
			f.namespaces = map[string]map[string]string{}
		}
		f.namespaces[ynode.Str(meta, "name")] = ynode.StringMap(ynode.Get(meta, "labels"))
	case api.KindPreference, api.KindClusterPref:
		if f.preferences == nil {
			f.preferences = map[prefKey]bool{}
		}
		k := prefKey{cluster: kind == api.KindClusterPref, name: ynode.Str(meta, "name")}
		if !k.cluster {
			k.namespace = ynode.Str(meta, "namespace")
		}
		// preferredInterfaceMasquerade is an object (InterfaceMasquerade): set means not null.
		f.preferences[k] = !ynode.IsNull(ynode.Path(node, "spec", "devices", "preferredInterfaceMasquerade"))
	}
}

// namespaceLabels are a namespace's labels as the input shows them.
func (f *facts) namespaceLabels(ns string) map[string]string { return f.namespaces[ns] }

// preference answers for the preference a VM in namespace references.
func (f *facts) preference(ref vm.PreferenceRef, namespace string) (inInput, masquerade bool) {
	if ref.Cluster {
		masquerade, inInput = f.preferences[prefKey{cluster: true, name: ref.Name}]
		return inInput, masquerade
	}
	if masquerade, inInput = f.preferences[prefKey{namespace: namespace, name: ref.Name}]; inInput {
		return inInput, masquerade
	}
	// A preference or VM without namespace lands in the namespace a later
	// transformer (or kubectl -n) gives both.
	for k, m := range f.preferences {
		if !k.cluster && k.name == ref.Name && (k.namespace == "" || namespace == "") {
			return true, m
		}
	}
	return false, false
}
