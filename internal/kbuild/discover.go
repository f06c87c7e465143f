package kbuild

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Discover says whether dir is an app the Argo CD plugin builds: a folder with
// one kustomization file whose transformers list the function's config (a file
// in the folder, or inline). It reads only that kustomization and the files it
// names in or below dir, as kustomize's default load restrictor allows; it never
// builds, so a repo server's discovery stays cheap.
func Discover(dir string) (bool, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false, nil
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return false, nil
	}
	var found []string
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if _, err := os.Stat(filepath.Join(abs, name)); err == nil {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		return false, nil // none, or more than kustomize accepts
	}
	b, err := os.ReadFile(filepath.Join(abs, found[0]))
	if err != nil {
		return false, err
	}
	k, err := yaml.Parse(string(b))
	if err != nil {
		return false, nil
	}
	list := field(k, "transformers")
	if list == nil || list.YNode().Kind != yaml.SequenceNode {
		return false, nil
	}
	for _, e := range list.YNode().Content {
		if e.Kind != yaml.ScalarNode {
			continue
		}
		if strings.Contains(e.Value, "\n") {
			if configuresUs([]byte(e.Value)) {
				return true, nil
			}
			continue
		}
		if b, ok := readWithin(abs, e.Value); ok && configuresUs(b) {
			return true, nil
		}
	}
	return false, nil
}

// readWithin reads a file the kustomization in root names, if it lies in or
// below root once links are followed.
func readWithin(root, name string) ([]byte, bool) {
	if filepath.IsAbs(name) {
		return nil, false
	}
	p, err := filepath.EvalSymlinks(filepath.Join(root, name))
	if err != nil || (p != root && !strings.HasPrefix(p, root+string(filepath.Separator))) {
		return nil, false
	}
	if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	b, err := os.ReadFile(p)
	return b, err == nil
}

// configuresUs says whether a text holds a config of the function.
func configuresUs(b []byte) bool {
	if !mayConfigureFunction(b) {
		return false
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(b), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return false
	}
	for _, n := range nodes {
		if spec, err := runtimeutil.GetFunctionSpec(n); err == nil && spec != nil && isOurs(n.GetApiVersion(), n.GetKind()) {
			return true
		}
	}
	return false
}
