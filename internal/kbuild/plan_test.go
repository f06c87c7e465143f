package kbuild

import (
	"strings"
	"testing"
)

func tr(in, apiVersion, kind, name string) *Transformation {
	t := &Transformation{}
	t.ConfiguredIn = in
	t.ConfiguredBy.APIVersion, t.ConfiguredBy.Kind, t.ConfiguredBy.Name = apiVersion, kind, name
	return t
}

var (
	ourStep   = tr("app/vm-networks.yaml", "builtin", "PatchTransformer", standInPrefix+"0-previous-names")
	ourStep2  = tr("app/vm-networks.yaml", "builtin", "PatchTransformer", standInPrefix+"0-local-config")
	labelStep = tr("app/kustomization.yaml", "builtin", "LabelTransformer", "team")
	prefix    = tr("prod/kustomization.yaml", "builtin", "PrefixTransformer", "")
	lookAlike = tr("app/kustomization.yaml", "example.com/v1", "PatchTransformer", standInPrefix+"0-previous-names")
	oneConfig = []Function{{File: "app/vm-networks.yaml", Kind: "VMNetworks", Name: "vm-networks"}}
)

func obj(label string, ts ...*Transformation) Object {
	return Object{Label: label, Transformations: ts}
}

// The build planner: the decision and its reason, for each situation the
// transformer record can show.
func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ours    []Function
		objects []Object
		fast    bool
		why     string
	}{
		{"no function in the tree: kustomize's build as it is", nil, []Object{obj("ConfigMap a", labelStep)}, true, ""},
		{"the function last, over every object", oneConfig, []Object{
			obj("VirtualMachine web", labelStep, ourStep, ourStep2), obj("ConfigMap a", ourStep, ourStep2)}, true, ""},
		{"no objects at all", oneConfig, nil, true, ""},
		{"configured twice", append(oneConfig, Function{File: "platform/vm-networks.yaml"}), nil, false,
			"the tree configures the function 2 times (app/vm-networks.yaml, platform/vm-networks.yaml)"},
		{"a look-alike that is not kustomize's builtin", oneConfig, []Object{obj("VirtualMachine web", lookAlike)}, false,
			"VirtualMachine web does not go through the function (it runs below the root, or as a generator or validator, configured in app/vm-networks.yaml)"},
		{"an object it never saw (below the root, or a generator)", oneConfig, []Object{
			obj("VirtualMachine web", ourStep), obj("ConfigMap generated", labelStep)}, false,
			"ConfigMap generated does not go through the function (it runs below the root, or as a generator or validator, configured in app/vm-networks.yaml)"},
		{"a transformer after it", oneConfig, []Object{obj("VirtualMachine web", ourStep, ourStep2, labelStep)}, false,
			"LabelTransformer team (configured in app/kustomization.yaml) runs after the function"},
		{"a nameless transformer after it", oneConfig, []Object{obj("VirtualMachine web", ourStep, prefix, ourStep2)}, false,
			"PrefixTransformer (configured in prod/kustomization.yaml) runs after the function"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.ours, tc.objects)
			if d.Fast != tc.fast || d.Why != tc.why {
				t.Errorf("Decide = {fast %v, %q}, want {fast %v, %q}", d.Fast, d.Why, tc.fast, tc.why)
			}
		})
	}
}

func TestParseTransformations(t *testing.T) {
	ts, err := parseTransformations("- configuredIn: ../app/vm-networks.yaml\n  configuredBy:\n    apiVersion: kubevirt-networks.io/v1alpha1\n    kind: VMNetworks\n    name: vm-networks\n")
	if _, ok := standInOf(ts[0]); err != nil || len(ts) != 1 || ok || ts[0].ConfiguredIn != "../app/vm-networks.yaml" {
		t.Errorf("parseTransformations = %+v, %v", ts, err)
	}
	if ts, err := parseTransformations(""); err != nil || ts != nil {
		t.Errorf("no annotation: %v, %v", ts, err)
	}
	if _, err := parseTransformations("{not: [a list"); err == nil || !strings.Contains(err.Error(), transformationsAnnotation) {
		t.Errorf("a broken annotation: %v", err)
	}
}
