package config

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// commonFields are the VMNetwork.spec fields of every type; the others are
// listed by each type's descriptor (network.Types).
var commonFields = []string{"name", "nadName", "namespace", "type", "generate", "rename"}

// takes reports whether a field may be set on a network of type t.
func takes(field string, t api.NetworkType) bool {
	if slices.Contains(commonFields, field) {
		return true
	}
	d := network.TypeOf(t)
	return d != nil && slices.Contains(d.Fields, field)
}

// onlySome reports whether a field is taken by some types only.
func onlySome(field string) bool { return !slices.Contains(commonFields, field) }

// specOrder is the order fields are checked and reported in: the reference's order.
var specOrder = []string{"name", "nadName", "namespace", "type", "generate", "rename", "cniVersion",
	"bridge", "vlan", "mtu", "macSpoofCheck", "preserveDefaultVlan", "disableContainerInterface", "ipam", "cniType", "bridgeMarker",
	"resourceName", "vlanQoS", "spoofChk", "trust", "linkState", "minTxRate", "maxTxRate", "lowerDevice", "bindingPlugin",
	"ovnNetworkName", "physicalNetworkName", "subnets", "excludeSubnets", "allowPersistentIPs", "trunk", "cniConfig", "binding", "extraConfig"}

// FieldsFor lists, in the reference's order, the VMNetwork.spec fields that only
// some types take and that type t takes: what --help and the README list per type.
func FieldsFor(t api.NetworkType) []string {
	var out []string
	for _, key := range specOrder {
		if onlySome(key) && takes(key, t) {
			out = append(out, key)
		}
	}
	return out
}

