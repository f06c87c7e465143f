package fn

import (
	"fmt"
	"sort"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

type nadKey struct{ namespace, name string }

func (k nadKey) String() string { return nad.Ref(k.namespace, k.name) }

// reconcileNADs derives the NADs the networks and VMs need and reconciles them
// with the NAD items: managed ones are updated in place or pruned, user ones never
// overwritten, missing ones created. It returns the items to drop and to add.
func (r *run) reconcileNADs(rep *report.Report, nets []*network.Network, vms []*vmItem, items []*nad.Item) (map[*yaml.Node]bool, []*yaml.Node) {
	wanted := map[nadKey]*network.Network{}
	for _, n := range nets {
		if n.Valid && n.Generate && n.Namespace != "" {
			wanted[nadKey{n.Namespace, n.NADName}] = n
		}
	}
	used := map[*network.Network]map[string]bool{}
	for _, v := range vms {
		if v.plan == nil {
			continue
		}
		for _, u := range v.plan.Uses {
			if used[u.Network] == nil {
				used[u.Network] = map[string]bool{}
			}
			if u.NoNAD {
				continue
			}
			used[u.Network][u.Namespace] = true
			if u.Network.Generate {
				wanted[nadKey{u.Namespace, u.Network.NADName}] = u.Network
			}
		}
	}
	for _, n := range nets {
		if !n.Valid || !n.Generate || n.Namespace != "" {
			continue
		}
		switch {
		case used[n] == nil:
			rep.Warnf(RuleNetworkUnuse, n.Declared, n.Field, "no VM uses network %q and it has no spec.namespace, so no NAD is made for it; set spec.namespace to make one anyway, or remove the network", n.Logical)
		case n.Spec.Type == api.TypeOVNLayer2 && len(used[n]) > 1:
			rep.Warnf(RuleOVNFanOut, n.Declared, n.Field, "OVN layer2 network %q gets a NAD in each of the namespaces %s; OVN's network name is cluster-wide, so they are one network shared across those namespaces: set spec.namespace if that is not meant", n.Logical, strings.Join(sortedKeys(used[n]), ", "))
		}
	}

	existing := map[nadKey]*nad.Item{}
	for _, it := range items {
		existing[nadKey{it.Namespace, it.Name}] = it
	}
	keys := make([]nadKey, 0, len(wanted))
	for k := range wanted {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].namespace != keys[j].namespace {
			return keys[i].namespace < keys[j].namespace
		}
		return keys[i].name < keys[j].name
	})

	var added []*yaml.Node
	for _, k := range keys {
		n := wanted[k]
		d := nad.Derive(n, k.namespace)
		ex := existing[k]
		switch {
		case ex == nil:
			file := newNADPath(r.settings.NADPath, n, k)
			obj := &report.Object{APIVersion: api.NADAPIVersion, Kind: api.NADKind, Name: k.name, Namespace: k.namespace, Path: file}
			r.change(rep, RuleNADCreated, obj, "", fmt.Sprintf("created NetworkAttachmentDefinition %s (%s) for network %q in %s", k, n.CNIType(), n.Logical, file),
				fmt.Sprintf("would create NetworkAttachmentDefinition %s (%s) for network %q", k, n.CNIType(), n.Logical), krm.Info)
			if r.fix() {
				added = append(added, nad.Node(d, file))
			}
		case ex.Managed:
			r.updateManaged(rep, ex, d)
		default:
			same := nad.EquivalentConfig(ex.Config, d.Config) && ynode.Str(ynode.Path(ex.Node, "metadata", "annotations"), api.ResourceNameAnnotation) == d.Annotations[api.ResourceNameAnnotation]
			if same {
				rep.Infof(RuleNADKept, ex.Obj, "", "NAD %s is not managed by the function but already holds what %s declares, so it is left as it is", k, n.Source())
			} else {
				rep.Errorf(RuleNADConflict, ex.Obj, "spec.config", "NAD %s is in the input but not managed by the function, and differs from what %s declares; the function never overwrites it: delete it, set generate: false on the network to keep yours, or add the label %s=%s and annotation %s=%s to let the function manage it", k, n.Source(), api.ManagedByLabel, api.ManagedByValue, api.NetworkAnnotation, n.Logical)
			}
		}
	}

	removed := map[*yaml.Node]bool{}
	for _, it := range items {
		k := nadKey{it.Namespace, it.Name}
		if !it.Managed || wanted[k] != nil || declaredButInvalid(nets, it) {
			continue
		}
		if users := referencedBy(vms, k, r.fix()); len(users) > 0 {
			rep.Errorf(RuleNADStillUsed, it.Obj, "", "no network derives managed NAD %s any more, but %s still references it, so it is kept; point the VM at a declared network, or declare the network again (pruning assumes the whole package is in the input)", k, strings.Join(users, ", "))
			continue
		}
		r.change(rep, RuleNADPruned, it.Obj, "", fmt.Sprintf("removed NetworkAttachmentDefinition %s: no declared network derives it any more", k),
			fmt.Sprintf("would remove NetworkAttachmentDefinition %s: no declared network derives it any more", k), krm.Info)
		if r.fix() {
			removed[it.Node] = true
		}
	}
	return removed, added
}

