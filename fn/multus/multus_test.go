package multus

import (
	"reflect"
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
	for _, v := range []string{"a,,b", "Bad_Name", "ns/", "a@", `[{"name": 3}]`, `[{"namespace":"x"}]`, `[null]`, `[{"name":"a"}] trailing`, `{"name":`} {
		if _, err := Parse(v); err == nil {
			t.Errorf("Parse(%q) accepted it", v)
		}
	}
}
