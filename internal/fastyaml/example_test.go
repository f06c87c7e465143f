package fastyaml_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
)

// The block-style YAML kpt writes is read and written back as go-yaml would;
// anything else is declined (ok false), and the caller asks go-yaml.
func ExampleParse() {
	doc, ok := fastyaml.Parse([]byte("name: lan\nbridge: {}\nports:\n- 22\n"))
	fmt.Println(ok)
	out, ok := fastyaml.Encode(doc.Content[0])
	fmt.Printf("%v %q\n", ok, out)
	_, ok = fastyaml.Parse([]byte("a: &x 1\nb: *x\n"))
	fmt.Println(ok)
	// Output:
	// true
	// true "name: lan\nbridge: {}\nports:\n- 22\n"
	// false
}
