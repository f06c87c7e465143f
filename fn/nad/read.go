package nad

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Item is a NAD found in the input.
type Item struct {
	Node      *yaml.Node
	Obj       *report.Object
	Name      string
	Namespace string
	// Unstated: the NAD has no metadata.namespace; Namespace is the default one.
	Unstated bool
	// Managed NADs carry both the managed-by label and the network annotation.
	Managed bool
	Logical string // the network annotation of a managed NAD
	// CNIType is the config's `type`, or its first plugin's for a conflist.
	CNIType       string
	Config        string
	ConfigErr     error
	PreviousNames []string
}

// IsNAD reports whether apiVersion/kind name a NetworkAttachmentDefinition.
func IsNAD(apiVersion, kind string) bool {
	return kind == api.NADKind && strings.HasPrefix(apiVersion, api.NADGroup+"/")
}

// Read reads one NAD item.
func Read(node *yaml.Node, obj *report.Object) *Item {
	meta := ynode.Get(node, "metadata")
	labels := ynode.StringMap(ynode.Get(meta, "labels"))
	annotations := ynode.StringMap(ynode.Get(meta, "annotations"))
	it := &Item{
		Node:      node,
		Obj:       obj,
		Name:      ynode.Str(meta, "name"),
		Namespace: ynode.Str(meta, "namespace"),
		Logical:   annotations[api.NetworkAnnotation],
	}
	it.Managed = labels[api.ManagedByLabel] == api.ManagedByValue && it.Logical != ""
	if prev := annotations[api.PreviousNamesAnnotation]; prev != "" {
		it.PreviousNames = strings.Split(prev, ",")
	}
	cfg := ynode.Get(ynode.Get(node, "spec"), "config")
	switch {
	case cfg == nil:
		// A NAD without config delegates to a CNI config file on the node: type unknown.
	case cfg.Kind != yaml.ScalarNode:
		it.ConfigErr = fmt.Errorf("spec.config must be a string of CNI JSON")
	default:
		it.Config = cfg.Value
		it.CNIType, it.ConfigErr = CNIType(cfg.Value)
	}
	return it
}

// ConfigOf is a NAD's spec.config as it now stands, "" when it has none.
func ConfigOf(node *yaml.Node) string {
	return ynode.Str(ynode.Get(node, "spec"), "config")
}

// CNIType reads the CNI `type` of a config, or its first plugin's for a conflist.
func CNIType(config string) (string, error) {
	t, err := network.CNITypeOf(config)
	if err != nil {
		return "", fmt.Errorf("spec.config is not valid JSON: %v", err)
	}
	return t, nil
}

// WholeTruth reports whether the NAD comes from a package that is all in the
// input: kpt gives every item its file's path, and only there can a managed NAD
// that no declaration derives be pruned.
func (it *Item) WholeTruth() bool { return it.Obj.Path != "" }

// Declared reports whether a network of the input derives this managed NAD: one
// with its logical network name (valid or not).
func (it *Item) Declared(nets []*network.Network) bool {
	for _, n := range nets {
		if n.Logical == it.Logical && n.Generate {
			return true
		}
	}
	return false
}

// Family is how KubeVirt must bind to this NAD.
func (it *Item) Family() network.CNIFamily { return network.FamilyOf(it.CNIType) }

// Names are the NAD's name and its names before a kustomize namePrefix.
func (it *Item) Names() []string { return append([]string{it.Name}, it.PreviousNames...) }

// Ref prints the NAD as `ns/name` (or `name` without a namespace).
func (it *Item) Ref() string { return Ref(it.Namespace, it.Name) }

// Ref prints a NAD reference.
func Ref(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// EquivalentConfig reports whether two CNI configs mean the same, whatever their layout.
func EquivalentConfig(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// PrimaryNetwork is the primary user-defined network a NAD states, as
// OVN-Kubernetes renders it from a primary Layer2 UserDefinedNetwork (its CNI
// config says "role": "primary"): the pod network of the NAD's namespace, as a
// UDN in the input would be. nil for any other NAD.
func (it *Item) PrimaryNetwork() *network.Network {
	if it.CNIType != network.OVNCNIType || it.ConfigErr != nil {
		return nil
	}
	var conf struct {
		Role     string `json:"role"`
		Topology string `json:"topology"`
	}
	if json.Unmarshal([]byte(it.Config), &conf) != nil || !strings.EqualFold(conf.Role, "primary") || !strings.EqualFold(conf.Topology, "layer2") {
		return nil
	}
	return &network.Network{
		Spec:      api.NetworkSpec{Type: api.TypeOVNLayer2, Namespace: it.Namespace},
		Origin:    network.FromUDN,
		Logical:   it.Name,
		NADName:   it.Name,
		Namespace: it.Namespace,
		Declared:  it.Obj,
		Field:     "spec.config",
		Primary:   true,
		Valid:     true,
	}
}
