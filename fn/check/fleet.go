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

// NIC is what the fleet checks need of one interface.
type NIC struct {
	Index     int
	Name, MAC string
	Absent    bool
	NAD       string // "ns/name" of its Multus network, "" on any other network
}

// Guest is one VM-kind object as the fleet checks see it: small enough to keep for
// every VM of a large package.
type Guest struct {
	Obj  *report.Object
	Kind *vm.Kind
	// Replicas is how many VMs the object stamps out (1 for VM and VMI).
	Replicas int64
	NICs     []NIC
}

// GuestOf summarises a VM's interfaces: those the fleet checks look at, a fixed
// MAC on a Multus network, or on any network of an object that stamps out several
// VMs. nil when there are none, so a fleet without fixed MACs keeps nothing.
func GuestOf(obj *report.Object, kind *vm.Kind, s *vm.Spec, replicas int64) *Guest {
	g := &Guest{Obj: obj, Kind: kind, Replicas: replicas}
	stamped := kind.Replicated && replicas > 1
	for _, iface := range s.Interfaces {
		if iface.MAC == "" {
			continue
		}
		// Copies: the guest outlives the VM's tree, whose strings may be slices of
		// the VM's whole text.
		nic := NIC{Index: iface.Index, Name: strings.Clone(iface.Name), MAC: strings.Clone(iface.MAC), Absent: iface.State == "absent"}
		if n := s.NetworkByName(iface.Name); n != nil && n.Source == vm.SourceMultus && n.NetworkName != "" {
			ns, name, _ := bind.Split(n.NetworkName, obj.Namespace)
			nic.NAD = ns + "/" + name
		}
		if nic.NAD != "" || stamped {
			g.NICs = append(g.NICs, nic)
		}
	}
	if len(g.NICs) == 0 {
		return nil
	}
	return g
}

type macUse struct {
	guest *Guest
	nic   *NIC
}

// Fleet checks what only the whole input shows: the same MAC twice on one network,
// and a fixed MAC in a template that makes several VMs.
func Fleet(guests []*Guest) report.Batch {
	var out report.Batch
	byMAC := map[string][]macUse{}
	var keys []string
	for _, g := range guests {
		prefix := g.Kind.SpecField()
		for i := range g.NICs {
			nic := &g.NICs[i]
			hw, err := net.ParseMAC(nic.MAC)
			if nic.Absent || err != nil {
				continue
			}
			field := fmt.Sprintf("%s.domain.devices.interfaces[%d].macAddress", prefix, nic.Index)
			if g.Kind.Replicated && g.Replicas > 1 {
				out.Add(g.Obj, report.Finding{Rule: RuleReplicatedMAC, Field: field, Severity: krm.Error, Message: fmt.Sprintf("interface %q has the fixed MAC %s, but this %s makes %d VMs, which would all share it; remove macAddress and let KubeVirt (or kubemacpool) assign one per VM", nic.Name, nic.MAC, g.Kind.Name, g.Replicas)})
			}
			if nic.NAD == "" {
				continue
			}
			key := nic.NAD + "|" + hw.String()
			if _, seen := byMAC[key]; !seen {
				keys = append(keys, key)
			}
			byMAC[key] = append(byMAC[key], macUse{guest: g, nic: nic})
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
			field := fmt.Sprintf("%s.domain.devices.interfaces[%d].macAddress", u.guest.Kind.SpecField(), u.nic.Index)
			out.Add(u.guest.Obj, report.Finding{Rule: RuleDuplicateMAC, Field: field, Severity: krm.Error, Message: fmt.Sprintf("interface %q has MAC %s, which interface %q of %s already uses on the same network (NAD %s); two NICs with one MAC on one L2 network break each other's traffic: change one of them", u.nic.Name, u.nic.MAC, first.nic.Name, first.guest.Obj.Label(), trimSlash(u.nic.NAD))})
		}
	}
	return out
}

func trimSlash(s string) string {
	if len(s) > 0 && s[0] == '/' {
		return s[1:]
	}
	return s
}

// sameGuest: a VirtualMachine and a VirtualMachineInstance of one name and namespace
// are one guest (the VMI is the VM's running instance).
func sameGuest(a, b *Guest) bool {
	return a.Obj.Name == b.Obj.Name && a.Obj.Namespace == b.Obj.Namespace &&
		((a.Kind.Name == "VirtualMachine" && b.Kind.Name == "VirtualMachineInstance") ||
			(a.Kind.Name == "VirtualMachineInstance" && b.Kind.Name == "VirtualMachine"))
}