// declaredButInvalid keeps a managed NAD whose network is still declared but has
// errors: a typo in a VMNetwork must not delete its NAD.
func declaredButInvalid(nets []*network.Network, it *nad.Item) bool {
	for _, n := range nets {
		if !n.Valid && (n.Logical == it.Logical || n.NADName == it.Name) {
			return true
		}
	}
	return false
}

// referencedBy lists the VMs whose Multus references resolve to NAD k.
func referencedBy(vms []*vmItem, k nadKey, fix bool) []string {
	var users []string
	for _, v := range vms {
		if v.plan == nil {
			continue
		}
		refs := v.plan.RefsBefore
		if fix && !v.plan.Failed() {
			refs = v.plan.RefsAfter
		}
		for _, ref := range refs {
			if ref.Namespace == k.namespace && ref.Name == k.name {
				users = append(users, v.obj.Label())
				break
			}
		}
	}
	return users
}

// updateManaged brings a managed NAD in line with its derivation, in place: its
// path, index, comments and other labels and annotations stay.
func (r *run) updateManaged(rep *report.Report, ex *nad.Item, d *nad.NAD) {
	annotations := ynode.Path(ex.Node, "metadata", "annotations")
	wantResource := d.Annotations[api.ResourceNameAnnotation]
	haveResource := ynode.Str(annotations, api.ResourceNameAnnotation)
	configSame := nad.EquivalentConfig(ex.Config, d.Config) && ex.ConfigErr == nil
	if configSame && wantResource == haveResource && ex.Logical == d.Annotations[api.NetworkAnnotation] {
		return
	}
	if spec := ynode.Get(ex.Node, "spec"); !ynode.IsNull(spec) && !ynode.IsMap(spec) {
		rep.Errorf(RuleNADUpdated, ex.Obj, "spec", "managed NAD %s has a spec that is not a mapping, so it cannot be updated in place; fix or delete it and run again", nad.Ref(ex.Namespace, ex.Name))
		return
	}
	var what []string
	if !configSame {
		what = append(what, "CNI config")
	}
	if wantResource != haveResource {
		what = append(what, api.ResourceNameAnnotation)
	}
	if ex.Logical != d.Annotations[api.NetworkAnnotation] {
		what = append(what, api.NetworkAnnotation)
	}
	k := nadKey{ex.Namespace, ex.Name}
	r.change(rep, RuleNADUpdated, ex.Obj, "", fmt.Sprintf("updated NetworkAttachmentDefinition %s in place (%s)", k, strings.Join(what, ", ")),
		fmt.Sprintf("would update NetworkAttachmentDefinition %s (%s differs from its network)", k, strings.Join(what, ", ")), krm.Info)
	if !r.fix() {
		return
	}
	if !configSame {
		ynode.Set(ynode.Ensure(ex.Node, "spec"), "config", nad.ConfigNode(d.Config))
	}
	meta := ynode.Ensure(ex.Node, "metadata")
	ann := ynode.Ensure(meta, "annotations")
	ynode.SetString(ann, api.NetworkAnnotation, d.Annotations[api.NetworkAnnotation])
	if wantResource == "" {
		ynode.Delete(ann, api.ResourceNameAnnotation)
	} else {
		ynode.SetString(ann, api.ResourceNameAnnotation, wantResource)
	}
}

// newNADPath is where a new NAD's file goes (spec §2.6).
func newNADPath(nadPath string, n *network.Network, k nadKey) string {
	dir := nadPath
	if dir == "" {
		dir = n.Dir
	}
	file := "nad_" + k.name + ".yaml"
	if k.namespace != "" {
		file = "nad_" + k.namespace + "_" + k.name + ".yaml"
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
	sort.Strings(out)
	return out
}
