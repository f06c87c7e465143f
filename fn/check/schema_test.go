package check

import (
	"flag"
	"os"
	"testing"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite schema_gen.go from kubevirt.io/api")

// schema_gen.go must be what kubevirt.io/api (the version in go.mod) declares.
func TestSchemaIsCurrent(t *testing.T) {
	want, err := generateSchema()
	if err != nil {
		t.Fatal(err)
	}
	if *updateSchema {
		if err := os.WriteFile("schema_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("schema_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("schema_gen.go is stale: go test ./fn/check -run TestSchemaIsCurrent -update-schema")
	}
}
