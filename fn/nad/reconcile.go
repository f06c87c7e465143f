package nad

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Key identifies a NAD: namespace and name.
type Key struct{ Namespace, Name string }

func (k Key) String() string { return Ref(k.Namespace, k.Name) }

// Use records that a VM in Namespace uses a declared network, so its NAD is derived there.
type Use struct {
	Network   *network.Network
	Namespace string
	// NoNAD marks a use whose NAD cannot be placed (no namespace is known); it still counts as a use.
	NoNAD bool
	// Default: the VM uses the network as its Multus default network.
	Default bool
	// Unstated: the VM states no namespace, nor does its reference; Namespace is
	// the default one. A NAD only such uses need is written without a namespace.
	Unstated bool
}

// Wanted is everything reconciliation starts from.
type Wanted struct {
	Networks []*network.Network
	Uses     []Use
	Items    []*Item
	// Referenced lists, per NAD, the VMs whose networks reference it (after the
	// rewrite in fix mode).
	Referenced map[Key]*Users
	NADPath    string
	Mode       report.Mode
	// NoPaths: new NADs get no file path (a stream goes to a cluster, not files).
	NoPaths bool
	// MigrationNetwork is the NAD name of KubeVirt's migration network ("": none).
	MigrationNetwork string
}

// Users are the VMs that reference a NAD: the first few by name, and how many more
// (a message naming every VM of a fleet helps no one).
type Users struct {
	Names []string
	More  int
}

// usersNamed is how many referencing VMs a message names.
const usersNamed = 5

// Add counts one more referencing VM.
func (u *Users) Add(label string) {
	if len(u.Names) < usersNamed {
		u.Names = append(u.Names, label)
		return
	}
	u.More++
}

func (u *Users) String() string {
	s := strings.Join(u.Names, ", ")
	if u.More > 0 {
		s += fmt.Sprintf(" and %d more", u.More)
	}
	return s
}

// Created is a NAD to add.
type Created struct {
	NAD  *NAD
	Path string
}

// Outcome is what reconciliation decided: results, and the edits to make in fix mode.
type Outcome struct {
	Results report.Batch
	Create  []Created
	Update  []Update
	Prune   []*Item
}

// Update is a managed NAD to bring in line with its derivation, in place.
type Update struct {
	Item *Item
	NAD  *NAD
	// Config, Resource and Network say which parts differ.
	Config, Resource, Network bool
}

// Reconcile derives the NADs the networks and VMs need and decides what to do with
// the NAD items: managed ones are updated in place or pruned, user ones never
// overwritten, missing ones created. It only decides; the caller edits.
func Reconcile(w Wanted) Outcome {
	var out Outcome
	want := wanted(w)
	lintNetworks(&out, w, want)
	existing := map[Key]*Item{}
	for _, it := range w.Items {
		existing[Key{it.Namespace, it.Name}] = it
	}
	for _, k := range want.keys() {
		decide(&out, w, k, want, existing[k])
	}
	prune(&out, w, want)
	return out
}

// want is the set of NADs the networks and their uses need.
type want struct {
	nads map[Key]*network.Network
	// stated are the NADs some object places in a namespace it names; the others
	// are needed only in the default namespace, and are written without one.
	stated map[Key]bool
	// used are the namespaces each network is used in; asDefault the networks
	// some VM uses as its Multus default network.
	used      map[*network.Network]map[string]bool
	asDefault map[*network.Network]bool
}

