package config

import (
	"fmt"
	"path"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// Item is a config object from the ResourceList with where it came from.
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
}

// Load reads the function config and every VMNetwork item, runs the per-network
// and cross-network checks and reports into rep.
func Load(rep *report.Report, functionConfig *Item, networkItems []Item) Config {
	cfg := Config{Settings: api.DefaultSettings(), Usable: true}
	var inline []*network.Network
	if functionConfig != nil {
		cfg.Usable, inline = readFunctionConfig(rep, functionConfig, &cfg.Settings)
	}
	for _, it := range networkItems {
		if n := readNetworkItem(rep, it); n != nil {
			cfg.Networks = append(cfg.Networks, n)
		}
	}
	cfg.Networks = append(cfg.Networks, inline...)
	checkUnique(rep, cfg.Networks)
	return cfg
}

var itemFields = []string{"apiVersion", "kind", "metadata", "spec"}

func readNetworkItem(rep *report.Report, it Item) *network.Network {
	d := newDecoder(rep, it.Obj)
	if !d.mapping(it.Node, "", itemFields) {
		return nil
	}
	if av := ynode.Str(it.Node, "apiVersion"); av != api.APIVersion {
		d.errorf(RuleInvalidValue, "apiVersion", "apiVersion %q is not served; use %s", av, api.APIVersion)
		return nil
	}
	if meta := ynode.Get(it.Node, "metadata"); !ynode.IsNull(meta) {
		if !ynode.IsMap(meta) {
			d.wrongType("metadata", meta, "a mapping")
			return nil
		}
		if ann := ynode.Get(meta, "annotations"); !ynode.IsNull(ann) && !ynode.IsMap(ann) {
			d.wrongType("metadata.annotations", ann, "a mapping")
			return nil
		}
	}
	spec := ynode.Get(it.Node, "spec")
	if spec == nil {
		d.errorf(RuleMissingField, "spec", "spec is required: a VMNetwork declares its type and CNI settings there")
		return nil
	}
	annotations := ynode.StringMap(ynode.Path(it.Node, "metadata", "annotations"))
	var previous []string
	if prev := annotations[api.PreviousNamesAnnotation]; prev != "" {
		previous = strings.Split(prev, ",")
	}
	n := decodeNetwork(rep, declaration{
		obj:           it.Obj,
		path:          "spec",
		metaName:      ynode.Str(ynode.Get(it.Node, "metadata"), "name"),
		dir:           dirOf(it.Obj.Path),
		previousNames: previous,
	}, spec)
	if n != nil && !d.ok {
		n.Valid = false
	}
	return n
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

var (
	functionConfigFields = []string{"apiVersion", "kind", "metadata", "spec"}
	settingsFields       = []string{"mode", "podNetwork", "networks", "nadPath", "cluster"}
	podNetworkFields     = []string{"binding", "enforce"}
	clusterFields        = []string{"permitBridgeInterfaceOnPodNetwork", "passtBindingFeatureGate", "portRangesSpecFeatureGate", "networkDevicesWithDRAFeatureGate"}
	configMapKeys        = []string{"mode", "podBinding", "enforce"}
)

// readFunctionConfig reads a VMNetworks or ConfigMap function config into s.
func readFunctionConfig(rep *report.Report, it *Item, s *api.Settings) (bool, []*network.Network) {
	d := newDecoder(rep, it.Obj)
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
		d.errorf(RuleFunctionConfig, "", "function config %s %s is not understood; use %s VMNetworks (or a ConfigMap with keys %s)", av, kind, api.APIVersion, strings.Join(configMapKeys, ", "))
		return false, nil
	}
	if !d.mapping(it.Node, "", functionConfigFields) {
		return false, nil
	}
	spec := ynode.Get(it.Node, "spec")
	if ynode.IsNull(spec) {
		return d.ok, nil
	}
	if !d.mapping(spec, "spec", settingsFields) {
		return false, nil
	}
	if v := ynode.Get(spec, "mode"); !ynode.IsNull(v) {
		if m, ok := d.str(v, "spec.mode"); ok {
			setMode(d, "spec.mode", m, s)
		}
	}
	if pn := ynode.Get(spec, "podNetwork"); !ynode.IsNull(pn) && d.mapping(pn, "spec.podNetwork", podNetworkFields) {
		if v := ynode.Get(pn, "binding"); !ynode.IsNull(v) {
			if b, ok := d.str(v, "spec.podNetwork.binding"); ok {
				setPodBinding(d, "spec.podNetwork.binding", b, s)
			}
		}
		if v := ynode.Get(pn, "enforce"); !ynode.IsNull(v) {
			if b, ok := d.boolean(v, "spec.podNetwork.enforce"); ok {
				s.Enforce = b
			}
		}
	}
	if v := ynode.Get(spec, "nadPath"); !ynode.IsNull(v) {
		if p, ok := d.str(v, "spec.nadPath"); ok {
			s.NADPath = cleanNADPath(d, p)
		}
	}
	if c := ynode.Get(spec, "cluster"); !ynode.IsNull(c) && d.mapping(c, "spec.cluster", clusterFields) {
		dsts := []*bool{
			&s.Cluster.PermitBridgeInterfaceOnPodNetwork, &s.Cluster.PasstBindingFeatureGate,
			&s.Cluster.PortRangesSpecFeatureGate, &s.Cluster.NetworkDevicesWithDRAFeatureGate,
		}
		for k, key := range clusterFields {
			if v := ynode.Get(c, key); !ynode.IsNull(v) {
				if b, ok := d.boolean(v, "spec.cluster."+key); ok {
					*dsts[k] = b
				}
			}
		}
	}
	checkSettings(d, s)
	var inline []*network.Network
	if nets := ynode.Get(spec, "networks"); !ynode.IsNull(nets) {
		if !ynode.IsSeq(nets) {
			d.wrongType("spec.networks", nets, "a list of networks")
		} else {
			for i, e := range nets.Content {
				n := decodeNetwork(rep, declaration{obj: it.Obj, path: fmt.Sprintf("spec.networks[%d]", i), dir: dirOf(it.Obj.Path)}, e)
				if n != nil {
					inline = append(inline, n)
				}
			}
		}
	}
	return d.ok, inline
}

