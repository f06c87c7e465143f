// Package kbuild runs a kustomize build whose last transformer is this function
// without kustomize's exec plumbing, which serializes, parses and re-matches every
// resource around an exec function and costs several times the build itself at
// fleet scale. kustomize builds the tree with the function's transformer left out
// (and the VMNetwork items kept, which it would drop as local config); the
// function then runs on that stream, with the transformer's VMNetworks as its
// config. Where that could give another output than the transformer path (the
// function at another level of the tree, a transformer after it, a name prefix
// or suffix whose previous names the function reads), the build runs the plain
// way: kustomize with exec functions enabled.
package kbuild

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// kustomizationNames are the file names kustomize reads, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Plan is how a tree is built.
type Plan struct {
	Dir string
	// Fast: build without the function's transformer, then run the function.
	Fast bool
	// Why the build runs the plain way ("" when Fast).
	Why string
	// Config is the function's VMNetworks (the transformer's file).
	Config []byte
	// root is the root kustomization, ours the transformer that is the function,
	// abs the root's absolute path.
	root      *yaml.Node
	ours, abs string
}

// Make reads the tree at dir and decides how to build it.
func Make(dir string) (*Plan, error) {
	p := &Plan{Dir: dir}
	root, rootFile, err := readKustomization(dir)
	if err != nil {
		return nil, err
	}
	transformers := stringList(root, "transformers")
	ours := -1
	for i, t := range transformers {
		if cfg, ok := functionConfig(filepath.Join(dir, t)); ok {
			if ours >= 0 {
				return plain(p, "the root kustomization runs the function twice"), nil
			}
			ours, p.Config = i, cfg
		}
	}
	switch {
	case ours < 0:
		return plain(p, fmt.Sprintf("%s lists no kubevirt-networks transformer", rootFile)), nil
	case ours != len(transformers)-1:
		return plain(p, "a transformer runs after the function"), nil
	}
	if why := walk(dir, root, true, map[string]bool{}); why != "" {
		return plain(p, why), nil
	}
	if p.abs, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	// Rebased once here to find what cannot be; again where the build runs.
	if _, err := rebase(root, transformers[ours], p.abs, p.abs); err != nil {
		return plain(p, err.Error()), nil
	}
	p.Fast, p.root, p.ours = true, root, transformers[ours]
	return p, nil
}

func plain(p *Plan, why string) *Plan {
	p.Fast, p.Why = false, why
	return p
}

func readKustomization(dir string) (*yaml.Node, string, error) {
	for _, name := range kustomizationNames {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			return nil, name, fmt.Errorf("%s: not a kustomization: %v", filepath.Join(dir, name), err)
		}
		return doc.Content[0], name, nil
	}
	return nil, "", fmt.Errorf("%s holds no kustomization.yaml", dir)
}

// functionConfig reads a transformer file: the function's VMNetworks, or not.
func functionConfig(path string) ([]byte, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var obj struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
	}
	if yaml.Unmarshal(b, &obj) != nil || obj.Kind != api.KindVMNetworks || !strings.HasPrefix(obj.APIVersion, api.Group+"/") {
		return nil, false
	}
	return b, true
}

// walk looks through a kustomization and the ones it builds on for what the
// transformer path would do differently: the function below the root, or names
// changed by a prefix or suffix (the function reads their previous names).
func walk(dir string, k *yaml.Node, root bool, seen map[string]bool) string {
	abs, _ := filepath.Abs(dir)
	if seen[abs] {
		return ""
	}
	seen[abs] = true
	for _, key := range []string{"namePrefix", "nameSuffix"} {
		if v := ynode.Get(k, key); v != nil && v.Value != "" {
			return fmt.Sprintf("%s sets %s, and the function reads the names it replaces", dir, key)
		}
	}
	if !root {
		for _, t := range stringList(k, "transformers") {
			if _, ok := functionConfig(filepath.Join(dir, t)); ok {
				return fmt.Sprintf("%s runs the function itself", dir)
			}
		}
	}
	for _, t := range stringList(k, "transformers") {
		if b, err := os.ReadFile(filepath.Join(dir, t)); err == nil && bytes.Contains(b, []byte("PrefixSuffixTransformer")) {
			return fmt.Sprintf("%s renames objects with a PrefixSuffixTransformer", dir)
		}
	}
	for _, r := range append(append(stringList(k, "resources"), stringList(k, "components")...), stringList(k, "bases")...) {
		sub := filepath.Join(dir, r)
		if info, err := os.Stat(sub); err != nil || !info.IsDir() {
			continue // a file, or a remote resource
		}
		kk, _, err := readKustomization(sub)
		if err != nil {
			continue
		}
		if why := walk(sub, kk, false, seen); why != "" {
			return why
		}
	}
	return ""
}

