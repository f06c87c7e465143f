package multus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
)

// Element is one network selection element.
type Element struct {
	Name      string
	Namespace string // "" when the element does not name one
	MAC       string
	// Extra lists the keys KubeVirt's networks/interfaces cannot carry (ips,
	// interface, default-route, cni-args, …), sorted.
	Extra []string
}

// Ref is the element as written, `ns/name` or `name`.
func (e Element) Ref() string {
	if e.Namespace == "" {
		return e.Name
	}
	return e.Namespace + "/" + e.Name
}

// carried are the keys KubeVirt expresses: the NAD reference and the interface MAC.
var carried = map[string]bool{"name": true, "namespace": true, "mac": true}

// Multus' own check for the comma form's names (multus-cni pkg/k8sclient).
var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Parse reads the annotation value: a JSON list (or single object) of network
// selection elements, or the comma list `[ns/]name[@iface]`.
func Parse(value string) ([]Element, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "[") || strings.HasPrefix(v, "{") {
		return parseJSON(v)
	}
	return parseList(v)
}

func parseList(v string) ([]Element, error) {
	var out []Element
	for i, raw := range strings.Split(v, ",") {
		item := strings.TrimSpace(raw)
		if item == "" {
			return nil, fmt.Errorf("element %d is empty", i)
		}
		var e Element
		if name, iface, ok := strings.Cut(item, "@"); ok {
			if iface == "" {
				return nil, fmt.Errorf("element %d %q has an empty interface name after '@'", i, item)
			}
			e.Extra = []string{"interface"}
			item = name
		}
		e.Name = item
		ns, name, hasNS := strings.Cut(item, "/")
		if hasNS {
			e.Namespace, e.Name = ns, name
		}
		if err := checkNames(i, e, hasNS, false); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func parseJSON(v string) ([]Element, error) {
	var raws []map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.UseNumber()
	if strings.HasPrefix(v, "{") {
		var one map[string]any
		if err := dec.Decode(&one); err != nil {
			return nil, fmt.Errorf("not a JSON network selection element: %v", err)
		}
		raws = []map[string]any{one}
	} else if err := dec.Decode(&raws); err != nil {
		return nil, fmt.Errorf("not a JSON list of network selection elements: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("text follows the JSON value")
	}
	out := make([]Element, 0, len(raws))
	for i, m := range raws {
		if m == nil {
			return nil, fmt.Errorf("element %d is null", i)
		}
		var e Element
		var err error
		if e.Name, err = stringKey(m, "name", i, true); err != nil {
			return nil, err
		}
		if e.Namespace, err = stringKey(m, "namespace", i, false); err != nil {
			return nil, err
		}
		if e.MAC, err = stringKey(m, "mac", i, false); err != nil {
			return nil, err
		}
		split := false
		if ns, name, ok := strings.Cut(e.Name, "/"); ok && e.Namespace == "" {
			// Multus accepts "ns/name" in the JSON name too.
			e.Namespace, e.Name, split = ns, name, true
		}
		if err := checkNames(i, e, split, true); err != nil {
			return nil, err
		}
		for k := range m {
			if !carried[k] {
				e.Extra = append(e.Extra, k)
			}
		}
		sort.Strings(e.Extra)
		out = append(out, e)
	}
	return out, nil
}

// checkNames refuses what cannot name a NAD: in the comma form by Multus' own
// check, in the JSON form as Kubernetes names objects (a NAD name is a DNS-1123
// subdomain, dots allowed; a namespace a label). hasNS: the namespace was written
// ("ns/name"), perhaps empty.
func checkNames(i int, e Element, hasNS, jsonForm bool) error {
	if hasNS || e.Namespace != "" {
		if (!jsonForm && !dns1123.MatchString(e.Namespace)) || (jsonForm && len(names.DNS1123Label(e.Namespace)) > 0) {
			return fmt.Errorf("element %d namespace %q is not a DNS-1123 label", i, e.Namespace)
		}
	}
	if !jsonForm && !dns1123.MatchString(e.Name) {
		return fmt.Errorf("element %d name %q is not a DNS-1123 label", i, e.Name)
	}
	if jsonForm && len(names.DNS1123Subdomain(e.Name)) > 0 {
		return fmt.Errorf("element %d name %q is not a NAD name (a DNS-1123 subdomain)", i, e.Name)
	}
	return nil
}

func stringKey(m map[string]any, key string, i int, required bool) (string, error) {
	v, ok := m[key]
	if !ok {
		if required {
			return "", fmt.Errorf("element %d has no %q", i, key)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || (required && s == "") {
		return "", fmt.Errorf("element %d %q must be a non-empty string", i, key)
	}
	return s, nil
}
