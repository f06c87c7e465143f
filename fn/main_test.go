package fn_test

import (
	"os"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// Every splice the tests and fuzz targets make that the local proof accepts is
// read whole as well (resourcelist.CheckLocalProofs).
func TestMain(m *testing.M) {
	resourcelist.CheckLocalProofs = true
	os.Exit(m.Run())
}
