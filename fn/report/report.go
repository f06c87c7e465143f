// Package report builds the function's KRM results and their stderr mirror.
// kustomize and Argo CD ignore `results`, so every warning and error is also
// printed as one line on stderr. Results are kept compact (a large package has
// several per VM) and become KRM results only when written.
package report

import (
	"fmt"
	"io"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

// Source says why a result exists (`tags.source`).
type Source string

// The result sources of spec §2.8.
const (
	SourceKubeVirt Source = "kubevirt" // KubeVirt would refuse or fail it
	SourcePolicy   Source = "policy"   // this function's own rules
	SourceConfig   Source = "config"   // the function's configuration
	SourceChange   Source = "change"   // something the function changed (or would change)
)

// Rule is a stable rule id (`tags.rule`) with its source.
type Rule struct {
	ID     string
	Source Source
}

// Object identifies the object a result is about.
type Object struct {
	APIVersion, Kind, Name, Namespace string
	// Path and Index locate the object's file, when the orchestrator told us.
	Path  string
	Index int
}

// Label is how stderr names the object: `Kind ns/name`, or `Kind name` without a namespace.
func (o *Object) Label() string {
	if o == nil || o.Kind == "" {
		return ""
	}
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

// Finding is a result about one object, before the object is attached.
type Finding struct {
	Rule     Rule
	Field    string
	Message  string
	Severity krm.Severity
}

// Entry is one result. Obj is shared by all results about one object.
type Entry struct {
	Finding
	Obj *Object
	// Folded counts the results an aggregated entry stands for.
	Folded int
}

// Result is the entry as a KRM result. field needs resourceRef (KRM spec), so it
// is dropped for results about no object.
func (e *Entry) Result() *krm.Result {
	res := &krm.Result{
		Message:  e.Message,
		Severity: e.Severity,
		Tags:     map[string]string{"rule": e.Rule.ID, "source": string(e.Rule.Source)},
	}
	if e.Folded > 0 {
		res.Tags["aggregated"] = fmt.Sprint(e.Folded)
	}
	if o := e.Obj; o != nil && o.Kind != "" {
		res.ResourceRef = &krm.ResourceRef{APIVersion: o.APIVersion, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace}
		if e.Field != "" {
			res.Field = &krm.Field{Path: e.Field}
		}
		if o.Path != "" {
			res.File = &krm.File{Path: o.Path, Index: o.Index}
		}
	}
	return res
}

// Report collects results in the order they are found.
type Report struct {
	Entries []Entry
}

// Add appends one result.
func (r *Report) Add(sev krm.Severity, rule Rule, obj *Object, field, msg string) {
	r.Entries = append(r.Entries, Entry{Finding: Finding{Rule: rule, Field: field, Message: msg, Severity: sev}, Obj: obj})
}

// Errorf adds an error result.
func (r *Report) Errorf(rule Rule, obj *Object, field, format string, a ...any) {
	r.Add(krm.Error, rule, obj, field, fmt.Sprintf(format, a...))
}

// Warnf adds a warning result.
func (r *Report) Warnf(rule Rule, obj *Object, field, format string, a ...any) {
	r.Add(krm.Warning, rule, obj, field, fmt.Sprintf(format, a...))
}

// Infof adds an info result.
func (r *Report) Infof(rule Rule, obj *Object, field, format string, a ...any) {
	r.Add(krm.Info, rule, obj, field, fmt.Sprintf(format, a...))
}

// AddFindings attaches findings to obj.
func (r *Report) AddFindings(obj *Object, findings []Finding) {
	for _, f := range findings {
		r.Entries = append(r.Entries, Entry{Finding: f, Obj: obj})
	}
}

// Append adds results from another report, keeping their order.
func (r *Report) Append(other *Report) {
	r.Entries = append(r.Entries, other.Entries...)
}

// HasErrors reports whether any result is an error.
func (r *Report) HasErrors() bool {
	for i := range r.Entries {
		if r.Entries[i].Severity == krm.Error {
			return true
		}
	}
	return false
}

// resultsPerRule caps the info and warning results of one rule: past it, one
// summary result stands for the rest, so a fleet-wide change stays readable.
// Errors are never folded: each needs its own fix.
const resultsPerRule = 100

// Aggregated returns the entries with info and warning results beyond
// resultsPerRule per rule and severity folded into one summary entry each,
// placed where the first folded one was.
func (r *Report) Aggregated() []Entry {
	type key struct {
		rule string
		sev  krm.Severity
	}
	count := map[key]int{}
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Severity != krm.Error {
			count[key{e.Rule.ID, e.Severity}]++
		}
	}
	out := make([]Entry, 0, len(r.Entries))
	seen := map[key]int{}
	for _, e := range r.Entries {
		k := key{e.Rule.ID, e.Severity}
		if e.Severity == krm.Error || count[k] <= resultsPerRule {
			out = append(out, e)
			continue
		}
		seen[k]++
		switch {
		case seen[k] <= resultsPerRule:
			out = append(out, e)
		case seen[k] == resultsPerRule+1:
			folded := count[k] - resultsPerRule
			out = append(out, Entry{Finding: Finding{Rule: e.Rule, Severity: e.Severity,
				Message: fmt.Sprintf("… and %d more %s results like this (rule %s)", folded, e.Severity, k.rule)}, Folded: folded})
		}
	}
	return out
}

// linesPerRule caps the stderr lines of one rule so a fleet-wide problem stays readable.
const linesPerRule = 20

// WriteStderr prints every warning and error as one line; after linesPerRule lines
// of one rule it prints `… and N more like this` and no more lines of that rule.
func WriteStderr(w io.Writer, entries []Entry) error {
	total := map[string]int{}
	for i := range entries {
		if e := &entries[i]; (e.Severity == krm.Error || e.Severity == krm.Warning) && e.Folded == 0 {
			total[e.Rule.ID]++
		}
	}
	printed := map[string]int{}
	var b strings.Builder
	for i := range entries {
		e := &entries[i]
		if e.Severity != krm.Error && e.Severity != krm.Warning || e.Folded > 0 {
			continue
		}
		printed[e.Rule.ID]++
		switch n := printed[e.Rule.ID]; {
		case n <= linesPerRule:
			b.WriteString(Line(e))
			b.WriteByte('\n')
			if n == linesPerRule && total[e.Rule.ID] > linesPerRule {
				fmt.Fprintf(&b, "… and %d more like this\n", total[e.Rule.ID]-linesPerRule)
			}
		}
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
