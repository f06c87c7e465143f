package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
)

// --help names every field of the config API: a field missing here is one users
// of `kpt fn doc` never learn about.
func TestUsageNamesEveryField(t *testing.T) {
	for _, f := range api.FieldNames() {
		if !regexp.MustCompile(`\b` + f + `\b`).MatchString(usage) {
			t.Errorf("--help does not name the field %s", f)
		}
	}
}

// The per-type field lists of --help are the ones the config loader enforces.
func TestUsageFieldsPerType(t *testing.T) {
	lines := strings.Split(usage, "\n")
	for _, typ := range api.NetworkTypes {
		if typ == api.TypeMacvlan || typ == api.TypeIPvlan {
			continue // refused, so they take no fields
		}
		var text string
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "# "+string(typ)+":") {
				text = l[strings.Index(l, ":")+1:]
				for _, more := range lines[i+1:] {
					m := strings.TrimSpace(more)
					if !strings.HasPrefix(m, "#  ") {
						break
					}
					text += " " + strings.TrimPrefix(m, "#")
				}
			}
		}
		if text == "" {
			t.Errorf("--help has no field list for type %s", typ)
			continue
		}
		text = regexp.MustCompile(`\([^)]*\)`).ReplaceAllString(text, "")
		var listed []string
		for _, w := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1) {
			if w != "or" {
				listed = append(listed, w)
			}
		}
		want := config.FieldsFor(typ)
		slices.Sort(listed)
		slices.Sort(want)
		if !slices.Equal(listed, want) {
			t.Errorf("--help lists for type %s:\n  %v\nthe loader takes:\n  %v", typ, listed, want)
		}
	}
}

// The defaults --help and the VMNetworks reference (docs/configuration.md) show are the ones
// the function applies, value by value: a default shown wrong (passtBindingFeatureGate
// once read false in --help while the code applied true) misleads every reader.
func TestShownDefaultsAreApplied(t *testing.T) {
	d := api.DefaultSettings()
	want := map[string]string{
		"mode": string(d.Mode), "podNetwork.binding": string(d.PodBinding), "podNetwork.enforce": strconv.FormatBool(d.Enforce),
		"nadPath": d.NADPath, "rename": string(d.Rename), "defaultNamespace": d.DefaultNamespace,
		"cluster.permitBridgeInterfaceOnPodNetwork": strconv.FormatBool(d.Cluster.PermitBridgeInterfaceOnPodNetwork),
		"cluster.passtBindingFeatureGate":           strconv.FormatBool(d.Cluster.PasstBindingFeatureGate),
		"cluster.portRangesSpecFeatureGate":         strconv.FormatBool(d.Cluster.PortRangesSpecFeatureGate),
		"cluster.networkDevicesWithDRAFeatureGate":  strconv.FormatBool(d.Cluster.NetworkDevicesWithDRAFeatureGate),
		"cluster.defaultNetworkInterface":           string(d.Cluster.DefaultNetworkInterface),
		"cluster.fieldValidation":                   string(d.Cluster.FieldValidation),
		"cluster.primaryUDNBinding":                 string(d.Cluster.PrimaryUDNBinding),
		"cluster.bindingPlugins":                    "[]",
		"cluster.migrationNetwork":                  d.Cluster.MigrationNetwork,
		"networks":                                  "[]",
	}
	usageBlock := usage[strings.Index(usage, "  kind: VMNetworks"):]
	usageBlock = usageBlock[:strings.Index(usageBlock, "\n\n")]
	readme, err := os.ReadFile("docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	readmeBlock := text[strings.Index(text, "kind: VMNetworks\nmetadata:\n  name: vm-networks\nspec:"):]
	readmeBlock = readmeBlock[:strings.Index(readmeBlock, "```")]
	for where, block := range map[string]string{"--help": usageBlock, "the README's example": readmeBlock} {
		shown := flatten(t, block)
		for key, v := range want {
			if got, ok := shown[key]; !ok {
				t.Errorf("%s does not show spec.%s", where, key)
			} else if got != v {
				t.Errorf("%s shows spec.%s: %s, the function applies %q", where, key, got, v)
			}
		}
	}
	// The README's table: | `spec.x` | type | `default` | meaning |
	row := regexp.MustCompile("(?m)^\\| `spec\\.([a-zA-Z.]+)` \\| [^|]* \\| ([^|]*) \\|")
	for _, m := range row.FindAllStringSubmatch(text, -1) {
		v, ok := want[m[1]]
		if !ok {
			continue
		}
		def := strings.TrimSpace(m[2])
		if !strings.HasPrefix(def, "`") {
			if v != "" && v != "[]" {
				t.Errorf("the README's table gives spec.%s no default; the function applies %q", m[1], v)
			}
			continue
		}
		shownValue := strings.Trim(strings.Fields(def)[0], "`")
		if shownValue == `""` {
			shownValue = ""
		}
		if shownValue != v {
			t.Errorf("the README's table gives spec.%s the default %s; the function applies %q", m[1], def, v)
		}
	}
}

// flatten reads a VMNetworks example (comments and all) into dotted spec keys.
func flatten(t *testing.T, block string) map[string]string {
	t.Helper()
	var obj struct {
		Spec map[string]any `yaml:"spec"`
	}
	if err := yaml.Unmarshal([]byte(dedent(block)), &obj); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, block)
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case map[string]any:
				walk(prefix+k+".", v)
			case []any:
				out[prefix+k] = fmt.Sprint(v)
			case nil:
				out[prefix+k] = ""
			default:
				out[prefix+k] = fmt.Sprint(v)
			}
		}
	}
	walk("", obj.Spec)
	return out
}

