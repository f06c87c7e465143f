package report

import (
	"fmt"
	"io"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

// linesPerRule caps the stderr lines of one rule so a fleet-wide problem stays readable.
const linesPerRule = 20

// WriteStderr prints every warning and error as one line; after linesPerRule lines
// of one rule it prints `… and N more like this` and no more lines of that rule.
func (r *Report) WriteStderr(w io.Writer) error {
	printed := map[string]int{}
	var b strings.Builder
	for i := range r.entries {
		e := &r.entries[i]
		if e.Severity != krm.Error && e.Severity != krm.Warning || e.Folded > 0 {
			continue
		}
		printed[e.Rule.ID]++
		if n := printed[e.Rule.ID]; n <= linesPerRule {
			b.WriteString(Line(e))
			b.WriteByte('\n')
			if n == linesPerRule && r.loud[e.Rule.ID] > linesPerRule {
				fmt.Fprintf(&b, "… and %d more like this\n", r.loud[e.Rule.ID]-linesPerRule)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteAll prints every result as one line, info included, folded as the results
// are: a report file says what changed too.
func (r *Report) WriteAll(w io.Writer) error {
	var b strings.Builder
	for i := range r.entries {
		e := &r.entries[i]
		if e.Folded > 0 {
			fmt.Fprintf(&b, "%s: … and %d more %s results like this (rule %s)\n", e.Severity, e.Folded, e.Severity, e.Rule.ID)
			continue
		}
		b.WriteString(Line(e))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Line formats one result for stderr: `error: Kind ns/name field: message`.
func Line(e *Entry) string {
	var b strings.Builder
	b.WriteString(string(e.Severity))
	b.WriteString(": ")
	if e.Obj != nil && e.Obj.Kind != "" {
		b.WriteString(e.Obj.Label())
		if e.Field != "" {
			b.WriteString(" ")
			b.WriteString(e.Field)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}
