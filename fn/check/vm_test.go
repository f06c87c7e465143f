package check

import (
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// vmiSpec parses a VMI spec and runs the checks with KubeVirt v1.9's defaults.
func vmiSpec(t *testing.T, src string, cluster ...func(*api.Cluster)) []string {
	t.Helper()
	return vmiSpecAt(t, release.Newest, src, cluster...)
}

// vmiSpecAt runs the checks for a KubeVirt release, with its defaults.
func vmiSpecAt(t *testing.T, rel release.Minor, src string, cluster ...func(*api.Cluster)) []string {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s, problems := vm.ReadSpec(doc.Content[0], "spec")
	if len(problems) > 0 {
		t.Fatalf("unreadable: %+v", problems)
	}
	c := api.DefaultSettings().Cluster
	c.KubeVirt, c.PasstBindingFeatureGate = rel, rel.PasstBindingGateDefault()
	for _, f := range cluster {
		f(&c)
	}
	var got []string
	for _, f := range VM(Input{Prefix: "spec", Spec: s, Cluster: c}) {
		got = append(got, f.Rule.ID+" "+f.Field+" "+f.Message)
	}
	sort.Strings(got)
	return got
}

const pod = `
networks: [{name: default, pod: {}}]
`

// Each case breaks exactly one KubeVirt rule; want is the rule, the field KubeVirt
// reports and the start of KubeVirt's own message.
func TestEachRule(t *testing.T) {
	cases := []struct {
		name, spec string
		cluster    func(*api.Cluster)
		want       string
	}{
		{"two pod networks", `
domain: {devices: {interfaces: [{name: a, masquerade: {}}, {name: b, masquerade: {}}]}}
networks: [{name: a, pod: {}}, {name: b, pod: {}}]`, nil,
			"kubevirt-pod-network-count spec.interfaces more than one interface is connected to a pod network in spec.interfaces"},
		{"two multus defaults", `
domain: {devices: {interfaces: [{name: a, bridge: {}}, {name: b, bridge: {}}]}}
networks: [{name: a, multus: {networkName: x, default: true}}, {name: b, multus: {networkName: y, default: true}}]`, nil,
			"kubevirt-multus-default spec.networks Multus CNI should only have one default network"},
		{"pod and multus default", `
domain: {devices: {interfaces: [{name: a, masquerade: {}}, {name: b, bridge: {}}]}}
networks: [{name: a, pod: {}}, {name: b, multus: {networkName: y, default: true}}]`, nil,
			"kubevirt-multus-default spec.networks Pod network cannot be defined when Multus default network is defined"},
		{"no source", `
domain: {devices: {interfaces: [{name: a, bridge: {}}]}}
networks: [{name: a}]`, nil,
			"kubevirt-network-source spec.networks[0] should have a network type"},
		{"two sources", `
domain: {devices: {interfaces: [{name: a, masquerade: {}}]}}
networks: [{name: a, pod: {}, multus: {networkName: x}}]`, nil,
			"kubevirt-network-source spec.networks[0] should have only one network type"},
		{"multus without networkName", `
domain: {devices: {interfaces: [{name: a, bridge: {}}]}}
networks: [{name: a, multus: {}}]`, nil,
			"kubevirt-multus-network-name spec.networks[0] CNI delegating plugin must have a networkName"},
		{"duplicate network", `
domain: {devices: {interfaces: [{name: a, bridge: {}}]}}
networks: [{name: a, multus: {networkName: x}}, {name: a, multus: {networkName: y}}]`, nil,
			`kubevirt-network-name-unique spec.networks[1].name Network with name "a" already exists`},
		{"network without interface", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}]}}
networks: [{name: default, pod: {}}, {name: extra, multus: {networkName: x}}]`, nil,
			"network-interface-pairing spec.networks[1].name spec.networks[1].name 'extra' not found."},
		{"interface without network", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: extra, bridge: {}}]}}` + pod, nil,
			"network-interface-pairing spec.domain.devices.interfaces[1].name spec.domain.devices.interfaces[1].name 'extra' not found."},
		{"duplicate interface", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: default, masquerade: {}}]}}` + pod, nil,
			"kubevirt-interface-name-unique spec.domain.devices.interfaces[1].name Only one interface can be connected to one specific network"},
		{"interface name format", `
domain: {devices: {interfaces: [{name: "eth.0", masquerade: {}}]}}
networks: [{name: "eth.0", pod: {}}]`, nil,
			"kubevirt-interface-name-format spec.domain.devices.interfaces[0].name Network interface name can only contain"},
		{"no binding", `
