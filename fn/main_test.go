package fn_test

import (
	"flag"
	"os"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// Every splice the tests and fuzz targets make that the local proof accepts is
// read whole as well (resourcelist.CheckLocalProofs). Benchmarks measure the
// function as it runs, without the second proof.
func TestMain(m *testing.M) {
	flag.Parse()
	resourcelist.CheckLocalProofs = flag.Lookup("test.bench").Value.String() == ""
	os.Exit(m.Run())
}
