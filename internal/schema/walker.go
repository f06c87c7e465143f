package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// shapeKind is what a value must be.
type shapeKind uint8

const (
	kindAny shapeKind = iota
	kindObject
	kindMap
	kindList
	kindString
	kindBool
	kindInt
	kindNumber
)

// shape is one type of an API, as the generated tables list them.
type shape struct {
	kind shapeKind
	// preserve: x-kubernetes-preserve-unknown-fields in the CRD (template metadata,
	// clock): unknown fields are kept there, so they are no problem.
	preserve bool
	fields   map[string]int // for objects: JSON name -> shape index
	elem     int            // for maps and lists
}

// Table is one API's shapes.
type Table struct {
	shapes []shape
	roots  map[string]int
}

// Root is the shape of one kind in a table.
type Root struct {
	table *Table
	at    int
}

// Valid reports whether the root was found.
func (r Root) Valid() bool { return r.table != nil }

// kubevirtTables build each KubeVirt release's table, by minor version
// (zz_kubevirt_v1_N.go): built on first use, so a run pays for one release only.
var (
	kubevirtTables = map[int]func() *Table{}
	kubevirtMu     sync.Mutex
	kubevirtBuilt  = map[int]*Table{}
)

// KubeVirtReleases are the minor versions of v1 that have a table, oldest first.
func KubeVirtReleases() []int {
	out := make([]int, 0, len(kubevirtTables))
	for m := range kubevirtTables {
		out = append(out, m)
	}
	sort.Ints(out)
	return out
}

// KubeVirt is the shape of a KubeVirt VM kind in the API of KubeVirt v1.<minor>,
// by group, version and kind; not Valid for a release without a table.
func KubeVirt(minor int, group, version, kind string) Root {
	kubevirtMu.Lock()
	t, ok := kubevirtBuilt[minor]
	if !ok {
		if build := kubevirtTables[minor]; build != nil {
			t = build()
		}
		kubevirtBuilt[minor] = t
	}
	kubevirtMu.Unlock()
	if t == nil {
		return Root{}
	}
	return t.root(group, version, kind)
}

var (
	configOnce  sync.Once
	configBuilt *Table
)

// Config is the shape of one of the function's own kinds, or of VMNetwork.spec
// ("NetworkSpec") for the inline networks of the function config.
func Config(kind string) Root {
	configOnce.Do(func() { configBuilt = configTable() })
	return configBuilt.root("", "", kind)
}

func (t *Table) root(group, version, kind string) Root {
	for _, key := range []string{group + "/" + kind, group + "/" + version + "/" + kind, kind} {
		if at, ok := t.roots[key]; ok {
			return Root{table: t, at: at}
		}
	}
	return Root{}
}

// ProblemKind is what is wrong.
type ProblemKind int

// The problems a strict decoder finds.
const (
	Unknown   ProblemKind = iota // a field the type does not have
	WrongType                    // a value of another type
	Duplicate                    // a key written twice in one mapping
	TooLarge                     // aliases expand past the decoder's bound
)

// Problem is one thing strict decoding refuses.
type Problem struct {
	Kind ProblemKind
	Path string // the field, dotted, with list indexes: spec.template.spec.networks[1].name
	Key  string // the unknown or duplicate key
	// Suggestion is the known field an unknown one most likely meant ("" if none is close).
	Suggestion string
	// Known lists the fields of the object holding an unknown one, sorted.
	Known []string
	// Want and Got describe a wrong type: "an integer", `the string "22"`.
	Want, Got string
	// Line is where the dropped value of a duplicate key starts, in the object's text.
	Line int
}

// Options tune a walk.
type Options struct {
	// Templated skips the type of scalars holding an OpenShift Template parameter
	// (${NAME}): their type is known only once the template is processed.
	Templated bool
}

// maxProblems bounds what one object can produce (a pasted-in wrong document
// would otherwise list every field).
const maxProblems = 50

// maxValues bounds the values one decode builds: aliases make a few lines of YAML
// stand for billions of values.
const maxValues = 100000

type walker struct {
	table    *Table
	opts     Options
	problems []Problem
	build    bool
	budget   int
	// segs is the path to the node being walked, written out only for a problem.
	segs []seg
}

