// Package resourcelist reads and writes the KRM ResourceList one item at a time.
//
// Input in the layout kpt and kustomize write (top-level keys at column 0, items
// as `- ` entries at column 0) is split into item texts without parsing the whole
// document: an item is parsed only when the function needs it, and each item is
// encoded on its own. go-yaml's emitter keeps every event of a document until it
// ends, so one document per item keeps memory flat on large packages. Any other
// layout (JSON, flow style, indented lists) is parsed whole, with the same result.
// Items are written in input order (the SDK's ToYAML sorts them).
package resourcelist

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// ResourceList is the function's input.
type ResourceList struct {
	APIVersion     string
	Items          []*Item
	FunctionConfig *yaml.Node // nil when absent
	// Size is the input's length in bytes.
	Size int64
}

// Item is one entry of items: its text until it is parsed.
type Item struct {
	index int
	// raw is the entry's text, "- " and all: it parses as a list of one object.
	raw  []byte
	node *yaml.Node
	// head caches apiVersion and kind read from the text.
	apiVersion, kind string
	headRead         bool
}

var apiVersions = []string{"config.kubernetes.io/v1", "config.kubernetes.io/v1beta1"}

// Head is the item's apiVersion and kind, read without parsing it when the text allows.
func (it *Item) Head() (apiVersion, kind string) {
	if it.node != nil {
		return ynode.Str(it.node, "apiVersion"), ynode.Str(it.node, "kind")
	}
	if !it.headRead {
		it.apiVersion, it.kind, it.headRead = scanHead(it.raw)
	}
	if !it.headRead {
		if n, err := it.Parse(); err == nil {
			return ynode.Str(n, "apiVersion"), ynode.Str(n, "kind")
		}
	}
	return it.apiVersion, it.kind
}

// Parse returns the item's tree, parsing its text if needed. The tree is not kept:
// call Keep for that.
func (it *Item) Parse() (*yaml.Node, error) {
	if it.node != nil {
		return it.node, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(it.raw, &doc); err != nil {
		return nil, fmt.Errorf("items[%d] is not valid YAML: %v", it.index, err)
	}
	if len(doc.Content) == 0 || !ynode.IsSeq(doc.Content[0]) || len(doc.Content[0].Content) != 1 || !ynode.IsMap(doc.Content[0].Content[0]) {
		return nil, fmt.Errorf("items[%d] is not an object (a mapping with apiVersion, kind and metadata)", it.index)
	}
	return ynode.Resolve(doc.Content[0].Content[0]), nil
}

// Keep parses the item and holds on to its tree, for items that change after being read.
func (it *Item) Keep() (*yaml.Node, error) {
	n, err := it.Parse()
	if err == nil {
		it.node = n
	}
	return n, err
}

// Done drops the item's text and tree once its output entry is written, so a
// large package's memory shrinks as it is processed. The item must not be read again.
func (it *Item) Done() {
	it.raw, it.node = nil, nil
}

// scanHead reads apiVersion and kind from the item's top-level lines: the first,
// after "- ", and those indented by two. ok is false when the text does not say
// plainly (a quoted escape, a flow value, a value continued on the next line), and
// the item must be parsed.
func scanHead(raw []byte) (apiVersion, kind string, ok bool) {
	for rest := raw; len(rest) > 0 && (apiVersion == "" || kind == ""); {
		var line []byte
		line, rest = nextLine(rest)
		if len(line) < 3 || (line[0] != ' ' && line[0] != '-') || line[1] != ' ' || line[2] == ' ' || line[2] == '#' {
			continue
		}
		key, value, found := mappingEntry(string(line[2:]))
		if !found || (key != "apiVersion" && key != "kind") {
			continue
		}
		v, plain := plainValue(value)
		if !plain || continued(rest) {
			return "", "", false
		}
		if key == "apiVersion" {
			apiVersion = v
		} else {
			kind = v
		}
	}
	return apiVersion, kind, apiVersion != "" && kind != ""
}

// nextLine cuts the first line (without its line break) off b.
func nextLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line, rest = b[:i], b[i+1:]
	} else {
		line = b
	}
	return bytes.TrimRight(line, "\r"), rest
}

// mappingEntry splits a block mapping line into key and value: the key ends at the
// first ':' followed by a blank or the end of the line (`kind::` is the key "kind:").
func mappingEntry(line string) (key, value string, ok bool) {
	for i := 0; i < len(line); i++ {
		if line[i] == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
			return line[:i], line[i+1:], true
		}
	}
	return "", "", false
}

