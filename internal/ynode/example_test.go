package ynode_test

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// A key written twice reads as kubectl applies it: the last one.
func ExampleGet() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte("metadata:\n  name: a\nmetadata:\n  name: b\n"), &doc)
	fmt.Println(ynode.Str(ynode.Get(doc.Content[0], "metadata"), "name"))
	// Output:
	// b
}
