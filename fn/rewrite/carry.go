package rewrite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// renameRisks says what a rename of network i to final breaks that the function
// cannot carry: state other systems keep under the old name.
func (p *planner) renameRisks(i int, final string) {
	n := &p.in.Spec.Networks[i]
	if c := p.declared(i); c != nil && network.IsOVN(c.Spec.Type) && c.Spec.AllowPersistentIPs != nil && *c.Spec.AllowPersistentIPs {
		vmName := ynode.Str(ynode.Get(p.in.Node, "metadata"), "name")
		p.warnf(RuleRenameLosesIP, p.netField(i, ".name"), "renaming network %q to %q gives the VM a new IP address: kubevirt/ipam-extensions keeps its persistent IP in the IPAMClaim named <vm>.<network>, %q, which the renamed network no longer uses; set rename: never on %s to keep the name and the address", n.Name, final, vmName+"."+n.Name, c.Source())
	}
	if p.in.Kind.Name == "VirtualMachineInstance" && !p.vmiWarned {
		p.vmiWarned = true
		p.warnf(RuleRenameVMI, p.netField(i, ".name"), "a VirtualMachineInstance's spec cannot be changed once created: the renamed interfaces take effect only when the VMI is deleted and created again (or edit the VirtualMachine that owns it)")
	}
}

// carryRenames renames the keys of Harvester's MAC annotation (a JSON object
// keyed by interface name) with the interfaces, so the VMs keep their MACs.
func (p *planner) carryRenames() {
	if len(p.renamed) == 0 || p.plan.Failed() {
		return
	}
	paths := append([][]string{p.in.Kind.TemplateMetaPath}, p.in.Kind.InertMetaPaths...)
	for k, path := range paths {
		annotations := ynode.Get(ynode.Path(p.in.Node, path...), "annotations")
		v := ynode.Get(annotations, api.HarvesterMACAnnotation)
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		field := vm.AnnotationField(strings.Join(append(append([]string{}, path...), "annotations"), "."), api.HarvesterMACAnnotation)
		renamed, keys, err := renameKeys(v.Value, p.renamed)
		if err != nil {
			p.warnf(RuleMACAnnotation, field, "the %s annotation is not a JSON object keyed by interface name (%v), so the renamed interfaces' MACs cannot be carried in it: Harvester may give them new MACs; fix the annotation or set rename: never", api.HarvesterMACAnnotation, err)
			continue
		}
		area := vm.AreaOwnAnnotations
		if k == 0 {
			area = vm.AreaTemplateAnnotations
		}
		node := v
		for n, r := range keys {
			edit := func() {}
			if n == 0 {
				edit = func() { node.Value = renamed }
			}
			p.change(area, report.Change{Rule: RuleMACAnnotation, Field: field, Verb: report.Rename,
				What: "key " + quote(r[0]) + " of the " + api.HarvesterMACAnnotation + " annotation", To: quote(r[1]),
				Why: " with its interface, so Harvester keeps its MAC",
			}, edit)
		}
	}
}

// renameKeys renames the keys of a JSON object, keeping their order and values;
// keys lists the renames made.
func renameKeys(object string, renames [][2]string) (string, [][2]string, error) {
	dec := json.NewDecoder(strings.NewReader(object))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", nil, fmt.Errorf("not a JSON object")
	}
	var b bytes.Buffer
	var keys [][2]string
	b.WriteByte('{')
	for first := true; dec.More(); first = false {
		t, err := dec.Token()
		if err != nil {
			return "", nil, err
		}
		key, _ := t.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return "", nil, err
		}
		for _, r := range renames {
			if key == r[0] {
				keys = append(keys, r)
				key = r[1]
				break
			}
		}
		if !first {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(key)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(value)
	}
	if _, err := dec.Token(); err != nil {
		return "", nil, err
	}
	if dec.More() {
		return "", nil, fmt.Errorf("text follows the JSON object")
	}
	b.WriteByte('}')
	return b.String(), keys, nil
}
