package config

import (
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// decoder collects one config object's problems as error results at their paths,
// so that every problem is reported instead of the first.
type decoder struct {
	obj      *report.Object
	findings *report.Findings
	ok       bool
}

func (d *decoder) errorf(rule report.Rule, field, format string, a ...any) {
	d.ok = false
	d.findings.Errorf(rule, field, format, a...)
}

// problems words the strict decoder's problems, with paths under prefix.
func (d *decoder) problems(prefix string, ps []schema.Problem) {
	for _, p := range ps {
		path := schema.Join(prefix, p.Path)
		switch p.Kind {
		case schema.Unknown:
			hint := "remove it"
			if p.Suggestion != "" {
				hint = fmt.Sprintf("did you mean %q?", p.Suggestion)
			}
			d.errorf(RuleUnknownField, path, "unknown field %s; %s (known fields: %s)", path, hint, strings.Join(p.Known, ", "))
		case schema.WrongType:
			d.errorf(RuleWrongType, path, "%s must be %s, not %s; write it as %s", path, p.Want, p.Got, p.Want)
		case schema.Duplicate:
			d.errorf(RuleWrongType, path, "key %q is written twice; keep one", p.Key)
		case schema.TooLarge:
			d.errorf(RuleInvalidValue, path, "%s cannot be read: its aliases stand for more values than the function reads (a \"billion laughs\"); write it out", path)
		}
	}
}

// decode strictly decodes node against root into dst, reporting problems under
// prefix. It returns the keys of the decoded mapping that hold a value.
func (d *decoder) decode(root schema.Root, node *yaml.Node, prefix string, dst any) {
	v, ps := root.Decode(node, schema.Options{})
	d.problems(prefix, ps)
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	if err != nil {
		// The decoder left out every value of the wrong type, so this is a bug.
		d.errorf(RuleWrongType, prefix, "%s cannot be decoded: %v", prefix, err)
	}
}

// present lists the keys of mapping n with a non-null value.
func present(n *yaml.Node) map[string]bool {
	out := map[string]bool{}
	for _, k := range ynode.Keys(n) {
		if !ynode.IsNull(ynode.Get(n, k)) {
			out[k] = true
		}
	}
	return out
}

// rawJSON writes an object field as JSON in the key order it was written in
// (a decoded map would sort its keys; CNI configs are read by people).
func (d *decoder) rawJSON(spec *yaml.Node, key, path string) json.RawMessage {
	v := ynode.Get(spec, key)
	if ynode.IsNull(v) {
		return nil
	}
	if !ynode.IsMap(v) {
		d.errorf(RuleWrongType, path, "%s must be a mapping (a JSON object), not %s; write it as a mapping", path, schema.Describe(v))
		return nil
	}
	j, err := ynode.ToJSON(v)
	if err != nil {
		d.errorf(RuleInvalidValue, path, "%s cannot be written as JSON: %v", path, err)
		return nil
	}
	return j
}