// continued reports whether a top-level scalar goes on in the text that follows:
// the next line that is not blank is indented deeper than the item's keys.
func continued(rest []byte) bool {
	for len(rest) > 0 {
		var l []byte
		l, rest = nextLine(rest)
		t := bytes.TrimLeft(l, " ")
		if len(t) == 0 {
			continue
		}
		return len(l)-len(t) > 2 && t[0] != '#'
	}
	return false
}

// plainValue reads a scalar written plainly or quoted, without a trailing comment.
func plainValue(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
		if strings.ContainsAny(v, `\'"`) {
			return "", false
		}
		return v, v != ""
	}
	if v == "" || strings.ContainsAny(v[:1], "#[{&*!|>%@`\"'") {
		return "", false
	}
	return v, true
}

// Read reads a ResourceList. Errors say what is wrong and what is expected.
func Read(r io.Reader) (*ResourceList, error) {
	s := &splitter{in: bufio.NewReaderSize(r, 64<<10), rl: &ResourceList{}, seen: map[string]bool{}}
	if s.run() {
		s.rl.Size = s.size
		return s.rl, nil
	}
	// Not kpt's layout: parse the whole document, from what was read and the rest.
	if s.item != nil {
		*s.item = s.scratch
	}
	var whole bytes.Buffer
	for _, seg := range s.segments {
		whole.Write(*seg)
	}
	if _, err := whole.ReadFrom(s.in); err != nil {
		return nil, fmt.Errorf("cannot read the input: %v", err)
	}
	rl, err := parseWhole(bytes.ReplaceAll(whole.Bytes(), []byte("\r\n"), []byte("\n")))
	if rl != nil {
		rl.Size = int64(whole.Len())
	}
	return rl, err
}

// splitter cuts input in kpt's layout into item texts line by line, so no copy of
// the whole input is ever made: each item's text is the only copy of it.
type splitter struct {
	in       *bufio.Reader
	rl       *ResourceList
	seen     map[string]bool
	section  string
	item     *[]byte   // the item being read
	scratch  []byte    // the item's text while it grows; copied to an exact fit when complete
	fc       *[]byte   // the function config's text
	other    *[]byte   // top-level lines and results
	segments []*[]byte // everything read, in order, for the fallback
	size     int64
}

func (s *splitter) segment() *[]byte {
	b := new([]byte)
	s.segments = append(s.segments, b)
	return b
}

func (s *splitter) closeItem() {
	if s.item != nil {
		// One exact-size copy per item: growing each item's own slice would leave up
		// to half of every item's capacity unused for the whole run.
		*s.item = append(make([]byte, 0, len(s.scratch)), s.scratch...)
		s.scratch = s.scratch[:0]
		s.rl.Items = append(s.rl.Items, &Item{index: len(s.rl.Items), raw: *s.item})
		s.item = nil
	}
}

// run reads every line; false means the input is not in kpt's layout (s.segments
// then hold what was read).
func (s *splitter) run() bool {
	s.other = s.segment()
	for {
		line, err := s.readLine()
		s.size += int64(len(line))
		line = lf(line)
		if len(line) > 0 && !s.line(line) {
			last := s.segment() // the line that broke the layout belongs to the fallback's input
			*last = append(*last, line...)
			return false
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
	}
	s.closeItem()
	if !s.seen["kind"] || !contains(apiVersions, s.rl.APIVersion) {
		return false
	}
	if s.fc != nil {
		var doc yaml.Node
		if err := yaml.Unmarshal(*s.fc, &doc); err != nil || len(doc.Content) == 0 || !ynode.IsMap(doc.Content[0]) {
			return false
		}
		s.rl.FunctionConfig = ynode.Resolve(doc.Content[0])
	}
	return true
}

// lf turns a CRLF line ending into LF. YAML reads both as one line break, but
// go-yaml attaches comments after a CRLF line to other nodes, and the output is LF.
func lf(line []byte) []byte {
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		return line[:n-1]
	}
	return line
}

