package multus

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name, value string
		want        []Element
	}{
		{"empty", "  ", nil},
		{"comma list", "a, ns/b , c@eth1", []Element{{Name: "a"}, {Name: "b", Namespace: "ns"}, {Name: "c", Extra: []string{"interface"}}}},
		{"JSON list", `[{"name":"a","namespace":"ns","mac":"02:00:00:00:00:01","ips":["10.0.0.1/24"],"interface":"eth1"},{"name":"b"}]`,
			[]Element{{Name: "a", Namespace: "ns", MAC: "02:00:00:00:00:01", Extra: []string{"interface", "ips"}}, {Name: "b"}}},
		{"JSON object", `{"name":"x","cni-args":{"a":1},"default-route":["10.0.0.1"]}`, []Element{{Name: "x", Extra: []string{"cni-args", "default-route"}}}},
		{"ns/name in JSON name", `[{"name":"ns/x"}]`, []Element{{Name: "x", Namespace: "ns"}}},
		{"a dotted NAD name in JSON (an object name may have dots)", `[{"name":"vlan.100"}]`, []Element{{Name: "vlan.100"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, v := range []string{"a,,b", "Bad_Name", "ns/", "a@", `[{"name": 3}]`, `[{"namespace":"x"}]`, `[null]`, `[{"name":"a"}] trailing`, `{"name":`,
		`{"name":"ns/"}`, `[{"name":"/a"}]`, `{"name":"a b"}`, `{"name":"a/b/c"}`, `{"name":"a","namespace":"Bad_NS"}`} {
		if _, err := Parse(v); err == nil {
			t.Errorf("Parse(%q) accepted it", v)
		}
	}
}

// FuzzParse: any annotation value parses or is refused with an error, never a
// panic; what parses names a NAD, keeps every key it cannot carry in Extra, and
// its references read back the same in the comma form.
//
//	go test ./fn/multus -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a, ns/b@eth1", `[{"name":"a","namespace":"ns","mac":"02:00:00:00:00:01","ips":["10.0.0.1/24"]}]`, `{"name":"ns/x","cni-args":{}}`, "", "[]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		elems, err := Parse(value)
		if err != nil {
			return
		}
		var refs []string
		for _, e := range elems {
			if e.Name == "" {
				t.Fatalf("an element without a name: %+v", e)
			}
			for _, k := range e.Extra {
				if carried[k] {
					t.Fatalf("key %q is carried, yet listed as extra", k)
				}
			}
			refs = append(refs, e.Ref())
		}
		if len(refs) == 0 {
			return
		}
		again, err := Parse(strings.Join(refs, ","))
		if err != nil {
			if !dns1123.MatchString(elems[0].Name) {
				return // a JSON name the comma form cannot hold
			}
			for _, e := range elems {
				if !dns1123.MatchString(e.Name) || (e.Namespace != "" && !dns1123.MatchString(e.Namespace)) {
					return
				}
			}
			t.Fatalf("the comma form of %q does not parse: %v", refs, err)
		}
		for i, e := range again {
			if e.Ref() != refs[i] {
				t.Fatalf("element %d reads back as %q, want %q", i, e.Ref(), refs[i])
			}
		}
	})
}
