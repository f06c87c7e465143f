package fn_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	genfleet "github.com/kubevirt-networks/kubevirt-networks/internal/fleet"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// benchInput makes the fleet generator's ResourceList for n VMs (cached per run).
func benchInput(b *testing.B, n int) []byte {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kubevirt-networks-fleet-%d.yaml", n))
	if data, err := os.ReadFile(path); err == nil {
		return data
	}
	var out bytes.Buffer
	if err := genfleet.WriteResourceList(&out, genfleet.Options{VMs: n, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkRun is the whole function, I/O included, over fleets of 100, 1,000 and
// 10,000 VMs; it reports time and allocations per VM as well as per run.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("vms=%d", n), func(b *testing.B) { benchRuns(b, benchInput(b, n), n) })
	}
}

// benchRuns runs the function over input b.N times.
func benchRuns(b *testing.B, input []byte, vms int) {
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	b.ResetTimer()
	var out bytes.Buffer
	for i := 0; i < b.N; i++ {
		out.Reset()
		if code := fn.Run(bytes.NewReader(input), &out, io.Discard); code != 0 {
			b.Fatalf("exit code %d", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*vms), "ns/vm")
}

// BenchmarkSteady is the common case: a render over output the function already
// fixed (Argo CD's refresh, kpt render on every commit), where nothing changes.
func BenchmarkSteady(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("vms=%d", n), func(b *testing.B) {
			var fixed bytes.Buffer
			if code := fn.Run(bytes.NewReader(benchInput(b, n)), &fixed, io.Discard); code != 0 {
				b.Fatalf("exit code %d", code)
			}
			benchRuns(b, fixed.Bytes(), n)
		})
	}
}

// BenchmarkSteps measures the steps of a render on their own, over the 10,000-VM
// fleet: reading (split into items, nothing parsed), parsing every item (fastyaml,
// and go-yaml alone for comparison), and encoding every item's tree.
func BenchmarkSteps(b *testing.B) {
	input := benchInput(b, 10000)
	goYAMLOnly := false
	read := func(b *testing.B) *resourcelist.ResourceList {
		rl, err := resourcelist.ReadWith(bytes.NewReader(input), resourcelist.Options{GoYAMLOnly: goYAMLOnly})
		if err != nil {
			b.Fatal(err)
		}
		return rl
	}
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(input)))
		for i := 0; i < b.N; i++ {
			read(b)
		}
	})
	for _, fast := range []bool{true, false} {
		name := map[bool]string{true: "parse/fastyaml", false: "parse/go-yaml"}[fast]
		b.Run(name, func(b *testing.B) {
			goYAMLOnly = !fast
			b.SetBytes(int64(len(input)))
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				rl := read(b)
				b.StartTimer()
				for _, it := range rl.Items {
					if _, err := it.Parse(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		name = map[bool]string{true: "encode/fastyaml", false: "encode/go-yaml"}[fast]
		b.Run(name, func(b *testing.B) {
			goYAMLOnly = !fast
			rl := read(b)
			var nodes []*yaml.Node
			for _, it := range rl.Items {
				n, err := it.Parse()
				if err != nil {
					b.Fatal(err)
				}
				nodes = append(nodes, n)
			}
			b.SetBytes(int64(len(input)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, n := range nodes {
					if _, err := resourcelist.EncodeEntry(n, !fast); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