// readLine returns the next line with its newline, however long.
func (s *splitter) readLine() ([]byte, error) {
	line, err := s.in.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = s.in.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// line files one line under the part it belongs to (its bytes are only valid until
// the next read, so they are copied). false: not kpt's layout.
func (s *splitter) line(raw []byte) bool {
	line := bytes.TrimRight(raw, "\r\n")
	target := s.other
	switch {
	case len(line) == 0 || line[0] == '#':
		// blank lines and comments at column 0 stay with what they follow
		switch {
		case s.item != nil:
			target = s.item
		case s.section == "functionConfig":
			target = s.fc
		}
	case line[0] == ' ':
		switch s.section {
		case "items":
			if s.item == nil {
				return false
			}
			target = s.item
		case "functionConfig":
			target = s.fc
		case "results":
		default:
			return false
		}
	case line[0] == '-':
		if s.section == "results" {
			break
		}
		if s.section != "items" || (len(line) > 1 && line[1] != ' ') {
			return false
		}
		s.closeItem()
		s.item = s.segment()
		target = s.item
	default:
		s.closeItem()
		key, value, found := mappingEntry(string(line))
		if !found || s.seen[key] {
			return false
		}
		s.seen[key] = true
		value = strings.TrimSpace(value)
		switch key {
		case "apiVersion":
			s.rl.APIVersion = value
		case "kind":
			if value != "ResourceList" {
				return false
			}
		case "items":
			if value != "" && value != "[]" {
				return false
			}
		case "functionConfig":
			if value != "" {
				return false
			}
		case "results":
		default:
			return false
		}
		s.section = key
		s.other = s.segment()
		target = s.other
		if key == "functionConfig" {
			*target = append(*target, raw...)
			s.fc = s.segment()
			return true
		}
	}
	if target == s.item {
		s.scratch = append(s.scratch, raw...)
	} else {
		*target = append(*target, raw...)
	}
	return true
}

// parseWhole reads any other layout by parsing the document.
func parseWhole(input []byte) (*ResourceList, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, fmt.Errorf("the input is empty; expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1) on stdin")
		}
		return nil, fmt.Errorf("the input is not YAML: %v; expected a ResourceList on stdin", err)
	}
	if len(doc.Content) == 0 || !ynode.IsMap(doc.Content[0]) {
		return nil, fmt.Errorf("the input is not a ResourceList: expected a mapping with kind: ResourceList")
	}
	root := ynode.Resolve(doc.Content[0])
	kind := ynode.Str(root, "kind")
	av := ynode.Str(root, "apiVersion")
	if kind != "ResourceList" {
		return nil, fmt.Errorf("the input has kind %q; expected kind: ResourceList (a bare manifest must be wrapped, e.g. by kpt fn eval or kustomize)", kind)
	}
	if !contains(apiVersions, av) {
		return nil, fmt.Errorf("the ResourceList has apiVersion %q; expected %s", av, strings.Join(apiVersions, " or "))
	}
	rl := &ResourceList{APIVersion: av}
	if items := ynode.Get(root, "items"); !ynode.IsNull(items) {
		if !ynode.IsSeq(items) {
			return nil, fmt.Errorf("the ResourceList's items must be a list of objects")
		}
		for i, it := range items.Content {
			if !ynode.IsMap(it) {
				return nil, fmt.Errorf("the ResourceList's items[%d] is not an object (a mapping with apiVersion, kind and metadata)", i)
			}
			rl.Items = append(rl.Items, &Item{index: i, node: ynode.Resolve(it)})
		}
	}
	if fc := ynode.Get(root, "functionConfig"); !ynode.IsNull(fc) {
		if !ynode.IsMap(fc) {
			return nil, fmt.Errorf("the ResourceList's functionConfig must be an object")
		}
		rl.FunctionConfig = fc
	}
	return rl, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Writer writes the output ResourceList to w as its items become ready, in input
// order: a large package's items need not all be held until the end.
type Writer struct {
	w          *bufio.Writer
	mu         sync.Mutex
	entries    [][]byte // ready entries not yet written, by item index
	ready      []bool
	next       int // the first item not yet written
	started    bool
	apiVersion string
	err        error
}

// NewWriter starts an output ResourceList of the given apiVersion for items input items.
func NewWriter(w io.Writer, apiVersion string, items int) *Writer {
	if apiVersion == "" {
		apiVersion = apiVersions[0]
	}
	return &Writer{w: bufio.NewWriterSize(w, 256<<10), entries: make([][]byte, items), ready: make([]bool, items), apiVersion: apiVersion}
}

