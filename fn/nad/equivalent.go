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
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: %s in the NAD, %s declared", d.Key, d.Have, d.Want)
}

// Differences lists how a NAD's CNI config (have) differs in meaning from a
// derived one (want): key order, whitespace and the cniVersion do not count, nor
// does the CNI `name` except for OVN (where it is the cluster-wide network), and
// each CNI's defaults are applied (a bridge without preserveDefaultVlan keeps the
// default VLAN, an OVN localnet without physicalNetworkName uses its name).
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
	for _, k := range sorted {
		a, b := jsonText(h, k), jsonText(w, k)
		if a != b {
			diffs = append(diffs, Difference{Key: k, Have: a, Want: b})
		}
	}
	return diffs, true
}

func jsonText(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok {
		return "(absent)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// defaults are CNI settings that mean the same written or left out.
var defaults = map[string]map[string]any{
	"bridge": {"macspoofchk": false, "isGateway": false, "isDefaultGateway": false, "forceAddress": false, "ipMasq": false,
		"hairpinMode": false, "promiscMode": false, "disableContainerInterface": false, "portIsolation": false, "vlan": float64(0)},
	"sriov": {"vlan": float64(0), "vlanQoS": float64(0)},
	"ovs":   {"vlan": float64(0)},
}

// meaning is a CNI config reduced to what it means.
func meaning(config string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(config), &m); err != nil {
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
	for k, v := range defaults[t] {
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
		if _, ok := w[k]; !ok && !slices.Contains(DerivedKeys, k) {
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
