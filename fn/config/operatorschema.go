package config

import (
	"fmt"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// fields are the fields an operator's CR takes at one level; a nil value is a
// field whose value the check does not look into.
type fields map[string]fields

// The fields of the operator CRs the function reads as declarations: the union
// over the releases in use, so a field one release has is no finding on a
// cluster that runs another (OVN-Kubernetes moved ipamLifecycle into ipam and
// added localnet's vlan and layer2's reserved and infrastructure subnets and
// gateway IPs; sriov-network-operator added logLevel, logFile and vlanProto).
var (
	ovnIPAM      = fields{"lifecycle": nil, "mode": nil}
	ovnLayer2    = fields{"role": nil, "mtu": nil, "subnets": nil, "joinSubnets": nil, "ipamLifecycle": nil, "ipam": ovnIPAM, "reservedSubnets": nil, "infrastructureSubnets": nil, "defaultGatewayIPs": nil}
	ovnLayer3    = fields{"role": nil, "mtu": nil, "subnets": nil, "joinSubnets": nil}
	ovnLocalnet  = fields{"role": nil, "physicalNetworkName": nil, "subnets": nil, "excludeSubnets": nil, "ipamLifecycle": nil, "ipam": ovnIPAM, "mtu": nil, "vlan": fields{"mode": nil, "access": fields{"id": nil}}}
	ovnTransport = fields{"protocol": nil, "targetVRF": nil}
	udnSpec      = fields{"topology": nil, "layer2": ovnLayer2, "layer3": ovnLayer3, "transport": ovnTransport}
	cudnSpec     = fields{"namespaceSelector": nil, "network": fields{"topology": nil, "layer2": ovnLayer2, "layer3": ovnLayer3, "localnet": ovnLocalnet, "transport": ovnTransport}}
	sriovSpec    = fields{"networkNamespace": nil, "resourceName": nil, "capabilities": nil, "ipam": nil, "vlan": nil, "vlanQoS": nil, "vlanProto": nil,
		"spoofChk": nil, "trust": nil, "allMulticast": nil, "linkState": nil, "minTxRate": nil, "maxTxRate": nil, "metaPlugins": nil, "logLevel": nil, "logFile": nil}
)

// misplaced are the mistakes seen in real manifests, with what the operator reads
// instead.
var misplaced = map[string]string{
	"localnet.vlanID":  "vlan: {mode: Access, access: {id: <VLAN>}}",
	"localnet.vlanId":  "vlan: {mode: Access, access: {id: <VLAN>}}",
	"localnet.vlan_id": "vlan: {mode: Access, access: {id: <VLAN>}}",
	"spec.ipam":        "the topology's ipam (spec.layer2.ipam or spec.network.localnet.ipam)",
	"spec.subnets":     "the topology's subnets (spec.layer2.subnets)",
	"spec.role":        "the topology's role (spec.layer2.role)",
}

// checkOperatorFields holds an operator's CR to its schema as VMs are held to
// KubeVirt's: an unknown field is what spec.cluster.fieldValidation says (Strict:
// an error, as kubectl's strict field validation refuses the object; Warn: a
// warning, as the API server drops it, and the operator never sees the value).
func checkOperatorFields(d *decoder, node *yaml.Node, path string, known fields, fv api.FieldValidation, operator string) {
	if !ynode.IsMap(node) {
		return
	}
	for _, key := range ynode.Keys(node) {
		sub, ok := known[key]
		field := path + "." + key
		if !ok {
			unknownOperatorField(d, field, key, known, fv, operator)
			continue
		}
		if sub != nil {
			checkOperatorFields(d, ynode.Get(node, key), field, sub, fv, operator)
		}
	}
}

func unknownOperatorField(d *decoder, field, key string, known fields, fv api.FieldValidation, operator string) {
	hint := ""
	suffixes := make([]string, 0, len(misplaced))
	for suffix := range misplaced {
		suffixes = append(suffixes, suffix)
	}
	slices.Sort(suffixes)
	for _, suffix := range suffixes {
		if strings.HasSuffix(field, suffix) {
			hint = "; " + operator + " reads " + misplaced[suffix]
			break
		}
	}
	if hint == "" {
		if near := nearest(key, known); near != "" {
			hint = fmt.Sprintf("; did you mean %q?", near)
		}
	}
	if fv == api.FieldWarn {
		d.findings.Warnf(RuleUnknownField, field, "unknown field %s: the API server drops it (fieldValidation Warn), so %s never sees the value%s", field, operator, hint)
		return
	}
	d.errorf(RuleUnknownField, field, "unknown field %s: kubectl's strict field validation refuses the object, and a client that drops unknown fields applies it without the value, which %s then never sees%s", field, operator, hint)
}

// nearest is the known field key most likely meant: the same letters in
// another case, or one edit away.
func nearest(key string, known fields) string {
	var names []string
	for k := range known {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if strings.EqualFold(k, key) || editDistanceOne(k, key) {
			return k
		}
	}
	return ""
}

func editDistanceOne(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return false // the same
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}
