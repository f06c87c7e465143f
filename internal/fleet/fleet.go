package fleet

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options shape a fleet.
type Options struct {
	VMs  int
	Seed uint64
}

// kind of secondary network: its NAD name pattern and the binding the VM's
// interface carries for it.
type secondary struct {
	nad     string
	binding string
}

var pfs = []string{"ens1f0", "ens1f1", "ens2f0", "ens2f1", "ens3f0", "ens3f1"}

// networks are the VMNetwork items: 50 VLAN bridges, and an SR-IOV and a macvtap
// network on each of six physical functions.
func networks() [][2]string {
	var out [][2]string
	for v := 100; v < 150; v++ {
		out = append(out, [2]string{fmt.Sprintf("br-vlan%d", v), fmt.Sprintf("type: bridge\nbridge: br1\nvlan: %d\nmacSpoofCheck: true", v)})
	}
	for _, pf := range pfs {
		out = append(out, [2]string{"sriov-" + pf, "type: sriov\nresourceName: intel.com/" + pf})
		out = append(out, [2]string{"macvtap-" + pf, "type: macvtap\nlowerDevice: " + pf})
	}
	return out
}

func pick(r *rand.Rand) secondary {
	switch r.IntN(3) {
	case 0:
		return secondary{fmt.Sprintf("br-vlan%d", 100+r.IntN(50)), "bridge"}
	case 1:
		return secondary{"sriov-" + pfs[r.IntN(len(pfs))], "sriov"}
	}
	return secondary{"macvtap-" + pfs[r.IntN(len(pfs))], "macvtap"}
}

// WriteResourceList writes the fleet as a ResourceList in kpt's layout.
func WriteResourceList(w io.Writer, o Options) error {
	b := bufio.NewWriterSize(w, 1<<16)
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for i, n := range networks() {
		b.WriteString(item(networkItem(n[0], n[1], i, "networks.yaml")))
	}
	r := rand.New(rand.NewPCG(o.Seed, 42))
	for i := 0; i < o.VMs; i++ {
		b.WriteString(item(vm(i, r, fmt.Sprintf("vms/tenant-%d/vm-%05d.yaml", i%20, i))))
	}
	b.WriteString("functionConfig:\n  apiVersion: kubevirt-networks.io/v1alpha1\n  kind: VMNetworks\n  metadata:\n    name: vm-networks\n  spec:\n    mode: fix\n")
	return b.Flush()
}

// WritePackage writes the fleet as a package of plain manifests: vms.yaml and
// networks.yaml (multi-document, no kpt annotations; the host tool adds its own).
func WritePackage(dir string, o Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var nets []string
	for i, n := range networks() {
		nets = append(nets, networkItem(n[0], n[1], i, ""))
	}
	r := rand.New(rand.NewPCG(o.Seed, 42))
	vms := make([]string, o.VMs)
	for i := range vms {
		vms[i] = vm(i, r, "")
	}
	if err := os.WriteFile(filepath.Join(dir, "networks.yaml"), []byte(strings.Join(nets, "---\n")), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "vms.yaml"), []byte(strings.Join(vms, "---\n")), 0o644)
}

// item makes an object a ResourceList entry: "- " before its first line, two
// blanks before the others.
func item(obj string) string {
	lines := strings.SplitAfter(obj, "\n")
	var b strings.Builder
	for i, l := range lines {
		switch {
		case l == "":
		case i == 0:
			b.WriteString("- " + l)
		default:
			b.WriteString("  " + l)
		}
	}
	return b.String()
}

// kptAnnotations are what kpt gives each item of a package ("" path: none).
func kptAnnotations(indent string, index int, path string) string {
	if path == "" {
		return ""
	}
	return fmt.Sprintf("%[1]sconfig.kubernetes.io/index: '%[2]d'\n%[1]sinternal.config.kubernetes.io/index: '%[2]d'\n%[1]sconfig.kubernetes.io/path: '%[3]s'\n%[1]sinternal.config.kubernetes.io/path: '%[3]s'\n", indent, index, path)
}

func networkItem(name, spec string, index int, path string) string {
	return "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata:\n  name: " + name +
		"\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n" + kptAnnotations("    ", index, path) +
		"spec:\n  " + strings.ReplaceAll(spec, "\n", "\n  ") + "\n"
}

