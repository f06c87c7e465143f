package fn_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
)

// run returns the function's stdout, stderr and exit code for input.
func run(t testing.TB, input []byte) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := fn.Run(bytes.NewReader(input), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// indentItems rewrites a ResourceList so items are indented under `items:` (valid
// YAML, not kpt's layout): the function must then parse the whole document.
func indentItems(input []byte) []byte {
	var out bytes.Buffer
	inItems := false
	for _, line := range strings.SplitAfter(string(input), "\n") {
		switch {
		case strings.HasPrefix(line, "items:") && strings.TrimSpace(line) == "items:":
			inItems = true
		case len(line) > 0 && line[0] != ' ' && line[0] != '-' && line[0] != '#' && line[0] != '\n':
			inItems = false
		case inItems && strings.TrimSpace(line) != "":
			line = "  " + line
		}
		out.WriteString(line)
	}
	return out.Bytes()
}

// The item-by-item reader and the whole-document parser give the same output for
// every golden case: the same objects, comments included, results and exit code
// (the split path writes unchanged items from their own bytes, the whole-document
// path re-encodes them, so the comparison is of what the YAML says).
func TestSplitterMatchesWholeDocumentParse(t *testing.T) {
	for _, g := range goldenInputs(t) {
		input := g.input
		indented := indentItems(input)
		if bytes.Equal(indented, input) {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			a, aErr, aCode := run(t, input)
			b, bErr, bCode := run(t, indented)
			if itemsText(t, []byte(a)) != itemsText(t, []byte(b)) || section(t, []byte(a), "results") != section(t, []byte(b), "results") || aErr != bErr || aCode != bCode {
				t.Errorf("outputs differ between kpt's layout and the indented one:\n--- split\n%s%s\n--- whole\n%s%s", a, aErr, b, bErr)
			}
		})
	}
}

// fleet makes a package of n VMs, each with a manual annotation and a NAD-named network.
func fleet(n int) []byte {
	var b strings.Builder
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, net := range []string{"red", "blue"} {
		fmt.Fprintf(&b, "- apiVersion: kubevirt-networks.io/v1alpha1\n  kind: VMNetwork\n  metadata:\n    name: %s\n  spec:\n    type: bridge\n    bridge: br-%s\n    nadName: %s-nad\n", net, net, net)
	}
	for i := 0; i < n; i++ {
		net := []string{"red", "blue"}[i%2]
		fmt.Fprintf(&b, `- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata:
    name: vm-%[1]d
    namespace: ns-%[2]d
  spec:
    template:
      metadata:
        annotations:
          k8s.v1.cni.cncf.io/networks: '[{"name": "%[3]s-nad", "ips": ["10.0.0.%[2]d/24"]}]'
      spec:
        domain:
          devices:
            interfaces:
            - name: default
            - name: %[3]s-nad # secondary
              masquerade: {}
              macAddress: "02:00:00:00:%02[4]x:%02[5]x"
        networks:
        - name: default
          pod: {}
        - name: %[3]s-nad
          multus:
            networkName: %[3]s-nad
`, i, i%7, net, i/256, i%256)
	}
	return []byte(b.String())
}

// VMs are processed on several workers; the output must not depend on how many.
func TestOutputDoesNotDependOnWorkers(t *testing.T) {
	input := fleet(300)
	prev := runtime.GOMAXPROCS(1)
	serial, serialErr, serialCode := run(t, input)
	runtime.GOMAXPROCS(4)
	parallel, parallelErr, parallelCode := run(t, input)
	runtime.GOMAXPROCS(prev)
	if serial != parallel || serialErr != parallelErr || serialCode != parallelCode {
		t.Fatalf("one worker and four workers disagree")
	}
	if !strings.Contains(serial, "name: red\n") || strings.Count(serial, "- apiVersion: k8s.cni.cncf.io/v1\n  kind: NetworkAttachmentDefinition") != 14 {
		t.Errorf("want a red and a blue NAD in each of 7 namespaces")
	}
}

// A fleet-wide change stays readable: past 100 results of one rule and severity,
// one summary result stands for the rest (errors are never folded), and stderr
// stops after 20 lines of one rule.
func TestRepeatedResultsAreFolded(t *testing.T) {
	out, stderr, _ := run(t, fleet(300))
	if got := strings.Count(out, "rule: network-renamed\n"); got != 101 {
		t.Errorf("network-renamed results: %d, want 100 and one summary", got)
	}
	if !strings.Contains(out, "message: … and 200 more info results like this (rule network-renamed)") || !strings.Contains(out, "aggregated: \"200\"") {
		t.Errorf("no summary result for the folded network-renamed results")
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 22 || lines[20] != "… and 280 more like this" || !strings.HasPrefix(lines[21], "kubevirt-networks: 300 VMs changed;") {
		t.Errorf("stderr does not fold the 300 multus-annotation-keys warnings after 20:\n%s", stderr)
	}
	if got := strings.Count(stderr, "warning: VirtualMachine"); got != 20 {
		t.Errorf("stderr has %d warning lines, want 20", got)
	}
}

// Reading from a slow pipe (a byte at a time) gives the same output.
func TestReadsAnyChunking(t *testing.T) {
	input := fleet(5)
	want, _, _ := run(t, input)
	var stdout bytes.Buffer
	fn.Run(io.MultiReader(oneByteReader{bytes.NewReader(input)}), &stdout, io.Discard)
	if stdout.String() != want {
		t.Errorf("a byte-at-a-time reader changes the output")
	}
}

type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// The fast YAML reader and writer change nothing: every golden case and a fleet
// give the same output, results and exit code with go-yaml alone.
func TestFastYAMLChangesNothing(t *testing.T) {
	inputs := map[string][]byte{"fleet": fleet(300)}
	for _, g := range goldenInputs(t) {
		inputs[g.name] = g.input
	}
	for name, input := range inputs {
		fast, fastErr, fastCode := run(t, input)
		var stdout, stderr bytes.Buffer
		slowCode := fn.RunWith(fn.Options{GoYAMLOnly: true}, bytes.NewReader(input), &stdout, &stderr)
		slow, slowErr := stdout.String(), stderr.String()
		if fast != slow || fastErr != slowErr || fastCode != slowCode {
			t.Errorf("%s: the output differs with go-yaml alone:\n--- fast\n%s%s\n--- go-yaml\n%s%s", name, fast, fastErr, slow, slowErr)
		}
	}
}