func setMode(d *decoder, path, m string, s *api.Settings) {
	switch api.Mode(m) {
	case api.ModeFix, api.ModeValidate:
		s.Mode = api.Mode(m)
	default:
		d.errorf(RuleInvalidValue, path, "%s %q is not a mode; use fix or validate", path, m)
	}
}

func setPodBinding(d *decoder, path, b string, s *api.Settings) {
	switch api.PodBinding(b) {
	case api.PodMasquerade, api.PodBridge, api.PodPasstBinding:
		s.PodBinding = api.PodBinding(b)
	default:
		d.errorf(RuleInvalidValue, path, "%s %q is not a pod network binding; use masquerade, bridge or passtBinding", path, b)
	}
}

// checkSettings refuses a pod binding the declared cluster would reject at admission.
func checkSettings(d *decoder, s *api.Settings) {
	if s.PodBinding == api.PodBridge && !s.Cluster.PermitBridgeInterfaceOnPodNetwork {
		d.errorf(RuleSettingsConflict, "spec.podNetwork.binding", "spec.podNetwork.binding bridge is refused by a cluster with permitBridgeInterfaceOnPodNetwork: false (\"Bridge on pod network configuration is not enabled under kubevirt-config\"); use masquerade")
	}
	if s.PodBinding == api.PodPasstBinding && !s.Cluster.PasstBindingFeatureGate {
		d.errorf(RuleSettingsConflict, "spec.podNetwork.binding", "spec.podNetwork.binding passtBinding needs the PasstBinding feature gate, which spec.cluster.passtBindingFeatureGate says is off; use masquerade")
	}
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
	if !d.mapping(data, "data", configMapKeys) {
		return
	}
	for _, k := range ynode.Keys(data) {
		v, ok := d.str(ynode.Get(data, k), "data."+k)
		if !ok {
			continue
		}
		switch k {
		case "mode":
			setMode(d, "data.mode", v, s)
		case "podBinding":
			setPodBinding(d, "data.podBinding", v, s)
		case "enforce":
			switch v {
			case "true":
				s.Enforce = true
			case "false":
				s.Enforce = false
			default:
				d.errorf(RuleInvalidValue, "data.enforce", "data.enforce %q must be \"true\" or \"false\"", v)
			}
		}
	}
	checkSettings(d, s)
}

// checkUnique refuses two networks that could serve the same namespace with the
// same logical name, or the same (namespace, NAD name). Both sides become invalid,
// since which one a VM meant is unknowable.
func checkUnique(rep *report.Report, nets []*network.Network) {
	overlap := func(a, b *network.Network) bool {
		return a.Namespace == "" || b.Namespace == "" || a.Namespace == b.Namespace
	}
	for i, b := range nets {
		for _, a := range nets[:i] {
			if !overlap(a, b) {
				continue
			}
			if a.Logical != "" && a.Logical == b.Logical {
				rep.Errorf(RuleDuplicateName, b.Declared, b.Field+".name", "logical network name %q is already declared by %s for an overlapping namespace; logical names must be unique where a VM could use both", b.Logical, a.Source())
				a.Valid, b.Valid = false, false
			} else if a.NADName != "" && a.NADName == b.NADName {
				rep.Errorf(RuleDuplicateNAD, b.Declared, b.Field+".nadName", "NAD %q is already declared by %s for an overlapping namespace; give one of them another nadName or namespace", b.NADName, a.Source())
				a.Valid, b.Valid = false, false
			}
		}
	}
}
