package bench

import (
	"math"
	"strings"
	"testing"
	"time"
)

// sampleOrgsResult is a run of n orgs, each with a backlog of 2000 and 10 streamed events, all
// delivered once; org i caught up after 5+i s with a longest gap of 2+i s. The collector peaked at
// peakMiB, used 10 µs of CPU per event from its first request to the catch-up and idled at
// idleMiB with 60 ms of CPU per org over a minute.
func sampleOrgsResult(n int, peakMiB, idleMiB int64) OrgsResult {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	r := OrgsResult{Orgs: n, Events: 2000, Body: "map", Compression: "zstd", Queue: "sending_queue disabled", PollInterval: 15 * time.Second,
		StreamRate: 1, RateLimit: 50, RateWindow: time.Minute, Complete: true, Started: t0, Streamed: 10 * n,
		Usage:        Usage{User: 3 * time.Second, System: time.Second, HWMKiB: peakMiB * 1024, MaxRSSKiB: peakMiB * 1024, MaxSampled: peakMiB * 1024},
		FirstRequest: t0.Add(200 * time.Millisecond), CPUFirstRequest: 100 * time.Millisecond, RecordsCaughtUp: 2010 * n,
		Idle:     &IdleFigures{Duration: time.Minute, CPU: time.Duration(n) * 60 * time.Millisecond, RSSKiB: idleMiB * 1024, Requests: 4 * n},
		Requests: 4 * n, Machine: Machine{CPUs: 2, Model: "AMD EPYC", MemTotalKiB: 24 << 20, OSArch: "linux/amd64", GoBench: "go1.26.8", GoCollector: "go1.26.8"},
	}
	r.CPUCaughtUp = r.CPUFirstRequest + time.Duration(r.RecordsCaughtUp)*10*time.Microsecond
	for i := range n {
		r.PerOrg = append(r.PerOrg, OrgFigures{Backlog: 2000, Ledger: 2010, Delivered: 2010,
			CaughtUp: t0.Add(time.Duration(5+i) * time.Second), LongestGap: time.Duration(2+i) * time.Second})
	}
	r.CaughtUp = r.PerOrg[n-1].CaughtUp
	r.Tally = TallySnapshot{Records: 2010 * n, Distinct: 2010 * n}
	return r
}

func TestOrgsResultFigures(t *testing.T) {
	r := sampleOrgsResult(3, 100, 40)
	if r.Delivered() != 6030 || r.Ledger() != 6030 || r.Missing() != 0 || r.Duplicates() != 0 || !r.OK() {
		t.Errorf("delivered %d of %d, missing %d, duplicates %d, ok %t", r.Delivered(), r.Ledger(), r.Missing(), r.Duplicates(), r.OK())
	}
	if r.CatchUp() != 7*time.Second || r.MicrosPerEvent() != 10 || r.PeakRSSMiB() != 100 || r.IdleCPUPerOrgMin() != 60 {
		t.Errorf("catch-up %s, µs/event %v, peak %v, idle ms/org/min %v", r.CatchUp(), r.MicrosPerEvent(), r.PeakRSSMiB(), r.IdleCPUPerOrgMin())
	}
	if org, gap := r.WorstGap(); org != 2 || gap != 4*time.Second {
		t.Errorf("worst gap %s at org %d", gap, org)
	}
}

func TestOrgsResultStarvationAndFailures(t *testing.T) {
	r := sampleOrgsResult(3, 100, 40)
	r.PerOrg[1].LongestGap = StarveLimit // exactly a minute: progress within every minute
	if len(r.Starved()) != 0 || !r.OK() {
		t.Errorf("a gap of exactly %s counted as starved", StarveLimit)
	}
	r.PerOrg[1].LongestGap = StarveLimit + time.Millisecond
	if s := r.Starved(); len(s) != 1 || s[0] != 1 || r.OK() {
		t.Errorf("starved %v, ok %t", s, r.OK())
	}
	if org, _ := r.WorstGap(); org != 1 {
		t.Errorf("worst org %d", org)
	}
	for name, spoil := range map[string]func(*OrgsResult){
		"missing":    func(r *OrgsResult) { r.PerOrg[0].Missing = 1 },
		"duplicate":  func(r *OrgsResult) { r.PerOrg[2].Duplicates = 1 },
		"unknown":    func(r *OrgsResult) { r.Unknown = 1 },
		"incomplete": func(r *OrgsResult) { r.Complete = false },
	} {
		r := sampleOrgsResult(3, 100, 40)
		spoil(&r)
		if r.OK() {
			t.Errorf("%s: OK", name)
		}
		var b strings.Builder
		r.Format(&b)
		if !strings.Contains(b.String(), "FAILED") || !strings.Contains(b.String(), " ok=false") {
			t.Errorf("%s: the report does not say so:\n%s", name, b.String())
		}
	}
}

