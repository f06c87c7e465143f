//go:build pool_v1beta1

package main

import (
	"reflect"

	poolv1beta1 "kubevirt.io/api/pool/v1beta1"

	"github.com/kubevirt-networks/kubevirt-networks/internal/schema/shapes"
)

// pool.kubevirt.io/v1beta1 is served from v1.7; older releases have no such package.
func init() {
	poolV1beta1 = &shapes.Root{Key: "pool.kubevirt.io/v1beta1/VirtualMachinePool", T: reflect.TypeOf(poolv1beta1.VirtualMachinePool{})}
}
