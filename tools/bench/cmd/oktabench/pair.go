package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/datableio/oktareceiver/tools/bench"
)

// currentName names the -collector build in a pair's report.
const currentName = "current"

// runPair drains one backlog with the baseline's collector and the current one alternately, -rounds rounds
// (each run with a fresh checkpoint, both builds reading the same org), and prints each run's figures and
// the medians side by side. It fails when a run fails or does not deliver the whole backlog.
func runPair(ctx context.Context, o options) error {
	for _, c := range []string{o.params.Collector, o.baseline} {
		if _, err := os.Stat(c); err != nil {
			return fmt.Errorf("no collector at %s: %w", c, err)
		}
	}
	failed := false
	dir, cleanup, err := workDir("oktabench-pair-", o.keep, &failed)
	if err != nil {
		return err
	}
	defer cleanup()
	org, _, err := startOrg(ctx, o, dir)
	if err != nil {
		return err
	}
	defer org.Close()
	collectors := map[string]string{o.baselineName: o.baseline, currentName: o.params.Collector}
	var runs []bench.PairRun
	for round := 1; round <= o.rounds && ctx.Err() == nil; round++ {
		for _, build := range bench.PairOrder(round, o.baselineName, currentName) {
			p := o.params
			p.Collector, p.Body, p.Events, p.Progress = collectors[build], o.bodies[0], o.events, os.Stderr
			fmt.Fprintf(os.Stderr, "oktabench: round %d of %d: %s (%s)\n", round, o.rounds, build, p.Collector)
			res, logPath, err := bench.Run(ctx, p, org, dir)
			if err != nil || !res.Complete {
				failed = true
				fmt.Fprintf(os.Stderr, "oktabench: %s's run failed: %v\n--- the end of %s ---\n%s", build, err, logPath, tail(logPath, 30))
				return errors.New("a run of the pair failed")
			}
			runs = append(runs, bench.PairFrom(build, round, res))
		}
	}
	bench.FormatPair(os.Stdout, o.baselineName, currentName, runs)
	return ctx.Err()
}
