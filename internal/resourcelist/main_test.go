package resourcelist

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	CheckLocalProofs = true
	os.Exit(m.Run())
}
