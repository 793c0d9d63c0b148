// Command oktacatalog checks a copy of Okta's event-type catalog against the receiver's category table and
// OCSF class table: it lists the types that would fall to the category other (or get a category the
// catalog rules out) and those without a row in the OCSF class table, and exits 1, or says "all
// categorised" and exits 0. With -v it first prints every type with its category, its OCSF class and
// activity, and the rows that decide them.
//
//	go run ./internal/mapping/cmd/oktacatalog [-v] path/to/okta-event-types.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/mapping/eventcatalog"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run checks the catalog named in args and returns the exit code: 0 all categorised, 1 types need a row,
// 2 the catalog could not be read.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("oktacatalog", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("v", false, "print every type with its category and the row that decides it")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: oktacatalog [-v] <catalog.json>   (Okta's event-type catalog, e.g. internal/samples/catalog/okta-event-types-2026.08.1.json)")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	c, err := eventcatalog.ReadFile(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "oktacatalog:", err)
		return 2
	}
	if *verbose {
		for _, t := range c.Types {
			cat, rule, _ := mapping.CategoryOf(t.ID)
			dec := ocsf.Decide(t.ID)
			fmt.Fprintf(stdout, "%-16s %-70s %-40s ocsf %d/%d %s (%s)\n", cat, t.ID, rule.Pattern, dec.Class.UID, dec.ActivityID,
				dec.ActivityName, dec.Rule.Pattern)
		}
	}
	r := eventcatalog.Check(c)
	r.Write(stdout)
	if !r.Clean() {
		return 1
	}
	return 0
}
