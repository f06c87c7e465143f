// Package schema decodes objects strictly against a table of shapes generated from
// Go API types: kubevirt.io/api for the VM kinds, fn/api for the function's own
// config. It reports what an API server with strict field validation would refuse
// (unknown fields, with the field a typo most likely meant; values of the wrong
// type; keys written twice) as problems; the caller words them.
//
// The tables are generated (zz_config.go from fn/api, zz_kubevirt_v1_N.go from
// kubevirt.io/api at each supported KubeVirt release, by kubevirtgen) so the
// binary links neither kubevirt.io/api nor reflection over it, and carries every
// release; gen_test.go regenerates them (-update) and fails when they are stale.
package schema
