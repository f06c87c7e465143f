package nad

import (
	"strings"
	"testing"
)

// Two configs mean the same when only the layout, the cniVersion, a non-OVN CNI
// name or a CNI default differ; otherwise each differing key is named.
func TestDifferences(t *testing.T) {
	cases := []struct {
		name, have, want string
		diffs            string
	}{
		{"layout and cniVersion", `{"cniVersion":"0.4.0","type":"bridge","bridge":"br0"}`, "{\n  \"cniVersion\": \"0.3.1\",\n  \"bridge\": \"br0\",\n  \"type\": \"bridge\"\n}", ""},
		{"cnv-bridge is bridge", `{"type":"cnv-bridge","bridge":"br0","name":"x"}`, `{"type":"bridge","bridge":"br0","name":"y"}`, ""},
		{"bridge defaults", `{"type":"bridge","bridge":"br0","macspoofchk":false,"preserveDefaultVlan":true,"vlan":0}`, `{"type":"bridge","bridge":"br0"}`, ""},
		{"default VLAN kept unless said", `{"type":"bridge","bridge":"br0","vlan":10}`, `{"type":"bridge","bridge":"br0","vlan":10,"preserveDefaultVlan":false}`,
			"preserveDefaultVlan: (absent) in the NAD, false declared"},
		{"OVN physicalNetworkName defaults to name", `{"type":"ovn-k8s-cni-overlay","topology":"localnet","name":"n1","netAttachDefName":"a/b"}`,
			`{"type":"ovn-k8s-cni-overlay","topology":"localnet","name":"n1","netAttachDefName":"a/b","physicalNetworkName":"n1"}`, ""},
		{"OVN name counts", `{"type":"ovn-k8s-cni-overlay","topology":"layer2","name":"a"}`, `{"type":"ovn-k8s-cni-overlay","topology":"layer2","name":"b"}`,
			`name: "a" in the NAD, "b" declared`},
		{"numbers by value", `{"type":"bridge","bridge":"b","mtu":1500.0}`, `{"type":"bridge","bridge":"b","mtu":1500}`, ""},
		{"every key named", `{"type":"bridge","bridge":"a","hairpinMode":true}`, `{"type":"bridge","bridge":"b","mtu":9000}`,
			`bridge: "a" in the NAD, "b" declared; hairpinMode: true in the NAD, (absent) declared; mtu: (absent) in the NAD, 9000 declared`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diffs, ok := Differences(tc.have, tc.want)
			if !ok {
				t.Fatal("not JSON")
			}
			if got := describe(diffs); got != tc.diffs {
				t.Errorf("got %q, want %q", got, tc.diffs)
			}
		})
	}
}

// Keys no network field can express are what an update would lose.
func TestExtra(t *testing.T) {
	got := Extra(`{"type":"bridge","bridge":"b","vlan":5,"promiscMode":true,"portIsolation":true,"ipam":{}}`, `{"type":"bridge","bridge":"b"}`)
	if strings.Join(got, ",") != "portIsolation,promiscMode" {
		t.Errorf("got %v", got)
	}
}
