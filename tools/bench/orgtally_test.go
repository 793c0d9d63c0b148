package bench

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrgTallyCatchUpAndGaps(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	calls := 0
	var calledAt time.Time
	tally := NewOrgTally(t0, [][]string{{"a1", "a2", "a3"}, {"b1", "b2"}}, func(now time.Time) { calls++; calledAt = now })
	tally.Add(t0.Add(2*time.Second), []string{"a1", "a2"})
	tally.Add(t0.Add(3*time.Second), []string{"b1", "x-live"}) // a live event of no backlog
	tally.Add(t0.Add(10*time.Second), []string{"a3", "a1"})    // a1 again: a duplicate
	if tally.Left() != 1 || tally.OrgsCaughtUp() != 1 || !tally.CaughtUp().IsZero() || calls != 0 {
		t.Fatalf("left %d, orgs caught up %d, caught up at %v, calls %d", tally.Left(), tally.OrgsCaughtUp(), tally.CaughtUp(), calls)
	}
	tally.Add(t0.Add(73*time.Second), []string{"b2"})
	tally.Add(t0.Add(74*time.Second), []string{"b2"}) // a duplicate after the catch-up: no second call
	if tally.Left() != 0 || !tally.CaughtUp().Equal(t0.Add(73*time.Second)) || calls != 1 || !calledAt.Equal(t0.Add(73*time.Second)) {
		t.Fatalf("left %d, caught up at %v, calls %d at %v", tally.Left(), tally.CaughtUp(), calls, calledAt)
	}
	ledgers := [][]string{{"a1", "a2", "a3", "a4"}, {"b1", "b2", "x-live"}}
	if got := tally.Missing(ledgers); got != 1 {
		t.Errorf("Missing = %d, want 1 (a4)", got)
	}
	orgs, unknown := tally.Figures(ledgers, t0.Add(80*time.Second))
	want := []OrgFigures{
		{Backlog: 3, Ledger: 4, Delivered: 3, Missing: 1, Duplicates: 1, CaughtUp: t0.Add(10 * time.Second), LongestGap: 8 * time.Second},
		{Backlog: 2, Ledger: 3, Delivered: 3, Duplicates: 1, CaughtUp: t0.Add(73 * time.Second), LongestGap: 70 * time.Second},
	}
	for i := range want {
		if orgs[i] != want[i] {
			t.Errorf("org %d: %+v, want %+v", i, orgs[i], want[i])
		}
	}
	if unknown != 0 {
		t.Errorf("unknown = %d", unknown)
	}
	if _, unknown := tally.Figures([][]string{{"a1", "a2", "a3"}, {"b1", "b2"}}, t0); unknown != 1 {
		t.Errorf("x-live in no ledger: unknown = %d, want 1", unknown)
	}
}

func TestOrgTallyAnOrgThatNeverCaughtUp(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tally := NewOrgTally(t0, [][]string{{"a1"}, {"b1", "b2"}}, nil)
	tally.Add(t0.Add(time.Second), []string{"a1", "b1"})
	orgs, _ := tally.Figures([][]string{{"a1"}, {"b1", "b2"}}, t0.Add(100*time.Second))
	if !orgs[1].CaughtUp.IsZero() || orgs[1].LongestGap != 99*time.Second || orgs[1].Missing != 1 {
		t.Errorf("an org stuck since its first page: %+v, want no catch-up, a gap of 99 s to the end, 1 missing", orgs[1])
	}
	if orgs[0].LongestGap != time.Second {
		t.Errorf("org 0 gap %s", orgs[0].LongestGap)
	}
}

func TestOrgTallyEmptyBacklogs(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tally := NewOrgTally(t0, [][]string{{}, {}}, nil)
	if tally.Left() != 0 || !tally.CaughtUp().Equal(t0) || tally.OrgsCaughtUp() != 2 {
		t.Errorf("orgs without a backlog are caught up from the start: left %d, at %v", tally.Left(), tally.CaughtUp())
	}
}

func TestWaitOrgs(t *testing.T) {
	col, err := StartCollector(fakeCollector(t), "config.yaml", &syncBuffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	if err := waitOrgs(t.Context(), col, 5*time.Second, func() bool { calls++; return calls >= 3 }, nil); err != nil || calls != 3 {
		t.Errorf("waitOrgs = %v after %d checks, want nil after 3", err, calls)
	}
	if err := waitOrgs(t.Context(), col, 300*time.Millisecond, func() bool { return false }, nil); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("waitOrgs on a condition that never holds = %v", err)
	}
	if _, err := col.Stop(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := waitOrgs(t.Context(), col, 5*time.Second, func() bool { return false }, nil); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("waitOrgs after the collector exited = %v", err)
	}
}

func TestCountExportRetries(t *testing.T) {
	var n atomic.Int64
	count := countExportRetries(&n)
	for _, line := range []string{
		`2026-12-01T22:11:53.638Z	info	internal/retry_sender.go:136	Exporting failed. Will retry the request after interval.	{"error": "context deadline exceeded"}`,
		`2026-12-01T22:11:53.700Z	info	service@v0.161.0/service.go:294	Everything is ready.`,
		`2026-12-01T22:11:58.101Z	info	internal/retry_sender.go:136	Exporting failed. Will retry the request after interval.	{}`,
	} {
		count(time.Now(), line)
	}
	if n.Load() != 2 {
		t.Errorf("counted %d retries, want 2", n.Load())
	}
}
