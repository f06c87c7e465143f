package config

import (
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// IsDeclaration reports whether an item declares networks: a VMNetwork, or a
// network an operator renders NADs for (SriovNetwork, OVN-Kubernetes
// UserDefinedNetwork and ClusterUserDefinedNetwork).
func IsDeclaration(apiVersion, kind string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	switch {
	case kind == api.KindVMNetwork:
		return group == api.Group
	case kind == api.KindSriovNetwork:
		return group == api.SriovGroup
	case kind == api.KindUDN, kind == api.KindCUDN:
		return group == api.OVNGroup
	}
	return false
}

// reader reads an operator's object leniently: its schema is the operator's, so
// only the fields the function uses are checked, each with its path.
type reader struct {
	d *decoder
}

func (r reader) str(n *yaml.Node, path string) string {
	v := ynode.Get(n, lastKey(path))
	if ynode.IsNull(v) {
		return ""
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		r.d.errorf(RuleWrongType, path, "%s must be a string, not %s", path, schema.Describe(v))
		return ""
	}
	return v.Value
}

func (r reader) integer(n *yaml.Node, path string) *int64 {
	v := ynode.Get(n, lastKey(path))
	if ynode.IsNull(v) {
		return nil
	}
	i, ok := ynode.Int(n, lastKey(path))
	if !ok {
		r.d.errorf(RuleWrongType, path, "%s must be an integer, not %s", path, schema.Describe(v))
		return nil
	}
	return &i
}

func lastKey(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// readSriovNetwork reads a sriov-network-operator SriovNetwork: the operator
// renders NAD metadata.name in spec.networkNamespace (default: the SriovNetwork's
// own namespace), with resource openshift.io/<spec.resourceName>.
func readSriovNetwork(f *report.Findings, it Item, fv api.FieldValidation) *network.Network {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	r := reader{d}
	meta := ynode.Get(it.Node, "metadata")
	spec := ynode.Get(it.Node, "spec")
	if !ynode.IsMap(spec) {
		d.errorf(RuleMissingField, "spec", "spec is required: a SriovNetwork names its resource there")
		return nil
	}
	checkOperatorFields(d, spec, "spec", sriovSpec, fv, "sriov-network-operator")
	s := api.NetworkSpec{Type: api.TypeSRIOV, Generate: new(bool)}
	if res := r.str(spec, "spec.resourceName"); res != "" {
		s.ResourceName = res
		if !strings.Contains(res, "/") {
			s.ResourceName = api.SriovResourcePrefix + res
		}
	} else {
		d.errorf(RuleMissingField, "spec.resourceName", "spec.resourceName is required: the SR-IOV device plugin resource the VFs come from")
	}
	s.VLAN = r.integer(spec, "spec.vlan")
	s.VLANQoS = r.integer(spec, "spec.vlanQoS")
	s.SpoofChk = r.str(spec, "spec.spoofChk")
	s.Trust = r.str(spec, "spec.trust")
	s.LinkState = r.str(spec, "spec.linkState")
	s.MinTxRate = r.integer(spec, "spec.minTxRate")
	s.MaxTxRate = r.integer(spec, "spec.maxTxRate")
	ns := r.str(spec, "spec.networkNamespace")
	if ns == "" {
		ns = ynode.Str(meta, "namespace")
	}
	n := operatorNetwork(f, it, network.FromSriovNetwork, s, ns)
	checkRange(d, "spec.vlan", n.Spec.VLAN, network.TypeOf(api.TypeSRIOV).VLANMin, 4094)
	checkSRIOV(d, func(k string) string { return "spec." + k }, &n.Spec)
	n.Valid = n.Valid && d.ok
	return n
}

// operatorNetwork is a network an operator renders the NAD of: named after the
// item (its object name, prefixed by kustomize like any other; the logical name
// is its original name), never generated here.
func operatorNetwork(f *report.Findings, it Item, origin network.Origin, s api.NetworkSpec, namespace string) *network.Network {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	s.Namespace = namespace
	n := &network.Network{
		Spec:          s,
		Origin:        origin,
		Declared:      it.Obj,
		Field:         "spec",
		PreviousNames: PreviousNames(it.Node),
		Namespace:     namespace,
	}
	decl := declaration{obj: it.Obj, origin: origin, path: "spec", metaName: ynode.Str(ynode.Get(it.Node, "metadata"), "name"), previousNames: n.PreviousNames}
	defaultNames(d, n, decl, map[string]bool{})
	n.NADName = decl.metaName
	n.Valid = d.ok
	return n
}

// udn is what the function reads of a UserDefinedNetwork's or
// ClusterUserDefinedNetwork's network: its topology and the topology's settings.
type udn struct {
	topology, role string
	config         *yaml.Node
	path           string
}

func readTopology(d *decoder, network *yaml.Node, path string) (udn, bool) {
	r := reader{d}
	u := udn{topology: r.str(network, path+".topology")}
	key := map[string]string{"Layer2": "layer2", "Layer3": "layer3", "Localnet": "localnet"}[u.topology]
	if key == "" {
		if u.topology == "" && d.ok {
			d.errorf(RuleMissingField, path+".topology", "%s.topology is required: Layer2, Layer3 or Localnet", path)
		}
		return u, false
	}
	u.path = path + "." + key
	u.config = ynode.Get(network, key)
	u.role = r.str(u.config, u.path+".role")
	return u, true
}

// spec fills what a topology's settings say.
func (u udn) spec(r reader) api.NetworkSpec {
	s := api.NetworkSpec{Type: api.TypeOVNLayer2, Generate: new(bool)}
	if u.topology == "Localnet" {
		s.Type = api.TypeOVNLocalnet
		s.PhysicalNetworkName = r.str(u.config, u.path+".physicalNetworkName")
		if vlan := ynode.Path(u.config, "vlan", "access"); vlan != nil {
			s.VLAN = r.integer(vlan, u.path+".vlan.access.id")
		}
	}
	s.MTU = r.integer(u.config, u.path+".mtu")
	persistent := ynode.Str(u.config, "ipamLifecycle") == "Persistent" || ynode.Str(ynode.Get(u.config, "ipam"), "lifecycle") == "Persistent"
	if persistent {
		s.AllowPersistentIPs = &persistent
	}
	return s
}

// readUDN reads an OVN-Kubernetes UserDefinedNetwork: OVN-Kubernetes renders NAD
// metadata.name in the UDN's namespace. A secondary Layer2 network is a network
// VMs attach with the bridge binding; a primary Layer2 one replaces the pod
// network of its namespace.
func readUDN(f *report.Findings, it Item, fv api.FieldValidation) *network.Network {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	checkOperatorFields(d, ynode.Get(it.Node, "spec"), "spec", udnSpec, fv, "OVN-Kubernetes")
	u, ok := readTopology(d, ynode.Get(it.Node, "spec"), "spec")
	if !ok || u.topology == "Layer3" {
		return nil // a Layer3 network is for pods: KubeVirt VMs attach to Layer2 and Localnet
	}
	ns := ynode.Str(ynode.Get(it.Node, "metadata"), "namespace")
	n := operatorNetwork(f, it, network.FromUDN, u.spec(reader{d}), ns)
	n.Primary = u.role == "Primary"
	n.Valid = n.Valid && d.ok
	return n
}

// readCUDN reads an OVN-Kubernetes ClusterUserDefinedNetwork: OVN-Kubernetes
// renders NAD metadata.name in every namespace its namespaceSelector selects.
func readCUDN(f *report.Findings, it Item, labels func(string) map[string]string, fv api.FieldValidation) *network.Network {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	checkOperatorFields(d, ynode.Get(it.Node, "spec"), "spec", cudnSpec, fv, "OVN-Kubernetes")
	spec := ynode.Get(it.Node, "spec")
	u, ok := readTopology(d, ynode.Get(spec, "network"), "spec.network")
	if !ok || u.topology == "Layer3" {
		return nil
	}
	sel, err := selector(ynode.Get(spec, "namespaceSelector"), labels)
	if err != nil {
		d.errorf(RuleInvalidValue, "spec.namespaceSelector", "spec.namespaceSelector %v", err)
		return nil
	}
	n := operatorNetwork(f, it, network.FromCUDN, u.spec(reader{d}), "")
	n.Selects = sel
	n.Primary = u.role == "Primary"
	n.Valid = n.Valid && d.ok
	return n
}

// selector reads a label selector as a namespace predicate. A namespace's labels
// are what the input shows (its Namespace item) plus kubernetes.io/metadata.name,
// which the API server sets on every namespace.
func selector(n *yaml.Node, labels func(string) map[string]string) (func(string) bool, error) {
	if !ynode.IsMap(n) {
		return nil, fmt.Errorf("is required: the namespaces the network serves")
	}
	match := ynode.StringMap(ynode.Get(n, "matchLabels"))
	type requirement struct {
		key, op string
		values  []string
	}
	var reqs []requirement
	if exprs := ynode.Get(n, "matchExpressions"); ynode.IsSeq(exprs) {
		for i, e := range exprs.Content {
			req := requirement{key: ynode.Str(e, "key"), op: ynode.Str(e, "operator")}
			if vs := ynode.Get(e, "values"); ynode.IsSeq(vs) {
				for _, v := range vs.Content {
					req.values = append(req.values, v.Value)
				}
			}
			switch req.op {
			case "In", "NotIn", "Exists", "DoesNotExist":
			default:
				return nil, fmt.Errorf("matchExpressions[%d].operator %q is not In, NotIn, Exists or DoesNotExist", i, req.op)
			}
			reqs = append(reqs, req)
		}
	}
	return func(ns string) bool {
		have := map[string]string{api.NamespaceNameLabel: ns}
		if labels != nil {
			for k, v := range labels(ns) {
				have[k] = v
			}
		}
		for k, v := range match {
			if have[k] != v {
				return false
			}
		}
		for _, r := range reqs {
			v, ok := have[r.key]
			in := false
			for _, x := range r.values {
				in = in || (ok && v == x)
			}
			if (r.op == "In" && !in) || (r.op == "NotIn" && in) || (r.op == "Exists" && !ok) || (r.op == "DoesNotExist" && ok) {
				return false
			}
		}
		return true
	}, nil
}