// seg is one step of a path: a key, or a list index (key "").
type seg struct {
	key   string
	index int
}

func (w *walker) push(key string, index int) { w.segs = append(w.segs, seg{key, index}) }
func (w *walker) pop()                       { w.segs = w.segs[:len(w.segs)-1] }

// path is the dotted path of the node being walked, with key appended if not "".
func (w *walker) path(key string) string {
	var b strings.Builder
	for _, s := range w.segs {
		if s.key == "" {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	if key != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(key)
	}
	return b.String()
}

// Check walks node against the root's shape and returns the problems. Aliases are
// checked where their anchor is, so a "billion laughs" document stays linear.
func (r Root) Check(node *yaml.Node, opts Options) []Problem {
	if !r.Valid() {
		return nil
	}
	w := &walker{table: r.table, opts: opts}
	w.walk(node, r.at, 0)
	return w.problems
}

// Decode walks node like Check and also returns its value as plain Go values
// (map[string]any, []any, string, int64, float64, bool, nil) with every field that
// has a problem left out, ready for encoding/json into the API type. Aliases are
// followed, within a bound.
func (r Root) Decode(node *yaml.Node, opts Options) (any, []Problem) {
	if !r.Valid() {
		return nil, nil
	}
	w := &walker{table: r.table, opts: opts, build: true, budget: maxValues}
	v, _ := w.walk(node, r.at, 0)
	return v, w.problems
}

func (w *walker) add(p Problem) {
	if len(w.problems) < maxProblems {
		w.problems = append(w.problems, p)
	}
}

// Join appends a key to a dotted path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 64; depth++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// walk checks n against shape at; ok is false when n is left out of the value.
func (w *walker) walk(n *yaml.Node, at int, depth int) (any, bool) {
	if n != nil && n.Kind == yaml.AliasNode {
		if !w.build {
			return nil, true
		}
		n = resolve(n)
	}
	if w.build {
		if w.budget--; w.budget < 0 {
			if w.budget == -1 {
				w.add(Problem{Kind: TooLarge, Path: w.path("")})
			}
			return nil, false
		}
	}
	if n == nil || depth > 64 || isNull(n) {
		return nil, true
	}
	s := &w.table.shapes[at]
	switch s.kind {
	case kindObject, kindMap:
		if n.Kind != yaml.MappingNode {
			w.wrongType(n, s.kind)
			return nil, false
		}
		return w.mapping(n, s, depth)
	case kindList:
		if n.Kind != yaml.SequenceNode {
			w.wrongType(n, s.kind)
			return nil, false
		}
		var out []any
		if w.build {
			out = make([]any, 0, len(n.Content))
		}
		for i, e := range n.Content {
			w.push("", i)
			v, ok := w.walk(e, s.elem, depth+1)
			w.pop()
			if ok && w.build {
				out = append(out, v)
			}
		}
		return out, true
	case kindAny:
		if !w.build {
			return nil, true
		}
		return w.plain(n, depth)
	}
	if n.Kind != yaml.ScalarNode {
		w.wrongType(n, s.kind)
		return nil, false
	}
	if w.opts.Templated && strings.Contains(n.Value, "${") {
		return n.Value, true
	}
	tag := n.ShortTag()
	switch {
	// !!binary is a string: the base64 text it is written as.
	case s.kind == kindString && (tag == "!!str" || tag == "!!binary"),
		s.kind == kindBool && tag == "!!bool",
		s.kind == kindInt && tag == "!!int",
		s.kind == kindNumber && (tag == "!!int" || tag == "!!float"):
	default:
		w.wrongType(n, s.kind)
		return nil, false
	}
	if !w.build {
		return nil, true
	}
	return scalar(n)
}

func (w *walker) mapping(n *yaml.Node, s *shape, depth int) (any, bool) {
	lost := w.duplicates(n)
	var out map[string]any
	if w.build {
		out = make(map[string]any, len(n.Content)/2)
	}
	pairs := n.Content
	if ynode.MergesInto(n) {
		// Merge keys (`<<: *base`) stand for the keys they bring, as kubectl reads them.
		merged := ynode.Pairs(n)
		pairs, lost = make([]*yaml.Node, 0, 2*len(merged)), nil
		for _, p := range merged {
			pairs = append(pairs, p[0], p[1])
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if lost[i] {
			continue // kubectl never sees it: nothing in it is judged
		}
		key := pairs[i].Value
		child := s.elem
		if s.kind == kindObject {
			f, ok := s.fields[key]
			if !ok {
				if !s.preserve {
					known := w.fieldNames(s)
					w.add(Problem{Kind: Unknown, Path: w.path(key), Key: key, Suggestion: Closest(key, known), Known: known})
				}
				continue
			}
			child = f
		}
		w.push(key, 0)
		v, ok := w.walk(pairs[i+1], child, depth+1)
		w.pop()
		if ok && w.build {
			out[key] = v
		}
	}
	return out, true
}

func (w *walker) fieldNames(s *shape) []string {
	names := make([]string, 0, len(s.fields))
	for k := range s.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// duplicates reports keys written twice: go-yaml keeps both in the tree, and
// kubectl (sigs.k8s.io/yaml) keeps the last, silently dropping the others. It
// returns the indexes of the dropped keys (nil when there are none).
func (w *walker) duplicates(n *yaml.Node) map[int]bool {
	if len(n.Content) < 4 || !hasDuplicate(n) {
		return nil
	}
	var lost map[int]bool
	last := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		if prev, seen := last[key]; seen {
			if lost == nil {
				lost = map[int]bool{}
			}
			lost[prev] = true
			w.add(Problem{Kind: Duplicate, Path: w.path(key), Key: key, Line: n.Content[prev].Line})
		}
		last[key] = i
	}
	return lost
}

// hasDuplicate reports a key written twice, without allocating for the common
// small mapping that has none.
func hasDuplicate(n *yaml.Node) bool {
	if len(n.Content) > 32 {
		return true // let the map find out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		for j := i + 2; j+1 < len(n.Content); j += 2 {
			if n.Content[i].Value == n.Content[j].Value {
				return true
			}
		}
	}
	return false
}

// plain converts a value of no particular shape.
func (w *walker) plain(n *yaml.Node, depth int) (any, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		lost := w.duplicates(n)
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if lost[i] {
				continue
			}
			key := n.Content[i].Value
			w.push(key, 0)
			v, ok := w.walk(n.Content[i+1], anyShape, depth+1)
			w.pop()
			if ok {
				if _, dup := out[key]; !dup {
					out[key] = v
				}
			}
		}
		return out, true
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, e := range n.Content {
			w.push("", i)
			v, ok := w.walk(e, anyShape, depth+1)
			w.pop()
			if ok {
				out = append(out, v)
			}
		}
		return out, true
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, false
}

