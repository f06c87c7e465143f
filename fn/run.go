package fn

import (
	"fmt"
	"io"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/resourcelist"
)

// Run reads a ResourceList from input, runs the function, writes the output
// ResourceList to stdout and every warning and error to stderr. It returns the
// exit code: 1 iff an error result exists (or the input cannot be read).
func Run(input []byte, stdout, stderr io.Writer) int {
	rl, err := resourcelist.Read(input)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	rl.Items, rl.Results = Process(rl.Items, rl.FunctionConfig)
	out, err := resourcelist.Write(rl)
	if err != nil {
		fmt.Fprintf(stderr, "error: cannot write the output ResourceList: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "error: cannot write to stdout: %v\n", err)
		return 1
	}
	if err := report.WriteStderr(stderr, rl.Results); err != nil {
		return 1
	}
	rep := report.Report{Results: rl.Results}
	if rep.HasErrors() {
		return 1
	}
	return 0
}
