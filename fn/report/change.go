package report

import (
	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

// Verb is what a change does, in both tenses a result needs.
type Verb struct{ Base, Past string }

// The verbs of the function's changes.
var (
	Rename = Verb{"rename", "renamed"}
	Set    = Verb{"set", "set"}
	Add    = Verb{"add", "added"}
	Remove = Verb{"remove", "removed"}
	Create = Verb{"create", "created"}
	Update = Verb{"update", "updated"}
)

// Mode is how changes are reported: made (fix) or refused (validate).
type Mode int

// The two modes.
const (
	Fix Mode = iota
	Validate
)

// Change is one edit, described so that either mode can word it:
//
//	fix:      <past> <What>[ to <To>][ (was <From>)]<Why>
//	validate: would <base> <What>[ to <To>][ (is <From>)]<Why>
type Change struct {
	Rule  Rule
	Field string
	Verb  Verb
	What  string // `network "a"`, `binding of interface "b"`
	To    string // the new value, when there is one
	From  string // the value it replaces, when it is worth saying
	Why   string // the rest of the sentence, with its own leading separator
	// Review makes the change a warning in fix mode: the user should look at it.
	Review bool
	// Advisory makes the change a warning in validate mode: fix makes it to be safe,
	// but the input may be right as it is.
	Advisory bool
}

// Finding words the change for mode: an info (or warning) in fix mode, an error
// in validate mode.
func (c Change) Finding(m Mode) Finding {
	msg, was, sev := c.Verb.Past+" ", " (was ", krm.Info
	if c.Review {
		sev = krm.Warning
	}
	if m == Validate {
		msg, was, sev = "would "+c.Verb.Base+" ", " (is ", krm.Error
		if c.Advisory {
			sev = krm.Warning
		}
	}
	msg += c.What
	if c.To != "" {
		msg += " to " + c.To
	}
	if c.From != "" {
		msg += was + c.From + ")"
	}
	return Finding{Rule: c.Rule, Field: c.Field, Message: msg + c.Why, Severity: sev}
}