func dedent(block string) string {
	lines := strings.Split(block, "\n")
	indent := len(lines[0]) - len(strings.TrimLeft(lines[0], " "))
	for i, l := range lines {
		if len(l) >= indent {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// nadName's default is one rule: the code's (config.NADNameDefault), as the
// configuration reference and --help state it, and as the function applies it.
func TestNADNameDefaultIsOneRule(t *testing.T) {
	words := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "#", "")), " ") }
	ref, err := os.ReadFile("docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for where, text := range map[string]string{"--help": usage, "docs/configuration.md": string(ref)} {
		if !strings.Contains(words(text), config.NADNameDefault) {
			t.Errorf("%s does not state nadName's default as %q", where, config.NADNameDefault)
		}
		if strings.Contains(text, "current metadata.name") || strings.Contains(text, "current `metadata.name`") {
			t.Errorf("%s still states another default for nadName", where)
		}
	}
	// As applied: a VMNetwork named storage-vlan42 whose logical name is storage
	// derives NAD storage; with kustomize's prefix prod-, prod-storage.
	for _, tc := range []struct{ meta, previous, want string }{
		{"storage-vlan42", "", "name: storage\n"},
		{"prod-storage-vlan42", "storage-vlan42", "name: prod-storage\n"},
	} {
		annotations := ""
		if tc.previous != "" {
			annotations = "\n    annotations: {internal.config.kubernetes.io/previousNames: " + tc.previous + "}"
		}
		in := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: kubevirt-networks.io/v1alpha1\n  kind: VMNetwork\n  metadata:\n    name: " + tc.meta + annotations +
			"\n  spec: {name: storage, type: bridge, bridge: br1, namespace: vms}\n"
		var out, errs bytes.Buffer
		if code := fn.Run(strings.NewReader(in), &out, &errs); code != 0 {
			t.Fatalf("exit %d\n%s", code, errs.String())
		}
		nad := out.String()[strings.Index(out.String(), "kind: NetworkAttachmentDefinition"):]
		if !strings.Contains(nad, tc.want) {
			t.Errorf("VMNetwork %s: the NAD is not %q:\n%s", tc.meta, tc.want, nad)
		}
	}
}
