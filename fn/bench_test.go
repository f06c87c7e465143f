package fn_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
)

// benchInput makes the shared fleet generator's ResourceList for n VMs (cached per run).
func benchInput(b *testing.B, n int) []byte {
	b.Helper()
	gen := filepath.Join("..", "..", "shared", "bench", "gen_vms.py")
	if _, err := os.Stat(gen); err != nil {
		b.Skipf("the fleet generator %s is not here", gen)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kubevirt-networks-bench-%d.yaml", n))
	if data, err := os.ReadFile(path); err == nil {
		return data
	}
	out, err := exec.Command("python3", gen, "--vms", fmt.Sprint(n)).Output()
	if err != nil {
		b.Fatalf("generating %d VMs: %v", n, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkRun is the whole function, I/O included, over fleets of 100, 1,000 and
// 10,000 VMs; it reports time and allocations per VM as well as per run.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("vms=%d", n), func(b *testing.B) {
			input := benchInput(b, n)
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
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/vm")
		})
	}
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
			input := fixed.Bytes()
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
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/vm")
		})
	}
}
