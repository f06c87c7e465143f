package config

import (
	"fmt"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// decoder reads typed values out of one config object, turning every problem
// into an error result at the field's path instead of stopping at the first.
type decoder struct {
	rep *report.Report
	obj *report.Object
	ok  bool
}

func newDecoder(rep *report.Report, obj *report.Object) *decoder {
	return &decoder{rep: rep, obj: obj, ok: true}
}

func (d *decoder) errorf(rule report.Rule, field, format string, a ...any) {
	d.ok = false
	d.rep.Errorf(rule, d.obj, field, format, a...)
}

func (d *decoder) wrongType(path string, v *yaml.Node, want string) {
	d.errorf(RuleWrongType, path, "%s must be %s, not %s; write it as %s", path, want, describe(v), want)
}

// describe names what the user wrote, for type errors.
func describe(v *yaml.Node) string {
	v = ynode.Resolve(v)
	switch {
	case v == nil:
		return "empty"
	case v.Kind == yaml.MappingNode:
		return "a mapping"
	case v.Kind == yaml.SequenceNode:
		return "a list"
	}
	switch v.ShortTag() {
	case "!!int":
		return "the integer " + v.Value
	case "!!bool":
		return "the boolean " + v.Value
	case "!!null":
		return "null"
	case "!!float":
		return "the number " + v.Value
	}
	return strconv.Quote(v.Value)
}

func (d *decoder) str(v *yaml.Node, path string) (string, bool) {
	v = ynode.Resolve(v)
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		d.wrongType(path, v, "a string")
		return "", false
	}
	return v.Value, true
}

func (d *decoder) integer(v *yaml.Node, path string) (int64, bool) {
	v = ynode.Resolve(v)
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		d.wrongType(path, v, "an integer")
		return 0, false
	}
	i, err := strconv.ParseInt(v.Value, 0, 64)
	if err != nil {
		d.wrongType(path, v, "an integer")
		return 0, false
	}
	return i, true
}

func (d *decoder) boolean(v *yaml.Node, path string) (bool, bool) {
	v = ynode.Resolve(v)
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
		d.wrongType(path, v, "true or false")
		return false, false
	}
	b, err := strconv.ParseBool(v.Value)
	if err != nil {
		d.wrongType(path, v, "true or false")
		return false, false
	}
	return b, true
}

func (d *decoder) strings(v *yaml.Node, path string) ([]string, bool) {
	v = ynode.Resolve(v)
	if v == nil || v.Kind != yaml.SequenceNode {
		d.wrongType(path, v, "a list of strings")
		return nil, false
	}
	out := make([]string, 0, len(v.Content))
	ok := true
	for i, e := range v.Content {
		s, good := d.str(e, fmt.Sprintf("%s[%d]", path, i))
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

// mapping checks that v is a mapping and reports every key not in known, with a suggestion.
func (d *decoder) mapping(v *yaml.Node, path string, known []string) bool {
	v = ynode.Resolve(v)
	if v == nil || v.Kind != yaml.MappingNode {
		d.wrongType(path, v, "a mapping")
		return false
	}
	for _, k := range ynode.Keys(v) {
		if !contains(known, k) {
			d.unknownField(path, k, known)
		}
	}
	return true
}

func (d *decoder) unknownField(path, key string, known []string) {
	hint := "remove it"
	if s := closest(key, known); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	d.errorf(RuleUnknownField, join(path, key), "unknown field %s; %s (known fields: %s)", join(path, key), hint, strings.Join(known, ", "))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest suggests the known field a typo most likely meant.
func closest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return k
		}
		if dist := editDistance(strings.ToLower(key), strings.ToLower(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
