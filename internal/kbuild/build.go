package kbuild

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
)

// Options are a build's settings: the flags of `kustomize build` a user may
// give, and what the function needs where kustomize runs it.
type Options struct {
	// Dir is the kustomization to build, as the user named it.
	Dir string
	// LoadRestrictor is kustomize's --load-restrictor; "" is kustomize's
	// default, LoadRestrictionsRootOnly. It is passed through, never widened.
	LoadRestrictor string
	// AllowFunctions lets the tree's other KRM functions run, as kustomize build
	// --enable-alpha-plugins --enable-exec runs them (an admin's opt-in).
	AllowFunctions bool
	// EnableHelm and HelmCommand are kustomize's --enable-helm and --helm-command.
	EnableHelm  bool
	HelmCommand string
	// Self is this binary, and SelfArgs its arguments, where kustomize runs the
	// function itself (the fallback): the program that runs for the function's
	// config is always this one, whatever the repository names.
	Self     string
	SelfArgs []string
	// Say, when set, hears what the build has to tell as it happens (the
	// fallback's reason before the function inside it speaks).
	Say func(string)
}

func (o Options) say(format string, args ...any) {
	if o.Say != nil {
		o.Say(fmt.Sprintf(format, args...))
	}
}

// shown is a path as the user would name it: from the folder they gave.
func (o Options) shown(abs, p string) string {
	if rel, err := filepath.Rel(abs, p); err == nil {
		return filepath.Join(o.Dir, rel)
	}
	return p
}

// Result is a build's output.
type Result struct {
	// Objects: for a fast build, kustomize's objects, which the function has yet
	// to see (the function's own and the local-config objects it reads kept,
	// marked for Finish); else the build's final output.
	Objects []byte
	Decision
	// Config is the function's config (a fast build of a tree that has one).
	Config []byte
	// Stamp is what Finish gives the objects the function creates.
	Stamp Stamp
}

// Refusal is a tree whose build would run programs the repository names.
type Refusal struct{ Functions []Function }

func (r *Refusal) Error() string {
	var each []string
	for _, f := range r.Functions {
		each = append(each, f.String())
	}
	return fmt.Sprintf("the tree configures KRM functions other than kubevirt-networks: %s. "+
		"kubevirt-networks kustomize runs no program or image a repository names (on a shared Argo CD repo server, "+
		"one team's repository would run it with access to every other team's files); an admin who trusts every "+
		"repository this server builds adds --allow-functions to the plugin's generate command (README: Trust)",
		strings.Join(each, "; "))
}

