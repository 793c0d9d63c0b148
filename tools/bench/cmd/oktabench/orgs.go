package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

// runOrgs makes the multi-org run, after two single-org runs when the options ask for a baseline
// (one run the same way, for memory and idle cost; one with the orgs' events in one backlog, up to
// 100,000, and no rate limit, for the CPU per event), and prints each report to stdout: the multi-org run's last.
func runOrgs(ctx context.Context, o options) error { return compareOrgs(ctx, o, os.Stdout, orgsRun) }

// orgsRunner makes one run of a collector against orgs (orgsRun; a test's fake).
type orgsRunner func(ctx context.Context, p bench.OrgsParams, dir string, machine bench.Machine) (bench.OrgsResult, error)

// compareOrgs is runOrgs with each run made by runOne and each report written to out. With troubles, the
// same run all healthy comes first; when it only fails its own verdict (orgs that waited over a minute for
// their turn, say), the troubled run still follows, for the comparison, and the error names the
// all-healthy run.
func compareOrgs(ctx context.Context, o options, out io.Writer, runOne orgsRunner) error {
	p := o.orgs
	if _, err := os.Stat(p.Collector); err != nil {
		return fmt.Errorf("no collector at %s (run `make build`, or pass -collector): %w", p.Collector, err)
	}
	if err := raiseFileLimit(fdsNeeded(p.Orgs)); err != nil {
		return err
	}
	failed := false
	dir, cleanup, err := workDir("oktabench-orgs-", o.keep, &failed)
	if err != nil {
		return err
	}
	defer cleanup()
	machine := bench.ThisMachine(p.Collector)
	var baseline, cpuBaseline *bench.OrgsResult
	if o.orgsBaseline {
		bp := p
		bp.Orgs = 1
		cp := bp
		// No rate limit: one org's window would hold the larger backlog back for minutes.
		cp.Events, cp.Idle, cp.RateLimit = min(p.Orgs*p.Events, bench.CPUBaselineMaxEvents), 0, 0
		for _, b := range []struct {
			what string
			p    bench.OrgsParams
			res  **bench.OrgsResult
		}{
			{"1 org run the same way", bp, &baseline},
			{fmt.Sprintf("1 org with a backlog of %d, for the CPU per event", cp.Events), cp, &cpuBaseline},
		} {
			fmt.Fprintf(os.Stderr, "oktabench: baseline: %s\n", b.what)
			res, err := runOne(ctx, b.p, dir, machine)
			if res.Started.IsZero() {
				failed = true
				return err
			}
			res.Format(out)
			if err != nil || !res.OK() {
				failed = true
				return runFailed(fmt.Sprintf("the baseline (%s)", b.what), err)
			}
			*b.res = &res
		}
	}
	var healthy *bench.OrgsResult
	if p.Troubles.Total() > 0 {
		hp := p
		hp.Troubles = nil
		fmt.Fprintf(os.Stderr, "oktabench: %d orgs in one collector, all healthy\n", p.Orgs)
		res, err := runOne(ctx, hp, dir, machine)
		if res.Started.IsZero() {
			failed = true
			return err
		}
		res.Format(out)
		if err != nil {
			failed = true
			return runFailed("the all-healthy run", err)
		}
		if !res.OK() { // e.g. orgs that waited over a minute for their turn: the comparison still tells
			failed = true
			fmt.Fprintf(os.Stderr, "oktabench: the all-healthy run did not pass (see its report); the troubled run goes on, for the comparison\n")
		}
		healthy = &res
		fmt.Fprintf(os.Stderr, "oktabench: %d orgs in one collector, troubled: %s\n", p.Orgs, p.Troubles)
	} else {
		fmt.Fprintf(os.Stderr, "oktabench: %d orgs in one collector\n", p.Orgs)
	}
	res, err := runOne(ctx, p, dir, machine)
	if res.Started.IsZero() {
		failed = true
		return err
	}
	res.Baseline, res.CPUBaseline, res.Healthy = baseline, cpuBaseline, healthy
	res.Format(out)
	if err != nil || !res.OK() {
		failed = true
		return runFailed(fmt.Sprintf("the %d-org run", p.Orgs), err)
	}
	if healthy != nil && !healthy.OK() {
		return runFailed("the all-healthy run", nil)
	}
	return nil
}

// orgsRun starts the orgs, runs the collector against them and closes them; on a failure it prints
// the end of the collector's log.
func orgsRun(ctx context.Context, p bench.OrgsParams, dir string, machine bench.Machine) (bench.OrgsResult, error) {
	start, last := time.Now(), time.Now()
	p.Progress = os.Stderr
	dir, err := os.MkdirTemp(dir, fmt.Sprintf("%d-orgs-", p.Orgs))
	if err != nil {
		return bench.OrgsResult{}, err
	}
	orgs, err := bench.StartOrgs(ctx, p, dir, func(org, added, total int) {
		if now := time.Now(); now.Sub(last) >= 5*time.Second {
			last = now
			fmt.Fprintf(os.Stderr, "oktabench: backlog of org %d of %d: %d/%d events (%.0f s)\n", org+1, p.Orgs, added, total, now.Sub(start).Seconds())
		}
	})
	if err != nil {
		return bench.OrgsResult{}, err
	}
	defer bench.CloseOrgs(orgs)
	setup := time.Since(start)
	res, logPath, err := bench.RunOrgs(ctx, p, orgs, dir)
	res.Setup, res.Machine = setup, machine
	if err != nil || !res.OK() {
		fmt.Fprintf(os.Stderr, "oktabench: run failed: %v\n--- the end of %s ---\n%s", err, logPath, tail(logPath, 30))
	}
	return res, err
}

// fdsNeeded is a generous count of the file descriptors the bench process needs for n orgs: a
// listener and a few connections per org, the sink's connections, and room for the rest.
func fdsNeeded(n int) uint64 { return uint64(8*n + 256) }

// raiseFileLimit raises this process's soft limit on open files to need, within the hard limit.
func raiseFileLimit(need uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	soft, err := fileLimit(lim.Cur, lim.Max, need)
	if err != nil || soft == lim.Cur {
		return err
	}
	lim.Cur = soft
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// fileLimit is the soft limit on open files that gives need: the current one when it does, need
// when the hard limit allows it, an error otherwise.
func fileLimit(soft, hard, need uint64) (uint64, error) {
	if soft >= need {
		return soft, nil
	}
	if hard < need {
		return soft, fmt.Errorf("the hard limit on open files (ulimit -Hn) is %d, below the %d this many orgs need: raise it, or run fewer orgs", hard, need)
	}
	return need, nil
}

// runFailed is the error of a run that failed with err, or that ended without an error but did not deliver
// every event once or starved an org.
func runFailed(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%s failed: events missing, repeated or foreign, or an org starved (see its report)", what)
	}
	return fmt.Errorf("%s failed: %w", what, err)
}
