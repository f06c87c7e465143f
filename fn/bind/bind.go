package bind

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// Index holds what a reference can bind to.
type Index struct {
	Networks []*network.Network
	// NADs are the NADs of the input no declaration here derives: written by the
	// user, rendered by an operator, or managed but declared elsewhere. Their CNI
	// type decides the binding.
	NADs []*nad.Item
	// Primaries are the primary networks the input states as NADs (what
	// OVN-Kubernetes renders from a primary UserDefinedNetwork).
	Primaries []*network.Network
}

// Match is the outcome of resolving one reference.
type Match struct {
	Network *network.Network // a declared network, or nil
	NAD     *nad.Item        // a user NAD, when no declared network matched
	// Conflict explains why the reference is ambiguous; non-empty means error.
	Conflict string
	// Unserved is a declared network of that NAD name whose operator does not
	// render the NAD in the referenced namespace (a ClusterUserDefinedNetwork
	// whose namespaceSelector does not select it).
	Unserved *network.Network
	// Via is the NAD of the input the reference also reached, when it is the NAD
	// Network puts there: where the VM's namespace is unknown, it says where.
	Via *nad.Item
}

// Found reports whether the reference bound to anything.
func (m Match) Found() bool { return m.Network != nil || m.NAD != nil }

// Same reports whether two matches bind to the same network or NAD.
func (m Match) Same(o Match) bool {
	return m.Found() && m.Network == o.Network && m.NAD == o.NAD
}

// Split resolves `a/b` to (a, b) and a bare name to (vmNamespace, name), as KubeVirt does.
func Split(ref, vmNamespace string) (ns, name string, bare bool) {
	if a, b, ok := strings.Cut(ref, "/"); ok {
		return a, b, false
	}
	return vmNamespace, ref, true
}

// Resolve binds reference ref, written in a VM in vmNamespace.
func (ix *Index) Resolve(ref, vmNamespace string) Match {
	ns, name, bare := Split(ref, vmNamespace)

	var byNAD, byLogical []*network.Network
	var unserved *network.Network
	for _, n := range ix.Networks {
		switch {
		case n.Primary:
			// A primary network is the pod network of its namespaces, never a NAD reference.
		case !n.Serves(ns):
			if n.NADName == name {
				unserved = n
			}
		case n.NADName == name && (n.NADNamespace(vmNamespace) == ns || n.Selects != nil || vmNamespace == "" && n.Namespace == ""):
			// A VM whose namespace is unknown may well be in the namespace its
			// reference names: an unpinned network puts its NAD there.
			byNAD = append(byNAD, n)
		case bare && (n.Logical == name || slices.Contains(n.PreviousNames, name)):
			byLogical = append(byLogical, n)
		}
	}
	var users []*nad.Item
	for _, it := range ix.NADs {
		// A NAD or VM without namespace lands in the namespace a later transformer
		// (or kubectl -n) gives both: a bare reference names it.
		if slices.Contains(it.Names(), name) && (it.Namespace == ns || (bare && (it.Namespace == "" || ns == ""))) {
			users = append(users, it)
		}
	}

	candidates := byNAD
	if len(candidates) == 0 {
		candidates = byLogical
	}
	switch {
	case len(candidates) > 1:
		return Match{Conflict: fmt.Sprintf("%q matches both %s and %s; rename one of them", ref, candidates[0].Source(), candidates[1].Source())}
	case len(users) > 1:
		return Match{Conflict: fmt.Sprintf("%q matches both NAD %s and NAD %s in the input", ref, users[0].Ref(), users[1].Ref())}
	case len(candidates) == 1 && len(users) == 1:
		n, u := candidates[0], users[0]
		if len(byNAD) == 0 && !derives(n, u) {
			return Match{Conflict: fmt.Sprintf("%q names both the logical network of %s (NAD %q) and the NAD %s in the input; reference one of them unambiguously", ref, n.Source(), n.NADName, u.Ref())}
		}
		if !sameCNI(n, u) {
			return Match{Conflict: fmt.Sprintf("%s declares NAD %q as %s, but the NAD %s in the input has CNI type %q; make them agree", n.Source(), n.NADName, n.CNIType(), u.Ref(), u.CNIType)}
		}
		return Match{Network: n, Via: u}
	case len(candidates) == 1:
		return Match{Network: candidates[0]}
	case len(users) == 1:
		return Match{NAD: users[0]}
	}
	return Match{Unserved: unserved}
}

// derives reports whether NAD u is the NAD network n puts where a VM in
// vmNamespace finds it: then a reference reaching n by its logical name and u by
// its own name reaches one NAD by two routes, which is no ambiguity. A namespace
// the input does not state is the same unknown namespace on both sides.
func derives(n *network.Network, u *nad.Item) bool {
	if !slices.Contains(u.Names(), n.NADName) {
		return false
	}
	return n.Namespace == "" || u.Namespace == "" || n.Namespace == u.Namespace
}

// sameCNI reports whether a declaration and a NAD of the input agree on the CNI:
// the same type, or types KubeVirt binds alike. A type the function does not know
// is never a mismatch with itself.
func sameCNI(n *network.Network, u *nad.Item) bool {
	if t := n.CNIType(); t != "" && t == u.CNIType {
		return true
	}
	return u.Family() == n.Family()
}

// Primary is the primary network (an OVN-Kubernetes primary Layer2 UDN or CUDN)
// that replaces the pod network of namespace ns, if any.
func (ix *Index) Primary(ns string) *network.Network {
	for _, n := range append(ix.Networks, ix.Primaries...) {
		if n.Primary && n.Valid && (n.Namespace == ns || (n.Selects != nil && n.Selects(ns))) {
			return n
		}
	}
	return nil
}

// Elsewhere lists the NADs of the input named name that a reference resolving to
// namespace ns does not reach: what to say instead of "not in the input".
func (ix *Index) Elsewhere(name string) []string {
	var out []string
	for _, it := range ix.NADs {
		if slices.Contains(it.Names(), name) {
			out = append(out, it.Ref())
		}
	}
	for _, n := range ix.Networks {
		if n.NADName == name && n.Namespace != "" {
			out = append(out, nad.Ref(n.Namespace, n.NADName))
		}
	}
	return out
}
