package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

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
