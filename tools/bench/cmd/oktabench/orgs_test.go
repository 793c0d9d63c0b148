package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

// fakeRuns stands in for the collector's runs: it records what each was asked and answers with verdict's
// result for it.
type fakeRuns struct {
	asked   []bench.OrgsParams
	verdict func(p bench.OrgsParams) (bench.OrgsResult, error)
}

func (f *fakeRuns) run(_ context.Context, p bench.OrgsParams, _ string, _ bench.Machine) (bench.OrgsResult, error) {
	f.asked = append(f.asked, p)
	return f.verdict(p)
}

// troubledOptions are a -troubled run's; the work directory, kept when a run fails, is the test's.
func troubledOptions(t *testing.T) options {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	o, err := parseFlags([]string{"-orgs", "10", "-troubled", "slow=1,blocked=1", "-collector", os.Args[0]})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestTroubledRunFollowsAnAllHealthyRunThatOnlyFailedItsVerdict(t *testing.T) {
	runs := &fakeRuns{verdict: func(p bench.OrgsParams) (bench.OrgsResult, error) {
		// The all-healthy run ends but is not complete (events still to come); the troubled run passes.
		return bench.OrgsResult{Started: time.Now(), Complete: p.Troubles.Total() > 0}, nil
	}}
	err := compareOrgs(context.Background(), troubledOptions(t), io.Discard, runs.run)
	if len(runs.asked) != 2 || runs.asked[0].Troubles.Total() != 0 || runs.asked[1].Troubles.Total() != 2 {
		t.Fatalf("runs made: %d (troubles %v), want the all-healthy run then the troubled one", len(runs.asked), runs.asked)
	}
	if err == nil || !strings.Contains(err.Error(), "the all-healthy run failed") {
		t.Errorf("err = %v, want the all-healthy run named as failed (the exit status stays 1)", err)
	}
}

func TestTroubledRunIsNotMadeWhenTheAllHealthyRunBroke(t *testing.T) {
	broke := errors.New("the collector exited")
	runs := &fakeRuns{verdict: func(bench.OrgsParams) (bench.OrgsResult, error) {
		return bench.OrgsResult{Started: time.Now()}, broke
	}}
	err := compareOrgs(context.Background(), troubledOptions(t), io.Discard, runs.run)
	if len(runs.asked) != 1 || !errors.Is(err, broke) {
		t.Errorf("%d runs made, err %v: a run that broke leaves nothing to compare with", len(runs.asked), err)
	}
}

func TestTroubledRunPassesWhenBothRunsPass(t *testing.T) {
	runs := &fakeRuns{verdict: func(bench.OrgsParams) (bench.OrgsResult, error) {
		return bench.OrgsResult{Started: time.Now(), Complete: true}, nil
	}}
	if err := compareOrgs(context.Background(), troubledOptions(t), io.Discard, runs.run); err != nil || len(runs.asked) != 2 {
		t.Errorf("%d runs, err %v: want both runs and no error", len(runs.asked), err)
	}
}
