package fn_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every rule id the function can report is documented in the README's results table,
// so users can look up any tags.rule they see.
func TestReadmeDocumentsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
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
				t.Errorf("rule %s (%s) is not in the README's results table", m[1], path)
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