func stringList(m *yaml.Node, key string) []string {
	v := ynode.Get(m, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, e := range v.Content {
		if e.Kind == yaml.ScalarNode {
			out = append(out, e.Value)
		}
	}
	return out
}

// rebase writes the root kustomization as it reads from folder from: every
// local path made relative to it, the function's transformer left out, and the
// VMNetwork items kept, which kustomize would drop as local config (the
// function reads them, and leaves them out of its output).
func rebase(k *yaml.Node, ours, dir, from string) ([]byte, error) {
	up := func(p string) string { return rebased(p, dir, from) }
	rebaseList := func(v *yaml.Node) {
		for _, e := range v.Content {
			if e.Kind == yaml.ScalarNode {
				e.Value = up(e.Value)
			}
		}
	}
	k = ynode.Copy(k)
	for i := 0; i+1 < len(k.Content); i += 2 {
		key, v := k.Content[i].Value, k.Content[i+1]
		switch key {
		case "transformers":
			kept := v.Content[:0]
			for _, e := range v.Content {
				if e.Value != ours {
					kept = append(kept, e)
				}
			}
			v.Content = kept
			rebaseList(v)
		case "resources", "components", "bases", "crds", "configurations", "generators", "validators":
			rebaseList(v)
		case "patchesStrategicMerge":
			for _, e := range v.Content {
				if e.Kind == yaml.ScalarNode && !strings.Contains(e.Value, "\n") && !strings.Contains(e.Value, ":") {
					e.Value = up(e.Value)
				}
			}
		case "patches", "patchesJson6902", "replacements":
			for _, e := range v.Content {
				if p := ynode.Get(e, "path"); p != nil {
					p.Value = up(p.Value)
				}
			}
		case "configMapGenerator", "secretGenerator":
			for _, g := range v.Content {
				for _, f := range []string{"files", "envs"} {
					if l := ynode.Get(g, f); l != nil {
						for _, e := range l.Content {
							if name, path, ok := strings.Cut(e.Value, "="); ok {
								e.Value = name + "=" + up(path)
							} else {
								e.Value = up(e.Value)
							}
						}
					}
				}
				if e := ynode.Get(g, "env"); e != nil {
					e.Value = up(e.Value)
				}
			}
		case "helmCharts", "helmGlobals", "helmChartInflationGenerator", "openapi", "buildMetadata":
			return nil, fmt.Errorf("the root kustomization sets %s, which the fast build does not rebase", key)
		}
	}
	// Keep the VMNetwork items, which kustomize drops from its output as local
	// config: an annotations transformer on their kind alone costs nothing (a
	// patch with a target costs a fifth of the build).
	keep := ynode.NewString(keepVMNetworks)
	if v := ynode.Get(k, "transformers"); v != nil {
		v.Content = append(v.Content, keep)
	} else {
		k.Content = append(k.Content, ynode.NewString("transformers"), &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{keep}})
	}
	return yaml.Marshal(k)
}

// keepVMNetworks is the annotations transformer that keeps the VMNetwork items.
const keepVMNetworks = `apiVersion: builtin
kind: AnnotationsTransformer
metadata:
  name: kubevirt-networks-keep-vmnetworks
annotations:
  config.kubernetes.io/local-config: "false"
fieldSpecs:
- group: kubevirt-networks.io
  kind: VMNetwork
  path: metadata/annotations
  create: true
`

// rebased is a path of the root kustomization in dir as seen from folder from
// (kustomize takes no absolute roots); remote and absolute paths stay.
func rebased(p, dir, from string) string {
	if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") || strings.HasPrefix(p, "github.com/") || strings.HasPrefix(p, "git@") {
		return p
	}
	rel, err := filepath.Rel(from, filepath.Join(dir, p))
	if err != nil {
		return p
	}
	return rel
}

// Build runs kustomize (the binary given) on the tree as the plan says. For a
// fast plan it writes the kustomize output to out and returns; the caller runs
// the function on it. A plain plan's output is the final output.
func (p *Plan) Build(kustomize string, out, stderr io.Writer) error {
	if !p.Fast {
		cmd := exec.Command(kustomize, "build", p.Dir, "--enable-alpha-plugins", "--enable-exec")
		cmd.Stdout, cmd.Stderr = out, stderr
		return cmd.Run()
	}
	tmp, err := os.MkdirTemp("", "kubevirt-networks-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if tmp, err = filepath.Abs(tmp); err != nil {
		return err
	}
	k, err := rebase(p.root, p.ours, p.abs, tmp)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "kustomization.yaml"), k, 0o644); err != nil {
		return err
	}
	// The rebased paths lead out of the build folder, to the root and the
	// bases it names, as the plain build reads them.
	cmd := exec.Command(kustomize, "build", tmp, "--load-restrictor", "LoadRestrictionsNone")
	cmd.Stdout, cmd.Stderr = out, stderr
	return cmd.Run()
}
