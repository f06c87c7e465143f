package fn_test

import (
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
)

// vmToFix is a VM the function edits (masquerade on a bridge network becomes
// bridge), with a place for YAML around the edit: the objects' other bytes must
// come out as they went in.
func vmToFix(domainExtra, annotations, volumes string) string {
	return `- apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata:
    name: lan
    annotations:
      config.kubernetes.io/local-config: "true"
  spec:
    namespace: vms
    type: bridge
    bridge: br0
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata:
    name: vm
    namespace: vms
` + annotations + `  spec:
    template:
      spec:
        domain:
` + domainExtra + `          devices:
            interfaces:
            - name: default
              masquerade: {}
            - name: lan
              masquerade: {}   # the function makes this bridge
        networks:
        - name: default
          pod: {}
        - name: lan
          multus:
            networkName: lan
` + volumes
}

const rlHead = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"

// The reproductions of the surgical-output issue, each one a VM the function
// fixes (or an object it does not own beside one): every byte outside the edit is
// the input's, the values it does not own read back the same, and a second run
// changes nothing, comment positions included.
func TestSurgicalOutput(t *testing.T) {
	cases := map[string]struct {
		input string
		keep  []string // text the output must hold as it is
	}{
		"an empty value in a flow mapping": {
			rlHead + vmToFix("          resources: {requests: {memory: 1Gi}, overcommitGuestOverhead: }\n", "", ""),
			[]string{"resources: {requests: {memory: 1Gi}, overcommitGuestOverhead: }\n"},
		},
		"folded scalars, more-indented and kept": {
			rlHead + vmToFix("", "    annotations:\n      note: >-\n        folded text\n          more indented\n        back\n      keep: >+\n        trailing\n\n", ""),
			[]string{"      note: >-\n        folded text\n          more indented\n        back\n      keep: >+\n        trailing\n\n"},
		},
		"an unowned ConfigMap in a List beside a fixed VM": {
			rlHead + "- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n    data:\n      f: >\n        a\n          b\n" + vmToFix("", "", ""),
			[]string{"      f: >\n        a\n          b\n"},
		},
		"a comment between items": {
			rlHead + "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: unowned\n  data:\n    a:    \"x\"\n    flow: {a: , b: c}\n    l:\n      - a\n# c0 between items\n" + vmToFix("", "", ""),
			[]string{"    a:    \"x\"\n    flow: {a: , b: c}\n    l:\n      - a\n# c0 between items\n"},
		},
		"a comment at the left edge inside the fixed VM, read as one document": {
			rlHead + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n# c0 between items\n" + vmToFix("", "    annotations:\n      a: x\n# at the left edge\n      b: y\n", ""),
			[]string{"      a: x\n# at the left edge\n      b: y\n"},
		},
		"complex keys and comments that go-yaml places anew": {
			rlHead + "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: tricky\n  data:\n    ? [a]\n    : # c2\n     - # c3\n      b\n# c0\n" + vmToFix("", "", ""),
			[]string{"    ? [a]\n    : # c2\n     - # c3\n      b\n# c0\n"},
		},
		"cloud-init written by hand, lines ending in blanks": {
			rlHead + vmToFix("", "", "        volumes:\n        - name: cloudinit\n          cloudInitNoCloud:\n            userData: |-\n              #cloud-config  \n              password: x   \n"),
			[]string{"            userData: |-\n              #cloud-config  \n              password: x   \n"},
		},
		"binary user data": {
			rlHead + vmToFix("", "", "        volumes:\n        - name: cloudinit\n          cloudInitNoCloud:\n            userDataBase64: !!binary aGVsbG8=\n"),
			[]string{"userDataBase64: !!binary aGVsbG8=\n"},
		},
		"an anchor in an unowned object": {
			rlHead + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: anchored}\n  data:\n    a: &x one\n    b: *x\n" + vmToFix("", "", ""),
			[]string{"    a: &x one\n    b: *x\n"},
		},
		"indented lists in the fixed VM": {
			strings.Replace(rlHead+vmToFix("", "", ""), "            - name: default\n              masquerade: {}\n            - name: lan\n              masquerade: {}   # the function makes this bridge\n",
				"              - name: default\n                masquerade: {}\n              - name: lan\n                masquerade: {}\n", 1),
			[]string{"              - name: default\n                masquerade: {}\n              - name: lan\n                bridge: {}\n"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, stderr, code := run(t, []byte(tc.input))
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			for _, k := range tc.keep {
				if !strings.Contains(out, k) {
					t.Errorf("the output lost %q:\n%s", k, out)
				}
			}
			if !strings.Contains(out, "bridge: {}") {
				t.Errorf("the VM was not fixed:\n%s", out)
			}
			checkDiffIsChange(t, []byte(tc.input), true)
			again, _, _ := run(t, []byte(out))
			if itemsText(t, []byte(again)) != itemsText(t, []byte(out)) {
				t.Errorf("a second run changed the items")
			}
			if withoutResults(again) != withoutResults(out) {
				t.Errorf("a second run changed the text:\n%s\n---\n%s", out, again)
			}
			// The same objects as a plain stream: the same bytes kept.
			stream := toStream(tc.input)
			sout, serr, scode := runStream(t, fn.Options{}, stream)
			if scode != 0 {
				t.Fatalf("as a stream: exit %d:\n%s", scode, serr)
			}
			for _, k := range tc.keep {
				if k = dedent2(k); !strings.Contains(sout, k) && !strings.Contains(k, "# c0") {
					t.Errorf("as a stream, the output lost %q:\n%s", k, sout)
				}
			}
		})
	}
}

