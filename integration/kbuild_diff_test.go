package integration

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree lays a tree out in a new folder.
func writeTree(t *testing.T, f files) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range f {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// findings are the function's warning and error lines, as a set.
func findings(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "error: ") || strings.HasPrefix(l, "warning: ") {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

const fellBack = "with the function inside kustomize's build"

// The differential harness: on every tree, `kubevirt-networks kustomize` gives
// the objects, the exit status and the function's warnings and errors of the
// transformer path (kustomize build --enable-alpha-plugins --enable-exec with the
// function as a transformer), or refuses a tree that runs another program; it
// runs the function after the build wherever that gives the same objects, and
// says why where it does not.
func TestKustomizeDifferential(t *testing.T) {
	k := kustomize(t)
	trees := diffTrees()
	if len(trees) < 40 {
		t.Errorf("the harness holds %d trees; the issue asks for at least 40", len(trees))
	}
	for _, tc := range trees {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := writeTree(t, tc.files)
			dir := filepath.Join(root, cmpOr(tc.dir, "app"))
			var flags []string
			if tc.helm {
				helm3, _ := helm(t, "3")
				flags = []string{"--enable-helm", "--helm-command", helm3}
			}
			fast := run(t, root, nil, "kubevirt-networks", append(append([]string{"kustomize"}, flags...), dir)...)
			if tc.refused {
				if fast.code != 1 || !strings.Contains(fast.stderr, "other than kubevirt-networks") || !strings.Contains(fast.stderr, "--allow-functions") {
					t.Fatalf("another function was not refused: exit %d\n%s", fast.code, fast.stderr)
				}
				if fast.stdout != "" {
					t.Errorf("a refused build wrote output:\n%s", fast.stdout)
				}
				if tc.noExec {
					return
				}
				fast = run(t, root, nil, "kubevirt-networks", "kustomize", "--allow-functions", dir)
			}
			if tc.noExec {
				// The transformer path would run an image; the fast build runs this binary.
				if fast.code != 0 || !strings.Contains(fast.stderr, "runs this binary in its place") {
					t.Fatalf("exit %d\n%s", fast.code, fast.stderr)
				}
				return
			}
			plain := run(t, root, nil, k, append(append([]string{"build", "--enable-alpha-plugins", "--enable-exec"}, flags...), dir)...)
			if (plain.code == 0) != (fast.code == 0) || (plain.code != 0) != tc.fails {
				t.Fatalf("exit codes: transformer path %d, kubevirt-networks kustomize %d (want failure: %v)\n--- transformer path\n%s\n--- kubevirt-networks kustomize\n%s", plain.code, fast.code, tc.fails, plain.stderr, fast.stderr)
			}
			if fast.code != 0 {
				return
			}
			sameObjects(t, plain.stdout, fast.stdout)
			if p, f := findings(plain.stderr), findings(fast.stderr); !slices.Equal(p, f) {
				t.Errorf("the function's findings differ:\n--- transformer path\n%s\n--- kubevirt-networks kustomize\n%s", strings.Join(p, "\n"), strings.Join(f, "\n"))
			}
			if fellback := strings.Contains(fast.stderr, fellBack); fellback == tc.fast && !tc.refused {
				t.Errorf("ran the function after the build: %v, want %v\n%s", !fellback, tc.fast, fast.stderr)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// A file kustomize build refuses is refused: outside the root, absolute, behind
// a link that leads out, a patch or transformer file out of the root. The
// refusal is kustomize's own, in its words; the secret never reaches stdout.
// The user's --load-restrictor passes through, and only it widens the reach.
func TestKustomizeLoadRestrictor(t *testing.T) {
	k := kustomize(t)
	const secret = "s3cr3t-token-value"
	outside := files{"outside.txt": secret + "\n", "outside-patch.yaml": "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: web, namespace: vms, labels: {leak: " + secret + "}}\n",
		"outside-transformer.yaml": strings.Replace(labelTransformer, "team: blue", "leak: "+secret, 1)}
	abs := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(abs, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]files{
		"configMapGenerator ../outside.txt": app(functionAtRoot + "configMapGenerator:\n- name: leak\n  files: [../outside.txt]\n"),
		"secretGenerator absolute path":     app(functionAtRoot + "secretGenerator:\n- name: leak\n  files: [" + abs + "]\n"),
		"symlink out of the root":           app(functionAtRoot + "configMapGenerator:\n- name: leak\n  files: [link.txt]\n").with(files{"app/link.txt": "->../outside.txt"}),
		"envs file outside":                 app(functionAtRoot + "configMapGenerator:\n- name: leak\n  envs: [../outside.txt]\n"),
		"patch file outside":                app(functionAtRoot + "patches:\n- path: ../outside-patch.yaml\n"),
		"transformer file outside":          app("resources: [../base]\ntransformers: [../outside-transformer.yaml, vm-networks.yaml]\n"),
	}
	for name, tree := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			root := writeTree(t, tree.with(outside))
			dir := filepath.Join(root, "app")
			plain := run(t, root, nil, k, "build", "--enable-alpha-plugins", dir)
			if plain.code == 0 || !strings.Contains(plain.stderr, "security; file") {
				t.Fatalf("kustomize build did not refuse the tree (the case is wrong): exit %d\n%s", plain.code, plain.stderr)
			}
			fast := run(t, root, nil, "kubevirt-networks", "kustomize", dir)
			if fast.code != 1 || !strings.Contains(fast.stderr, "security; file") {
				t.Errorf("not refused as kustomize refuses it: exit %d\n%s", fast.code, fast.stderr)
			}
			if strings.Contains(fast.stdout+fast.stderr, secret) {
				t.Errorf("the file outside the root was published:\n%s\n%s", fast.stdout, fast.stderr)
			}
			if strings.Contains(fast.stderr, "kubevirt-networks-build-") {
				t.Errorf("the error names the temporary folder:\n%s", fast.stderr)
			}
			// The user's own choice, passed through: both read the file.
			loose := run(t, root, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", "--load-restrictor", "LoadRestrictionsNone", dir)
			fastLoose := run(t, root, nil, "kubevirt-networks", "kustomize", "--load-restrictor", "LoadRestrictionsNone", dir)
			if loose.code != 0 || fastLoose.code != 0 {
				t.Fatalf("with LoadRestrictionsNone: kustomize exit %d, kubevirt-networks %d\n%s\n%s", loose.code, fastLoose.code, loose.stderr, fastLoose.stderr)
			}
			sameObjects(t, loose.stdout, fastLoose.stdout)
		})
	}
	r := run(t, repoRoot, nil, "kubevirt-networks", "kustomize", "--load-restrictor", "LoadRestrictionsWide", examples("kustomize", "exec"))
	if r.code != 1 || !strings.Contains(r.stderr, "LoadRestrictionsRootOnly or LoadRestrictionsNone") {
		t.Errorf("an unknown load restrictor: exit %d\n%s", r.code, r.stderr)
	}
}

// kustomize runs a legacy exec plugin it finds under its plugin home for any kind
// a repository names. By default the build looks in an empty home, so no such
// program runs; --allow-functions leaves kustomize's home as it is.
func TestKustomizeRunsNoLegacyPlugin(t *testing.T) {
	k := kustomize(t)
	home := t.TempDir()
	marker := filepath.Join(t.TempDir(), "ran")
	plugin := filepath.Join(home, "someteam.example.com", "v1", "legacy", "Legacy")
	if err := os.MkdirAll(filepath.Dir(plugin), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(plugin, []byte("#!/bin/sh\ntouch "+marker+"\ncat\n"), 0o755)
	root := writeTree(t, app("resources: [../base]\ntransformers: [legacy.yaml, vm-networks.yaml]\n").with(files{
		"app/legacy.yaml": "apiVersion: someteam.example.com/v1\nkind: Legacy\nmetadata: {name: x}\n"}))
	dir := filepath.Join(root, "app")
	env := []string{"KUSTOMIZE_PLUGIN_HOME=" + home}
	mustRun(t, root, env, k, "build", "--enable-alpha-plugins", "--enable-exec", dir)
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("kustomize did not run the legacy plugin (the case is wrong): %v", err)
	}
	os.Remove(marker)
	r := run(t, root, env, "kubevirt-networks", "kustomize", dir)
	if _, err := os.Stat(marker); err == nil || r.code == 0 || !strings.Contains(r.stderr, "the tree configures Legacy (someteam.example.com/v1)") || strings.Contains(r.stderr, "no-plugins") {
		t.Errorf("the legacy plugin ran, or the build did not fail naming it: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, root, env, "kubevirt-networks", "kustomize", "--allow-functions", dir)
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("with --allow-functions the legacy plugin did not run")
	}
}
