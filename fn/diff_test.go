package fn_test

import (
	"fmt"
	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The diff between input and output is exactly the change: every line of an
// object that differs lies inside a field a change result names for that object
// (the networks and interfaces of a VM are one edit, an annotation's removal may
// take its emptied map with it). kpt's layout and streams are written item by
// item, so this holds for them byte for byte.
//
// With strict false (odd inputs the fuzzer made, where a comment at a strange
// indentation may make the function encode an object whole), an object that
// differs outside those fields must still read back value for value there.
func checkDiffIsChange(t testing.TB, input []byte, strict bool) {
	t.Helper()
	checkDiffIsChangeWith(t, fn.Options{}, input, strict)
}

func checkDiffIsChangeWith(t testing.TB, opts fn.Options, input []byte, strict bool) {
	t.Helper()
	stdout, _, _ := runWithin(t, opts, input, 60e9)
	if stdout == "" || isStream(stdout) {
		return
	}
	in, okIn := itemTexts(string(input))
	out, okOut := itemTexts(stdout)
	if !okIn || !okOut {
		return // not kpt's layout: read as one document
	}
	for _, i := range in {
		if itemNode(i) == nil {
			return // an item that is not YAML alone (an alias of another's anchor)
		}
	}
	allowed := changedFields(t, stdout)
	j := 0
	for _, i := range in {
		id := identity(i)
		if j >= len(out) || identity(out[j]) != id {
			continue // left out (a pruned NAD)
		}
		o := out[j]
		j++
		// The writer ends the input's last line with a line break.
		if i == o || i+"\n" == o {
			continue
		}
		if k := ynode.Str(itemNode(i), "kind"); strings.HasSuffix(k, "List") || k == "Template" {
			continue // results name the objects inside, at their own paths
		}
		fields, changed := allowed[id]
		if !changed && !strict && sameOutside(itemNode(i), itemNode(o), nil) {
			continue
		}
		if !changed {
			t.Errorf("%s changed, but no change result names it:\n%s", id, lineDiff(i, o))
			continue
		}
		if fields == nil {
			continue // a change of the whole object
		}
		for _, p := range differingPaths(i, o) {
			if under(p, fields) {
				continue
			}
			if !strict && sameOutside(itemNode(i), itemNode(o), fields) {
				break
			}
			t.Errorf("%s: the line at %q changed, outside what the change results name (%v):\n%s", id, p, fields, lineDiff(i, o))
			break
		}
	}
}

// itemTexts cuts a ResourceList in kpt's layout into its items' texts.
func itemTexts(doc string) ([]string, bool) {
	lines := strings.SplitAfter(doc, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimRight(l, "\n") == "items:" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, false
	}
	var items []string
	var cur strings.Builder
	for _, l := range lines[start:] {
		switch {
		case strings.HasPrefix(l, "- "):
			if cur.Len() > 0 {
				items = append(items, cur.String())
			}
			cur.Reset()
			cur.WriteString(l)
		case strings.HasPrefix(l, " ") || strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"):
			if cur.Len() == 0 {
				return nil, false
			}
			cur.WriteString(l)
		default:
			items = append(items, cur.String())
			return items, true
		}
	}
	if cur.Len() > 0 {
		items = append(items, cur.String())
	}
	return items, true
}

func itemNode(text string) *yaml.Node {
	var doc yaml.Node
	if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 || len(doc.Content[0].Content) != 1 {
		return nil
	}
	return doc.Content[0].Content[0]
}

func identity(text string) string {
	n := itemNode(text)
	meta := ynode.Get(n, "metadata")
	return fmt.Sprintf("%s %s %s/%s", ynode.Str(n, "apiVersion"), ynode.Str(n, "kind"), ynode.Str(meta, "namespace"), ynode.Str(meta, "name"))
}

// changedFields lists, per object, the fields its change results name, widened
// to what such an edit touches; nil: the whole object.
func changedFields(t testing.TB, out string) map[string][]string {
	allowed := map[string][]string{}
	for _, r := range results(t, []byte(out)) {
		if ynode.Str(ynode.Get(r, "tags"), "source") != "change" {
			continue
		}
		ref := ynode.Get(r, "resourceRef")
		id := fmt.Sprintf("%s %s %s/%s", ynode.Str(ref, "apiVersion"), ynode.Str(ref, "kind"), ynode.Str(ref, "namespace"), ynode.Str(ref, "name"))
		field := ynode.Str(ynode.Get(r, "field"), "path")
		if field == "" {
			allowed[id] = nil
			continue
		}
		if f, ok := allowed[id]; ok && f == nil {
			continue
		}
		allowed[id] = append(allowed[id], widen(field)...)
	}
	return allowed
}

// widen is what an edit at field may touch.
func widen(field string) []string {
	for _, area := range []string{".networks", ".domain.devices.interfaces"} {
		if i := strings.Index(field, area); i >= 0 {
			prefix := field[:i]
			return []string{prefix + ".networks", prefix + ".domain.devices"}
		}
	}
	if i := strings.Index(field, "annotations"); i >= 0 {
		// An emptied annotations map goes, and an emptied metadata with it.
		return []string{strings.TrimSuffix(field[:i], ".")}
	}
	return []string{field}
}

func under(path string, fields []string) bool {
	for _, f := range fields {
		if f == "" || path == f || strings.HasPrefix(path, f+".") || strings.HasPrefix(path, f+"[") {
			return true
		}
	}
	return false
}

// differingPaths are the field paths of the lines a line diff finds changed, on
// both sides.
func differingPaths(a, b string) []string {
	la, lb := yamlLines(a), yamlLines(b)
	pa, pb := linePaths(a), linePaths(b)
	// Longest common subsequence of lines.
	n, m := len(la), len(lb)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && la[i] == lb[j]:
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, pb[j+1])
			j++
		default:
			out = append(out, pa[i+1])
			i++
		}
	}
	return out
}

