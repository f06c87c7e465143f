package config

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// specField is one VMNetwork.spec field: which network types may set it and how it is read.
type specField struct {
	key   string
	types []api.NetworkType // nil: every type
	read  func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string)
}

var (
	typesBridge   = []api.NetworkType{api.TypeBridge}
	typesVLAN     = []api.NetworkType{api.TypeBridge, api.TypeSRIOV, api.TypeOVNLocalnet}
	typesMTU      = []api.NetworkType{api.TypeBridge, api.TypeMacvtap, api.TypeOVNLocalnet, api.TypeOVNLayer2}
	typesResource = []api.NetworkType{api.TypeSRIOV, api.TypeMacvtap}
	typesSRIOV    = []api.NetworkType{api.TypeSRIOV}
	typesMacvtap  = []api.NetworkType{api.TypeMacvtap}
	typesLocalnet = []api.NetworkType{api.TypeOVNLocalnet}
	typesOVN      = []api.NetworkType{api.TypeOVNLocalnet, api.TypeOVNLayer2}
)

func readString(dst func(*api.NetworkSpec) *string) func(*decoder, *api.NetworkSpec, *yaml.Node, string) {
	return func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if str, ok := d.str(v, path); ok {
			*dst(s) = str
		}
	}
}

func readInt(dst func(*api.NetworkSpec) **int64) func(*decoder, *api.NetworkSpec, *yaml.Node, string) {
	return func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if i, ok := d.integer(v, path); ok {
			*dst(s) = &i
		}
	}
}

func readBool(dst func(*api.NetworkSpec) **bool) func(*decoder, *api.NetworkSpec, *yaml.Node, string) {
	return func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if b, ok := d.boolean(v, path); ok {
			*dst(s) = &b
		}
	}
}

func readStrings(dst func(*api.NetworkSpec) *[]string) func(*decoder, *api.NetworkSpec, *yaml.Node, string) {
	return func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if l, ok := d.strings(v, path); ok {
			*dst(s) = l
		}
	}
}

// specFields is VMNetwork.spec in the order of the spec's tables (NAD config keys follow it).
var specFields = []specField{
	{"name", nil, readString(func(s *api.NetworkSpec) *string { return &s.Name })},
	{"nadName", nil, readString(func(s *api.NetworkSpec) *string { return &s.NADName })},
	{"namespace", nil, readString(func(s *api.NetworkSpec) *string { return &s.Namespace })},
	{"type", nil, func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if t, ok := d.str(v, path); ok {
			s.Type = api.NetworkType(t)
		}
	}},
	{"generate", nil, readBool(func(s *api.NetworkSpec) **bool { return &s.Generate })},
	{"bridge", typesBridge, readString(func(s *api.NetworkSpec) *string { return &s.Bridge })},
	{"vlan", typesVLAN, readInt(func(s *api.NetworkSpec) **int64 { return &s.VLAN })},
	{"mtu", typesMTU, readInt(func(s *api.NetworkSpec) **int64 { return &s.MTU })},
	{"macSpoofCheck", typesBridge, readBool(func(s *api.NetworkSpec) **bool { return &s.MACSpoofCheck })},
	{"preserveDefaultVlan", typesBridge, readBool(func(s *api.NetworkSpec) **bool { return &s.PreserveDefaultVLAN })},
	{"disableContainerInterface", typesBridge, readBool(func(s *api.NetworkSpec) **bool { return &s.DisableContainerInterface })},
	{"ipam", typesBridge, func(d *decoder, s *api.NetworkSpec, v *yaml.Node, path string) {
		if !ynode.IsMap(v) {
			d.wrongType(path, v, "a mapping (the CNI ipam object)")
			return
		}
		j, err := ynode.ToJSON(v)
		if err != nil {
			d.errorf(RuleInvalidValue, path, "%s cannot be written as JSON: %v", path, err)
			return
		}
		s.IPAM = j
	}},
	{"cniType", typesBridge, readString(func(s *api.NetworkSpec) *string { return &s.CNIType })},
	{"bridgeMarker", typesBridge, readBool(func(s *api.NetworkSpec) **bool { return &s.BridgeMarker })},
	{"resourceName", typesResource, readString(func(s *api.NetworkSpec) *string { return &s.ResourceName })},
	{"vlanQoS", typesSRIOV, readInt(func(s *api.NetworkSpec) **int64 { return &s.VLANQoS })},
	{"spoofChk", typesSRIOV, readString(func(s *api.NetworkSpec) *string { return &s.SpoofChk })},
	{"trust", typesSRIOV, readString(func(s *api.NetworkSpec) *string { return &s.Trust })},
	{"linkState", typesSRIOV, readString(func(s *api.NetworkSpec) *string { return &s.LinkState })},
	{"minTxRate", typesSRIOV, readInt(func(s *api.NetworkSpec) **int64 { return &s.MinTxRate })},
	{"maxTxRate", typesSRIOV, readInt(func(s *api.NetworkSpec) **int64 { return &s.MaxTxRate })},
	{"lowerDevice", typesMacvtap, readString(func(s *api.NetworkSpec) *string { return &s.LowerDevice })},
	{"bindingPlugin", typesMacvtap, readString(func(s *api.NetworkSpec) *string { return &s.BindingPlugin })},
	{"physicalNetworkName", typesLocalnet, readString(func(s *api.NetworkSpec) *string { return &s.PhysicalNetworkName })},
	{"subnets", typesOVN, readStrings(func(s *api.NetworkSpec) *[]string { return &s.Subnets })},
	{"excludeSubnets", typesOVN, readStrings(func(s *api.NetworkSpec) *[]string { return &s.ExcludeSubnets })},
	{"allowPersistentIPs", typesOVN, readBool(func(s *api.NetworkSpec) **bool { return &s.AllowPersistentIPs })},
}

