package nad

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// Difference is one CNI key two configs disagree on, in meaning.
type Difference struct {
	Key        string
	Have, Want string // the values as JSON, or "(absent)"
	// WantWhy says where the declared value comes from when no field wrote it
	// (a default the function applies), so a message never claims it was declared.
	WantWhy string
	// Remedy, when set, is what to write in the declaration; Fix works it out
	// from the key otherwise.
	Remedy string
}

func (d Difference) String() string {
	have := d.Have
	if d.Key == "preserveDefaultVlan" && have == absent {
		have = "(absent: true, the bridge CNI's default)"
	}
	want := d.Want + " declared"
	if d.WantWhy != "" {
		want = d.Want + " " + d.WantWhy
	}
	return fmt.Sprintf("%s: %s in the NAD, %s", d.Key, have, want)
}

// Fix is what to write in the declaration so that it derives the NAD's value for
// this key: the network field that produces it, else extraConfig.
func (d Difference) Fix() string {
	field, ok := fieldOf(d.Key)
	switch {
	case d.Remedy != "":
		return d.Remedy
	case d.Key == "plugins":
		return "declare the NAD's other plugins in extraConfig.plugins"
	case d.Key == "type" || d.Key == "topology":
		return "declare the network with the type that matches the NAD's CNI type " + d.Have
	case d.Key == "preserveDefaultVlan" && d.Have == absent:
		// The bridge CNI's default: the port keeps the untagged default VLAN.
		return "write preserveDefaultVlan: true"
	case d.Key == "name":
		return "set ovnNetworkName: " + d.Have
	case ok && d.Have == absent:
		return "remove " + field
	case ok:
		return fmt.Sprintf("write %s: %s", field, d.Have)
	case d.Have == absent:
		return "remove " + d.Key + " from extraConfig"
	}
	return fmt.Sprintf("add extraConfig: {%s: %s}", d.Key, d.Have)
}

const absent = "(absent)"

// Differences lists how a NAD's CNI config (have) differs in meaning from a
// derived one (want): key order, whitespace and the cniVersion do not count, nor
// does the CNI `name` except for OVN (where it is the cluster-wide network); a
// configuration list is read as CNI reads it (its first plugin is the main one,
// the others are extra configuration), and each CNI's defaults are applied (a
// bridge without preserveDefaultVlan keeps the default VLAN, `ipam: {}` is no
// IPAM, an OVN localnet without physicalNetworkName uses its name).
// ok is false when either is not a JSON object.
func Differences(have, want string) (diffs []Difference, ok bool) {
	h, errH := meaning(have)
	w, errW := meaning(want)
	if errH != nil || errW != nil {
		return nil, false
	}
	keys := map[string]bool{}
	for k := range h {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	_, vlan := h["vlan"]
	_, trunk := h["vlanTrunk"]
	for _, k := range sorted {
		if k == "preserveDefaultVlan" && !vlan && !trunk {
			continue // follows from the vlan, which is named
		}
		a, b := jsonText(h, k), jsonText(w, k)
		if a != b {
			diffs = append(diffs, Difference{Key: k, Have: a, Want: b})
		}
	}
	return diffs, true
}

// OnlyExtraPlugins reports whether diffs are only about the plugins a
// configuration list holds beside its main one.
func OnlyExtraPlugins(diffs []Difference) bool {
	return len(diffs) == 1 && diffs[0].Key == "plugins"
}

func jsonText(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok {
		return absent
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// mainPlugin reads a CNI config as Multus hands it to CNI: a single plugin, or a
// configuration list whose first plugin is the main one. For a list, the result
// is the main plugin with the list's name, and the other plugins under "plugins".
func mainPlugin(config string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(config), &m); err != nil {
		return nil, err
	}
	list, ok := m["plugins"].([]any)
	if !ok || len(list) == 0 {
		return m, nil
	}
	first, ok := list[0].(map[string]any)
	if !ok {
		return m, nil
	}
	out := map[string]any{}
	for k, v := range m {
		if k != "plugins" {
			out[k] = v
		}
	}
	for k, v := range first {
		if k == "cniVersion" || k == "name" {
			continue // a list's own name and version are the ones CNI uses
		}
		out[k] = v
	}
	if len(list) > 1 {
		out["plugins"] = list[1:]
	}
	return out, nil
}

// meaning is a CNI config reduced to what it means.
func meaning(config string) (map[string]any, error) {
	m, err := mainPlugin(config)
	if err != nil {
		return nil, err
	}
	delete(m, "cniVersion")
	t, _ := m["type"].(string)
	if t == "cnv-bridge" {
		// OpenShift Virtualization's alias of the reference bridge CNI.
		t = "bridge"
		m["type"] = t
	}
	if t != network.OVNCNIType {
		delete(m, "name")
	}
	// OVN's netAttachDefName says where the NAD is, never what a declaration
	// means; the NAD lint holds it to the NAD's own <namespace>/<name>.
	delete(m, "netAttachDefName")
	if ipam, ok := m["ipam"].(map[string]any); ok && len(ipam) == 0 {
		// Every CNI reads an empty ipam object as no IPAM.
		delete(m, "ipam")
	}
	switch t {
	case network.OVNCNIType:
		if _, ok := m["physicalNetworkName"]; !ok && m["topology"] == "localnet" {
			m["physicalNetworkName"] = m["name"]
		}
	case "bridge":
		_, vlan := m["vlan"]
		_, trunk := m["vlanTrunk"]
		if p, ok := m["preserveDefaultVlan"]; (ok && p == true) || !vlan && !trunk {
			// true is the default, and without a VLAN there is no default VLAN to keep.
			delete(m, "preserveDefaultVlan")
		}
	}
	for k, v := range network.DefaultsOf(t) {
		if m[k] == v {
			delete(m, k)
		}
	}
	return m, nil
}

// Extra lists the keys of a managed NAD's config that its derivation drops and
// that no network field can express: adopting or updating the NAD would lose them
// silently, so they must be declared (extraConfig) instead.
func Extra(have, want string) []string {
	h, errH := meaning(have)
	w, errW := meaning(want)
	if errH != nil || errW != nil {
		return nil
	}
	var out []string
	for k := range h {
		if _, ok := w[k]; !ok && !slices.Contains(network.DerivedKeys, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func describe(diffs []Difference) string {
	parts := make([]string, len(diffs))
	for i, d := range diffs {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

// fixes lists, for a conflict, what to write in the declaration to match the NAD.
func fixes(diffs []Difference) string {
	var parts []string
	for _, d := range diffs {
		if f := d.Fix(); !slices.Contains(parts, f) {
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, "; ")
}
