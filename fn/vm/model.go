package vm

import (
	"fmt"
	"slices"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// BindingKeys are every interface field that selects a binding, core or plugin,
// current or discontinued. Rewriting deletes only these keys from an interface.
var BindingKeys = []string{"bridge", "masquerade", "sriov", "passtBinding", "binding", "slirp", "macvtap", "passt"}

// DiscontinuedBindings are the core bindings KubeVirt refuses on create since v1.3.
var DiscontinuedBindings = []string{"slirp", "macvtap", "passt"}

// Source is a network's source type.
type Source string

// Network sources.
const (
	SourceNone          Source = ""
	SourcePod           Source = "pod"
	SourceMultus        Source = "multus"
	SourceResourceClaim Source = "resourceClaim"
	SourceMany          Source = "many"
)

// NetworkEntry is one entry of spec.networks (a declared network is network.Network).
type NetworkEntry struct {
	Index       int
	Name        string
	Source      Source
	NetworkName string // multus.networkName
	Default     bool   // multus.default
	Node        *yaml.Node
}

// Interface is one entry of domain.devices.interfaces.
type Interface struct {
	Index    int
	Name     string
	Bindings []string // binding keys present, in the order written
	Plugin   string   // binding.name
	State    string
	MAC      string
	Node     *yaml.Node
}

// HasBinding reports whether the interface carries binding key k.
func (i *Interface) HasBinding(k string) bool { return slices.Contains(i.Bindings, k) }

// Spec is the network part of one VMI spec.
type Spec struct {
	Node       *yaml.Node // the VMI spec mapping
	Networks   []NetworkEntry
	Interfaces []Interface
	// AutoattachPod is domain.devices.autoattachPodInterface; nil when unset (true).
	AutoattachPod *bool
}

// Problem is a shape the function cannot read; the VM is then left as it is.
type Problem struct {
	Field   string
	Message string
}

// ReadSpec reads networks and interfaces. prefix is the spec's dotted path, for problems.
func ReadSpec(spec *yaml.Node, prefix string) (*Spec, []Problem) {
	s := &Spec{Node: spec}
	var problems []Problem
	bad := func(field, format string, a ...any) {
		problems = append(problems, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	// The rewrite may add interfaces under domain.devices: anything there but a
	// mapping would be replaced, so it is refused instead.
	for _, part := range []struct {
		node  *yaml.Node
		field string
	}{
		{ynode.Get(spec, "domain"), prefix + ".domain"},
		{ynode.Path(spec, "domain", "devices"), prefix + ".domain.devices"},
	} {
		if !ynode.IsNull(part.node) && !ynode.IsMap(part.node) {
			bad(part.field, "%s must be a mapping", part.field)
		}
	}
	s.Networks = readList(ynode.Get(spec, "networks"), prefix+".networks", "networks", readNetwork, bad)
	devices := ynode.Path(spec, "domain", "devices")
	if v, ok := ynode.Bool(devices, "autoattachPodInterface"); ok {
		s.AutoattachPod = &v
	}
	s.Interfaces = readList(ynode.Get(devices, "interfaces"), prefix+".domain.devices.interfaces", "interfaces", readInterface, bad)
	return s, problems
}

// readList reads a list of networks or interfaces; an entry it cannot read is a
// problem, and the rest are still read.
func readList[T any](list *yaml.Node, field, what string, read func(int, *yaml.Node) (T, string), bad func(field, format string, a ...any)) []T {
	if ynode.IsNull(list) {
		return nil
	}
	if !ynode.IsSeq(list) {
		bad(field, "%s must be a list of %s", field, what)
		return nil
	}
	var out []T
	for i, e := range ynode.Resolve(list).Content {
		v, msg := read(i, e)
		if msg != "" {
			bad(fmt.Sprintf("%s[%d]", field, i), "%s[%d] %s", field, i, msg)
			continue
		}
		out = append(out, v)
	}
	return out
}

func readNetwork(i int, e *yaml.Node) (NetworkEntry, string) {
	e = ynode.Resolve(e)
	if !ynode.IsMap(e) {
		return NetworkEntry{}, "must be a mapping with a name and a source (pod or multus)"
	}
	name, ok := ynode.String(e, "name")
	if !ok || name == "" {
		return NetworkEntry{}, "has no name"
	}
	n := NetworkEntry{Index: i, Name: name, Node: e}
	for _, src := range []Source{SourcePod, SourceMultus, SourceResourceClaim} {
		// A null source decodes to a nil pointer in KubeVirt: it is no source.
		if ynode.IsNull(ynode.Get(e, string(src))) {
			continue
		}
		if n.Source != SourceNone {
			n.Source = SourceMany
			continue
		}
		n.Source = src
	}
	if n.Source == SourceMultus {
		m := ynode.Get(e, "multus")
		if !ynode.IsNull(m) && !ynode.IsMap(m) {
			return NetworkEntry{}, "multus must be a mapping with networkName"
		}
		n.NetworkName = ynode.Str(m, "networkName")
		n.Default, _ = ynode.Bool(m, "default")
	}
	return n, ""
}

func readInterface(i int, e *yaml.Node) (Interface, string) {
	e = ynode.Resolve(e)
	if !ynode.IsMap(e) {
		return Interface{}, "must be a mapping with a name and a binding"
	}
	name, ok := ynode.String(e, "name")
	if !ok || name == "" {
		return Interface{}, "has no name"
	}
	iface := Interface{Index: i, Name: name, Node: e, State: ynode.Str(e, "state"), MAC: ynode.Str(e, "macAddress")}
	for _, k := range ynode.Keys(e) {
		for _, b := range BindingKeys {
			if k == b && !ynode.IsNull(ynode.Get(e, k)) {
				iface.Bindings = append(iface.Bindings, k)
			}
		}
	}
	iface.Plugin = ynode.Str(ynode.Get(e, "binding"), "name")
	return iface, ""
}

// NetworkByName finds a network by name.
func (s *Spec) NetworkByName(name string) *NetworkEntry {
	for i := range s.Networks {
		if s.Networks[i].Name == name {
			return &s.Networks[i]
		}
	}
	return nil
}