// toStream makes a ResourceList's items documents of a stream.
func toStream(rl string) string {
	body := strings.TrimPrefix(rl, rlHead)
	var b strings.Builder
	for _, l := range strings.SplitAfter(body, "\n") {
		switch {
		case strings.HasPrefix(l, "- "):
			b.WriteString("---\n" + l[2:])
		case strings.HasPrefix(l, "  "):
			b.WriteString(l[2:])
		default:
			b.WriteString(l)
		}
	}
	return b.String()
}

func dedent2(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		b.WriteString(strings.TrimPrefix(l, "  "))
	}
	return b.String()
}

// A stream with directives before its first document reads as the same stream
// would as a ResourceList, and keeps them, as it keeps `...` markers.
func TestStreamDirectives(t *testing.T) {
	input := "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: !e!x \"v\"\n...\n" +
		strings.TrimPrefix(toStream(rlHead+vmToFix("", "", "")), "---\n")
	out, stderr, code := runStream(t, fn.Options{}, input)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.HasPrefix(out, "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\napiVersion: v1\n") || !strings.Contains(out, "  k: !e!x \"v\"\n...\n") {
		t.Errorf("the directives or the end marker are gone:\n%s", out)
	}
	if !strings.Contains(out, "bridge: {}") {
		t.Errorf("the VM was not fixed:\n%s", out)
	}
}

func withoutResults(s string) string {
	if cut := strings.Index(s, "\nresults:\n"); cut >= 0 {
		return s[:cut+1]
	}
	return s
}

// FuzzSurgical builds a VM the function fixes, and a ConfigMap beside it, around
// text the fuzzer writes: the text as a literal, a folded and a plain block of the
// VM's annotations, and as a ConfigMap's data, with comments. Whatever the text,
// every line of the output outside the fix is the input's, and what the fix does
// not own reads back the same.
//
//	go test ./fn -run '^$' -fuzz '^FuzzSurgical$' -fuzztime 60s
func FuzzSurgical(f *testing.F) {
	for _, s := range []string{"a", "folded\n  more\nback", "x:  {a: , b: c}", "#not a comment\n", "- a\n-  b", "trailing  \n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.ContainsAny(text, "\r\t\x00") || len(text) > 200 {
			return
		}
		body := func(indent string) string {
			var b strings.Builder
			for _, l := range strings.Split(text, "\n") {
				if strings.TrimSpace(l) == "" {
					b.WriteString("\n")
					continue
				}
				b.WriteString(indent + l + "\n")
			}
			return b.String()
		}
		annotations := "    annotations:\n      # a comment before\n      lit: |\n" + body("        ") + "      fold: >-\n" + body("        ") + "      after: x   # kept\n"
		input := rlHead + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}   # flow metadata\n  data:\n    d: |+\n" + body("      ") + vmToFix("", annotations, "")
		out, _, code := run(t, []byte(input))
		if code != 0 || out == "" {
			return // text that is not YAML there: refused, which checkProperties covers
		}
		checkDiffIsChange(t, []byte(input), true)
	})
}

