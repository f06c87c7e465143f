package report

import (
	"fmt"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

// Source says why a result exists (`tags.source`).
type Source string

// The result sources.
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
	// counted: a change result about the object is in a report's count of
	// changed objects, which so counts each object once without holding it.
	counted bool
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

// Findings collects one step's findings.
type Findings []Finding

// Errorf adds an error finding.
func (f *Findings) Errorf(rule Rule, field, format string, a ...any) {
	f.add(krm.Error, rule, field, format, a...)
}

// Warnf adds a warning finding.
func (f *Findings) Warnf(rule Rule, field, format string, a ...any) {
	f.add(krm.Warning, rule, field, format, a...)
}

// Infof adds an info finding.
func (f *Findings) Infof(rule Rule, field, format string, a ...any) {
	f.add(krm.Info, rule, field, format, a...)
}

func (f *Findings) add(sev krm.Severity, rule Rule, field, format string, a ...any) {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	*f = append(*f, Finding{Rule: rule, Field: field, Message: msg, Severity: sev})
}

// HasErrors reports whether any finding is an error.
func (f Findings) HasErrors() bool {
	for i := range f {
		if f[i].Severity == krm.Error {
			return true
		}
	}
	return false
}

// Entry is one result. Obj is shared by all results about one object.
type Entry struct {
	Finding
	Obj *Object
	// Folded counts the results a summary entry stands for.
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
		res.Message = fmt.Sprintf("… and %d more %s results like this (rule %s)", e.Folded, e.Severity, e.Rule.ID)
		res.Tags["aggregated"] = fmt.Sprint(e.Folded)
		return res
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

// resultsPerRule caps the info and warning results of one rule and severity: past
// it, one summary result stands for the rest, so a fleet-wide change stays readable
// and a fleet's results do not grow memory. Errors are never folded: each needs
// its own fix.
const resultsPerRule = 100

type foldKey struct {
	rule string
	sev  krm.Severity
}

// Report collects results in the order they are found, folding as it goes.
type Report struct {
	entries []Entry
	counts  map[foldKey]int
	summary map[foldKey]int // index of the summary entry of a folded rule
	// loud counts the warnings and errors of each rule, folded or not, for stderr.
	loud   map[string]int
	errors int
	// byRule counts every result of each rule, folded or not; changed counts the
	// objects a change result is about, by kind: the summary line's numbers.
	byRule  map[string]int
	changed map[string]int
}

// Add appends one result.
func (r *Report) Add(obj *Object, f Finding) {
	if f.Severity == krm.Error || f.Severity == krm.Warning {
		if r.loud == nil {
			r.loud = map[string]int{}
		}
		r.loud[f.Rule.ID]++
	}
	if f.Severity == krm.Error {
		r.errors++
	}
	r.tally(obj, f)
	r.place(Entry{Finding: f, Obj: obj})
}

func (r *Report) tally(obj *Object, f Finding) {
	if r.byRule == nil {
		r.byRule, r.changed = map[string]int{}, map[string]int{}
	}
	r.byRule[f.Rule.ID]++
	if f.Rule.Source == SourceChange && obj != nil && !obj.counted {
		obj.counted = true
		r.changed[obj.Kind]++
	}
}

// Count is how many results of a rule were added, folded or not.
func (r *Report) Count(rule Rule) int { return r.byRule[rule.ID] }

// Changed counts the objects, by kind, that a change result is about.
func (r *Report) Changed() map[string]int {
	out := make(map[string]int, len(r.changed))
	for kind, n := range r.changed {
		out[kind] = n
	}
	return out
}

// Warnings and Errors count the warning and error results.
func (r *Report) Warnings() int {
	n := 0
	for _, c := range r.loud {
		n += c
	}
	return n - r.errors
}

// Errors counts the error results.
func (r *Report) Errors() int { return r.errors }

// place puts an entry where folding says: in full, or counted by its rule's summary.
func (r *Report) place(e Entry) {
	if e.Severity == krm.Error {
		r.entries = append(r.entries, e)
		return
	}
	if r.counts == nil {
		r.counts, r.summary = map[foldKey]int{}, map[foldKey]int{}
	}
	k := foldKey{e.Rule.ID, e.Severity}
	n := 1
	if e.Folded > 0 {
		n = e.Folded
	}
	before := r.counts[k]
	r.counts[k] += n
	switch {
	case e.Folded == 0 && before < resultsPerRule:
		r.entries = append(r.entries, e)
	case before <= resultsPerRule && r.counts[k] > resultsPerRule && !r.hasSummary(k):
		r.summary[k] = len(r.entries)
		r.entries = append(r.entries, Entry{Finding: Finding{Rule: e.Rule, Severity: e.Severity}, Folded: n})
	default:
		r.entries[r.summary[k]].Folded += n
	}
}

func (r *Report) hasSummary(k foldKey) bool {
	_, ok := r.summary[k]
	return ok
}

// Merge appends another report's results after this one's, folded as if they had
// been added here one by one: a report folded on its own keeps the first results of
// each rule in full, which are all that can be needed here. So results found
// together but reported later (the admission checks, after the NADs) need not be
// held in full meanwhile.
func (r *Report) Merge(o *Report) {
	for _, e := range o.entries {
		r.place(e)
	}
	for rule, n := range o.loud {
		if r.loud == nil {
			r.loud = map[string]int{}
		}
		r.loud[rule] += n
	}
	r.errors += o.errors
	for rule, n := range o.byRule {
		if r.byRule == nil {
			r.byRule, r.changed = map[string]int{}, map[string]int{}
		}
		r.byRule[rule] += n
	}
	for kind, n := range o.changed {
		r.changed[kind] += n
	}
}

// AddAll attaches findings to obj.
func (r *Report) AddAll(obj *Object, findings []Finding) {
	for _, f := range findings {
		r.Add(obj, f)
	}
}

// Errorf adds an error result.
func (r *Report) Errorf(rule Rule, obj *Object, field, format string, a ...any) {
	r.Add(obj, Finding{Rule: rule, Field: field, Message: fmt.Sprintf(format, a...), Severity: krm.Error})
}

// Warnf adds a warning result.
func (r *Report) Warnf(rule Rule, obj *Object, field, format string, a ...any) {
	r.Add(obj, Finding{Rule: rule, Field: field, Message: fmt.Sprintf(format, a...), Severity: krm.Warning})
}

// Batch is one step's results, never folded: the step's caller adds them to the
// Report in input order, whatever order the steps ran in.
type Batch []Entry

// Add attaches findings to obj.
func (b *Batch) Add(obj *Object, findings ...Finding) {
	for _, f := range findings {
		*b = append(*b, Entry{Finding: f, Obj: obj})
	}
}

// HasErrors reports whether any result of the batch is an error.
func (b Batch) HasErrors() bool {
	for i := range b {
		if b[i].Severity == krm.Error {
			return true
		}
	}
	return false
}

// Append adds a step's results, keeping their order.
func (r *Report) Append(b Batch) {
	for _, e := range b {
		r.Add(e.Obj, e.Finding)
	}
}

// HasErrors reports whether any result is an error.
func (r *Report) HasErrors() bool { return r.errors > 0 }

// Results are the entries as KRM results.
func (r *Report) Results() []*krm.Result {
	out := make([]*krm.Result, len(r.entries))
	for i := range r.entries {
		out[i] = r.entries[i].Result()
	}
	return out
}