func TestOrgsCompareWithBaseline(t *testing.T) {
	b := sampleOrgsResult(1, 50, 30)
	r := sampleOrgsResult(51, 200, 80)
	if _, ok := r.Compare(); ok {
		t.Error("a comparison without a baseline")
	}
	r.Baseline = &b
	r.CPUCaughtUp = r.CPUFirstRequest + time.Duration(r.RecordsCaughtUp)*11*time.Microsecond
	c, ok := r.Compare()
	if !ok {
		t.Fatal("no comparison")
	}
	if c.RSSPerExtraOrgMiB != 3 || math.Abs(c.CPUPerEventX-1.1) > 1e-9 || c.IdleRSSPerExtraOrgMiB != 1 || c.IdleCPUPerExtraOrgMin != 60 {
		t.Errorf("comparison %+v", c)
	}
	if !c.GoalsMet() {
		t.Error("3 MiB per org and ×1.1 CPU miss the goals")
	}
	r.Usage.HWMKiB += 1024 // 3.02 MiB per additional org
	if c, _ := r.Compare(); c.GoalsMet() {
		t.Errorf("%.2f MiB per additional org meets the goal", c.RSSPerExtraOrgMiB)
	}
	cb := sampleOrgsResult(1, 60, 30)
	cb.CPUCaughtUp = cb.CPUFirstRequest + time.Duration(cb.RecordsCaughtUp)*22*time.Microsecond
	r.CPUBaseline = &cb
	if c, _ := r.Compare(); c.CPUPerEventX != 0.5 || c.RSSPerExtraOrgMiB < 3 {
		t.Errorf("with a CPU baseline of 22 µs per event: %+v, want ×0.5 and the memory still against the baseline run the same way", c)
	}
	b.Idle = nil
	if c, _ := r.Compare(); !math.IsNaN(c.IdleRSSPerExtraOrgMiB) {
		t.Errorf("idle growth without the baseline's idle: %v", c.IdleRSSPerExtraOrgMiB)
	}
}

func TestOrgsSummaryLine(t *testing.T) {
	b := sampleOrgsResult(1, 50, 30)
	r := sampleOrgsResult(3, 100, 40)
	want := "bench: mode=orgs orgs=3 events_per_org=2000 delivered=6030 missing=0 duplicates=0 unknown=0 starved=0 worst_gap_s=4.0 worst_org=org3 catch_up_s=7.0 cpu_s=4.00 us_per_event=10.0 peak_rss_mb=100.0 idle_cpu_ms_per_org_min=60.00 idle_rss_mb=40.0 pages_in_flight=0 ok=true"
	if got := r.Summary(); got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
	r.Baseline, r.PagesInFlight = &b, 4
	want = "bench: mode=orgs orgs=3 events_per_org=2000 delivered=6030 missing=0 duplicates=0 unknown=0 starved=0 worst_gap_s=4.0 worst_org=org3 catch_up_s=7.0 cpu_s=4.00 us_per_event=10.0 peak_rss_mb=100.0 idle_cpu_ms_per_org_min=60.00 idle_rss_mb=40.0 pages_in_flight=4 baseline_peak_rss_mb=50.0 rss_per_extra_org_mb=25.00 baseline_us_per_event=10.0 cpu_per_event_x=1.00 idle_cpu_ms_per_extra_org_min=60.00 idle_rss_per_extra_org_mb=5.00 goals=not_met ok=true"
	if got := r.Summary(); got != want {
		t.Errorf("summary with a baseline\n got %s\nwant %s", got, want)
	}
}

func TestOrgsFormat(t *testing.T) {
	b := sampleOrgsResult(1, 50, 30)
	r := sampleOrgsResult(3, 100, 40)
	r.Baseline, r.PagesInFlight = &b, 4
	var sb strings.Builder
	r.Format(&sb)
	out := sb.String()
	for _, want := range []string{
		"3 orgs in one collector: every event delivered once, no org starved",
		"orgs             3 in one collector, each a simulator on its own loopback address (127.1.0.1 … 127.1.0.3) with its own token, a backlog of 2000 events, a rate limit of 50 requests per 1m0s",
		"pipeline         3 × okta (page_size 1000, poll_interval 15s, pages_in_flight 4, body map) → otlp_http (compression zstd; sending_queue disabled)",
		"delivered        6030 of the 6030 events in the orgs' ledgers (6000 backlog, 30 streamed): 0 missing, 0 duplicates, 0 not from any org",
		"catch-up         every org delivered its backlog 7.0 s after the collector's start (the first org after 5.0 s, the median after 6.0 s)",
		"starvation       the longest an org went without delivering while it had a backlog: 4.0 s (org3); orgs over 1m0s: none",
		"cpu per event    10.0 µs over the 6030 records that arrived by the catch-up",
		"idle             60 s with every org caught up and idle: 0.180 s CPU (60.00 ms per org per minute), VmRSS 40.0 MiB at the end (13.33 MiB per org), 12 Okta requests",
		"vs 1 org         peak RSS 50.0 (1 org run the same way) → 100.0 MiB: 25.00 MiB per additional org (goal ≤ 3): NOT MET",
		"CPU per event 10.0 µs (1 org, a backlog of 2000) → 10.0 µs: ×1.00 (goal ≤ ×1.2): met",
		"idle: 60.00 ms CPU per additional org per minute, 5.00 MiB VmRSS per additional org",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], "bench: mode=orgs ") {
		t.Errorf("the summary is not the last line:\n%s", out)
	}
	if strings.Contains(out, "export retries") {
		t.Errorf("export retries reported in a run without any:\n%s", out)
	}
	r.ExportRetries = 26
	sb.Reset()
	r.Format(&sb)
	if !strings.Contains(sb.String(), "export retries   26: the exporter retried") {
		t.Errorf("no export retries line:\n%s", sb.String())
	}
	r.PerOrg[2].CaughtUp, r.CaughtUp = time.Time{}, time.Time{}
	r.PerOrg[2].LongestGap, r.Complete = 2*time.Minute, false
	sb.Reset()
	r.Format(&sb)
	for _, want := range []string{"NOT REACHED: 2 of 3 orgs delivered their backlog", "orgs over 1m0s: 1: org3", "starved=1"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("report of a starved org lacks %q:\n%s", want, sb.String())
		}
	}
}

