package config

import (
	"fmt"
	"path"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Item is a config object from the input with where it came from.
type Item struct {
	Node *yaml.Node
	Obj  *report.Object
}

// Config is everything the function was told.
type Config struct {
	Settings api.Settings
	Networks []*network.Network
	// Usable is false when the function config itself is broken: the function then
	// changes nothing, since it cannot know what was meant.
	Usable bool
	// Findings are the config's results, per object, in input order.
	Findings report.Batch
}

// Load reads the function config and every declaration, runs the per-network and
// cross-network checks, and reports what it found. namespaceLabels are the labels
// of a namespace as the input shows them (for ClusterUserDefinedNetwork selectors).
func Load(functionConfig *Item, declarations []Item, namespaceLabels func(string) map[string]string) Config {
	cfg := Config{Settings: api.DefaultSettings(), Usable: true}
	var inline []*network.Network
	if functionConfig != nil {
		var f report.Findings
		cfg.Usable, inline = readFunctionConfig(&f, functionConfig, &cfg.Settings)
		cfg.Findings.Add(functionConfig.Obj, f...)
	}
	for _, it := range declarations {
		var f report.Findings
		cfg.Networks = append(cfg.Networks, readDeclaration(&f, it, namespaceLabels, cfg.Settings.Cluster.FieldValidation)...)
		cfg.Findings.Add(it.Obj, f...)
	}
	cfg.Networks = append(cfg.Networks, inline...)
	checkUnique(&cfg.Findings, cfg.Networks)
	return cfg
}

// readDeclaration reads one item that declares networks.
func readDeclaration(f *report.Findings, it Item, namespaceLabels func(string) map[string]string, fv api.FieldValidation) []*network.Network {
	var n *network.Network
	switch ynode.Str(it.Node, "kind") {
	case api.KindVMNetwork:
		n = readNetworkItem(f, it)
	case api.KindSriovNetwork:
		n = readSriovNetwork(f, it, fv)
	case api.KindUDN:
		n = readUDN(f, it, fv)
	case api.KindCUDN:
		n = readCUDN(f, it, namespaceLabels, fv)
	}
	if n == nil {
		return nil
	}
	return []*network.Network{n}
}

func readNetworkItem(f *report.Findings, it Item) *network.Network {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	if av := ynode.Str(it.Node, "apiVersion"); av != api.APIVersion {
		d.errorf(RuleInvalidValue, "apiVersion", "apiVersion %q is not served; use %s", av, api.APIVersion)
		return nil
	}
	var item api.VMNetwork
	d.decode(schema.Config(api.KindVMNetwork), it.Node, "", &item)
	meta := ynode.Get(it.Node, "metadata")
	if !ynode.IsNull(meta) {
		if !ynode.IsMap(meta) {
			d.errorf(RuleWrongType, "metadata", "metadata must be a mapping, not %s; write it as a mapping", schema.Describe(meta))
			return nil
		}
		if ann := ynode.Get(meta, "annotations"); !ynode.IsNull(ann) && !ynode.IsMap(ann) {
			d.errorf(RuleWrongType, "metadata.annotations", "metadata.annotations must be a mapping, not %s; write it as a mapping", schema.Describe(ann))
			return nil
		}
	}
	spec := ynode.Get(it.Node, "spec")
	if ynode.IsNull(spec) {
		// `spec:` with nothing under it (a template that rendered no fields) is as
		// good as none.
		d.errorf(RuleMissingField, "spec", "spec is required: a VMNetwork declares its type and CNI settings there")
		return nil
	}
	if !ynode.IsMap(spec) {
		return nil // the decoder said so
	}
	n := declare(f, declaration{
		obj:           it.Obj,
		origin:        network.FromVMNetwork,
		path:          "spec",
		metaName:      ynode.Str(meta, "name"),
		dir:           dirOf(it.Obj.Path),
		previousNames: PreviousNames(it.Node),
	}, spec, item.Spec)
	if !d.ok {
		n.Valid = false
	}
	return n
}

// PreviousNames are the names kustomize recorded for an item before its
// namePrefix/nameSuffix transformers renamed it, oldest first.
func PreviousNames(node *yaml.Node) []string {
	prev := ynode.Str(ynode.Path(node, "metadata", "annotations"), api.PreviousNamesAnnotation)
	if prev == "" {
		return nil
	}
	return strings.Split(prev, ",")
}

func dirOf(p string) string {
	if p == "" {
		return ""
	}
	if d := path.Dir(p); d != "." {
		return d
	}
	return ""
}

// readFunctionConfig reads a VMNetworks or ConfigMap function config into s.
func readFunctionConfig(f *report.Findings, it *Item, s *api.Settings) (bool, []*network.Network) {
	d := &decoder{obj: it.Obj, findings: f, ok: true}
	kind := ynode.Str(it.Node, "kind")
	av := ynode.Str(it.Node, "apiVersion")
	switch {
	case kind == "" && len(ynode.Keys(it.Node)) == 0:
		return true, nil
	case kind == "ConfigMap" && av == "v1":
		readConfigMap(d, it.Node, s)
		return d.ok, nil
	case kind == api.KindVMNetworks && av == api.APIVersion:
	default:
		d.errorf(RuleFunctionConfig, "", "function config of apiVersion %q and kind %q is not understood; use %s VMNetworks (or a ConfigMap with keys %s)", av, kind, api.APIVersion, strings.Join(api.ConfigMapKeys, ", "))
		return false, nil
	}
	var fc api.VMNetworks
	d.decode(schema.Config(api.KindVMNetworks), it.Node, "", &fc)
	spec := ynode.Get(it.Node, "spec")
	if !ynode.IsMap(spec) {
		return d.ok, nil
	}
	applySettings(d, fc.Spec, s)
	var inline []*network.Network
	if nets := ynode.Get(spec, "networks"); ynode.IsSeq(nets) {
		for i, e := range nets.Content {
			if ynode.IsNull(e) {
				// What a template renders for an entry whose values are missing: no
				// declaration, like `{}`, which misses its name and type.
				d.errorf(RuleMissingField, fmt.Sprintf("spec.networks[%d]", i), "spec.networks[%d] is empty: an entry declares a network, with at least its name and type; fill it in or remove it", i)
				continue
			}
			if !ynode.IsMap(e) || i >= len(fc.Spec.Networks) {
				continue // the decoder said so
			}
			n := declare(f, declaration{obj: it.Obj, origin: network.FromInline, path: fmt.Sprintf("spec.networks[%d]", i), dir: dirOf(it.Obj.Path)}, ynode.Resolve(e), fc.Spec.Networks[i])
			inline = append(inline, n)
		}
	}
	return d.ok, inline
}

// applySettings checks the function config's values and applies them over the defaults.
func applySettings(d *decoder, fs api.FunctionSpec, s *api.Settings) {
	oneOf(d, "spec.mode", string(fs.Mode), func(v string) { s.Mode = api.Mode(v) }, string(api.ModeFix), string(api.ModeValidate))
	oneOf(d, "spec.podNetwork.binding", string(fs.PodNetwork.Binding), func(v string) { s.PodBinding = api.PodBinding(v) },
		string(api.PodMasquerade), string(api.PodBridge), string(api.PodPasstBinding))
	if fs.PodNetwork.Enforce != nil {
		s.Enforce = *fs.PodNetwork.Enforce
	}
	s.NADPath = cleanNADPath(d, fs.NADPath)
	if fs.DefaultNamespace != "" {
		if errs := names.DNS1123Label(fs.DefaultNamespace); len(errs) > 0 {
			d.errorf(RuleInvalidValue, "spec.defaultNamespace", "spec.defaultNamespace %q is not a namespace name: %s", fs.DefaultNamespace, strings.Join(errs, "; "))
		} else {
			s.DefaultNamespace, s.DefaultNamespaceFrom = fs.DefaultNamespace, "spec.defaultNamespace"
		}
	}
	oneOf(d, "spec.rename", string(fs.Rename), func(v string) { s.Rename = api.RenamePolicy(v) }, renamePolicies...)
	c := fs.Cluster
	set := func(field string) {
		if s.Cluster.From == nil {
			s.Cluster.From = map[string]string{}
		}
		s.Cluster.From[field] = "spec.cluster"
	}
	for _, b := range []struct {
		field string
		v     *bool
		dst   *bool
	}{
		{"permitBridgeInterfaceOnPodNetwork", c.PermitBridgeInterfaceOnPodNetwork, &s.Cluster.PermitBridgeInterfaceOnPodNetwork},
		{"passtBindingFeatureGate", c.PasstBindingFeatureGate, &s.Cluster.PasstBindingFeatureGate},
		{"portRangesSpecFeatureGate", c.PortRangesSpecFeatureGate, &s.Cluster.PortRangesSpecFeatureGate},
		{"networkDevicesWithDRAFeatureGate", c.NetworkDevicesWithDRAFeatureGate, &s.Cluster.NetworkDevicesWithDRAFeatureGate},
	} {
		if b.v != nil {
			*b.dst = *b.v
			set(b.field)
		}
	}
	oneOf(d, "spec.cluster.defaultNetworkInterface", string(c.DefaultNetworkInterface), func(v string) {
		s.Cluster.DefaultNetworkInterface = api.PodBinding(v)
		set("defaultNetworkInterface")
	}, string(api.PodBridge), string(api.PodMasquerade))
	if c.BindingPlugins != nil {
		s.Cluster.BindingPlugins = c.BindingPlugins
		set("bindingPlugins")
	}
	if c.MigrationNetwork != "" {
		s.Cluster.MigrationNetwork = c.MigrationNetwork
		set("migrationNetwork")
	}
	if c.KubeVirtVersion != "" {
		kubevirtVersion(d, "spec.cluster.kubevirtVersion", c.KubeVirtVersion, s)
	}
	oneOf(d, "spec.cluster.fieldValidation", string(c.FieldValidation), func(v string) { s.Cluster.FieldValidation = api.FieldValidation(v) },
		string(api.FieldStrict), string(api.FieldWarn))
	oneOf(d, "spec.cluster.primaryUDNBinding", string(c.PrimaryUDNBinding), func(v string) { s.Cluster.PrimaryUDNBinding = api.UDNBinding(v) },
		string(api.UDNL2Bridge), string(api.UDNPasst))
	checkSettings(d, "spec.podNetwork.binding", s)
}

// kubevirtVersion reads the release the output is for, or reports why it cannot.
func kubevirtVersion(d *decoder, path, v string, s *api.Settings) {
	m, err := release.Parse(v)
	if err != nil {
		d.errorf(RuleInvalidValue, path, "%s: %v", path, err)
		return
	}
	s.Cluster.KubeVirt = m
	if s.Cluster.From == nil {
		s.Cluster.From = map[string]string{}
	}
	s.Cluster.From["kubevirtVersion"] = path
}

var renamePolicies = []string{string(api.RenameNADNames), string(api.RenameAlways), string(api.RenameNever)}

// oneOf applies a set enum value, or reports it.
func oneOf(d *decoder, path, v string, apply func(string), allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			apply(v)
			return
		}
	}
	d.errorf(RuleInvalidValue, path, "%s %q is not allowed; use one of %s", path, v, strings.Join(allowed, ", "))
}

