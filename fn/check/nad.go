package check

import (
	"encoding/json"
	"fmt"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// NAD lints a user-written NAD's CNI config (and the device resource its
// resourceName annotation requests) for mistakes the CNI plugins, or the
// scheduler, only report when a pod starts.
func NAD(name, namespace, config, resourceName string) []report.Finding {
	var f []report.Finding
	add := func(rule report.Rule, msg string) {
		f = append(f, report.Finding{Rule: rule, Field: "spec.config", Message: msg, Severity: krm.Error})
	}
	var conf map[string]any
	if err := json.Unmarshal([]byte(config), &conf); err != nil {
		add(RuleNADInvalidJSON, fmt.Sprintf("spec.config is not valid JSON (%v); Multus refuses the NAD when a pod starts: fix the CNI config", err))
		return f
	}
	plugins := []map[string]any{conf}
	if list, ok := conf["plugins"].([]any); ok {
		plugins = plugins[:0]
		for _, p := range list {
			if m, ok := p.(map[string]any); ok {
				plugins = append(plugins, m)
			}
		}
	}
	for _, p := range plugins {
		typ, _ := p["type"].(string)
		if _, ipam := p["ipam"]; ipam && p["disableContainerInterface"] == true {
			add(RuleNADIPAMNoInterface, "ipam is set together with disableContainerInterface: true, which the bridge CNI refuses (\"cannot use IPAM when DisableContainerInterface flag is set\"); remove one of them")
		}
		if typ == "sriov" {
			for _, key := range []string{"spoofchk", "trust"} {
				if v, ok := p[key]; ok && v != "on" && v != "off" {
					add(RuleNADSRIOVFlags, fmt.Sprintf("sriov-cni's %s must be the string \"on\" or \"off\", not %v; write \"on\" or \"off\"", key, jsonText(v)))
				}
			}
		}
		if marker, ok := strings.CutPrefix(resourceName, api.BridgeMarkerResourcePfx); ok && typ == "bridge" {
			if bridge, _ := p["bridge"].(string); bridge != "" && bridge != marker {
				f = append(f, report.Finding{Rule: RuleNADBridgeMarker, Field: "metadata.annotations[" + api.ResourceNameAnnotation + "]", Severity: krm.Warning,
					Message: fmt.Sprintf("the NAD attaches host bridge %q but requests bridge-marker's resource for bridge %q (%s): KubeVirt adds that request to the VM's launcher pod, and bridge-marker advertises one resource per bridge a node has, so the VM stays Pending on nodes without %q; request %s%s", bridge, marker, resourceName, marker, api.BridgeMarkerResourcePfx, bridge)})
			}
		}
		if typ == network.OVNCNIType && namespace != "" {
			want := namespace + "/" + name
			if got, _ := p["netAttachDefName"].(string); got != want {
				add(RuleNADOVNName, fmt.Sprintf("OVN-Kubernetes requires netAttachDefName to be the NAD's own <namespace>/<name>, %q, not %s; pods on it fail to start otherwise", want, jsonText(p["netAttachDefName"])))
			}
		}
	}
	return f
}

func jsonText(v any) string {
	if v == nil {
		return "missing"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
