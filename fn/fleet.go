package fn

import (
	"sort"

	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
)

// fleetFacts is what the steps after the VMs need of all of them, kept compactly so
// a large package's VMs do not stay in memory through them: the distinct network
// uses (NAD derivation), the VMs referencing each NAD (a few names and a count, for
// the message that keeps a NAD), the guests with a fixed MAC (the checks across VMs).
type fleetFacts struct {
	lastUse    map[nad.Use]int
	n          int
	referenced map[nad.Key]*nad.Users
	guests     []*check.Guest
}

func newFleetFacts() *fleetFacts {
	return &fleetFacts{lastUse: map[nad.Use]int{}, referenced: map[nad.Key]*nad.Users{}}
}

// add takes one VM item's facts, in input order.
func (f *fleetFacts) add(r vmResult) {
	for _, u := range r.uses {
		f.n++
		f.lastUse[u] = f.n
	}
	for _, ref := range r.refs {
		users := f.referenced[ref.key]
		if users == nil {
			users = &nad.Users{}
			f.referenced[ref.key] = users
		}
		users.Add(ref.label)
	}
	f.guests = append(f.guests, r.guests...)
}

// uses are the distinct uses, each where it last occurred: the order in which NAD
// derivation, where two uses name one NAD, lets the last one win.
func (f *fleetFacts) uses() []nad.Use {
	out := make([]nad.Use, 0, len(f.lastUse))
	for u := range f.lastUse {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return f.lastUse[out[i]] < f.lastUse[out[j]] })
	return out
}
