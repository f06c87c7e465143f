package kbuild

import (
	"bytes"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// Finish does to the function's output what kustomize does to a function's at
// the end of a build: the previous names Build gave the objects the function
// reads come off, and the objects the function created get the stamp. Only the
// documents that need it are read again.
func Finish(out []byte, stamp Stamp) ([]byte, error) {
	marker := []byte(previousNamesAnnotation)
	label := []byte(api.ManagedByLabel + ": " + stamp.ManagedBy)
	needs := func(doc []byte) bool {
		return bytes.Contains(doc, marker) || (stamp.Origin != "" && !bytes.Contains(doc, []byte(originAnnotation))) ||
			(stamp.ManagedBy != "" && !bytes.Contains(doc, label))
	}
	if stamp == (Stamp{}) && !bytes.Contains(out, marker) {
		return out, nil
	}
	var b bytes.Buffer
	for i, doc := range documents(out) {
		if i > 0 {
			b.WriteString("---\n")
		}
		if !needs(doc) {
			b.Write(doc)
			continue
		}
		n, err := yaml.Parse(string(doc))
		if err != nil {
			return nil, err
		}
		a := n.GetAnnotations()
		delete(a, previousNamesAnnotation)
		if _, ok := a[originAnnotation]; !ok && stamp.Origin != "" {
			a[originAnnotation] = stamp.Origin
		}
		if err := n.SetAnnotations(a); err != nil {
			return nil, err
		}
		if stamp.ManagedBy != "" {
			l := n.GetLabels()
			l[api.ManagedByLabel] = stamp.ManagedBy
			if err := n.SetLabels(l); err != nil {
				return nil, err
			}
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