// yamlLines splits a text where go-yaml's line numbers do: at LF, CRLF and CR,
// and (YAML 1.1) at NEL, LS and PS.
func yamlLines(s string) []string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n").Replace(s)
	return strings.Split(s, "\n")
}

// linePaths gives each line (1-based) of an item's text the path of the field it
// belongs to: the node that starts on it, else the line before's.
func linePaths(text string) map[int]string {
	paths := map[int]string{}
	root := itemNode(text)
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if _, ok := paths[n.Line]; !ok {
			paths[n.Line] = path
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := strings.TrimPrefix(path+"."+n.Content[i].Value, ".")
				paths[n.Content[i].Line] = p
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	if root != nil {
		walk(root, "")
	}
	lines := len(yamlLines(text))
	last := ""
	for l := 1; l <= lines; l++ {
		if p, ok := paths[l]; ok {
			last = p
		} else {
			paths[l] = last
		}
	}
	return paths
}

// On every golden case, KubeVirt's examples, the fuzz regressions and a fleet.
func TestDiffIsTheChange(t *testing.T) {
	for _, g := range goldenInputs(t) {
		t.Run(g.name, func(t *testing.T) { checkDiffIsChange(t, g.input, true) })
	}
	// Few enough VMs that no rule's results are folded into a summary.
	t.Run("fleet", func(t *testing.T) { checkDiffIsChange(t, fleet(30), true) })
	t.Run("kubevirt-examples", func(t *testing.T) { checkDiffIsChange(t, wrap(t, exampleFiles(t)...), true) })
	regressions, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzRun", "*"))
	for _, f := range regressions {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if input, ok := fuzzInput(b); ok {
			t.Run(filepath.Base(f), func(t *testing.T) { checkDiffIsChange(t, input, false) })
		}
	}
}

// fuzzInput reads a file of Go's fuzz corpus holding one []byte.
func fuzzInput(b []byte) ([]byte, bool) {
	lines := strings.SplitN(string(b), "\n", 3)
	if len(lines) < 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") {
		return nil, false
	}
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
	if err != nil {
		return nil, false
	}
	return []byte(s), true
}

// sameOutside reports whether two objects hold the same values outside fields.
func sameOutside(a, b *yaml.Node, fields []string) bool {
	return valuesOutside(a, "", fields) == valuesOutside(b, "", fields)
}

func valuesOutside(n *yaml.Node, path string, fields []string) string {
	if n == nil || (path != "" && under(path, fields)) {
		return ""
	}
	var b strings.Builder
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := strings.TrimPrefix(path+"."+n.Content[i].Value, ".")
			if !under(p, fields) {
				fmt.Fprintf(&b, "%s{%s}", n.Content[i].Value, valuesOutside(n.Content[i+1], p, fields))
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			fmt.Fprintf(&b, "[%s]", valuesOutside(c, fmt.Sprintf("%s[%d]", path, i), fields))
		}
	default:
		fmt.Fprintf(&b, "%s:%s", n.ShortTag(), n.Value)
	}
	return b.String()
}
