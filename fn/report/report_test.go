package report

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

// Two reports folded apart and merged are the report of all their results added
// one by one: same entries, same summaries where they were, same counts.
func TestMergeFoldsAsOneReport(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	rules := []Rule{{ID: "a"}, {ID: "b"}}
	sevs := []krm.Severity{krm.Info, krm.Warning, krm.Error}
	for round := 0; round < 200; round++ {
		var all []Finding
		for i, n := 0, rng.Intn(1500); i < n; i++ {
			all = append(all, Finding{Rule: rules[rng.Intn(len(rules))], Severity: sevs[rng.Intn(len(sevs))], Message: fmt.Sprint(i)})
		}
		cut := rng.Intn(len(all) + 1)
		var one, first, second Report
		for i, f := range all {
			one.Add(nil, f)
			if i < cut {
				first.Add(nil, f)
			} else {
				second.Add(nil, f)
			}
		}
		first.Merge(&second)
		if !reflect.DeepEqual(one.entries, first.entries) || !reflect.DeepEqual(one.loud, first.loud) || one.errors != first.errors {
			t.Fatalf("round %d (cut at %d of %d): merged differs from one report", round, cut, len(all))
		}
	}
}