var specFieldNames = func() []string {
	names := make([]string, len(specFields))
	for i, f := range specFields {
		names[i] = f.key
	}
	return names
}()

func typeAllows(types []api.NetworkType, t api.NetworkType) bool {
	if types == nil {
		return true
	}
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

func typeNames() string {
	names := make([]string, len(api.NetworkTypes))
	for i, t := range api.NetworkTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// declaration is where a network was declared and the names its defaults come from.
type declaration struct {
	obj           *report.Object
	path          string // "spec" or "spec.networks[2]"
	metaName      string // metadata.name of a VMNetwork item; "" for inline networks
	dir           string
	previousNames []string
}

// decodeNetwork reads one network spec, applies defaults and runs every per-network check.
// It always returns a Network (Valid false when a check failed) unless the spec is unusable.
func decodeNetwork(rep *report.Report, decl declaration, spec *yaml.Node) *network.Network {
	d := newDecoder(rep, decl.obj)
	if !d.mapping(spec, decl.path, specFieldNames) {
		return nil
	}
	var s api.NetworkSpec
	present := map[string]bool{}
	for _, f := range specFields {
		v := ynode.Get(spec, f.key)
		if !ynode.Has(spec, f.key) || ynode.IsNull(v) {
			continue
		}
		present[f.key] = true
		f.read(d, &s, v, decl.path+"."+f.key)
	}
	p := func(key string) string { return decl.path + "." + key }

	switch {
	case !present["type"]:
		d.errorf(RuleMissingField, p("type"), "%s is required: one of %s", p("type"), typeNames())
	case !contains(strings.Split(typeNames(), ", "), string(s.Type)):
		d.errorf(RuleInvalidValue, p("type"), "%s %q is not a network type; use one of %s", p("type"), s.Type, typeNames())
	default:
		for _, f := range specFields {
			if present[f.key] && !typeAllows(f.types, s.Type) {
				d.errorf(RuleFieldNotForType, p(f.key), "%s does not apply to type %s; remove it (it applies to %s)", p(f.key), s.Type, typeList(f.types))
			}
		}
	}

	n := &network.Network{
		Spec:          s,
		Declared:      decl.obj,
		Field:         decl.path,
		Dir:           decl.dir,
		PreviousNames: decl.previousNames,
		Generate:      s.Generate == nil || *s.Generate,
	}
	defaultNames(d, n, decl, present)
	if n.Spec.Namespace != "" {
		if errs := names.DNS1123Label(n.Spec.Namespace); len(errs) > 0 {
			d.errorf(RuleInvalidValue, p("namespace"), "%s %q is not a valid namespace: %s", p("namespace"), n.Spec.Namespace, strings.Join(errs, "; "))
		}
	}
	n.Namespace = n.Spec.Namespace
	checkTypeFields(d, n, present, p)
	n.Valid = d.ok
	return n
}

func typeList(types []api.NetworkType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// defaultNames fills the logical and NAD names and checks them after defaulting,
// blaming the field the value came from.
func defaultNames(d *decoder, n *network.Network, decl declaration, present map[string]bool) {
	p := func(key string) string { return decl.path + "." + key }
	logicalFrom := p("name")
	n.Logical = n.Spec.Name
	if !present["name"] {
		if decl.metaName == "" {
			d.errorf(RuleMissingField, p("name"), "%s is required: the logical network name VMs use for the network and interface", p("name"))
			return
		}
		n.Logical, logicalFrom = decl.metaName, "metadata.name"
	}
	switch {
	case n.Logical == "default":
		d.errorf(RuleInvalidValue, logicalFrom, `%s "default" is refused: it is the pod network's name in KubeVirt; choose another logical name`, logicalFrom)
	default:
		if errs := names.DNS1123Label(n.Logical); len(errs) > 0 {
			d.errorf(RuleInvalidValue, logicalFrom, "logical network name %q (from %s) must be a DNS-1123 label: %s", n.Logical, logicalFrom, strings.Join(errs, "; "))
		}
	}
	nadFrom := p("nadName")
	n.NADName = n.Spec.NADName
	if !present["nadName"] {
		n.NADName, nadFrom = n.Logical, logicalFrom
	}
	if n.NADName != "" {
		if errs := names.DNS1123Subdomain(n.NADName); len(errs) > 0 {
			d.errorf(RuleInvalidValue, nadFrom, "NAD name %q (from %s) must be a DNS-1123 subdomain: %s", n.NADName, nadFrom, strings.Join(errs, "; "))
		}
	}
}

// linuxIfName is what the kernel accepts as an interface name (IFNAMSIZ is 16 with the NUL).
var linuxIfName = regexp.MustCompile(`^[^/:\s]{1,15}$`)

var pluginName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

func checkIfName(d *decoder, path, v string) {
	if !linuxIfName.MatchString(v) || v == "." || v == ".." {
		d.errorf(RuleInvalidValue, path, "%s %q is not a Linux interface name: 1 to 15 characters, no '/', ':' or blanks", path, v)
	}
}

func checkRange(d *decoder, path string, v *int64, lo, hi int64) {
	if v != nil && (*v < lo || *v > hi) {
		d.errorf(RuleInvalidValue, path, "%s %d is out of range; use %d to %d", path, *v, lo, hi)
	}
}

func checkOneOf(d *decoder, path, v string, allowed ...string) {
	if v != "" && !contains(allowed, v) {
		d.errorf(RuleInvalidValue, path, "%s %q is not allowed; use one of %s", path, v, strings.Join(allowed, ", "))
	}
}

// checkTypeFields runs the range, format and combination checks of spec §1.1.
func checkTypeFields(d *decoder, n *network.Network, present map[string]bool, p func(string) string) {
	s := &n.Spec
	require := func(key string) {
		if n.Generate && !present[key] {
			d.errorf(RuleMissingField, p(key), "%s is required for type %s", p(key), s.Type)
		}
	}
	switch s.Type {
	case api.TypeBridge:
		require("bridge")
		if present["bridge"] {
			checkIfName(d, p("bridge"), s.Bridge)
		}
		checkRange(d, p("vlan"), s.VLAN, 0, 4094)
		checkOneOf(d, p("cniType"), s.CNIType, "bridge", "cnv-bridge")
		if s.IPAM != nil && s.DisableContainerInterface != nil && *s.DisableContainerInterface {
			d.errorf(RuleInvalidValue, p("ipam"), "%s cannot be used with disableContainerInterface: true (the bridge CNI refuses it: \"cannot use IPAM when DisableContainerInterface flag is set\"); remove one of them", p("ipam"))
		}
		if s.IPAM != nil {
			d.rep.Warnf(RuleIPAM, d.obj, p("ipam"), "%s is passed to the NAD as written; IPAM on a VM secondary network gives the pod interface an address the guest does not get (KubeVirt moves only the MAC), so prefer no IPAM and configure the guest by DHCP or cloud-init", p("ipam"))
		}
	case api.TypeSRIOV:
		require("resourceName")
		checkRange(d, p("vlan"), s.VLAN, 0, 4094)
		checkRange(d, p("vlanQoS"), s.VLANQoS, 0, 7)
		if s.VLANQoS != nil && s.VLAN == nil {
			d.errorf(RuleInvalidValue, p("vlanQoS"), "%s needs vlan: sriov-cni applies the QoS bits to the VLAN tag; set vlan or remove vlanQoS", p("vlanQoS"))
		}
		checkOneOf(d, p("spoofChk"), s.SpoofChk, "on", "off")
		checkOneOf(d, p("trust"), s.Trust, "on", "off")
		checkOneOf(d, p("linkState"), s.LinkState, "auto", "enable", "disable")
		checkRange(d, p("minTxRate"), s.MinTxRate, 0, 1<<31-1)
		checkRange(d, p("maxTxRate"), s.MaxTxRate, 0, 1<<31-1)
		if s.MinTxRate != nil && s.MaxTxRate != nil && *s.MinTxRate > *s.MaxTxRate {
			d.errorf(RuleInvalidValue, p("minTxRate"), "%s %d is above maxTxRate %d; the minimum rate must not exceed the maximum", p("minTxRate"), *s.MinTxRate, *s.MaxTxRate)
		}
	case api.TypeMacvtap:
		if n.Generate && present["resourceName"] == present["lowerDevice"] {
			d.errorf(RuleMissingField, p("resourceName"), "type macvtap needs exactly one of %s and %s: the device plugin resource the NAD asks for (lowerDevice gives %s<lowerDevice>)", p("resourceName"), p("lowerDevice"), api.MacvtapResourcePrefix)
		}
		if present["lowerDevice"] {
			checkIfName(d, p("lowerDevice"), s.LowerDevice)
		}
		if present["bindingPlugin"] && !pluginName.MatchString(s.BindingPlugin) {
			d.errorf(RuleInvalidValue, p("bindingPlugin"), "%s %q is not a binding plugin name as registered in the KubeVirt CR", p("bindingPlugin"), s.BindingPlugin)
		}
	case api.TypeOVNLocalnet:
		checkRange(d, p("vlan"), s.VLAN, 1, 4094)
		if present["physicalNetworkName"] && strings.TrimSpace(s.PhysicalNetworkName) == "" {
			d.errorf(RuleInvalidValue, p("physicalNetworkName"), "%s must not be empty; omit it to use the logical name", p("physicalNetworkName"))
		}
	case api.TypeMacvlan, api.TypeIPvlan:
		d.ok = false
		d.rep.Errorf(RuleRefusedType, d.obj, p("type"), "%s %s is refused: %s", p("type"), s.Type, network.RefusedAlternatives)
	}
	checkRange(d, p("mtu"), s.MTU, 68, 65535)
	if present["resourceName"] {
		if parts := strings.Split(s.ResourceName, "/"); len(parts) != 2 || parts[0] == "" || parts[1] == "" || strings.ContainsAny(s.ResourceName, " \t") {
			d.errorf(RuleInvalidValue, p("resourceName"), "%s %q must be <prefix>/<name>, the device plugin resource (e.g. intel.com/sriov_net)", p("resourceName"), s.ResourceName)
		}
	}
	for _, key := range []string{"subnets", "excludeSubnets"} {
		list := s.Subnets
		if key == "excludeSubnets" {
			list = s.ExcludeSubnets
		}
		for i, c := range list {
			if _, _, err := net.ParseCIDR(c); err != nil {
				d.errorf(RuleInvalidValue, fmt.Sprintf("%s[%d]", p(key), i), "%s[%d] %q is not a CIDR (e.g. 10.100.200.0/24)", p(key), i, c)
			}
		}
	}
	if s.Type == api.TypeMacvtap && d.ok {
		d.rep.Infof(RuleMacvtapPlugin, d.obj, p("type"), "macvtap network %q needs the %q binding plugin registered in the KubeVirt CR (spec.configuration.network.binding.%s: {domainAttachmentType: tap}), and its VMs cannot live-migrate", n.Logical, n.Binding().Plugin, n.Binding().Plugin)
	}
}
