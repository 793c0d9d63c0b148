// Command oktaview prints the Okta events a collector exports, one aligned line per event (package
// eventview). `make run` pipes the otelcol-okta collector's standard output into it, where the file
// exporter writes OTLP JSON:
//
//	otelcol-okta --config testdata/examples/run.yaml | oktaview
//
// It ignores SIGINT, so that on Ctrl-C the collector shuts down and every event it exported is still
// printed; it ends when its input does.
package main

import (
	"fmt"
	"os"
	"os/signal"

	"github.com/datableio/oktareceiver/tools/eventview"
)

func main() {
	signal.Ignore(os.Interrupt)
	if err := eventview.Copy(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "oktaview:", err)
		os.Exit(1)
	}
}