// vm writes VM i: the first network is the pod network with masquerade and a
// fixed MAC, then one or two Multus networks named net1, net2 (a name of their
// own, so never renamed) that the manual annotation also names.
func vm(i int, r *rand.Rand, path string) string {
	ns, name := fmt.Sprintf("tenant-%d", i%20), fmt.Sprintf("vm-%05d", i)
	var secs []secondary
	for n := 1 + r.IntN(3)/2; len(secs) < n; {
		s := pick(r)
		dup := false
		for _, o := range secs {
			dup = dup || o.nad == s.nad
		}
		if !dup {
			secs = append(secs, s)
		}
	}
	var ann []string
	for k, s := range secs {
		ann = append(ann, fmt.Sprintf(`{"name":"%s","namespace":"%s","interface":"net%d"}`, s.nad, ns, k+1))
	}
	// 02:00:00:00:00:00 is the MAC KubeVirt reserves for masquerade.
	m := i + 1
	mac := fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", m>>24&255, m>>16&255, m>>8&255, m&255)
	mem := []string{"2Gi", "4Gi", "8Gi", "16Gi"}[r.IntN(4)]
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n", name, ns)
	fmt.Fprintf(&b, "    app.kubernetes.io/name: %s\n    app.kubernetes.io/part-of: bench-fleet\n    kubevirt.io/os: fedora\n    tier: %s\n", name, []string{"web", "db", "cache", "batch"}[r.IntN(4)])
	fmt.Fprintf(&b, "  annotations:\n%s    kubevirt.io/latest-observed-api-version: v1\n    description: \"synthetic VM %d for KRM benchmark\"\n", kptAnnotations("    ", i, path), i)
	fmt.Fprintf(&b, "spec:\n  runStrategy: %s\n  template:\n    metadata:\n      labels:\n        kubevirt.io/domain: %s\n        kubevirt.io/size: %s\n",
		[]string{"Always", "Halted", "RerunOnFailure"}[r.IntN(3)], name, []string{"small", "medium", "large"}[r.IntN(3)])
	fmt.Fprintf(&b, "      annotations:\n        k8s.v1.cni.cncf.io/networks: '[%s]'\n        kubevirt.io/allow-pod-bridge-network-live-migration: \"true\"\n", strings.Join(ann, ","))
	fmt.Fprintf(&b, "    spec:\n      evictionStrategy: LiveMigrate\n      terminationGracePeriodSeconds: 180\n      domain:\n        cpu:\n          cores: %d\n          sockets: 1\n          threads: 1\n", []int{1, 2, 4, 8}[r.IntN(4)])
	fmt.Fprintf(&b, "        memory:\n          guest: %s\n        machine:\n          type: q35\n        features:\n          acpi: {}\n          smm:\n            enabled: true\n", mem)
	b.WriteString("        firmware:\n          bootloader:\n            efi:\n              secureBoot: false\n        devices:\n          disks:\n")
	b.WriteString("          - name: rootdisk\n            disk:\n              bus: virtio\n          - name: cloudinitdisk\n            disk:\n              bus: virtio\n")
	fmt.Fprintf(&b, "          interfaces:\n          - name: default\n            masquerade: {}\n            macAddress: \"%s\"\n", mac)
	for k, s := range secs {
		fmt.Fprintf(&b, "          - name: net%d\n", k+1)
		if s.binding == "macvtap" {
			b.WriteString("            binding:\n              name: macvtap\n")
		} else {
			fmt.Fprintf(&b, "            %s: {}\n", s.binding)
		}
		b.WriteString("            model: virtio\n")
	}
	fmt.Fprintf(&b, "          rng: {}\n        resources:\n          requests:\n            memory: %s\n      networks:\n      - name: default\n        pod: {}\n", mem)
	for k, s := range secs {
		fmt.Fprintf(&b, "      - name: net%d\n        multus:\n          networkName: %s/%s\n", k+1, ns, s.nad)
	}
	fmt.Fprintf(&b, "      volumes:\n      - name: rootdisk\n        dataVolume:\n          name: %s-root\n      - name: cloudinitdisk\n        cloudInitNoCloud:\n          userData: |\n", name)
	fmt.Fprintf(&b, "            #cloud-config\n            user: fedora\n            password: changeme\n            chpasswd: { expire: False }\n            ssh_authorized_keys:\n              - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%016x%016x bench@example\n", r.Uint64(), r.Uint64())
	b.WriteString("            runcmd:\n              - [ systemctl, enable, --now, qemu-guest-agent ]\n")
	fmt.Fprintf(&b, "  dataVolumeTemplates:\n  - metadata:\n      name: %s-root\n    spec:\n      storage:\n        resources:\n          requests:\n            storage: 30Gi\n", name)
	b.WriteString("      sourceRef:\n        kind: DataSource\n        name: fedora\n        namespace: openshift-virtualization-os-images\n")
	return b.String()
}