func (w *Writer) write(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

func (w *Writer) header(empty bool) {
	if w.started {
		return
	}
	w.started = true
	w.write([]byte("apiVersion: " + w.apiVersion + "\nkind: ResourceList\n"))
	if empty {
		w.write([]byte("items: []\n"))
	} else {
		w.write([]byte("items:\n"))
	}
}

// Set hands over item i's encoded entry (nil: the item is dropped). Entries are
// written as soon as every item before them is.
func (w *Writer) Set(i int, entry []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.entries[i], w.ready[i] = entry, true
	for w.next < len(w.ready) && w.ready[w.next] {
		if e := w.entries[w.next]; e != nil {
			w.header(false)
			w.write(e)
		}
		w.entries[w.next] = nil
		w.next++
	}
}

// Finish writes the added entries, the function config and results, and flushes.
func (w *Writer) Finish(added [][]byte, functionConfig *yaml.Node, results []*krm.Result) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next < len(w.ready) {
		return fmt.Errorf("internal error: item %d was never written", w.next)
	}
	w.header(len(w.ready) == 0 && len(added) == 0)
	for _, e := range added {
		w.write(e)
	}
	if functionConfig != nil {
		w.write([]byte("functionConfig:\n"))
		b, err := encode(functionConfig)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		indent(&out, b, "  ", "  ")
		w.write(out.Bytes())
	}
	if len(results) > 0 {
		w.write([]byte("results:\n"))
		nodes := make([]*yaml.Node, len(results))
		for i, r := range results {
			nodes[i] = resultNode(r)
		}
		entries, err := EncodeEntries(nodes)
		if err != nil {
			return err
		}
		for _, b := range entries {
			w.write(b)
		}
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// EncodeEntry encodes one node as an entry of a list: "- " then the node, indented.
func EncodeEntry(n *yaml.Node) ([]byte, error) {
	b, err := encode(n)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	indent(&out, b, "- ", "  ")
	return out.Bytes(), nil
}

// EncodeEntries encodes nodes as list entries on all cores, in order: new NADs and
// results are written after the VMs, where nothing else runs beside them.
func EncodeEntries(nodes []*yaml.Node) ([][]byte, error) {
	out := make([][]byte, len(nodes))
	errs := make([]error, len(nodes))
	workers := min(runtime.GOMAXPROCS(0), 4)
	if len(nodes) < 64 {
		workers = 1
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(nodes); i += workers {
				out[i], errs[i] = EncodeEntry(nodes[i])
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// encode writes one node as its own document.
func encode(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// indent prefixes the first line with first and every further non-empty line with rest.
// Empty lines stay empty so block scalars keep their exact content.
func indent(out *bytes.Buffer, b []byte, first, rest string) {
	prefix := first
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if len(line) > 1 || (len(line) == 1 && line[0] != '\n') {
			out.WriteString(prefix)
		}
		out.Write(line)
		if line[len(line)-1] != '\n' {
			out.WriteByte('\n')
		}
		prefix = rest
	}
}

// resultNode builds a result's tree by hand, in the field order of the SDK's Result
// yaml tags (omitting empty fields as they do): reflection cost more than the
// emitter for the hundreds of results of a large package.
func resultNode(r *krm.Result) *yaml.Node {
	m := ynode.NewMap()
	put := func(m *yaml.Node, k, v string) {
		if v != "" {
			m.Content = append(m.Content, ynode.NewString(k), ynode.NewString(v))
		}
	}
	sub := func(k string, child *yaml.Node) {
		if len(child.Content) > 0 {
			m.Content = append(m.Content, ynode.NewString(k), child)
		}
	}
	put(m, "message", r.Message)
	put(m, "severity", string(r.Severity))
	if ref := r.ResourceRef; ref != nil {
		c := ynode.NewMap()
		put(c, "apiVersion", ref.APIVersion)
		put(c, "kind", ref.Kind)
		put(c, "name", ref.Name)
		put(c, "namespace", ref.Namespace)
		sub("resourceRef", c)
	}
	if f := r.Field; f != nil {
		c := ynode.NewMap()
		put(c, "path", f.Path)
		sub("field", c)
	}
	if f := r.File; f != nil {
		c := ynode.NewMap()
		put(c, "path", f.Path)
		if f.Index != 0 {
			c.Content = append(c.Content, ynode.NewString("index"), ynode.NewInt(int64(f.Index)))
		}
		sub("file", c)
	}
	if len(r.Tags) > 0 {
		keys := make([]string, 0, len(r.Tags))
		for k := range r.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		c := ynode.NewMap()
		for _, k := range keys {
			put(c, k, r.Tags[k])
		}
		sub("tags", c)
	}
	return m
}
