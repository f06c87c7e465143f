package check

import (
	"fmt"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
)

// Strict decodes a VM kind against kubevirt.io/api at the target release as the API server with
// kubectl's default strict field validation would: an unknown field is an error
// (a warning with fieldValidation Warn, where the server drops it), a value of the
// wrong type an error, a key written twice a warning (kubectl keeps the last). templated skips the type of values
// holding an OpenShift Template parameter.
//
// firstLine is the line the whole object starts at, so that a line is named
// counting from the object's own start, whichever way the input was read.
func Strict(obj *yaml.Node, rel release.Minor, group, version, kind string, fv api.FieldValidation, templated bool, firstLine int) []report.Finding {
	var out []report.Finding
	unknown := krm.Error
	if fv == api.FieldWarn {
		unknown = krm.Warning
	}
	opts := schema.Options{Templated: templated}
	var later laterReleases
	for _, p := range schema.KubeVirt(int(rel), group, version, kind).Check(obj, opts) {
		switch p.Kind {
		case schema.Unknown:
			hint := "check its spelling and place"
			if p.Suggestion != "" {
				hint = fmt.Sprintf("did you mean %q?", p.Suggestion)
			}
			if since := later.since(obj, rel, group, version, kind, opts, p); since != 0 {
				hint = fmt.Sprintf("the field exists from KubeVirt %s: remove it, or set spec.cluster.kubevirtVersion if the cluster runs %s or later", since, since)
			}
			consequence := "kubectl's strict field validation and KubeVirt's schema check refuse the object"
			if unknown == krm.Warning {
				consequence = "the API server drops it"
			}
			out = append(out, report.Finding{Rule: RuleUnknownField, Field: p.Path, Severity: unknown,
				Message: fmt.Sprintf("unknown field %q: kubevirt.io/api %s has no such field here, so %s; %s", p.Key, rel, consequence, hint)})
		case schema.WrongType:
			out = append(out, report.Finding{Rule: RuleSchemaType, Field: p.Path, Severity: krm.Error,
				Message: fmt.Sprintf("%s must be %s, not %s: the API server refuses the object; write it as %s", p.Path, p.Want, p.Got, p.Want)})
		case schema.Duplicate:
			out = append(out, report.Finding{Rule: RuleDuplicateKey, Field: p.Path, Severity: krm.Warning,
				Message: fmt.Sprintf("key %q is written twice: kubectl keeps the last one and silently drops the one at line %d of the object, so the function judges and edits the last; remove the one you do not mean", p.Key, p.Line-firstLine+1)})
		}
	}
	return out
}

// laterReleases finds, for a field the target release does not know, the first
// later release that has it: checked only when such a field exists, and each
// later release at most once per object.
type laterReleases struct {
	unknown map[release.Minor]map[string]bool // release -> path/key of its unknown fields
}

func (l *laterReleases) since(obj *yaml.Node, rel release.Minor, group, version, kind string, opts schema.Options, p schema.Problem) release.Minor {
	if l.unknown == nil {
		l.unknown = map[release.Minor]map[string]bool{}
	}
	for m := rel + 1; m <= release.Newest; m++ {
		seen, ok := l.unknown[m]
		if !ok {
			seen = map[string]bool{}
			for _, q := range schema.KubeVirt(int(m), group, version, kind).Check(obj, opts) {
				if q.Kind == schema.Unknown {
					seen[q.Path+"\x00"+q.Key] = true
				}
			}
			l.unknown[m] = seen
		}
		if !seen[p.Path+"\x00"+p.Key] {
			return m
		}
	}
	return 0
}