domain: {devices: {interfaces: [{name: default}]}}` + pod, nil,
			"kubevirt-binding-count spec.domain.devices.interfaces[0] logical default interface must have exactly one binding method or binding plugin"},
		{"two bindings", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, binding: {name: slirp}}]}}` + pod, nil,
			"kubevirt-binding-count spec.domain.devices.interfaces[0] logical default interface must have exactly one binding"},
		{"masquerade on multus", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, masquerade: {}}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			"kubevirt-masquerade spec.domain.devices.interfaces[1].name Masquerade interface only implemented with pod network"},
		{"masquerade reserved mac", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, macAddress: "02:00:00:00:00:00"}]}}` + pod, nil,
			"kubevirt-masquerade spec.domain.devices.interfaces[0].macAddress The requested MAC address is reserved for the in-pod bridge."},
		{"bridge on pod not permitted", `
domain: {devices: {interfaces: [{name: default, bridge: {}}]}}` + pod, func(c *api.Cluster) { c.PermitBridgeInterfaceOnPodNetwork = false },
			"kubevirt-bridge-on-pod spec.domain.devices.interfaces[0].name Bridge on pod network configuration is not enabled under kubevirt-config"},
		{"passtBinding without gate", `
domain: {devices: {interfaces: [{name: default, passtBinding: {}}]}}` + pod, func(c *api.Cluster) { c.PasstBindingFeatureGate = false },
			"kubevirt-passt-binding spec.domain.devices.interfaces[0].name PasstBinding feature gate is not enabled"},
		{"passtBinding on multus", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, passtBinding: {}}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			"kubevirt-passt-binding spec.domain.devices.interfaces[1].name PasstBinding interface only implemented with pod network"},
		{"state unsupported", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, bridge: {}, state: gone}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			"kubevirt-interface-state spec.domain.devices.interfaces[1].state logical m interface state value is unsupported: gone"},
		{"link down on sriov", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, sriov: {}, state: down}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			`kubevirt-interface-state spec.domain.devices.interfaces[1].state "m" interface's state "down" is not supported for SR-IOV NICs`},
		{"absent on sriov", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, sriov: {}, state: absent}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			`kubevirt-interface-state spec.domain.devices.interfaces[1].state "m" interface's state "absent" is supported only for bridge binding`},
		{"absent on the pod network", `
domain: {devices: {interfaces: [{name: default, bridge: {}, state: absent}]}}` + pod, nil,
			`kubevirt-interface-state spec.domain.devices.interfaces[0].state "default" interface's state "absent" is not supported on default networks`},
		{"model", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, model: virtio-net}]}}` + pod, nil,
			"kubevirt-interface-model spec.domain.devices.interfaces[0].model interface spec.domain.devices.interfaces[0].name uses model virtio-net that is not supported."},
		{"malformed mac", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, macAddress: "02:00:00:00:00"}]}}` + pod, nil,
			"kubevirt-mac-address spec.domain.devices.interfaces[0].macAddress interface spec.domain.devices.interfaces[0].name has malformed MAC address (02:00:00:00:00)."},
		{"long mac", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, macAddress: "02:00:00:00:00:00:00:01"}]}}` + pod, nil,
			"kubevirt-mac-address spec.domain.devices.interfaces[0].macAddress interface spec.domain.devices.interfaces[0].name has too long MAC address"},
		{"pci address", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, pciAddress: "0000:81:01.10"}]}}` + pod, nil,
			"kubevirt-pci-address spec.domain.devices.interfaces[0].pciAddress interface spec.domain.devices.interfaces[0].name has malformed PCI address (0000:81:01.10)."},
		{"port missing", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{name: http}]}]}}` + pod, nil,
			"kubevirt-ports spec.domain.devices.interfaces[0].ports[0] Port field is mandatory."},
		{"port out of range", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{port: 70000}]}]}}` + pod, nil,
			"kubevirt-ports spec.domain.devices.interfaces[0].ports[0] Port field must be in range 0 < x < 65536."},
		{"port protocol", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{port: 53, protocol: SCTP}]}]}}` + pod, nil,
			"kubevirt-ports spec.domain.devices.interfaces[0].ports[0].protocol Unknown protocol, only TCP or UDP allowed"},
		{"port name duplicate", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{name: web, port: 80}, {name: web, port: 443}]}]}}` + pod, nil,
			"kubevirt-ports spec.domain.devices.interfaces[0].ports[1].name Duplicate name of the port: web"},
		{"port name invalid", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{name: Web_Port, port: 80}]}]}}` + pod, nil,
			"kubevirt-ports spec.domain.devices.interfaces[0].ports[0].name Invalid name of the port: Web_Port"},
		{"portRanges without gate", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, portRanges: [{protocol: TCP, start: 80, end: 90}]}]}}` + pod, nil,
			"kubevirt-port-ranges spec.domain.devices.interfaces[0].name portRanges is specified on interface but the PortRangesSpec feature gate is not enabled"},
		{"portRanges overlap", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, portRanges: [{protocol: TCP, start: 80, end: 90}, {protocol: TCP, start: 85, end: 95}]}]}}` + pod,
			func(c *api.Cluster) { c.PortRangesSpecFeatureGate = true },
			"kubevirt-port-ranges spec.domain.devices.interfaces[0].portRanges TCP portRanges [80-90] and [85-95] overlap"},
		{"dhcp private option", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, dhcpOptions: {privateOptions: [{option: 100, value: x}]}}]}}` + pod, nil,
			"kubevirt-dhcp-options spec.domain.devices.interfaces[0].dhcpOptions.privateOptions[0] provided DHCPPrivateOptions are out of range, must be in range 224 to 254"},
		{"dhcp ntp", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, dhcpOptions: {ntpServers: ["fd00::1"]}}]}}` + pod, nil,
			"kubevirt-dhcp-options spec.domain.devices.interfaces[0].dhcpOptions.ntpServers[0] NTP servers must be a list of valid IPv4 addresses."},
		{"boot order zero", `