// YAML's constructs (after the YAML 1.2 spec's productions), each as the data of
// an object the function does not own beside a VM it fixes, and as an annotation
// of that VM where the value is a string; in a ResourceList and in a stream, the
// text comes out as it went in.
func TestYAMLConstructs(t *testing.T) {
	constructs := map[string]struct {
		data       string // lines under `data:`, indented by four
		annotation bool   // also a valid string annotation value
	}{
		"plain, going on over lines":     {"    k: a plain scalar\n      that goes on\n", true},
		"single-quoted with a quote":     {"    k: 'it''s  spaced'\n", true},
		"double-quoted escapes":          {"    k: \"tab\\tnewline\\n\\u00e9\"\n", true},
		"explicit string tag":            {"    k: !!str 123\n", true},
		"literal, indentation indicator": {"    k: |2\n        indented more\n      back\n", true},
		"literal, strip and keep":        {"    k: |-\n      strip\n    j: |+\n      keep\n\n", true},
		"folded with a blank line":       {"    k: >\n      one\n\n      two\n", true},
		"nulls":                          {"    a: ~\n    b: null\n    c:\n", false},
		"flow sequence over lines":       {"    k: [a, b,\n      c]\n", false},
		"flow mapping, empty value":      {"    k: {x: , y: 1}\n", false},
		"explicit key":                   {"    ? complex\n    : value\n", false},
		"anchor and alias":               {"    a: &v shared\n    b: *v\n", false},
		"comments everywhere":            {"    # before\n    k: v   # after\n    # end of data\n", true},
		"a comment at column 1 inside":   {"    a: x\n# at the left edge\n    b: y\n", false},
	}
	for name, c := range constructs {
		t.Run(name, func(t *testing.T) {
			unowned := "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: constructs\n  data:\n" + strings.ReplaceAll(c.data, "\n    ", "\n    ")
			annotations := ""
			if c.annotation {
				annotations = "    annotations:\n" + indentBy(c.data, "  ")
			}
			input := rlHead + unowned + vmToFix("", annotations, "")
			out, stderr, code := run(t, []byte(input))
			if code != 0 {
				t.Fatalf("exit %d:\n%s\n%s", code, stderr, input)
			}
			if !strings.Contains(out, unowned) || (c.annotation && !strings.Contains(out, annotations)) || !strings.Contains(out, "bridge: {}") {
				t.Errorf("the construct changed or the VM was not fixed:\n%s", out)
			}
			checkDiffIsChange(t, []byte(input), true)
			sout, serr, scode := runStream(t, fn.Options{}, toStream(input))
			if scode != 0 || !strings.Contains(sout, dedent2(unowned[2:])) || !strings.Contains(sout, "bridge: {}") {
				t.Errorf("as a stream: exit %d\n%s\n%s", scode, serr, sout)
			}
		})
	}
}

func indentBy(s, pad string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}

// A stream whose last line is a block scalar without its line break: the writer
// must end the line, and that line break would join the value. The scalar gets
// the strip indicator instead, every other byte stays, and the value reads the
// same (found by FuzzRun).
func TestLastBlockScalarWithoutLineBreak(t *testing.T) {
	for _, c := range []struct{ last, want string }{
		{"  k: |\n    x", "  k: |-\n    x\n"},
		{"  k: >2+\n     x\n    y", "  k: >2-\n     x\n    y\n"},
		{"  k: |  # why\n    x", "  k: |-  # why\n    x\n"},
	} {
		in := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n" + c.last
		out, stderr, code := runStream(t, fn.Options{}, in)
		want := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n" + c.want
		if code != 0 || out != want {
			t.Errorf("exit %d, got\n%q\nwant\n%q\n%s", code, out, want, stderr)
			continue
		}
		var a, b map[string]any
		if yaml.Unmarshal([]byte(in), &a) != nil || yaml.Unmarshal([]byte(out), &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("the value changed: %v, now %v", a, b)
		}
	}
}
