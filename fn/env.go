package fn

import (
	"errors"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The render's steps (process.go) call the VM step (vmstep.go), never the other
// way round; both read what is here.

// env is what every VM step reads: the settings and what references bind to.
type env struct {
	facts          facts
	settings       api.Settings
	mode           report.Mode
	index          *bind.Index
	macvtapPlugins map[string]bool
	aliases        *ynode.Aliases
	// stream: the input is a plain YAML stream, the output goes to a cluster.
	stream bool
}

func (e *env) fix() bool { return e.mode == report.Fix }

// workItem is an item for the workers, with the class its head gave it.
type workItem struct {
	*resourcelist.Item
	class class
}

// aliasFinding is the error of an edit refused because it would reach through a
// YAML alias (or an alias the function cannot expand), at the edited field.
func aliasFinding(err error, field, outcome string) report.Finding {
	rule := RuleVMMalformed
	var shared *ynode.Shared
	if errors.As(err, &shared) {
		rule, field = RuleAliasShared, shared.Field
	}
	return report.Finding{Rule: rule, Field: field, Severity: krm.Error, Message: err.Error() + "; " + outcome}
}

func dotted(path []string) string { return strings.Join(path, ".") }

// writeChanged writes an edited item; where it cannot be written without
// changing values the function does not own, the item is kept as it came and
// the result says so. Any other failure is returned.
func writeChanged(w *resourcelist.Writer, i int, before, node *yaml.Node, obj *report.Object, results func(*report.Object, report.Finding)) error {
	err := w.ChangedFrom(i, before, node)
	var unsafe *resourcelist.UnsafeEncodingError
	if !errors.As(err, &unsafe) {
		return err
	}
	results(obj, report.Finding{Rule: RuleUnsafeEncoding, Severity: krm.Error,
		Message: unsafe.Error() + "; it is left as it came, without the changes above: make them by hand"})
	w.Keep(i)
	return nil
}
