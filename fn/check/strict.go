package check

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	kubevirtv1 "kubevirt.io/api/core/v1"
	poolv1alpha1 "kubevirt.io/api/pool/v1alpha1"
	poolv1beta1 "kubevirt.io/api/pool/v1beta1"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// schemaRoots are the kubevirt.io/api v1.9.0 types each VM kind decodes into.
var schemaRoots = map[string]reflect.Type{
	"kubevirt.io/VirtualMachine":                   reflect.TypeOf(kubevirtv1.VirtualMachine{}),
	"kubevirt.io/VirtualMachineInstance":           reflect.TypeOf(kubevirtv1.VirtualMachineInstance{}),
	"kubevirt.io/VirtualMachineInstanceReplicaSet": reflect.TypeOf(kubevirtv1.VirtualMachineInstanceReplicaSet{}),
	"pool.kubevirt.io/v1alpha1/VirtualMachinePool": reflect.TypeOf(poolv1alpha1.VirtualMachinePool{}),
	"pool.kubevirt.io/v1beta1/VirtualMachinePool":  reflect.TypeOf(poolv1beta1.VirtualMachinePool{}),
}

var (
	unmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	objectMeta  = reflect.TypeOf(metav1.ObjectMeta{})
	clock       = reflect.TypeOf(kubevirtv1.Clock{})
)

// maxStrictFindings bounds what one object can produce (a pasted-in wrong document
// would otherwise list every field).
const maxStrictFindings = 50

// Strict decodes obj against kubevirt.io/api v1.9.0 as the API server would: an
// unknown field is a warning (the server drops or refuses it), a value of the
// wrong type an error (the server refuses the object).
func Strict(obj *yaml.Node, group, version, kind string) []report.Finding {
	root, ok := schemaRoots[group+"/"+kind]
	if !ok {
		root, ok = schemaRoots[group+"/"+version+"/"+kind]
	}
	if !ok {
		return nil
	}
	w := &walker{}
	w.walk(obj, root, "", true, 0)
	return w.findings
}

type walker struct {
	findings []report.Finding
}

func (w *walker) add(f report.Finding) {
	if len(w.findings) < maxStrictFindings {
		w.findings = append(w.findings, f)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldCache holds fields' result per struct type: the walk visits the same few
// hundred types for every VM of a package.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fields maps JSON names to struct fields, flattening inline embedded structs.
func fields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := structFields(t)
	fieldCache.Store(t, m)
	return m
}

func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range fields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string, root bool, depth int) {
	n = ynode.Resolve(n)
	if n == nil || depth > 64 || ynode.IsNull(n) {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// Types that decode themselves (Quantity, Time, IntOrString, RawExtension) are
	// opaque here, except KubeVirt's own, which only add defaults.
	if reflect.PointerTo(t).Implements(unmarshaler) && !strings.HasPrefix(t.PkgPath(), "kubevirt.io/api") {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.wrongType(path, n, "an object")
			return
		}
		known := fields(t)
		// These objects are x-kubernetes-preserve-unknown-fields in KubeVirt's CRDs.
		preserve := (t == objectMeta && !root) || t == clock
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			ft, ok := known[key]
			if !ok {
				if !preserve {
					w.add(report.Finding{Rule: RuleUnknownField, Field: join(path, key), Severity: krm.Warning,
						Message: fmt.Sprintf("unknown field %q: kubevirt.io/api v1.9 has no such field here, so the API server drops it (or kubectl --validate=strict refuses it); check its spelling and place", key)})
				}
				continue
			}
			w.walk(n.Content[i+1], ft, join(path, key), false, depth+1)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.wrongType(path, n, "an object")
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.walk(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), false, depth+1)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			w.scalar(n, path, "!!str", "a string")
			return
		}
		if n.Kind != yaml.SequenceNode {
			w.wrongType(path, n, "a list")
			return
		}
		for i, e := range n.Content {
			w.walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), false, depth+1)
		}
	case reflect.String:
		w.scalar(n, path, "!!str", "a string")
	case reflect.Bool:
		w.scalar(n, path, "!!bool", "true or false")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		w.scalar(n, path, "!!int", "an integer")
	case reflect.Float32, reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			w.wrongType(path, n, "a number")
		}
	}
}

func (w *walker) scalar(n *yaml.Node, path, tag, want string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag {
		w.wrongType(path, n, want)
	}
}

func (w *walker) wrongType(path string, n *yaml.Node, want string) {
	got := "a scalar"
	switch {
	case n.Kind == yaml.MappingNode:
		got = "an object"
	case n.Kind == yaml.SequenceNode:
		got = "a list"
	case n.ShortTag() == "!!str":
		got = fmt.Sprintf("the string %q", n.Value)
	case n.ShortTag() == "!!int" || n.ShortTag() == "!!float":
		got = "the number " + n.Value
	case n.ShortTag() == "!!bool":
		got = "the boolean " + n.Value
	}
	w.add(report.Finding{Rule: RuleSchemaType, Field: path, Severity: krm.Error,
		Message: fmt.Sprintf("%s must be %s, not %s: the API server refuses the object; write it as %s", path, want, got, want)})
}