// Build builds the tree at o.Dir as kustomize build o.Dir would, with the
// user's load restrictor: kustomize resolves every path. The function's own
// configs are replaced by stand-ins (it runs after the build, on kustomize's
// output), and the build stops at any other function's config. Where the
// function running after the build could give other objects than it running
// inside it (Decide), the tree is built again with the function inside, as
// this binary.
func Build(o Options) (*Result, error) {
	lr, err := restrictions(o.LoadRestrictor)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	root, err := readRoot(abs)
	if err != nil {
		return nil, err
	}
	home := ""
	if !o.AllowFunctions {
		// kustomize runs a legacy exec or Go plugin it finds under its plugin
		// home for any kind a repository names: an empty home finds none.
		if home, err = os.MkdirTemp("", "kubevirt-networks-no-plugins-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(home)
		defer os.Setenv(konfig.KustomizePluginHomeEnv, os.Getenv(konfig.KustomizePluginHomeEnv))
		os.Setenv(konfig.KustomizePluginHomeEnv, home)
	}
	fs := newWatchFS(o.Self, o.SelfArgs, false)
	fs.standIn = true
	if fs.root, err = filepath.EvalSymlinks(abs); err != nil {
		fs.root = abs // kustomize says what is wrong with the folder
	}
	m, err := krusty.MakeKustomizer(kustomizeOptions(o, lr, false)).Run(fs, abs)
	ours, foreign := fs.seen()
	switch {
	case len(foreign) > 0 && !o.AllowFunctions:
		return nil, &Refusal{Functions: foreign}
	case len(foreign) > 0:
		return fallback(o, abs, lr, root, "the tree runs other KRM functions (--allow-functions)")
	case err != nil && home != "" && strings.Contains(err.Error(), home):
		return nil, legacyPlugin(err.Error(), home)
	case err != nil:
		return nil, fmt.Errorf("kustomize: %w", err)
	}
	for i := range ours {
		ours[i].File = o.shown(fs.root, ours[i].File)
	}
	objects, err := objectsOf(m, func(p string) string { return filepath.Join(o.Dir, p) })
	if err != nil {
		return nil, err
	}
	d := Decide(ours, objects)
	if !d.Fast {
		return fallback(o, abs, lr, root, d.Why)
	}
	if err := tidy(m, root, ours); err != nil {
		return nil, err
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, err
	}
	r := &Result{Objects: out, Decision: d}
	if len(ours) == 1 {
		r.Config = ours[0].Doc
		if r.Stamp, err = stampFor(root, ours[0], fs.root); err != nil {
			return nil, err
		}
	}
	o.sayImages(ours)
	return r, nil
}

// sayImages says where a config of the function names an image: this binary
// runs in its place.
func (o Options) sayImages(ours []Function) {
	for _, f := range ours {
		if image, ok := strings.CutPrefix(f.Runs, "container "); ok {
			o.say("%s names the image %s; this build runs this binary in its place (it never runs an image a repository names)", f, image)
		}
	}
}

// fallback builds the tree as kustomize build --enable-alpha-plugins
// --enable-exec would, with every config of the function running this binary.
func fallback(o Options, abs string, lr types.LoadRestrictions, root root, why string) (*Result, error) {
	o.say("%s is built with the function inside kustomize's build, as this binary: %s", o.Dir, why)
	fs := newWatchFS(o.Self, o.SelfArgs, o.AllowFunctions)
	m, err := krusty.MakeKustomizer(kustomizeOptions(o, lr, true)).Run(fs, abs)
	ours, foreign := fs.seen()
	if len(foreign) > 0 && !o.AllowFunctions {
		return nil, &Refusal{Functions: foreign}
	}
	if err != nil {
		return nil, err
	}
	if slices.Contains(root.buildMetadata, types.ManagedByLabelOption) {
		// Linked in, kustomize cannot tell its own version for the label.
		if err := stampManaged(m); err != nil {
			return nil, err
		}
	}
	o.sayImages(ours)
	out, err := m.AsYaml()
	if err != nil {
		return nil, err
	}
	return &Result{Objects: out, Decision: Decision{Why: why}}, nil
}

func restrictions(flag string) (types.LoadRestrictions, error) {
	switch flag {
	case "", types.LoadRestrictionsRootOnly.String():
		return types.LoadRestrictionsRootOnly, nil
	case types.LoadRestrictionsNone.String():
		return types.LoadRestrictionsNone, nil
	}
	return 0, fmt.Errorf("--load-restrictor %q: kustomize takes %s or %s", flag, types.LoadRestrictionsRootOnly, types.LoadRestrictionsNone)
}

// kustomizeOptions are kustomize build's with --enable-alpha-plugins, and
// --enable-exec where exec is true.
func kustomizeOptions(o Options, lr types.LoadRestrictions, exec bool) *krusty.Options {
	k := krusty.MakeDefaultOptions()
	k.Reorder = krusty.ReorderOptionUnspecified // kustomize build's default: legacy order
	k.LoadRestrictions = lr
	k.PluginConfig = types.MakePluginConfig(types.PluginRestrictionsNone, types.BploUseStaticallyLinked)
	k.PluginConfig.FnpLoadingOptions.EnableExec = exec
	k.PluginConfig.HelmConfig.Enabled = o.EnableHelm
	k.PluginConfig.HelmConfig.Command = o.HelmCommand
	if k.PluginConfig.HelmConfig.Command == "" {
		k.PluginConfig.HelmConfig.Command = "helm"
	}
	return k
}

// objectsOf reads what the decision needs of each object; shown turns a path
// kustomize recorded from the root into one the user would write.
func objectsOf(m resmap.ResMap, shown func(string) string) ([]Object, error) {
	out := make([]Object, 0, m.Size())
	for _, r := range m.Resources() {
		ts, err := parseTransformations(r.GetAnnotations()[transformationsAnnotation])
		if err != nil {
			return nil, err
		}
		for i := range ts {
			if ts[i].ConfiguredIn != "" && !filepath.IsAbs(ts[i].ConfiguredIn) {
				ts[i].ConfiguredIn = shown(ts[i].ConfiguredIn)
			}
		}
		out = append(out, Object{Label: r.GetKind() + " " + r.GetName(), Transformations: ts})
	}
	return out, nil
}

// legacyPlugin words kustomize's failure to find a legacy plugin in the empty
// plugin home: the kind the tree names, and why it is not run.
func legacyPlugin(msg, home string) error {
	_, rest, _ := strings.Cut(msg, home+string(filepath.Separator))
	parts := strings.Split(strings.Fields(rest + " ")[0], string(filepath.Separator))
	what := "a kind kustomize does not build in"
	if len(parts) >= 4 {
		what = fmt.Sprintf("%s (%s/%s)", strings.TrimSuffix(parts[3], ".so"), parts[0], parts[1])
	}
	return fmt.Errorf("the tree configures %s, which kustomize would run as a legacy plugin (an exec or Go plugin from its plugin home); kubevirt-networks kustomize runs no plugin program unless an admin allows it with --allow-functions (README: Trust)", what)
}
