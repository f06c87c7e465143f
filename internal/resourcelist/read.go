package resourcelist

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// ResourceList is the function's input.
type ResourceList struct {
	APIVersion     string
	Items          []*Item
	FunctionConfig *yaml.Node // nil when absent
	// Size is the input's length in bytes.
	Size int64

	// Split input: the document's head comments and its top-level sections, for
	// writing the output around the items as the input had them.
	head     []byte
	sections []*section
	// goYAMLOnly: items are parsed and written by go-yaml alone (Options.GoYAMLOnly).
	goYAMLOnly bool
	// Whole-document input: the document, and what shares nodes through aliases;
	// source is its text, which unchanged items are written from.
	source  []byte
	doc     *yaml.Node
	Aliases *ynode.Aliases
	// A plain YAML stream: its text after the last object, and whether it was
	// parsed whole.
	stream, wholeStream bool
	tail                []byte
	// jsonDocs counts the stream's documents written as JSON objects.
	jsonDocs int
	// json: a whole-document ResourceList written in JSON, written back so.
	json *jsonDoc
}

// Split reports whether the input was read item by item (kpt's layout, or a
// stream's documents).
func (rl *ResourceList) Split() bool { return rl.doc == nil && !rl.wholeStream }

// Stream reports whether the input is a plain YAML stream, not a ResourceList.
func (rl *ResourceList) Stream() bool { return rl.stream }

// resourceListKind finds a top-level kind: ResourceList in text that is not YAML.
var resourceListKind = regexp.MustCompile(`(?m)^kind:[ \t]*["']?ResourceList["']?[ \t]*(#.*)?$`)

var apiVersions = []string{"config.kubernetes.io/v1", "config.kubernetes.io/v1beta1"}

// Form is what the input is.
type Form int

// The forms of input.
const (
	// Detect reads a ResourceList if the input is one, a plain stream otherwise.
	Detect Form = iota
	ResourceListForm
	StreamForm
)

// Options say how to read (and later write) the input.
type Options struct {
	Form Form
	// GoYAMLOnly parses and writes items with go-yaml alone, never fastyaml:
	// tests compare the two.
	GoYAMLOnly bool
	// PackThreshold is how much item text is held as it came before further
	// items are held deflated, in blocks sealed at BlockSize (0: the defaults).
	PackThreshold int64
	BlockSize     int
}

// Read reads the input in the form given. Errors say what is wrong and what is expected.
func Read(r io.Reader, form Form) (*ResourceList, error) {
	return ReadWith(r, Options{Form: form})
}

// ReadWith reads the input as the options say.
func ReadWith(r io.Reader, o Options) (*ResourceList, error) {
	rl, err := read(r, o)
	if rl != nil {
		rl.goYAMLOnly = o.GoYAMLOnly
		for _, it := range rl.Items {
			it.goYAMLOnly = o.GoYAMLOnly
		}
	}
	return rl, err
}

func read(r io.Reader, o Options) (*ResourceList, error) {
	form := o.Form
	if form == StreamForm {
		return ReadStream(r)
	}
	s := &splitter{in: newBufio(r), rl: &ResourceList{}, seen: map[string]bool{}, threshold: o.PackThreshold}
	s.packer.blockSize = o.BlockSize
	if s.threshold == 0 {
		s.threshold = packThreshold
	}
	if s.packer.blockSize == 0 {
		s.packer.blockSize = blockSize
	}
	if s.split() {
		s.rl.Size = s.size
		return s.rl, nil
	}
	// Not kpt's layout: parse the whole document, from what was read and the rest.
	var whole bytes.Buffer
	s.packer.seal()
	for _, p := range s.pieces {
		if it := s.packed[p]; it != nil {
			text, err := it.text()
			if err != nil {
				return nil, err
			}
			whole.Write(text)
			continue
		}
		whole.Write(*p)
	}
	if _, err := whole.ReadFrom(s.in); err != nil {
		return nil, fmt.Errorf("cannot read the input: %v", err)
	}
	input := yamllex.CRLF(whole.Bytes())
	if form == Detect && !isResourceList(input) {
		return readStream(input)
	}
	rl, err := parseWhole(input)
	if rl != nil {
		rl.Size = int64(whole.Len())
	}
	return rl, err
}

// isResourceList reports whether the input's first document says kind: ResourceList.
// A JSON document is read as JSON.
// Invalid YAML is a ResourceList when its text says so at the top level, so that
// the ResourceList reader says what is wrong; otherwise the stream reader does,
// naming the document.
func isResourceList(input []byte) bool {
	if looksJSON(input) {
		var head struct{ Kind string }
		return json.Unmarshal(input, &head) == nil && head.Kind == "ResourceList"
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(input)).Decode(&doc); err != nil {
		return err != io.EOF && resourceListKind.Match(input)
	}
	return len(doc.Content) == 0 || (ynode.IsMap(doc.Content[0]) && ynode.Str(doc.Content[0], "kind") == "ResourceList")
}

type bufioReader = bufio.Reader

func newBufio(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }
