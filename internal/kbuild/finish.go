package kbuild

import (
	"bytes"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Finish takes off the function's output what kustomize takes off its own at
// the end of a build: the previous names Build gave the objects the function
// reads. Only the documents that carry them are read again.
func Finish(out []byte) ([]byte, error) {
	marker := []byte(previousNamesAnnotation)
	if !bytes.Contains(out, marker) {
		return out, nil
	}
	var b bytes.Buffer
	for i, doc := range documents(out) {
		if i > 0 {
			b.WriteString("---\n")
		}
		if !bytes.Contains(doc, marker) {
			b.Write(doc)
			continue
		}
		n, err := yaml.Parse(string(doc))
		if err != nil {
			return nil, err
		}
		a := n.GetAnnotations()
		delete(a, previousNamesAnnotation)
		if err := n.SetAnnotations(a); err != nil {
			return nil, err
		}
		s, err := n.String()
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.Bytes(), nil
}

// documents splits a stream written by kustomize or the function (documents
// separated by a line "---"; a block scalar's lines are indented, so none of
// them is one).
func documents(b []byte) [][]byte {
	var docs [][]byte
	if bytes.HasPrefix(b, []byte("---\n")) {
		b = b[4:]
	}
	for {
		i := bytes.Index(b, []byte("\n---\n"))
		if i < 0 {
			return append(docs, b)
		}
		docs = append(docs, b[:i+1])
		b = b[i+5:]
	}
}