// wanted is what the networks (pinned to a namespace) and the VMs' uses need.
func wanted(w Wanted) want {
	x := want{nads: map[Key]*network.Network{}, stated: map[Key]bool{}, used: map[*network.Network]map[string]bool{}, asDefault: map[*network.Network]bool{}}
	for _, n := range w.Networks {
		if n.Valid && n.Generate && n.Namespace != "" {
			k := Key{n.Namespace, n.NADName}
			x.nads[k], x.stated[k] = n, true
		}
	}
	for _, u := range w.Uses {
		x.asDefault[u.Network] = x.asDefault[u.Network] || u.Default
		if x.used[u.Network] == nil {
			x.used[u.Network] = map[string]bool{}
		}
		if u.NoNAD {
			continue
		}
		x.used[u.Network][u.Namespace] = true
		k := Key{u.Namespace, u.Network.NADName}
		if u.Network.Generate {
			x.nads[k] = u.Network
		}
		if !u.Unstated {
			x.stated[k] = true
		}
	}
	return x
}

func (x want) keys() []Key {
	keys := make([]Key, 0, len(x.nads))
	for k := range x.nads {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Namespace != keys[j].Namespace {
			return keys[i].Namespace < keys[j].Namespace
		}
		return keys[i].Name < keys[j].Name
	})
	return keys
}

// lintNetworks says what the networks' use shows: a network no VM uses, an OVN
// layer2 network shared across namespaces, and what IPAM on a network means.
func lintNetworks(out *Outcome, w Wanted, x want) {
	for _, n := range w.Networks {
		if !n.Valid || !n.Generate || n.Namespace != "" {
			continue
		}
		switch {
		case x.used[n] == nil:
			out.Results.Add(n.Declared, report.Finding{Rule: RuleNetworkUnused, Field: n.Field, Severity: krm.Warning,
				Message: fmt.Sprintf("no VM uses network %q and it has no spec.namespace, so no NAD is made for it; set spec.namespace to make one anyway, or remove the network", n.Logical)})
		case n.Spec.Type == api.TypeOVNLayer2 && len(x.used[n]) > 1:
			out.Results.Add(n.Declared, report.Finding{Rule: RuleOVNFanOut, Field: n.Field, Severity: krm.Warning,
				Message: fmt.Sprintf("OVN layer2 network %q gets a NAD in each of the namespaces %s; OVN's network name is cluster-wide, so they are one network shared across those namespaces: set spec.namespace if that is not meant", n.Logical, strings.Join(sortedKeys(x.used[n]), ", "))})
		}
	}
	for _, n := range w.Networks {
		// A Multus default network is the pod's primary interface and needs IPAM;
		// `ipam: {}` asks for none; KubeVirt's migration network needs its IPAM.
		if !n.Valid || len(n.Spec.IPAM) == 0 || string(n.Spec.IPAM) == "{}" || x.asDefault[n] || n.NADName == w.MigrationNetwork {
			continue
		}
		if f, ok := ipamAdvice(n); ok {
			out.Results.Add(n.Declared, f)
		}
	}
}

// decide says what happens to one wanted NAD: created where the input lacks it,
// updated in place where the function manages it, compared where it is the user's.
func decide(out *Outcome, w Wanted, k Key, x want, ex *Item) {
	n := x.nads[k]
	d := Derive(n, k.Namespace)
	switch {
	case ex == nil:
		create(out, w, k, n, d, x.stated[k])
	case ex.Managed:
		update(out, w, k, n, d, ex)
	default:
		compareUser(out, k, n, d, ex)
	}
}

func create(out *Outcome, w Wanted, k Key, n *network.Network, d *NAD, stated bool) {
	if !stated {
		d.Namespace = ""
	}
	file, where := newNADPath(w.NADPath, n, Key{d.Namespace, k.Name}), ""
	if w.NoPaths {
		file = ""
	} else {
		where = " in " + file
	}
	obj := &report.Object{APIVersion: api.NADAPIVersion, Kind: api.NADKind, Name: k.Name, Namespace: d.Namespace, Path: file}
	if d.Namespace == "" && k.Namespace != "" {
		where += fmt.Sprintf(", without a namespace like the VMs that use it (they land in %s)", k.Namespace)
	}
	out.Results.Add(obj, report.Change{Rule: RuleNADCreated, Verb: report.Create,
		What: fmt.Sprintf("NetworkAttachmentDefinition %s (%s) for network %q", Key{d.Namespace, k.Name}, n.CNIType(), n.Logical), Why: where}.Finding(w.Mode))
	out.Create = append(out.Create, Created{NAD: d, Path: file})
}