// anyShape is the index of the kindAny shape every table starts with.
const anyShape = 0

func scalar(n *yaml.Node) (any, bool) {
	switch n.ShortTag() {
	case "!!null":
		return nil, true
	case "!!bool":
		b, err := strconv.ParseBool(n.Value)
		return b, err == nil
	case "!!int":
		i, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil {
			u, uerr := strconv.ParseUint(n.Value, 0, 64)
			return float64(u), uerr == nil
		}
		return i, true
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		return f, err == nil
	}
	return n.Value, true
}

func (w *walker) wrongType(n *yaml.Node, want shapeKind) {
	w.add(Problem{Kind: WrongType, Path: w.path(""), Want: Want(want), Got: Describe(n)})
}

// Want names what a shape kind must be.
func Want(k shapeKind) string {
	switch k {
	case kindObject, kindMap:
		return "a mapping"
	case kindList:
		return "a list"
	case kindString:
		return "a string"
	case kindBool:
		return "true or false"
	case kindInt:
		return "an integer"
	case kindNumber:
		return "a number"
	}
	return "a value"
}

// Describe names what the user wrote, for type errors.
func Describe(v *yaml.Node) string {
	v = resolve(v)
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
	return "the string " + strconv.Quote(v.Value)
}

// Closest suggests the known name a typo most likely meant: the same name in
// another case, or one within two edits.
func Closest(key string, known []string) string {
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
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
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
