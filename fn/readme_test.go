package fn_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// Every rule id the function can report is documented in the results catalogue
// (docs/results.md), so users can look up any tags.rule they see.
func TestReadmeDocumentsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../docs/results.md")
	if err != nil {
		t.Fatal(err)
	}
	ruleID := regexp.MustCompile(`(?:ID: "|kubevirt\(")([a-z0-9-]+)"`)
	found := 0
	err = filepath.Walk(".", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range ruleID.FindAllStringSubmatch(string(src), -1) {
			found++
			if !strings.Contains(string(readme), "| `"+m[1]+"` |") {
				t.Errorf("rule %s (%s) is not in docs/results.md", m[1], path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Errorf("found only %d rule ids; has the way rules are declared changed?", found)
	}
}

// Every field of the config API (VMNetwork, VMNetworks) is in the configuration
// reference (docs/configuration.md), and every value of its enumerations.
func TestReadmeDocumentsEveryField(t *testing.T) {
	readme, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	reference := string(readme)
	for _, f := range api.FieldNames() {
		if !strings.Contains(reference, "`"+f+"`") && !strings.Contains(reference, "."+f+"`") && !regexp.MustCompile(`(?m)^\s*`+f+`:`).MatchString(reference) {
			t.Errorf("docs/configuration.md does not name the field %s", f)
		}
	}
	values := []string{string(api.ModeFix), string(api.ModeValidate), string(api.PodMasquerade), string(api.PodBridge), string(api.PodPasstBinding),
		string(api.RenameNADNames), string(api.RenameAlways), string(api.RenameNever), string(api.FieldStrict), string(api.FieldWarn),
		string(api.UDNL2Bridge), string(api.UDNPasst)}
	for _, nt := range api.NetworkTypes {
		values = append(values, string(nt))
	}
	for _, v := range values {
		if !strings.Contains(reference, "`"+v+"`") {
			t.Errorf("docs/configuration.md does not name the value %s", v)
		}
	}
}