func update(out *Outcome, w Wanted, k Key, n *network.Network, d *NAD, ex *Item) {
	u, ok := compare(ex, d)
	if !ok {
		return
	}
	if extra := Extra(ex.Config, d.Config); u.Config && len(extra) > 0 {
		out.Results.Add(ex.Obj, report.Finding{Rule: RuleNADExtraKeys, Field: "spec.config", Severity: krm.Error,
			Message: fmt.Sprintf("managed NAD %s has %s, which %s does not declare, so updating the NAD would drop it; declare it in the network's extraConfig (or remove it from the NAD) and run again", k, keyList(extra), n.Source())})
		return
	}
	if spec := ynode.Get(ex.Node, "spec"); !ynode.IsNull(spec) && !ynode.IsMap(spec) {
		out.Results.Add(ex.Obj, report.Finding{Rule: RuleNADUpdated, Field: "spec", Severity: krm.Error,
			Message: fmt.Sprintf("managed NAD %s has a spec that is not a mapping, so it cannot be updated in place; fix or delete it and run again", k)})
		return
	}
	out.Results.Add(ex.Obj, report.Change{Rule: RuleNADUpdated, Verb: report.Update, What: "NetworkAttachmentDefinition " + k.String(),
		Why: " in place (" + strings.Join(u.parts(), ", ") + ")"}.Finding(w.Mode))
	out.Update = append(out.Update, u)
}

// compareUser judges a NAD of the user's against what the network declares: it
// is never overwritten; the same meaning is kept, another is a conflict with the
// fix to write in the declaration.
func compareUser(out *Outcome, k Key, n *network.Network, d *NAD, ex *Item) {
	diffs, ok := Differences(ex.Config, d.Config)
	if !ok {
		diffs = []Difference{{Key: "spec.config", Have: "not a JSON object", Want: "a CNI config"}}
	}
	haveRes := ynode.Str(ynode.Path(ex.Node, "metadata", "annotations"), api.ResourceNameAnnotation)
	if wantRes := d.Annotations[api.ResourceNameAnnotation]; haveRes != wantRes {
		diffs = append(diffs, Difference{Key: "annotation " + api.ResourceNameAnnotation, Have: orAbsent(haveRes), Want: orAbsent(wantRes), Remedy: ResourceNameFix(n, haveRes)})
	}
	for i := range diffs {
		if diffs[i].Key == "preserveDefaultVlan" && n.Spec.PreserveDefaultVLAN == nil {
			diffs[i].WantWhy = "derived (the function's default with a vlan, so the VM sees only its own VLAN)"
		}
	}
	switch {
	case len(diffs) == 0:
		out.Results.Add(ex.Obj, report.Finding{Rule: RuleNADKept, Severity: krm.Info,
			Message: fmt.Sprintf("NAD %s is not managed by the function but means what %s declares (its CNI's defaults and any cniVersion allowed), so it is left as it is", k, n.Source())})
	case OnlyExtraPlugins(diffs):
		// Plugins after the main one (tuning, portmap, ...) change no binding
		// and no traffic KubeVirt relies on: the NAD is the user's, and stays.
		out.Results.Add(ex.Obj, report.Finding{Rule: RuleNADKept, Severity: krm.Info,
			Message: fmt.Sprintf("NAD %s is not managed by the function; its main plugin means what %s declares, and its other plugins (%s) are kept as they are; declare them in extraConfig.plugins if the function should derive them too", k, n.Source(), diffs[0].Have)})
	default:
		out.Results.Add(ex.Obj, report.Finding{Rule: RuleNADConflict, Field: "spec.config", Severity: krm.Error,
			Message: fmt.Sprintf("NAD %s is in the input but not managed by the function, and differs from what %s declares (%s); the function never overwrites it: to match the NAD, change %s: %s; or set generate: false on the network to keep yours as it is, or let the function manage it (label %s=%s, annotation %s=%s)", k, n.Source(), describe(diffs), n.Source(), fixes(diffs), api.ManagedByLabel, api.ManagedByValue, api.NetworkAnnotation, n.Logical)})
	}
}