// checkSettings refuses a pod binding the declared cluster would reject at admission.
func checkSettings(d *decoder, field string, s *api.Settings) {
	if s.PodBinding == api.PodBridge && !s.Cluster.PermitBridgeInterfaceOnPodNetwork {
		d.errorf(RuleSettingsConflict, field, "%s bridge is refused by a cluster with permitBridgeInterfaceOnPodNetwork: false (\"Bridge on pod network configuration is not enabled under kubevirt-config\"); use masquerade", field)
	}
	// passtBinding depends on the release: ApplyRelease judges it.
}

func cleanNADPath(d *decoder, p string) string {
	if p == "" {
		return ""
	}
	clean := path.Clean(p)
	if path.IsAbs(p) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(p, "\\") {
		d.errorf(RuleInvalidValue, "spec.nadPath", "spec.nadPath %q must be a folder relative to the package root, without '..'", p)
		return ""
	}
	if clean == "." {
		return ""
	}
	return clean
}

func readConfigMap(d *decoder, node *yaml.Node, s *api.Settings) {
	data := ynode.Get(node, "data")
	if ynode.IsNull(data) {
		return
	}
	if !ynode.IsMap(data) {
		d.errorf(RuleWrongType, "data", "data must be a mapping, not %s; write it as a mapping", schema.Describe(data))
		return
	}
	for _, k := range ynode.Keys(data) {
		path := "data." + k
		v := ynode.Get(data, k)
		if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			d.errorf(RuleWrongType, path, "%s must be a string, not %s; write it as a string", path, schema.Describe(v))
			continue
		}
		switch k {
		case "mode":
			oneOf(d, path, v.Value, func(v string) { s.Mode = api.Mode(v) }, string(api.ModeFix), string(api.ModeValidate))
		case "podBinding":
			oneOf(d, path, v.Value, func(v string) { s.PodBinding = api.PodBinding(v) }, string(api.PodMasquerade), string(api.PodBridge), string(api.PodPasstBinding))
		case "enforce":
			oneOf(d, path, v.Value, func(v string) { s.Enforce = v == "true" }, "true", "false")
		case "kubevirtVersion":
			kubevirtVersion(d, path, v.Value, s)
		default:
			hint := "remove it"
			if c := schema.Closest(k, api.ConfigMapKeys); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			d.errorf(RuleUnknownField, path, "unknown field %s; %s (known fields: %s)", path, hint, strings.Join(api.ConfigMapKeys, ", "))
		}
	}
	checkSettings(d, "data.podBinding", s)
}

// checkUnique refuses two networks that could serve the same namespace with the
// same logical name, or the same (namespace, NAD name). Both sides become invalid,
// since which one a VM meant is unknowable.
func checkUnique(b *report.Batch, nets []*network.Network) {
	overlap := func(a, b *network.Network) bool {
		return a.Namespace == "" || b.Namespace == "" || a.Namespace == b.Namespace
	}
	for i, n := range nets {
		for _, a := range nets[:i] {
			if !overlap(a, n) || a.Primary || n.Primary {
				continue
			}
			var f report.Findings
			if a.Logical != "" && a.Logical == n.Logical {
				f.Errorf(RuleDuplicateName, n.NameField(), "logical network name %q is already declared by %s for an overlapping namespace; logical names must be unique where a VM could use both", n.Logical, a.Source())
			} else if a.NADName != "" && a.NADName == n.NADName {
				f.Errorf(RuleDuplicateNAD, n.NADField(), "NAD %q is already declared by %s for an overlapping namespace; give one of them another nadName or namespace", n.NADName, a.Source())
			} else {
				continue
			}
			a.Valid, n.Valid = false, false
			b.Add(n.Declared, f...)
		}
	}
}
