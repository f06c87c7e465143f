package schema

// This file generates zz_generated.go: the shapes of the KubeVirt VM kinds as
// kubevirt.io/api (the version in go.mod) declares them, and of the function's
// own config API as fn/api declares it, as tables the strict decoder walks.
//
//	go test ./internal/schema -run TestTablesAreCurrent -update
//
// rewrites it.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubevirtv1 "kubevirt.io/api/core/v1"
	poolv1alpha1 "kubevirt.io/api/pool/v1alpha1"
	poolv1beta1 "kubevirt.io/api/pool/v1beta1"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

var update = flag.Bool("update", false, "rewrite zz_generated.go from kubevirt.io/api and fn/api")

// zz_generated.go must be what the API types declare.
func TestTablesAreCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("zz_generated.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("zz_generated.go is stale: go test ./internal/schema -run TestTablesAreCurrent -update")
	}
}

type genRoot struct {
	Key string
	T   reflect.Type
}

// kubevirtRoots are the VM kinds by "group/kind" (or "group/version/kind" where versions differ).
var kubevirtRoots = []genRoot{
	{"kubevirt.io/VirtualMachine", reflect.TypeOf(kubevirtv1.VirtualMachine{})},
	{"kubevirt.io/VirtualMachineInstance", reflect.TypeOf(kubevirtv1.VirtualMachineInstance{})},
	{"kubevirt.io/VirtualMachineInstanceReplicaSet", reflect.TypeOf(kubevirtv1.VirtualMachineInstanceReplicaSet{})},
	{"pool.kubevirt.io/v1alpha1/VirtualMachinePool", reflect.TypeOf(poolv1alpha1.VirtualMachinePool{})},
	{"pool.kubevirt.io/v1beta1/VirtualMachinePool", reflect.TypeOf(poolv1beta1.VirtualMachinePool{})},
}

// configRoots are the function's own kinds, and the network spec on its own for
// the function config's inline networks.
var configRoots = []genRoot{
	{api.KindVMNetwork, reflect.TypeOf(api.VMNetwork{})},
	{api.KindVMNetworks, reflect.TypeOf(api.VMNetworks{})},
	{"NetworkSpec", reflect.TypeOf(api.NetworkSpec{})},
}

var (
	genUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	genObjectMeta  = reflect.TypeOf(metav1.ObjectMeta{})
	genClock       = reflect.TypeOf(kubevirtv1.Clock{})
)

type tableGen struct {
	index map[string]int // type key -> shape index
	lines []string
}

func newTableGen() *tableGen {
	// Shape 0 is "any value": the decoder converts those without a shape.
	return &tableGen{index: map[string]int{"any": 0}, lines: []string{"{kind: kindAny}"}}
}

// shape returns the index of t's shape, adding it (and what it holds) when new.
func (g *tableGen) shape(t reflect.Type, root bool) int {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// Template metadata and clock are x-kubernetes-preserve-unknown-fields in KubeVirt's CRDs.
	preserve := (t == genObjectMeta && !root) || t == genClock
	key := fmt.Sprintf("%s|%v", t.String(), preserve)
	if t.PkgPath() != "" {
		key = t.PkgPath() + "." + key
	}
	if i, ok := g.index[key]; ok {
		return i
	}
	i := len(g.lines)
	g.index[key] = i
	g.lines = append(g.lines, "") // reserved; filled below (recursive types)
	var line string
	switch {
	// Types that decode themselves (Quantity, Time, IntOrString, RawExtension,
	// json.RawMessage) are opaque, except KubeVirt's own, which only add defaults.
	case reflect.PointerTo(t).Implements(genUnmarshaler) && !strings.HasPrefix(t.PkgPath(), "kubevirt.io/api"):
		line = "{kind: kindAny}"
	case t.Kind() == reflect.Struct:
		fields := structFields(t)
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		fmt.Fprintf(&b, "{kind: kindObject, preserve: %v, fields: map[string]int{", preserve)
		for _, n := range names {
			fmt.Fprintf(&b, "%q: %d, ", n, g.shape(fields[n], false))
		}
		b.WriteString("}}")
		line = b.String()
	case t.Kind() == reflect.Map:
		line = fmt.Sprintf("{kind: kindMap, elem: %d}", g.shape(t.Elem(), false))
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		line = "{kind: kindString}"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		line = fmt.Sprintf("{kind: kindList, elem: %d}", g.shape(t.Elem(), false))
	case t.Kind() == reflect.String:
		line = "{kind: kindString}"
	case t.Kind() == reflect.Bool:
		line = "{kind: kindBool}"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		line = "{kind: kindInt}"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		line = "{kind: kindNumber}"
	default:
		line = "{kind: kindAny}"
	}
	g.lines[i] = line
	return i
}

// structFields maps JSON names to field types, flattening inline embedded structs.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range structFields(ft) {
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

func (g *tableGen) source(name string, roots []genRoot) string {
	keys := make([]string, len(roots))
	for i, r := range roots {
		keys[i] = fmt.Sprintf("%q: %d,", r.Key, g.shape(r.T, true))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "var %s = Table{\nroots: map[string]int{\n%s\n},\nshapes: []shape{\n", name, strings.Join(keys, "\n"))
	for _, l := range g.lines {
		b.WriteString(l + ",\n")
	}
	b.WriteString("},\n}\n\n")
	return b.String()
}

// generate returns the formatted source of zz_generated.go.
func generate() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go test ./internal/schema -run TestTablesAreCurrent -update; DO NOT EDIT.\n")
	b.WriteString("// The shapes of the KubeVirt VM kinds in kubevirt.io/api v1.9.0, and of the\n")
	b.WriteString("// function's config API in fn/api.\n\n")
	b.WriteString("package schema\n\n")
	b.WriteString(newTableGen().source("kubevirtTable", kubevirtRoots))
	b.WriteString(newTableGen().source("configTable", configRoots))
	return format.Source(b.Bytes())
}