// prune decides about the managed NADs no network wants: pruned where the input
// is the whole package and no VM references them, kept otherwise.
func prune(out *Outcome, w Wanted, x want) {
	for _, it := range w.Items {
		k := Key{it.Namespace, it.Name}
		if !it.Managed || x.nads[k] != nil || declaredButInvalid(w.Networks, it) {
			continue
		}
		if !it.WholeTruth() {
			// Without the whole package in the input (kustomize, a rendered package
			// consumed elsewhere, another instance's inline networks) an undeclared
			// managed NAD may well be wanted: it is kept, as a network of its CNI type.
			if u, ok := repairOVN(it); ok {
				out.Results.Add(it.Obj, report.Change{Rule: RuleNADUpdated, Verb: report.Update, What: "NetworkAttachmentDefinition " + k.String(),
					Why: " in place (netAttachDefName, which OVN-Kubernetes requires to be its own <namespace>/<name>)"}.Finding(w.Mode))
				out.Update = append(out.Update, u)
			}
			continue
		}
		if users := w.Referenced[k]; users != nil && len(users.Names) > 0 {
			out.Results.Add(it.Obj, report.Finding{Rule: RuleNADStillUsed, Severity: krm.Warning,
				Message: fmt.Sprintf("no network derives managed NAD %s any more, but %s still references it, so it is kept; point the VM at a declared network, or declare the network again (pruning assumes the whole package is in the input)", k, users)})
			continue
		}
		out.Results.Add(it.Obj, report.Change{Rule: RuleNADPruned, Verb: report.Remove, What: "NetworkAttachmentDefinition " + k.String(),
			Why: ": no declared network derives it any more"}.Finding(w.Mode))
		out.Prune = append(out.Prune, it)
	}
}

// ipamAdvice says what IPAM on a VM secondary network means. KubeVirt's bridge
// binding hands the pod interface's address to the guest with its own DHCP
// server (pkg/network/dhcp), so traffic flows; but the address is the pod's: a
// new virt-launcher pod (restart, live migration) may get another one, and
// host-local allocates per node, so two nodes can hand out the same address.
func ipamAdvice(n *network.Network) (report.Finding, bool) {
	var ipam struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(n.Spec.IPAM, &ipam)
	field := n.Field + ".ipam"
	if ipam.Type == "host-local" {
		return report.Finding{Rule: RuleIPAM, Field: field, Severity: krm.Warning,
			Message: fmt.Sprintf("%s is host-local, which allocates per node: VMs on two nodes can get the same address (KubeVirt's bridge binding serves the pod's address to the guest by DHCP); use a cluster-wide IPAM such as whereabouts, or none and the network's own DHCP", field)}, true
	}
	if n.Binding().Method != network.MethodBridge {
		return report.Finding{}, false
	}
	return report.Finding{Rule: RuleIPAM, Field: field, Severity: krm.Info,
		Message: fmt.Sprintf("%s gives each VM pod an address, which KubeVirt's bridge binding serves to the guest with its own DHCP server (the guest needs a DHCP client); it is the pod's address, so a restart or live migration may give the VM another one", field)}, true
}

