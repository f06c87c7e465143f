// Package vm knows where each KubeVirt VM kind keeps its VM spec and template
// annotations, and reads networks and interfaces into a model. Nothing else in
// the function switches on kinds.
package vm
