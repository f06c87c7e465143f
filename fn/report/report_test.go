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

// The summary counts each changed object once, by kind, however many change
// results it has and in however many reports they were before a merge; it holds
// no object to do so (a fleet's objects are not kept for the count).
func TestChangedCountsObjectsOnce(t *testing.T) {
	change := Finding{Rule: Rule{ID: "c", Source: SourceChange}, Severity: krm.Info}
	check := Finding{Rule: Rule{ID: "k", Source: "check"}, Severity: krm.Warning}
	vm1, vm2 := &Object{Kind: "VirtualMachine", Name: "a"}, &Object{Kind: "VirtualMachine", Name: "b"}
	pool := &Object{Kind: "VirtualMachinePool", Name: "p"}
	var r, other Report
	r.Add(vm1, change)
	r.Add(vm1, change)
	r.Add(vm2, check)
	other.Add(vm1, change)
	other.Add(vm2, change)
	other.Add(pool, change)
	other.Add(nil, change)
	r.Merge(&other)
	want := map[string]int{"VirtualMachine": 2, "VirtualMachinePool": 1}
	if got := r.Changed(); !reflect.DeepEqual(got, want) {
		t.Errorf("Changed() = %v, want %v", got, want)
	}
}
