package kbuild

import (
	"strings"
	"testing"
)

func TestFinish(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept   # as written\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\n  annotations:\n    internal.config.kubernetes.io/previousNames: old-a\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: b\n"
	out, err := Finish([]byte(in), Stamp{})
	if err != nil {
		t.Fatal(err)
	}
	want := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept   # as written\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: a\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: b\n"
	if string(out) != want {
		t.Errorf("Finish:\n%s\nwant:\n%s", out, want)
	}
	// Nothing to do: the same bytes.
	if out, _ := Finish([]byte(want), Stamp{}); string(out) != want {
		t.Errorf("changed what needed nothing:\n%s", out)
	}
	// A stamp reaches the documents that lack it, and only those.
	out, err = Finish([]byte(want), Stamp{Origin: "configuredIn: vm-networks.yaml\n", ManagedBy: "kustomize-v5.8.1"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(out), "app.kubernetes.io/managed-by: kustomize-v5.8.1") != 3 || strings.Count(string(out), "config.kubernetes.io/origin") != 3 {
		t.Errorf("stamped:\n%s", out)
	}
}
