package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

// backlogSpan is how far back the backlog's events are published (the receiver looks back 72 h).
const backlogSpan = 48 * time.Hour

// run makes one run per body mode and prints each report to stdout. A drained backlog is shared
// by the runs (each starts with a fresh checkpoint); a rate-limited run gets an org of its own, so
// that its windows are its alone, and so does a latency run, so that its backlog is only the small
// one it starts with.
func run(ctx context.Context, o options) error {
	if _, err := os.Stat(o.params.Collector); err != nil {
		return fmt.Errorf("no collector at %s (run `make build`, or pass -collector): %w", o.params.Collector, err)
	}
	failed := false
	dir, cleanup, err := workDir("oktabench-", o.keep, &failed)
	if err != nil {
		return err
	}
	defer cleanup()
	machine := bench.ThisMachine(o.params.Collector)
	var org *bench.Org
	var setup time.Duration
	defer func() {
		if org != nil {
			org.Close()
		}
	}()
	for i, body := range o.bodies {
		if org == nil || o.params.Rate != nil || o.params.Latency != nil {
			if org != nil {
				org.Close()
			}
			if org, setup, err = startOrg(ctx, o, dir); err != nil {
				return err
			}
		}
		p := o.params
		p.Body, p.Events, p.Progress = body, o.events, os.Stderr
		fmt.Fprintf(os.Stderr, "oktabench: run %d of %d: body %s, exporter %s\n", i+1, len(o.bodies), body, p.Exporter)
		res, logPath, err := bench.Run(ctx, p, org, dir)
		res.Setup, res.Machine = setup, machine
		if res.Started.IsZero() {
			failed = true
			return err
		}
		res.Format(os.Stdout)
		if p.Rate != nil && res.Delivered() >= p.Events {
			fmt.Println("  WARNING          the backlog ran out: the receiver was not held by the rate limit at the end; give -events more")
		}
		if err != nil || (p.Rate == nil && !res.Complete) {
			failed = true
			fmt.Fprintf(os.Stderr, "oktabench: run failed: %v\n--- the end of %s ---\n%s", err, logPath, tail(logPath, 30))
		} else if res.Latency != nil && !res.Latency.Pass() {
			failed = true
			fmt.Fprintln(os.Stderr, "oktabench: the latency run missed its target")
		}
		if ctx.Err() != nil {
			break
		}
	}
	if o.worstPage && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "oktabench: the worst page")
		res, err := bench.RunWorstPage(ctx, o.params.Collector, dir, o.params.Timeout)
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "oktabench: the worst page's run failed: %v\n", err)
		} else {
			res.Format(os.Stdout)
		}
	}
	if failed {
		return errors.New("a run failed")
	}
	return nil
}

// startOrg generates the backlog and serves it, reporting progress on stderr.
func startOrg(ctx context.Context, o options, dir string) (*bench.Org, time.Duration, error) {
	start := time.Now()
	last := start
	org, err := bench.StartOrg(ctx, bench.OrgOptions{
		Events: o.events, Span: backlogSpan, Seed: o.seed,
		RateLimit: o.rate.Limit, RateWindow: o.rate.Window,
		Progress: func(added, total int) {
			if now := time.Now(); now.Sub(last) >= 5*time.Second || added == total {
				last = now
				fmt.Fprintf(os.Stderr, "oktabench: backlog %d/%d events (%.0f s)\n", added, total, now.Sub(start).Seconds())
			}
		},
	}, dir)
	return org, time.Since(start), err
}

// tail returns the last n lines of the file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error() + "\n"
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, nil))
}

// workDir makes the temporary folder of a run. cleanup removes it, unless keep is set or the run failed
// (*failed when cleanup runs): then it says where the configs and logs are.
func workDir(prefix string, keep bool, failed *bool) (dir string, cleanup func(), err error) {
	dir, err = os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return dir, func() {
		if keep || *failed {
			fmt.Fprintf(os.Stderr, "oktabench: configs and collector logs kept in %s\n", dir)
			return
		}
		os.RemoveAll(dir)
	}, nil
}