domain: {devices: {interfaces: [{name: default, masquerade: {}, bootOrder: 0}]}}` + pod, nil,
			"kubevirt-boot-order spec.domain.devices.interfaces[0].bootOrder spec[0] must have a boot order > 0, if supplied"},
		{"boot order shared with a disk", `
domain: {devices: {disks: [{name: root, bootOrder: 1}], interfaces: [{name: default, masquerade: {}, bootOrder: 1}]}}` + pod, nil,
			"kubevirt-boot-order spec.domain.devices.interfaces[0].bootOrder Boot order for spec.domain.devices.interfaces[0].bootOrder already set for a different device."},
		{"slirp", `
domain: {devices: {interfaces: [{name: default, slirp: {}, masquerade: {}}]}}` + pod, nil,
			"kubevirt-discontinued-binding spec.domain.devices.interfaces[0].slirp Slirp interface support has been discontinued since v1.3"},
		{"probe without pod network", `
readinessProbe: {httpGet: {port: 80}}
domain: {devices: {interfaces: [{name: m, bridge: {}}]}}
networks: [{name: m, multus: {networkName: x}}]`, nil,
			"kubevirt-probe-pod-network spec.readinessProbe.httpGet spec.readinessProbe.httpGet is only allowed if the Pod Network is attached"},
		{"core passt", `
