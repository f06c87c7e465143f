package nad

import "testing"

// A NAD kept because VMs still reference it names a few of them and counts the
// rest: a fleet's names would drown the message (and fill memory).
func TestUsersNamesAFewAndCountsTheRest(t *testing.T) {
	var u Users
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		u.Add(name)
	}
	if got, want := u.String(), "a, b, c, d, e and 2 more"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var one Users
	one.Add("VirtualMachine vms/db")
	if got := one.String(); got != "VirtualMachine vms/db" {
		t.Errorf("got %q", got)
	}
}
