// Package report builds the function's KRM results and their stderr mirror.
//
// Steps return findings (a rule, a field path, a message, a severity) and changes
// (a rule, a field, a verb, the value before and after). A change is worded once,
// here, for either mode: done in fix mode ("renamed network …"), an error in
// validate mode ("would rename network …"), so a validator fails on anything fix
// would touch.
//
// kustomize and Argo CD ignore `results`, so every warning and error is also
// printed as one line on stderr. A large package produces several results per VM:
// past a bound per rule, info and warning results are folded into one summary as
// they arrive, so memory does not grow with the fleet.
package report
