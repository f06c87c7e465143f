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
			"preserveDefaultVlan: (absent: true, the bridge CNI's default) in the NAD, false declared"},
		// The bridge CNI blog post (kubevirt.io, 2020) and kubevirtci's multi-net test
		// write the NAD as a configuration list: CNI's main plugin is the first.
		{"a configuration list is its main plugin", `{"cniVersion":"0.3.1","name":"br1","plugins":[{"type":"bridge","bridge":"br0","vlan":100,"preserveDefaultVlan":false}]}`,
			`{"cniVersion":"0.3.1","name":"br1","type":"bridge","bridge":"br0","vlan":100,"preserveDefaultVlan":false}`, ""},
		{"other plugins of a list are named apart", `{"name":"br1","plugins":[{"type":"bridge","bridge":"br0"},{"type":"tuning"}]}`,
			`{"name":"br1","type":"bridge","bridge":"br0"}`, `plugins: [{"type":"tuning"}] in the NAD, (absent) declared`},
		{"a list's main plugin differs", `{"name":"br1","plugins":[{"type":"bridge","bridge":"br1"}]}`,
			`{"name":"br1","type":"bridge","bridge":"br0"}`, `bridge: "br1" in the NAD, "br0" declared`},
		// OVN-Kubernetes localnet NADs in the 2023 localnet blog post carry "ipam": {}.
		{"empty ipam is no IPAM, OVN too", `{"type":"ovn-k8s-cni-overlay","topology":"localnet","name":"n1","netAttachDefName":"a/b","ipam":{}}`,
			`{"type":"ovn-k8s-cni-overlay","topology":"localnet","name":"n1","netAttachDefName":"a/b"}`, ""},
		{"empty ipam is no IPAM, bridge", `{"type":"bridge","bridge":"b","ipam":{}}`, `{"type":"bridge","bridge":"b"}`, ""},
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

// A conflict says what to write in the declaration to get the NAD's value.
func TestFixes(t *testing.T) {
	cases := []struct{ have, want, fix string }{
		{`{"type":"bridge","bridge":"br0","vlan":10}`, `{"type":"bridge","bridge":"br0","vlan":10,"preserveDefaultVlan":false}`, "write preserveDefaultVlan: true"},
		{`{"type":"bridge","bridge":"br1"}`, `{"type":"bridge","bridge":"br0"}`, `write bridge: "br1"`},
		{`{"type":"bridge","bridge":"b"}`, `{"type":"bridge","bridge":"b","mtu":9000}`, "remove mtu"},
		{`{"type":"bridge","bridge":"b","hairpinMode":true}`, `{"type":"bridge","bridge":"b"}`, "add extraConfig: {hairpinMode: true}"},
		{`{"type":"ovn-k8s-cni-overlay","topology":"layer2","name":"a"}`, `{"type":"ovn-k8s-cni-overlay","topology":"layer2","name":"b"}`, `set ovnNetworkName: "a"`},
		{`{"type":"bridge","bridge":"b","plugins":[{"type":"bridge","bridge":"b"},{"type":"tuning"}]}`, `{"type":"bridge","bridge":"b"}`, "declare the NAD's other plugins in extraConfig.plugins"},
	}
	for _, tc := range cases {
		diffs, _ := Differences(tc.have, tc.want)
		if got := fixes(diffs); got != tc.fix {
			t.Errorf("%s vs %s: got %q, want %q", tc.have, tc.want, got, tc.fix)
		}
	}
}

// Keys no network field can express are what an update would lose.
func TestExtra(t *testing.T) {
	got := Extra(`{"type":"bridge","bridge":"b","vlan":5,"promiscMode":true,"portIsolation":true,"ipam":{}}`, `{"type":"bridge","bridge":"b"}`)
	if strings.Join(got, ",") != "portIsolation,promiscMode" {
		t.Errorf("got %v", got)
	}
}