func typeNames() string {
	names := make([]string, len(api.NetworkTypes))
	for i, t := range api.NetworkTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// typesTaking lists the types a field applies to, in documentation order.
func typesTaking(field string) []api.NetworkType {
	var out []api.NetworkType
	for _, d := range network.Types {
		if slices.Contains(d.Fields, field) {
			out = append(out, d.Type)
		}
	}
	return out
}

func typeList(types []api.NetworkType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// declaration is where a network was declared and the names its defaults come from.
type declaration struct {
	obj           *report.Object
	origin        network.Origin
	path          string // "spec" or "spec.networks[2]"
	metaName      string // metadata.name of the declaring item; "" for inline networks
	dir           string
	previousNames []string
}

// originalName is the declaring item's name before any kustomize namePrefix or
// nameSuffix: the logical name and the OVN names must not follow those, or a VM's
// interface and OVN's bridge mapping change with every overlay.
func (d declaration) originalName() string {
	if len(d.previousNames) > 0 && d.previousNames[0] != "" {
		return d.previousNames[0]
	}
	return d.metaName
}

// declare applies defaults to one decoded network spec and runs every check that
// needs meaning. It returns the network even when a check failed (Valid false), so
// that VMs using it are told why they are left alone.
func declare(f *report.Findings, decl declaration, node *yaml.Node, s api.NetworkSpec) *network.Network {
	d := &decoder{obj: decl.obj, findings: f, ok: true}
	p := func(key string) string { return decl.path + "." + key }
	has := present(node)
	for _, key := range []string{"ipam", "cniConfig", "extraConfig"} {
		if has[key] {
			raw := d.rawJSON(node, key, p(key))
			switch key {
			case "ipam":
				s.IPAM = raw
			case "cniConfig":
				s.CNIConfig = raw
			case "extraConfig":
				s.ExtraConfig = raw
			}
		}
	}

	switch {
	case !has["type"]:
		d.errorf(RuleMissingField, p("type"), "%s is required: one of %s", p("type"), typeNames())
	case !slices.Contains(api.NetworkTypes, s.Type):
		d.errorf(RuleInvalidValue, p("type"), "%s %q is not a network type; use one of %s", p("type"), s.Type, typeNames())
	default:
		for _, key := range specOrder {
			if has[key] && !takes(key, s.Type) {
				d.errorf(RuleFieldNotForType, p(key), "%s does not apply to type %s; remove it (it applies to %s)", p(key), s.Type, typeList(typesTaking(key)))
			}
		}
	}

	n := &network.Network{
		Spec:          s,
		Origin:        decl.origin,
		Declared:      decl.obj,
		Field:         decl.path,
		Dir:           decl.dir,
		PreviousNames: decl.previousNames,
		Generate:      s.Generate == nil || *s.Generate,
	}
	oneOf(d, p("rename"), string(s.Rename), func(v string) { n.Rename = api.RenamePolicy(v) }, renamePolicies...)
	defaultNames(d, n, decl, has)
	if n.Spec.Namespace != "" {
		if errs := names.DNS1123Label(n.Spec.Namespace); len(errs) > 0 {
			d.errorf(RuleInvalidValue, p("namespace"), "%s %q is not a valid namespace: %s", p("namespace"), n.Spec.Namespace, strings.Join(errs, "; "))
		}
	}
	n.Namespace = n.Spec.Namespace
	checkTypeFields(d, n, has, p)
	n.Valid = d.ok
	return n
}

// defaultNames fills the logical and NAD names and checks them after defaulting,
// blaming the field the value came from.
func defaultNames(d *decoder, n *network.Network, decl declaration, has map[string]bool) {
	p := func(key string) string { return decl.path + "." + key }
	logicalFrom := p("name")
	n.Logical = n.Spec.Name
	if !has["name"] {
		if decl.metaName == "" {
			d.errorf(RuleMissingField, p("name"), "%s is required: the logical network name VMs use for the network and interface", p("name"))
			return
		}
		n.Logical, logicalFrom = decl.originalName(), "metadata.name"
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
	if !has["nadName"] {
		n.NADName, nadFrom = defaultNADName(n.Logical, decl), logicalFrom
	}
	if n.NADName != "" {
		if errs := names.DNS1123Subdomain(n.NADName); len(errs) > 0 {
			d.errorf(RuleInvalidValue, nadFrom, "NAD name %q (from %s) must be a DNS-1123 subdomain: %s", n.NADName, nadFrom, strings.Join(errs, "; "))
		}
	}
}

// NADNameDefault is the one rule for a network without nadName, as the
// configuration reference and --help state it (a test holds both to it).
const NADNameDefault = "the logical name (name), with the prefix and suffix kustomize gave the declaring item"

// defaultNADName is the NAD object name of a network without nadName
// (NADNameDefault): an object name, so it carries the prefix and suffix kustomize
// gave the declaring item, like every other object name at that level.
func defaultNADName(logical string, decl declaration) string {
	orig := decl.originalName()
	if decl.metaName == "" || decl.metaName == orig {
		return logical
	}
	if i := strings.Index(decl.metaName, orig); i >= 0 {
		return decl.metaName[:i] + logical + decl.metaName[i+len(orig):]
	}
	return decl.metaName
}

// linuxIfName is what the kernel accepts as an interface name (IFNAMSIZ is 16 with the NUL).
var linuxIfName = regexp.MustCompile(`^[^/:\s]{1,15}$`)

var pluginName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

var cniVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

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
	if v != "" && !slices.Contains(allowed, v) {
		d.errorf(RuleInvalidValue, path, "%s %q is not allowed; use one of %s", path, v, strings.Join(allowed, ", "))
	}
}

// checkTypeFields runs the range, format and combination checks of each type.
func checkTypeFields(d *decoder, n *network.Network, has map[string]bool, p func(string) string) {
	s := &n.Spec
	desc := network.TypeOf(s.Type)
	if desc == nil {
		return // a type the API does not have: reported with the type
	}
	for _, key := range desc.Required {
		if n.Generate && !has[key] {
			d.errorf(RuleMissingField, p(key), "%s is required for type %s", p(key), s.Type)
		}
	}
	if desc.VLANKey != "" {
		checkRange(d, p("vlan"), s.VLAN, desc.VLANMin, 4094)
	}
	if has["cniVersion"] && !cniVersion.MatchString(s.CNIVersion) {
		d.errorf(RuleInvalidValue, p("cniVersion"), "%s %q is not a CNI spec version such as 0.3.1, 0.4.0 or 1.0.0", p("cniVersion"), s.CNIVersion)
	}
	switch s.Type {
	case api.TypeBridge:
		if has["bridge"] {
			checkIfName(d, p("bridge"), s.Bridge)
		}
		checkOneOf(d, p("cniType"), s.CNIType, "bridge", "cnv-bridge")
		if s.IPAM != nil && s.DisableContainerInterface != nil && *s.DisableContainerInterface {
			d.errorf(RuleInvalidValue, p("ipam"), "%s cannot be used with disableContainerInterface: true (the bridge CNI refuses it: \"cannot use IPAM when DisableContainerInterface flag is set\"); remove one of them", p("ipam"))
		}
	case api.TypeOVS:
		if has["bridge"] {
			checkIfName(d, p("bridge"), s.Bridge)
		}
		checkTrunk(d, p("trunk"), s.Trunk)
	case api.TypeSRIOV:
		checkSRIOV(d, p, s)
	case api.TypeMacvtap:
		if n.Generate && has["resourceName"] == has["lowerDevice"] {
			d.errorf(RuleMissingField, p("resourceName"), "type macvtap needs exactly one of %s and %s: the device plugin resource the NAD asks for (lowerDevice gives %s<lowerDevice>)", p("resourceName"), p("lowerDevice"), api.MacvtapResourcePrefix)
		}
		if has["lowerDevice"] {
			checkIfName(d, p("lowerDevice"), s.LowerDevice)
		}
		if has["bindingPlugin"] && !pluginName.MatchString(s.BindingPlugin) {
			d.errorf(RuleInvalidValue, p("bindingPlugin"), "%s %q is not a binding plugin name as registered in the KubeVirt CR", p("bindingPlugin"), s.BindingPlugin)
		}
	case api.TypeOVNLocalnet:
		if has["physicalNetworkName"] && (strings.TrimSpace(s.PhysicalNetworkName) == "" || strings.ContainsAny(s.PhysicalNetworkName, ",:")) {
			d.errorf(RuleInvalidValue, p("physicalNetworkName"), "%s %q must name an OVS bridge mapping: not empty, no ',' or ':'; omit it to use the OVN network name", p("physicalNetworkName"), s.PhysicalNetworkName)
		}
	case api.TypeCustom:
		if !has["binding"] {
			d.errorf(RuleMissingField, p("binding"), "%s is required for type custom: bridge, sriov or the name of a binding plugin registered in the KubeVirt CR", p("binding"))
		} else if s.Binding != "bridge" && s.Binding != "sriov" && !pluginName.MatchString(s.Binding) {
			d.errorf(RuleInvalidValue, p("binding"), "%s %q must be bridge, sriov or a binding plugin name", p("binding"), s.Binding)
		} else if s.Binding == "masquerade" || s.Binding == "passtBinding" {
			d.errorf(RuleInvalidValue, p("binding"), "%s %s works only on the pod network; use bridge, sriov or a binding plugin", p("binding"), s.Binding)
		}
		checkCustomConfig(d, p("cniConfig"), s.CNIConfig)
		if v, ok := jsonString(s.CNIConfig, "cniVersion"); ok && s.CNIVersion != "" && v != s.CNIVersion {
			d.errorf(RuleInvalidValue, p("cniVersion"), "%s %q contradicts cniConfig.cniVersion %q; keep one", p("cniVersion"), s.CNIVersion, v)
		}
	}
	if desc.Refused {
		d.ok = false
		d.findings.Errorf(RuleRefusedType, p("type"), "%s %s is refused: %s", p("type"), s.Type, network.RefusedAlternatives)
	}
	checkRange(d, p("mtu"), s.MTU, 68, 65535)
	checkExtraConfig(d, p("extraConfig"), s.ExtraConfig)
	if has["resourceName"] {
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
	if s.Type == api.TypeSRIOV && d.ok {
		d.findings.Infof(RuleSRIOVResource, p("type"), "SR-IOV network %q needs VFs bound to vfio-pci (SriovNetworkNodePolicy deviceType: vfio-pci) as resource %s; %s", n.Logical, orUnknown(s.ResourceName), ResourceInjection)
	}
	if s.Type == api.TypeMacvtap && d.ok {
		d.findings.Infof(RuleMacvtapPlugin, p("type"), "macvtap network %q needs the %q binding plugin registered in the KubeVirt CR (spec.configuration.network.binding.%s: {domainAttachmentType: tap}), and its VMs cannot live-migrate; %s", n.Logical, n.Binding().Plugin, n.Binding().Plugin, ResourceInjection)
	}
}

// ResourceInjection says what makes a NAD's k8s.v1.cni.cncf.io/resourceName reach
// the launcher pod: without it the pod gets no device.
const ResourceInjection = "on KubeVirt v1.9 upstream the NAD's resourceName reaches the VM's pod only through Multus' network-resources-injector (the ExternalNetResourceInjection gate is on by default), elsewhere (HCO, gate off) KubeVirt injects it"

func orUnknown(resource string) string {
	if resource == "" {
		return "(the NAD's)"
	}
	return resource
}

func checkSRIOV(d *decoder, p func(string) string, s *api.NetworkSpec) {
	checkRange(d, p("vlanQoS"), s.VLANQoS, 0, 7)
	if s.VLANQoS != nil && *s.VLANQoS != 0 && (s.VLAN == nil || *s.VLAN == 0) {
		d.errorf(RuleInvalidValue, p("vlanQoS"), "%s needs vlan: sriov-cni applies the QoS bits to the VLAN tag; set vlan or remove vlanQoS", p("vlanQoS"))
	}
	checkOneOf(d, p("spoofChk"), s.SpoofChk, "on", "off")
	checkOneOf(d, p("trust"), s.Trust, "on", "off")
	checkOneOf(d, p("linkState"), s.LinkState, "auto", "enable", "disable")
	checkRange(d, p("minTxRate"), s.MinTxRate, 0, 1<<31-1)
	checkRange(d, p("maxTxRate"), s.MaxTxRate, 0, 1<<31-1)
	if s.MinTxRate != nil && s.MaxTxRate != nil && *s.MaxTxRate != 0 && *s.MinTxRate > *s.MaxTxRate {
		d.errorf(RuleInvalidValue, p("minTxRate"), "%s %d is above maxTxRate %d; the minimum rate must not exceed the maximum", p("minTxRate"), *s.MinTxRate, *s.MaxTxRate)
	}
}

// checkTrunk checks ovs-cni's trunk: each entry an id, or a minID..maxID range, of VLANs 0-4094.
func checkTrunk(d *decoder, path string, trunk []api.TrunkRange) {
	for i, t := range trunk {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case t.ID != nil && (t.MinID != nil || t.MaxID != nil):
			d.errorf(RuleInvalidValue, at, "%s sets id and a minID/maxID range; use one of them", at)
		case t.ID != nil:
			checkRange(d, at+".id", t.ID, 0, 4094)
		case t.MinID != nil && t.MaxID != nil:
			checkRange(d, at+".minID", t.MinID, 0, 4094)
			checkRange(d, at+".maxID", t.MaxID, 0, 4094)
			if *t.MinID > *t.MaxID {
				d.errorf(RuleInvalidValue, at, "%s minID %d is above maxID %d", at, *t.MinID, *t.MaxID)
			}
		default:
			d.errorf(RuleMissingField, at, "%s needs id, or minID and maxID", at)
		}
	}
}

// checkExtraConfig refuses an extraConfig key the function derives from a field:
// the field says it, or should.
func checkExtraConfig(d *decoder, path string, raw json.RawMessage) {
	if raw == nil {
		return
	}
	var extra map[string]json.RawMessage
	if json.Unmarshal(raw, &extra) != nil {
		return
	}
	for _, k := range network.DerivedKeys {
		if _, ok := extra[k]; ok {
			d.errorf(RuleInvalidValue, path+"."+k, "%s.%s is a CNI key the function derives from the network's fields; set it through them (or leave it out), not in extraConfig", path, k)
		}
	}
	if raw, ok := extra["plugins"]; ok {
		// The plugins that follow the main one in a CNI configuration list.
		var plugins []map[string]any
		if json.Unmarshal(raw, &plugins) != nil || len(plugins) == 0 {
			d.errorf(RuleInvalidValue, path+".plugins", "%s.plugins must be a list of CNI plugin objects (the plugins that follow the main one, such as tuning), each with a type", path)
			return
		}
		for i, p := range plugins {
			if t, _ := p["type"].(string); t == "" {
				d.errorf(RuleMissingField, fmt.Sprintf("%s.plugins[%d].type", path, i), "%s.plugins[%d] has no type: the CNI plugin to chain after the main one", path, i)
			}
		}
	}
}

func jsonString(raw json.RawMessage, key string) (string, bool) {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return "", false
	}
	s, ok := m[key].(string)
	return s, ok
}

// checkCustomConfig checks that a custom network's CNI config names a CNI.
func checkCustomConfig(d *decoder, path string, raw json.RawMessage) {
	if raw == nil {
		return
	}
	t, err := network.CNITypeOf(string(raw))
	switch {
	case err != nil:
		d.errorf(RuleInvalidValue, path, "%s is not a CNI config: %v", path, err)
	case t == "":
		d.errorf(RuleMissingField, path+".type", "%s has no type (or plugins[0].type): the CNI plugin Multus calls", path)
	case network.FamilyOf(t) == network.FamilyRefused:
		d.errorf(RuleRefusedType, path+".type", "%s.type %s is refused: %s", path, t, network.RefusedAlternatives)
	}
}
