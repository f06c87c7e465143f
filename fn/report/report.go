// Package report builds the function's KRM results and their stderr mirror.
// kustomize and Argo CD ignore `results`, so every warning and error is also
// printed as one line on stderr.
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

func (o *Object) ref() *krm.ResourceRef {
	if o == nil || o.Kind == "" {
		return nil
	}
	return &krm.ResourceRef{APIVersion: o.APIVersion, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace}
}

func (o *Object) file() *krm.File {
	if o == nil || o.Path == "" {
		return nil
	}
	return &krm.File{Path: o.Path, Index: o.Index}
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

// AddFindings attaches findings to obj.
func (r *Report) AddFindings(obj *Object, findings []Finding) {
	for _, f := range findings {
		r.Add(f.Severity, f.Rule, obj, f.Field, f.Message)
	}
}

// Report collects results in the order they are found.
type Report struct {
	Results krm.Results
}

// Add appends one result. field may be empty; it is dropped without an object
// because the KRM spec requires resourceRef with field.
func (r *Report) Add(sev krm.Severity, rule Rule, obj *Object, field, msg string) *krm.Result {
	res := &krm.Result{
		Message:     msg,
		Severity:    sev,
		ResourceRef: obj.ref(),
		File:        obj.file(),
		Tags:        map[string]string{"rule": rule.ID, "source": string(rule.Source)},
	}
	if field != "" && res.ResourceRef != nil {
		res.Field = &krm.Field{Path: field}
	}
	r.Results = append(r.Results, res)
	return res
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

// Append adds results from another report, keeping their order.
func (r *Report) Append(other *Report) {
	r.Results = append(r.Results, other.Results...)
}

// HasErrors reports whether any result is an error.
func (r *Report) HasErrors() bool {
	for _, res := range r.Results {
		if res.Severity == krm.Error {
			return true
		}
	}
	return false
}

// linesPerRule caps the stderr lines of one rule so a fleet-wide problem stays readable.
const linesPerRule = 20

// WriteStderr prints every warning and error as one line, at most linesPerRule per rule
// followed by one summary line.
func WriteStderr(w io.Writer, results krm.Results) error {
	count := map[string]int{}
	var order []string
	var b strings.Builder
	for _, res := range results {
		if res.Severity != krm.Error && res.Severity != krm.Warning {
			continue
		}
		rule := res.Tags["rule"]
		if _, seen := count[rule]; !seen {
			order = append(order, rule)
		}
		count[rule]++
		if count[rule] > linesPerRule {
			continue
		}
		b.WriteString(Line(res))
		b.WriteByte('\n')
	}
	for _, rule := range order {
		if n := count[rule] - linesPerRule; n > 0 {
			fmt.Fprintf(&b, "… and %d more like this (%s)\n", n, rule)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Line formats one result for stderr: `error: Kind ns/name field: message`.
func Line(res *krm.Result) string {
	var b strings.Builder
	b.WriteString(string(res.Severity))
	b.WriteString(": ")
	if res.ResourceRef != nil {
		obj := Object{Kind: res.ResourceRef.Kind, Name: res.ResourceRef.Name, Namespace: res.ResourceRef.Namespace}
		b.WriteString(obj.Label())
		if res.Field != nil && res.Field.Path != "" {
			b.WriteString(" ")
			b.WriteString(res.Field.Path)
		}
		b.WriteString(": ")
	}
	b.WriteString(res.Message)
	return b.String()
}
