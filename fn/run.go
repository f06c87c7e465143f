package fn

import (
	"fmt"
	"io"

	"github.com/kubevirt-networks/kubevirt-networks/fn/resourcelist"
)

// OnInputRead, when set, learns the input's size before any item is processed
// (main sizes the garbage collector's budget with it).
var OnInputRead func(bytes int64)

// Run reads a ResourceList from stdin, runs the function, writes the output
// ResourceList to stdout and every warning and error to stderr. It returns the
// exit code: 1 iff an error result exists (or the input cannot be read).
func Run(stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic is a bug; it must still end as a clear error, never a stack dump
		// in an orchestrator's log.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "error: internal error: %v; please report it with the input that caused it\n", p)
			code = 1
		}
	}()
	rl, err := resourcelist.Read(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	if OnInputRead != nil {
		OnInputRead(rl.Size)
	}
	rep, err := Process(rl, resourcelist.NewWriter(stdout, rl))
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	if err := rep.WriteStderr(stderr); err != nil {
		return 1
	}
	if rep.HasErrors() {
		return 1
	}
	return 0
}
