// Package release says what differs between the KubeVirt releases the function
// targets (v1.4 to v1.9): which fields exist, which admission rules apply, which
// feature gates are on by default. Each fact names the KubeVirt code it was read
// from, at the release tags (kubevirt.io/kubevirt vX.Y.0, the Go module proxy's
// copy of the tag).
package release

import (
	"fmt"
	"strconv"
	"strings"
)

// Minor is a KubeVirt v1 minor release: 4 is v1.4. The zero value is "not stated".
type Minor int

// The supported range, oldest and newest.
const (
	Oldest Minor = 4
	Newest Minor = 9
)

// All are the supported releases, oldest first.
func All() []Minor {
	var out []Minor
	for m := Oldest; m <= Newest; m++ {
		out = append(out, m)
	}
	return out
}

// Range names the supported range for messages.
func Range() string { return Oldest.String() + " to " + Newest.String() }

func (m Minor) String() string {
	if m == 0 {
		return "unstated"
	}
	return fmt.Sprintf("v1.%d", int(m))
}

// Parse reads a release as people write it: "v1.5", "1.5", "v1.5.3", "1.5.3" and
// "v1.5.0-rc.1" all mean v1.5. A version outside the supported range is an error
// naming the range; text that is no version is another.
func Parse(s string) (Minor, error) {
	m, ok := parseMinor(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a KubeVirt release; write its minor version, e.g. v1.7 (supported: %s)", s, Range())
	}
	if m < Oldest || m > Newest {
		return 0, fmt.Errorf("KubeVirt %s is outside the supported range %s", parsedName(s), Range())
	}
	return m, nil
}

// FromImageTag reads a release from a container image tag ("v1.5.2", "1.6.0");
// ok is false for a tag that names none (a digest, "latest", "devel").
func FromImageTag(tag string) (Minor, bool) {
	return parseMinor(tag)
}

// parseMinor takes "[v]1.M[.P][-pre][+build]" and returns M.
func parseMinor(s string) (Minor, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || len(p) > 4 {
			return 0, false
		}
	}
	if parts[0] != "1" {
		// v0.x and a future v2 are outside the range; report them as such.
		major, _ := strconv.Atoi(parts[0])
		if major == 0 {
			return -1, true
		}
		return 1000, true
	}
	minor, _ := strconv.Atoi(parts[1])
	return Minor(minor), true
}

func parsedName(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "v") {
		s = "v" + s
	}
	return s
}