// A troubled run: org1 slow, org2 blocked; its figures are the healthy orgs' (org3, org4), next to the
// all-healthy run's.
func TestOrgsTroubledReport(t *testing.T) {
	h := sampleOrgsResult(4, 100, 40)
	h.Idle, h.Live, h.LiveLag = nil, time.Minute, LagFigures{Measured: 240, P50: 8 * time.Second, P99: 15 * time.Second, Max: 15500 * time.Millisecond}
	r := sampleOrgsResult(4, 120, 40)
	r.Idle, r.Live, r.LiveLag = nil, time.Minute, LagFigures{Measured: 120, P50: 9 * time.Second, P99: 16 * time.Second, Max: 17 * time.Second}
	r.Troubles = Troubles{TroubleSlow: 1, TroubleBlocked: 1}
	r.Trouble = r.Troubles.Assign(4)
	// The troubled orgs delivered little, twice some of it, and never caught up: none of it counts.
	r.PerOrg[0] = OrgFigures{Backlog: 2000, Ledger: 2010, Delivered: 1000, Missing: 1010, Duplicates: 5, LongestGap: 5 * time.Minute}
	r.PerOrg[1] = OrgFigures{Backlog: 2000, Ledger: 2010, Missing: 2010, LongestGap: 5 * time.Minute}
	r.Healthy = &h
	if r.HealthyOrgs() != 2 || r.Delivered() != 4020 || r.Ledger() != 4020 || r.Missing() != 0 || r.Duplicates() != 0 || len(r.Starved()) != 0 || !r.OK() {
		t.Errorf("healthy orgs %d: delivered %d of %d, missing %d, duplicates %d, starved %v, ok %t",
			r.HealthyOrgs(), r.Delivered(), r.Ledger(), r.Missing(), r.Duplicates(), r.Starved(), r.OK())
	}
	if org, _ := r.WorstGap(); org != 3 {
		t.Errorf("worst gap at org %d, want a healthy org's (3)", org)
	}
	if d := r.TroubledDelivery(); d[TroubleSlow] != [3]int{1000, 2010, 5} || d[TroubleBlocked] != [3]int{0, 2010, 0} {
		t.Errorf("troubled delivery %v", d)
	}
	var sb strings.Builder
	r.Format(&sb)
	out := sb.String()
	for _, want := range []string{
		"a live stream of 1 events/s until the catch-up and 1m0s after it",
		"delivered        4020 of the 4020 events in the healthy orgs' ledgers (4000 backlog, 20 streamed): 0 missing, 0 duplicates",
		"troubled         1 slow (1000 of 2010 events delivered, 5 duplicates), 1 blocked (0 of 2010 events delivered, 0 duplicates): ",
		": slow orgs send each answer's body over 40s, blocked orgs export to a backend that answers 503; the figures here are the 2 healthy orgs'",
		"live lag         120 live events of the healthy orgs published in the 1m0s after the catch-up: p50 9.00 s, p99 16.00 s, max 17.00 s (poll_interval 15s)",
		"vs all healthy   the healthy orgs' live p99 15.00 → 16.00 s, missing 0 → 0, duplicates 0 → 0; peak RSS 100.0 → 120.0 MiB; CPU per event to the catch-up 10.0 → 10.0 µs; CPU over the run 4.00 → 4.00 s (497.5 → 497.5 µs per event delivered)",
		"catch-up         every healthy org delivered its backlog",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{" troubled=slow=1,blocked=1 healthy_orgs=2 live_s=60 live_events=120 live_p50_s=9.00 live_p99_s=16.00 live_max_s=17.00",
		" all_healthy_live_p99_s=15.00 all_healthy_missing=0 all_healthy_duplicates=0 all_healthy_peak_rss_mb=100.0 all_healthy_us_per_event=10.0 run_us_per_event=497.5 all_healthy_run_us_per_event=497.5 ok=true"} {
		if !strings.Contains(r.Summary(), want) {
			t.Errorf("summary lacks %q:\n%s", want, r.Summary())
		}
	}
	r.PerOrg[2].Missing = 1
	if r.OK() || r.Missing() != 1 {
		t.Error("a healthy org's missing event is not a failure")
	}
}
