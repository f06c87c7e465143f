package fn_test

import (
	"path/filepath"
	"testing"
)

// FuzzRun feeds arbitrary ResourceLists to the whole function, seeded with every
// golden case, KubeVirt's examples and the hostile inputs, and checks the
// guarantees of checkProperties on each: no crash or hang, a clear error for what
// it refuses, objects it does not own unchanged, nothing lost, nothing changed by
// a second run. A crash it finds is saved under testdata/fuzz/FuzzRun and from
// then on runs with every `go test` as a regression test.
//
//	go test ./fn -run '^$' -fuzz '^FuzzRun$' -fuzztime 60s
func FuzzRun(f *testing.F) {
	for _, g := range goldenInputs(f) {
		f.Add(g.input)
	}
	if files, _ := filepath.Glob(filepath.Join(kubevirtExamples, "*.yaml")); len(files) > 0 {
		f.Add(wrap(f, files...))
	}
	for _, s := range []string{"", "{", header + "items: []\n", nested(100), aliasBomb(), string(fleet(3))} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		checkProperties(t, input)
	})
}
