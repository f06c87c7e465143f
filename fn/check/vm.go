package check

import (
	"net"
	"regexp"
	"strconv"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Input is one VM to check.
type Input struct {
	Prefix  string // the VMI spec's dotted path (spec, spec.template.spec, …)
	Spec    *vm.Spec
	Cluster api.Cluster
	// PreferenceMayFill: KubeVirt fills a masquerade binding from the VM's preference
	// before validating, and the preference does (or, not in the input, may), so a
	// pod interface without binding is not judged here.
	PreferenceMayFill bool
	// Templated: the VM is an object of an OpenShift Template, where a value
	// holding a ${PARAMETER} is known only once the template is processed.
	Templated bool
}

// param reports whether a value is a template parameter, never judged.
func (c *checker) param(v string) bool { return c.in.Templated && strings.Contains(v, "${") }

type checker struct {
	in        Input
	findings  []report.Finding
	netByName map[string]*vm.NetworkEntry
}

func (c *checker) add(rule report.Rule, field, kubevirtMsg, fix string) {
	msg := kubevirtMsg
	if fix != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " Fix: " + fix + "."
	}
	c.findings = append(c.findings, report.Finding{Rule: rule, Field: field, Message: msg, Severity: krm.Error})
}

func (c *checker) ifaceField(i int, rest string) string {
	return vm.InterfaceField(c.in.Prefix, i, rest)
}

func (c *checker) netField(i int, rest string) string { return vm.NetworkField(c.in.Prefix, i, rest) }

// VM runs every network admission rule KubeVirt v1.9 applies on create.
func VM(in Input) []report.Finding {
	c := &checker{in: in, netByName: map[string]*vm.NetworkEntry{}}
	s := in.Spec
	for i := range s.Networks {
		if _, dup := c.netByName[s.Networks[i].Name]; !dup {
			c.netByName[s.Networks[i].Name] = &s.Networks[i]
		}
	}
	c.counts()
	c.defaultInterface()
	c.sources()
	c.pairing()
	for i := range s.Interfaces {
		c.iface(&s.Interfaces[i])
	}
	c.bootOrder()
	c.probes()
	c.dra()
	return c.findings
}

var interfaceName = regexp.MustCompile(`^[A-Za-z0-9-_]+$`)

var models = map[string]bool{"e1000": true, "e1000e": true, "igb": true, "ne2k_pci": true, "pcnet": true, "rtl8139": true, "virtio": true}

// coreBindings are the binding methods counted by v1.9's "exactly one binding" rule;
// the discontinued fields do not count.
var coreBindings = []string{"bridge", "masquerade", "sriov", "passtBinding", "binding"}

var pciAddress = regexp.MustCompile(`^([\da-fA-F]{4}):([\da-fA-F]{2}):([\da-fA-F]{2})\.([0-7]{1})$`)

func intValue(n *yaml.Node) (int64, bool) {
	n = ynode.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	return v, err == nil
}

func sameMAC(a, b string) bool {
	x, errA := net.ParseMAC(a)
	y, errB := net.ParseMAC(b)
	return errA == nil && errB == nil && x.String() == y.String()
}
