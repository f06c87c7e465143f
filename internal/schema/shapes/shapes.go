// Package shapes turns Go API types into the shape tables internal/schema walks,
// as Go source. It is used only by the generators (internal/schema's test for the
// function's own config API, and internal/schema/kubevirtgen for each KubeVirt
// release), never by the function.
package shapes

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Generator collects the shapes of the types it is given, each once.
type Generator struct {
	// Preserve reports types whose unknown fields the API server keeps
	// (x-kubernetes-preserve-unknown-fields); root says the type is a kind's own.
	Preserve func(t reflect.Type, root bool) bool
	// Opaque reports types that decode themselves and are taken as any value.
	Opaque func(t reflect.Type) bool
	index  map[string]int // type key -> shape index
	lines  []string
}

// Root is one kind: its key in the table ("group/kind" or "group/version/kind")
// and its Go type.
type Root struct {
	Key string
	T   reflect.Type
}

var unmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// DecodesItself reports a type with its own UnmarshalJSON (Quantity, Time,
// IntOrString, RawExtension, json.RawMessage).
func DecodesItself(t reflect.Type) bool { return reflect.PointerTo(t).Implements(unmarshaler) }

func (g *Generator) shape(t reflect.Type, root bool) int {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	preserve := g.Preserve != nil && g.Preserve(t, root)
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
	g.lines[i] = g.line(t, preserve)
	return i
}

func (g *Generator) line(t reflect.Type, preserve bool) string {
	switch {
	case g.Opaque != nil && g.Opaque(t):
		return "{kind: kindAny}"
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
		return b.String()
	case t.Kind() == reflect.Map:
		return fmt.Sprintf("{kind: kindMap, elem: %d}", g.shape(t.Elem(), false))
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return "{kind: kindString}"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return fmt.Sprintf("{kind: kindList, elem: %d}", g.shape(t.Elem(), false))
	case t.Kind() == reflect.String:
		return "{kind: kindString}"
	case t.Kind() == reflect.Bool:
		return "{kind: kindBool}"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "{kind: kindInt}"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "{kind: kindNumber}"
	}
	return "{kind: kindAny}"
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

// Source returns `func name() *Table { ... }` building the roots' table: a
// function, so a table is built only when a run asks for it.
func (g *Generator) Source(name string, roots []Root) string {
	g.index, g.lines = map[string]int{"any": 0}, []string{"{kind: kindAny}"} // shape 0: any value
	keys := make([]string, len(roots))
	for i, r := range roots {
		keys[i] = fmt.Sprintf("%q: %d,", r.Key, g.shape(r.T, true))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "func %s() *Table {\nreturn &Table{\nroots: map[string]int{\n%s\n},\nshapes: []shape{\n", name, strings.Join(keys, "\n"))
	for _, l := range g.lines {
		b.WriteString(l + ",\n")
	}
	b.WriteString("},\n}\n}\n\n")
	return b.String()
}
