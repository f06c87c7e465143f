package check

import (
	"fmt"
	"net"
	"sort"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// Guest is one VM-kind object, as the fleet checks see it.
type Guest struct {
	Obj  *report.Object
	Kind *vm.Kind
	Spec *vm.Spec
	// Replicas is how many VMs the object stamps out (1 for VM and VMI).
	Replicas int64
}

// macUse is one interface with a fixed MAC on a Multus network.
type macUse struct {
	guest *Guest
	iface *vm.Interface
	nad   string
}

// Fleet checks what only the whole input shows: the same MAC twice on one network,
// and a fixed MAC in a template that makes several VMs.
func Fleet(rep *report.Report, guests []*Guest) {
	byMAC := map[string][]macUse{}
	var keys []string
	for _, g := range guests {
		prefix := g.Kind.SpecField()
		for i := range g.Spec.Interfaces {
			iface := &g.Spec.Interfaces[i]
			if iface.MAC == "" || iface.State == "absent" {
				continue
			}
			hw, err := net.ParseMAC(iface.MAC)
			if err != nil {
				continue
			}
			if g.Kind.Replicated && g.Replicas > 1 {
				rep.Add(krm.Error, RuleReplicatedMAC, g.Obj, fmt.Sprintf("%s.domain.devices.interfaces[%d].macAddress", prefix, iface.Index),
					fmt.Sprintf("interface %q has the fixed MAC %s, but this %s makes %d VMs, which would all share it; remove macAddress and let KubeVirt (or kubemacpool) assign one per VM", iface.Name, iface.MAC, g.Kind.Name, g.Replicas))
			}
			n := g.Spec.NetworkByName(iface.Name)
			if n == nil || n.Source != vm.SourceMultus || n.NetworkName == "" {
				continue
			}
			ns, name, _ := bind.Split(n.NetworkName, g.Obj.Namespace)
			key := ns + "/" + name + "|" + hw.String()
			if _, seen := byMAC[key]; !seen {
				keys = append(keys, key)
			}
			byMAC[key] = append(byMAC[key], macUse{guest: g, iface: iface, nad: ns + "/" + name})
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		uses := byMAC[key]
		for i := 1; i < len(uses); i++ {
			first, u := uses[0], uses[i]
			if first.guest != u.guest && sameGuest(first.guest, u.guest) {
				continue
			}
			field := fmt.Sprintf("%s.domain.devices.interfaces[%d].macAddress", u.guest.Kind.SpecField(), u.iface.Index)
			rep.Add(krm.Error, RuleDuplicateMAC, u.guest.Obj, field,
				fmt.Sprintf("interface %q has MAC %s, which interface %q of %s already uses on the same network (NAD %s); two NICs with one MAC on one L2 network break each other's traffic: change one of them", u.iface.Name, u.iface.MAC, first.iface.Name, first.guest.Obj.Label(), strings.TrimPrefix(u.nad, "/")))
		}
	}
}

// sameGuest: a VirtualMachine and a VirtualMachineInstance of one name and namespace
// are one guest (the VMI is the VM's running instance).
func sameGuest(a, b *Guest) bool {
	return a.Obj.Name == b.Obj.Name && a.Obj.Namespace == b.Obj.Namespace &&
		((a.Kind.Name == "VirtualMachine" && b.Kind.Name == "VirtualMachineInstance") ||
			(a.Kind.Name == "VirtualMachineInstance" && b.Kind.Name == "VirtualMachine"))
}
