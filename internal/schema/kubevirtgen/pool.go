package main

import "github.com/kubevirt-networks/kubevirt-networks/internal/schema/shapes"

// poolV1beta1 is set by pool_v1beta1.go, built with -tags pool_v1beta1 for the
// releases that have the package (v1.7 on).
var poolV1beta1 *shapes.Root