domain: {devices: {interfaces: [{name: default, passt: {}, masquerade: {}}]}}` + pod, nil,
			"kubevirt-discontinued-binding spec.domain.devices.interfaces[0].passt Passt network binding has been discontinued since v1.3"},
		{"core macvtap", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, macvtap: {}, bridge: {}}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, nil,
			"kubevirt-discontinued-binding spec.domain.devices.interfaces[1].macvtap Macvtap network binding has been discontinued since v1.3"},
		{"binding plugin, the KubeVirt CR without its gate", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: m, binding: {name: macvtap}}]}}
networks: [{name: default, pod: {}}, {name: m, multus: {networkName: x}}]`, func(c *api.Cluster) { c.Gates = map[string]bool{} },
			"-"},
		{"DRA without gate", `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: vf, sriov: {}}]}}
networks: [{name: default, pod: {}}, {name: vf, resourceClaim: {claimName: c, requestName: r}}]`, nil,
			"kubevirt-dra-network spec.networks vmi.spec.networks contains DRA networks but NetworkDevicesWithDRA feature gate is not enabled"},
	}
	// What the oldest release says where it differs ("-": nothing, as the
	// field is unknown there and the schema check reports it). Traced in
	// fn/release/facts.go.
	atOldest := map[string]string{
		"no binding":                "kubevirt-binding-count spec.domain.devices.interfaces[0] interface default has no binding: KubeVirt v1.4 admits it, but virt-handler cannot set it up",
		"two bindings":              "kubevirt-binding-count spec.domain.devices.interfaces[0].binding logical default interface cannot have both binding plugin and interface binding method",
		"passtBinding without gate": "-",
		"passtBinding on multus":    "-",
		"link down on sriov":        "kubevirt-interface-state spec.domain.devices.interfaces[1].state logical m interface state value is unsupported: down",
		"portRanges without gate":   "-",
		"portRanges overlap":        "-",
		"DRA without gate":          "-",
		"core passt":                "kubevirt-discontinued-binding spec.domain.devices.interfaces[0].name Passt feature gate is not enabled",
		"core macvtap":              "kubevirt-discontinued-binding spec.domain.devices.interfaces[1].name Macvtap feature gate is not enabled",
		"binding plugin, the KubeVirt CR without its gate": "kubevirt-binding-plugin-gate spec.domain.devices.interfaces[1].binding Binding plugins feature gate is not enabled",
	}
	for _, tc := range cases {
		for _, rel := range []release.Minor{release.Oldest, release.Newest} {
			want := tc.want
			if w, ok := atOldest[tc.name]; ok && rel == release.Oldest {
				want = w
			}
			t.Run(tc.name+"/"+rel.String(), func(t *testing.T) {
				var opts []func(*api.Cluster)
				if tc.cluster != nil {
					opts = append(opts, tc.cluster)
				}
				var got []string
				for _, f := range vmiSpecAt(t, rel, tc.spec, opts...) {
					// v1.4's gate on binding plugins is its own case.
					if !strings.HasPrefix(f, "kubevirt-binding-plugin-gate") || strings.HasPrefix(want, "kubevirt-binding-plugin-gate") {
						got = append(got, f)
					}
				}
				if want == "-" {
					if len(got) > 0 {
						t.Errorf("want no finding, got:\n  %s", strings.Join(got, "\n  "))
					}
					return
				}
				if len(got) != 1 || !strings.HasPrefix(got[0], want) {
					t.Errorf("want exactly one finding starting with\n  %s\ngot %d:\n  %s", want, len(got), strings.Join(got, "\n  "))
				}
				if len(got) == 1 && !strings.Contains(got[0], "Fix: ") {
					t.Errorf("the message has no fix: %s", got[0])
				}
			})
		}
	}
}

// VMs that are valid in unusual ways must produce nothing.
func TestValidInUnusualWays(t *testing.T) {
	cases := map[string]string{
		"bridge on the pod network": `
domain: {devices: {interfaces: [{name: default, bridge: {}}]}}` + pod,
		"ports on masquerade, port 65536 passes KubeVirt's bound": `
domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{name: ssh, port: 22}, {port: 53, protocol: UDP}, {port: 65536}]}]}}` + pod,
		"absent bridge secondary": `
domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: old, bridge: {}, state: absent}]}}
networks: [{name: default, pod: {}}, {name: old, multus: {networkName: x}}]`,
		"multus default network": `
domain: {devices: {interfaces: [{name: primary, bridge: {}}]}}
networks: [{name: primary, multus: {networkName: vms/primary, default: true}}]`,
		"no networks at all": `
domain: {devices: {}}`,
		"no networks, probe on the implicit pod network": `
readinessProbe: {tcpSocket: {port: 22}}
domain: {devices: {}}`,
		"mac, pci, model, boot order, link state": `
domain: {devices: {disks: [{name: root, bootOrder: 1}], interfaces: [
  {name: default, masquerade: {}, macAddress: "aabb.ccdd.eeff", pciAddress: "0000:81:00.7", model: e1000e, bootOrder: 2, state: up},
  {name: fast, sriov: {}, model: igb},
  {name: plug, binding: {name: macvtap}, state: down}]}}
networks: [{name: default, pod: {}}, {name: fast, multus: {networkName: x}}, {name: plug, multus: {networkName: y}}]`,
		"passtBinding on the pod network": `
domain: {devices: {interfaces: [{name: default, passtBinding: {}}]}}` + pod,
		"dhcp options in range": `
domain: {devices: {interfaces: [{name: default, masquerade: {}, dhcpOptions: {privateOptions: [{option: 240, value: a}, {option: 241, value: b}], ntpServers: ["10.0.0.1"]}}]}}` + pod,
	}
	for name, spec := range cases {
		t.Run(name, func(t *testing.T) {
			if got := vmiSpec(t, spec); len(got) > 0 {
				t.Errorf("want no finding, got:\n  %s", strings.Join(got, "\n  "))
			}
		})
	}
}
