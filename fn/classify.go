package fn

import (
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// class is what the function does with an item.
type class int

const (
	// other items pass through from their own bytes, never parsed.
	other class = iota
	// vmKind items are processed by processVM.
	vmKind
	// declaration items declare networks (VMNetwork); they are read first.
	declaration
	// nadItem items are NADs: bindings come from them, managed ones are reconciled.
	nadItem
	// malformed items have no apiVersion or kind.
	malformed
	// fact items tell something about the cluster the VMs run in (preferences);
	// they are read and written as they came.
	fact
)

// classify says what to do with an item from its apiVersion and kind alone.
func classify(apiVersion, kind string) class {
	switch {
	case apiVersion == "" || kind == "":
		return malformed
	case vm.Lookup(apiVersion, kind) != nil:
		return vmKind
	case nad.IsNAD(apiVersion, kind):
		return nadItem
	case kind == api.KindVMNetwork && strings.HasPrefix(apiVersion, api.Group+"/"):
		return declaration
	case (kind == api.KindPreference || kind == api.KindClusterPref) &&
		(apiVersion == api.InstancetypeGroup+"/v1beta1" || apiVersion == api.InstancetypeGroup+"/v1"):
		return fact
	}
	return other
}
