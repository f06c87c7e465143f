package nad

import (
	"encoding/json"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// NAD is a derived NetworkAttachmentDefinition: the fields of the NAD client's
// typed NetworkAttachmentDefinition (k8snetworkplumbingwg/network-attachment-
// definition-client) the function sets. Tests check that every derived NAD
// decodes strictly into that type; the binary does not link it, since its
// apimachinery package graph costs every run about 2 MiB of resident memory.
type NAD struct {
	Name, Namespace     string
	Labels, Annotations map[string]string
	Config              string // spec.config
}

// Derive builds the NAD of network n in namespace ns ("" for none).
func Derive(n *network.Network, ns string) *NAD {
	annotations := map[string]string{api.NetworkAnnotation: n.Logical}
	if r := ResourceName(n); r != "" {
		annotations[api.ResourceNameAnnotation] = r
	}
	return &NAD{
		Name:        n.NADName,
		Namespace:   ns,
		Labels:      map[string]string{api.ManagedByLabel: api.ManagedByValue},
		Annotations: annotations,
		Config:      Config(n, ns),
	}
}

// ResourceName is the device-plugin resource the NAD asks Multus for, if any.
func ResourceName(n *network.Network) string {
	s := &n.Spec
	switch {
	case s.Type == api.TypeBridge && s.BridgeMarker != nil && *s.BridgeMarker:
		return api.BridgeMarkerResourcePfx + s.Bridge
	case s.Type == api.TypeSRIOV || ((s.Type == api.TypeMacvtap || s.Type == api.TypeCustom) && s.ResourceName != ""):
		return s.ResourceName
	case s.Type == api.TypeMacvtap && s.LowerDevice != "":
		return api.MacvtapResourcePrefix + s.LowerDevice
	}
	return ""
}

// ResourceNameFix is what to write in network n's declaration so that it derives
// a NAD requesting the device resource have ("" for none): the field that
// derives the k8s.v1.cni.cncf.io/resourceName annotation for n's type, or, where
// no declaration of that type derives it, generate: false to keep the NAD.
func ResourceNameFix(n *network.Network, have string) string {
	s := &n.Spec
	keep := "set generate: false to keep the NAD as it is (no " + string(s.Type) + " network derives that resource request)"
	switch s.Type {
	case api.TypeBridge:
		switch have {
		case "":
			return "write bridgeMarker: false"
		case api.BridgeMarkerResourcePfx + s.Bridge:
			return "write bridgeMarker: true"
		}
	case api.TypeSRIOV:
		if have != "" {
			return "write resourceName: " + have
		}
	case api.TypeMacvtap:
		if device, ok := strings.CutPrefix(have, api.MacvtapResourcePrefix); ok {
			return "write lowerDevice: " + device + " and remove resourceName"
		}
		if have != "" {
			return "write resourceName: " + have + " and remove lowerDevice"
		}
	case api.TypeCustom:
		if have == "" {
			return "remove resourceName"
		}
		return "write resourceName: " + have
	}
	return keep
}

// OVNName is an OVN network's cluster-wide `name`: ovnNetworkName, else the
// logical name (both stay the same under kustomize prefixes).
func OVNName(n *network.Network) string { return n.OVNName() }

// Config renders the CNI config: cniVersion, name, type, what the CNI needs,
// then the fields set in the order of the field table, then extraConfig;
// two-space JSON.
func Config(n *network.Network, ns string) string {
	s := &n.Spec
	if s.Type == api.TypeCustom {
		return customConfig(n, ns)
	}
	o := &object{}
	version := api.CNIVersion
	if s.CNIVersion != "" {
		version = s.CNIVersion
	}
	o.put("cniVersion", version)
	if network.IsOVN(s.Type) {
		// OVN's `name` is the cluster-wide network: the same in every namespace.
		o.put("name", OVNName(n))
	} else {
		o.put("name", n.NADName)
	}
	o.put("type", n.CNIType())
	desc := network.TypeOf(s.Type)
	if desc.Topology != "" {
		o.put("topology", desc.Topology)
	}
	if network.IsOVN(s.Type) {
		o.put("netAttachDefName", Ref(ns, n.NADName))
	}
	for _, f := range network.FieldKeys {
		if v, ok := f.Value(n, desc); ok {
			o.put(f.Key, v)
		}
	}
	var plugins json.RawMessage
	if extra, err := parseObject(string(s.ExtraConfig)); err == nil {
		for i, k := range extra.keys {
			if k == "plugins" {
				plugins = extra.values[i]
				continue
			}
			o.put(k, extra.values[i])
		}
	}
	if plugins != nil {
		return configList(o, plugins).indented()
	}
	return o.indented()
}

// configList makes a CNI configuration list of a main plugin and the plugins that
// follow it (extraConfig.plugins: tuning, portmap, ...): the list carries the
// cniVersion and name, the main plugin comes first.
func configList(main *object, after json.RawMessage) *object {
	var rest []json.RawMessage
	if json.Unmarshal(after, &rest) != nil {
		return main
	}
	list := &object{}
	first := &object{}
	for i, k := range main.keys {
		switch k {
		case "cniVersion", "name":
			list.put(k, main.values[i])
		default:
			first.put(k, main.values[i])
		}
	}
	list.put("plugins", append([]json.RawMessage{first.marshal()}, rest...))
	return list
}

// customConfig is a custom network's CNI config as written, with name (the NAD
// name) and cniVersion filled in where it has none.
func customConfig(n *network.Network, ns string) string {
	o, err := parseObject(string(n.Spec.CNIConfig))
	if err != nil {
		return string(n.Spec.CNIConfig)
	}
	kubeOVNProvider(o, n.NADName, ns)
	head := &object{}
	if _, ok := o.get("cniVersion"); !ok {
		version := api.CNIVersion
		if n.Spec.CNIVersion != "" {
			version = n.Spec.CNIVersion
		}
		head.put("cniVersion", version)
	}
	if _, ok := o.get("name"); !ok {
		head.put("name", n.NADName)
	}
	for i, k := range o.keys {
		head.put(k, o.values[i])
	}
	return head.indented()
}

// kubeOVNProvider makes a kube-ovn config's provider the NAD's own in namespace
// ns: kube-ovn keys an attachment as <nad>.<namespace>.<provider>, so the provider
// written for one namespace's NAD gives pods in another no address. A provider of
// another shape, or an unknown namespace, stays as written.
func kubeOVNProvider(o *object, nadName, ns string) {
	var typ, p string
	rawType, _ := o.get("type")
	rawProvider, ok := o.get("provider")
	if json.Unmarshal(rawType, &typ) != nil || typ != "kube-ovn" || !ok || json.Unmarshal(rawProvider, &p) != nil || ns == "" {
		return
	}
	parts := strings.SplitN(p, ".", 3)
	if len(parts) != 3 || parts[2] == "" {
		return
	}
	o.put("provider", nadName+"."+ns+"."+parts[2])
}

// Node writes a derived NAD as a YAML tree in the usual Kubernetes key order
// (name, namespace, labels, annotations), with the CNI config as a block scalar.
func Node(d *NAD, path string) *yaml.Node {
	meta := ynode.NewMap()
	ynode.Set(meta, "name", ynode.NewString(d.Name))
	if d.Namespace != "" {
		ynode.Set(meta, "namespace", ynode.NewString(d.Namespace))
	}
	ynode.Set(meta, "labels", sortedMap(d.Labels))
	annotations := map[string]string{}
	for k, v := range d.Annotations {
		annotations[k] = v
	}
	if path != "" {
		annotations[api.PathAnnotation] = path
	}
	ynode.Set(meta, "annotations", sortedMap(annotations))
	spec := ynode.NewMap()
	ynode.Set(spec, "config", ConfigNode(d.Config))
	root := ynode.NewMap()
	ynode.Set(root, "apiVersion", ynode.NewString(api.NADAPIVersion))
	ynode.Set(root, "kind", ynode.NewString(api.NADKind))
	ynode.Set(root, "metadata", meta)
	ynode.Set(root, "spec", spec)
	return root
}

// ConfigNode is the CNI config as a literal block scalar, readable in review.
func ConfigNode(config string) *yaml.Node {
	n := ynode.NewString(config)
	n.Style = yaml.LiteralStyle
	return n
}

func sortedMap(m map[string]string) *yaml.Node {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ynode.NewMap()
	for _, k := range keys {
		ynode.Set(out, k, ynode.NewString(m[k]))
	}
	return out
}

// fieldOf is the network field that derives a CNI key.
func fieldOf(key string) (string, bool) {
	for _, f := range network.FieldKeys {
		if f.Key == key {
			return f.Field, true
		}
	}
	return "", false
}
