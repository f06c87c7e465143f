package kbuild

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// Function is a KRM function config the build read.
type Function struct {
	// File is where it is written, as kustomize named it; Inline, when it is an
	// entry of a kustomization's transformers, generators or validators.
	File   string
	Inline bool
	// abs is File as read.
	abs                    string
	APIVersion, Kind, Name string
	Namespace              string
	// Runs is what it would run: "exec PATH" or "container IMAGE".
	Runs string
	// Doc is the config as written (ours: the function's config).
	Doc []byte
}

func (f Function) String() string {
	where := f.File
	if f.Inline {
		where = "an inline entry of " + f.File
	}
	return fmt.Sprintf("%s %q (%s, in %s)", f.Kind, f.Name, f.Runs, where)
}

// errForeign stops a build at the first config of another function: no build
// of this package ever runs it unless the caller allows functions.
var errForeign = errors.New("the tree configures a KRM function other than kubevirt-networks")

// watchFS is the file system kustomize reads the tree through. kustomize
// resolves every path and applies its load restrictor before it reads a file;
// watchFS only looks at what kustomize was allowed to read, wherever it came
// from (a transformer, generator or validator file, an inline entry of a
// kustomization, a base, a component, a remote base), for KRM function configs:
// ours are replaced by stand-ins (the fast build) or pointed at this binary (a
// build with the function inside: never a program the repository names);
// another function stops the build unless the caller allows functions.
type watchFS struct {
	filesys.FileSystem
	// exec is the function annotation our configs get.
	exec string
	// allowForeign leaves other functions' configs as written (--allow-functions).
	allowForeign bool
	// standIn replaces our configs with builtin stand-ins (the fast build, see
	// standIns): kustomize records them in the function's place and spends
	// little on them, where even a skipped exec function costs a build its
	// whole exec plumbing. root is then the tree's root (links followed): its
	// kustomization is read with kustomize's transformer record asked for.
	standIn bool
	root    string

	mu      sync.Mutex
	ours    []Function
	foreign []Function
}

func newWatchFS(self string, args []string, allowForeign bool) *watchFS {
	spec := map[string]any{"exec": map[string]any{"path": self, "args": args}}
	b, err := yaml.Marshal(spec)
	if err != nil {
		panic(err) // a map of strings always encodes
	}
	return &watchFS{FileSystem: filesys.MakeFsOnDisk(), exec: string(b), allowForeign: allowForeign}
}

// functionMarkers are the byte strings without which a file configures no KRM
// function (kyaml's runtimeutil.GetFunctionSpec reads these): most files are
// passed on without being parsed.
var functionMarkers = [][]byte{
	[]byte(api.FunctionAnnotation), []byte("config.k8s.io/function"),
	[]byte("config.kubernetes.io/container"), []byte("configFn"),
}

func mayConfigureFunction(b []byte) bool {
	for _, m := range functionMarkers {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}

func (w *watchFS) ReadFile(path string) ([]byte, error) {
	b, err := w.FileSystem.ReadFile(path)
	if err != nil {
		return b, err
	}
	kustomization := isKustomizationFile(path)
	if kustomization && w.standIn && filepath.Dir(path) == w.root {
		b = recordTransformers(b)
	}
	switch {
	case !mayConfigureFunction(b):
		return b, nil
	case kustomization:
		return w.kustomization(path, b)
	}
	return w.documents(path, b, false)
}

func isKustomizationFile(path string) bool {
	base := filepath.Base(path)
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if base == name {
			return true
		}
	}
	return false
}

// documents inspects a file's documents; it returns the bytes kustomize gets.
// Text that is not YAML goes to kustomize unchanged, which says what is wrong.
func (w *watchFS) documents(path string, b []byte, inline bool) ([]byte, error) {
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(b), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return b, nil
	}
	changed := false
	var served []*yaml.RNode
	for _, n := range nodes {
		spec, err := runtimeutil.GetFunctionSpec(n)
		if err != nil || spec == nil {
			served = append(served, n)
			continue
		}
		doc, err := n.String()
		if err != nil {
			return nil, err
		}
		f := Function{File: path, abs: path, Inline: inline, APIVersion: n.GetApiVersion(), Kind: n.GetKind(), Name: n.GetName(),
			Namespace: n.GetNamespace(), Runs: runs(spec), Doc: []byte(doc)}
		if !isOurs(n.GetApiVersion(), n.GetKind()) {
			if err := w.sawForeign(f); err != nil {
				return nil, err
			}
			served = append(served, n)
			continue
		}
		at := w.sawOurs(f)
		changed = true
		if w.standIn {
			served = append(served, standIns(at)...)
			continue
		}
		if err := w.pointAtSelf(n); err != nil {
			return nil, err
		}
		served = append(served, n)
	}
	if !changed {
		return b, nil
	}
	var out bytes.Buffer
	err = kio.ByteWriter{Writer: &out}.Write(served)
	return out.Bytes(), err
}

// kustomization inspects the inline entries of a kustomization's transformers,
// generators and validators: a config written in the kustomization itself.
func (w *watchFS) kustomization(path string, b []byte) ([]byte, error) {
	k, err := yaml.Parse(string(b))
	if err != nil {
		return b, nil
	}
	changed := false
	for _, field := range []string{"transformers", "generators", "validators"} {
		list := k.Field(field)
		if list == nil || list.Value.YNode().Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range list.Value.YNode().Content {
			if e.Kind != yaml.ScalarNode || !mayConfigureFunction([]byte(e.Value)) {
				continue
			}
			out, err := w.documents(path, []byte(e.Value), true)
			if err != nil {
				return nil, err
			}
			if string(out) != e.Value {
				e.Value, e.Style, changed = string(out), yaml.LiteralStyle, true
			}
		}
	}
	if !changed {
		return b, nil
	}
	s, err := k.String()
	return []byte(s), err
}

func (w *watchFS) sawOurs(f Function) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ours = append(w.ours, f)
	return len(w.ours) - 1
}

func (w *watchFS) sawForeign(f Function) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.foreign = append(w.foreign, f)
	if w.allowForeign {
		return nil
	}
	return errForeign
}

// pointAtSelf makes a config of ours run this binary: whatever the repository
// names (an exec path, an image), the program that runs is this one.
func (w *watchFS) pointAtSelf(n *yaml.RNode) error {
	a := n.GetAnnotations()
	for _, k := range []string{api.FunctionAnnotation, "config.k8s.io/function", "config.kubernetes.io/container"} {
		delete(a, k)
	}
	a[api.FunctionAnnotation] = w.exec
	if err := n.SetAnnotations(a); err != nil {
		return err
	}
	return n.PipeE(yaml.Lookup("metadata"), yaml.Clear("configFn"))
}

func isOurs(apiVersion, kind string) bool { return api.IsFunctionConfig(apiVersion, kind) }

func runs(spec *runtimeutil.FunctionSpec) string {
	switch {
	case spec.Container.Image != "":
		return "container " + spec.Container.Image
	case spec.Exec.Path != "":
		return "exec " + spec.Exec.Path
	}
	return "a function"
}

func (w *watchFS) seen() (ours, foreign []Function) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Function(nil), w.ours...), append([]Function(nil), w.foreign...)
}
