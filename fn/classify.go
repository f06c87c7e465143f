package fn

import (
	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// class is what the function does with an item.
type class int

const (
	// other items pass through from their own bytes, never parsed.
	other class = iota
	// vmKind items are fixed and checked by fixVM.
	vmKind
	// declaration items declare networks (VMNetwork, SriovNetwork, UDN, CUDN);
	// they are read first.
	declaration
	// nadItem items are NADs: bindings come from them, managed ones are reconciled.
	nadItem
	// malformed items have no apiVersion or kind.
	malformed
	// fact items tell something about the cluster the VMs run in (preferences);
	// they are read and written as they came.
	fact
	// streamConfig is a VMNetworks document in a plain stream: the function config.
	streamConfig
	// container items hold objects: a List (as kubectl get -o yaml writes) or an
	// OpenShift Template. The VMs inside follow every rule; the container stays.
	container
)

// classify says what to do with an item from its apiVersion and kind alone, and
// for a VM kind, which it is.
func classify(apiVersion, kind string) (class, *vm.Kind) {
	if k := vm.Lookup(apiVersion, kind); k != nil {
		return vmKind, k
	}
	switch {
	case apiVersion == "" || kind == "":
		return malformed, nil
	case nad.IsNAD(apiVersion, kind):
		return nadItem, nil
	case config.IsDeclaration(apiVersion, kind):
		return declaration, nil
	case kind == api.KindNamespace && apiVersion == "v1", config.IsClusterCR(apiVersion, kind):
		return fact, nil
	case kind == kindDeployment && apiVersion == "apps/v1":
		// Read for the virt-operator image, which states the KubeVirt release.
		return fact, nil
	case (kind == api.KindPreference || kind == api.KindClusterPref) &&
		(apiVersion == api.InstancetypeGroup+"/v1beta1" || apiVersion == api.InstancetypeGroup+"/v1"):
		return fact, nil
	case vm.IsContainer(apiVersion, kind):
		return container, nil
	}
	return other, nil
}

const kindDeployment = "Deployment"

// InputKinds are the kinds, besides VMs and the objects that hold them, whose
// objects the function reads to decide about others (declarations, NADs, the
// cluster's CRs, preferences). A build that leaves local config out of its
// output keeps these for the function (internal/kbuild), as kustomize's
// transformer path hands the function every object of its level.
var InputKinds = []string{
	api.KindVMNetwork, api.KindSriovNetwork, api.KindUDN, api.KindCUDN, api.NADKind,
	config.KindKubeVirt, config.KindHyperConverged, api.KindNamespace, api.KindPreference, api.KindClusterPref,
}