// repairOVN points an OVN NAD's netAttachDefName at the NAD itself: an overlay that
// renamed or moved the NAD cannot reach inside spec.config, and OVN-Kubernetes
// fails the pods of a NAD whose netAttachDefName is not its own <namespace>/<name>.
func repairOVN(it *Item) (Update, bool) {
	if it.CNIType != network.OVNCNIType || it.Namespace == "" || it.ConfigErr != nil {
		return Update{}, false
	}
	o, err := parseObject(it.Config)
	if err != nil {
		return Update{}, false
	}
	want := Ref(it.Namespace, it.Name)
	if raw, ok := o.get("netAttachDefName"); ok {
		var have string
		if json.Unmarshal(raw, &have) == nil && have == want {
			return Update{}, false
		}
	}
	o.put("netAttachDefName", want)
	d := &NAD{Name: it.Name, Namespace: it.Namespace, Config: o.indented(), Annotations: map[string]string{
		api.NetworkAnnotation:      it.Logical,
		api.ResourceNameAnnotation: ynode.Str(ynode.Path(it.Node, "metadata", "annotations"), api.ResourceNameAnnotation),
	}}
	return Update{Item: it, NAD: d, Config: true}, true
}

func orAbsent(s string) string {
	if s == "" {
		return "(absent)"
	}
	return `"` + s + `"`
}

func keyList(keys []string) string {
	if len(keys) == 1 {
		return "the CNI key " + keys[0]
	}
	return "the CNI keys " + strings.Join(keys, ", ") + " (each)"
}

// Dropped reports whether the outcome prunes an item.
func (o Outcome) Dropped(it *Item) bool { return slices.Contains(o.Prune, it) }

// compare says what of a managed NAD differs from its derivation; ok is false when nothing does.
func compare(ex *Item, d *NAD) (Update, bool) {
	u := Update{Item: ex, NAD: d}
	have := ynode.Str(ynode.Path(ex.Node, "metadata", "annotations"), api.ResourceNameAnnotation)
	u.Config = !EquivalentConfig(ex.Config, d.Config) || ex.ConfigErr != nil
	u.Resource = have != d.Annotations[api.ResourceNameAnnotation]
	u.Network = ex.Logical != d.Annotations[api.NetworkAnnotation]
	return u, u.Config || u.Resource || u.Network
}

func (u Update) parts() []string {
	var what []string
	if u.Config {
		what = append(what, "CNI config")
	}
	if u.Resource {
		what = append(what, api.ResourceNameAnnotation)
	}
	if u.Network {
		what = append(what, api.NetworkAnnotation)
	}
	return what
}

// Apply edits a managed NAD in place: its path, index, comments and other labels
// and annotations stay.
func (u Update) Apply() {
	node := u.Item.Node
	if u.Config {
		ynode.Set(ynode.Ensure(node, "spec"), "config", ConfigNode(u.NAD.Config))
	}
	ann := ynode.Ensure(ynode.Ensure(node, "metadata"), "annotations")
	ynode.SetString(ann, api.NetworkAnnotation, u.NAD.Annotations[api.NetworkAnnotation])
	if want := u.NAD.Annotations[api.ResourceNameAnnotation]; want == "" {
		ynode.Delete(ann, api.ResourceNameAnnotation)
	} else {
		ynode.SetString(ann, api.ResourceNameAnnotation, want)
	}
}

// Node is a created NAD's tree.
func (c Created) Node() *yaml.Node { return Node(c.NAD, c.Path) }

// declaredButInvalid keeps a managed NAD whose network is still declared but has
// errors: a typo in a VMNetwork must not delete its NAD.
func declaredButInvalid(nets []*network.Network, it *Item) bool {
	for _, n := range nets {
		if !n.Valid && (n.Logical == it.Logical || n.NADName == it.Name) {
			return true
		}
	}
	return false
}

// newNADPath is where a new NAD's file goes: nadPath, else the folder of the
// declaring file, else the package root.
func newNADPath(nadPath string, n *network.Network, k Key) string {
	dir := nadPath
	if dir == "" {
		dir = n.Dir
	}
	file := "nad_" + k.Name + ".yaml"
	if k.Namespace != "" {
		file = "nad_" + k.Namespace + "_" + k.Name + ".yaml"
	}
	if dir == "" {
		return file
	}
	return dir + "/" + file
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
