package bench

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func sampleResult() Result {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return Result{
		Events: 100000, Body: "map", Exporter: ExporterOTLPHTTP, Compression: "gzip", Complete: true,
		Tally:   TallySnapshot{Records: 100000, Distinct: 100000, First: t0.Add(800 * time.Millisecond), Last: t0.Add(20 * time.Second), DoneAt: t0.Add(20 * time.Second)},
		Started: t0, Stopped: t0.Add(20 * time.Second),
		Usage: Usage{User: 9 * time.Second, System: time.Second, MaxRSSKiB: 200 * 1024, HWMKiB: 210 * 1024, MaxSampled: 205 * 1024,
			Samples: []Sample{{At: t0.Add(500 * time.Millisecond), CPU: 600 * time.Millisecond, RSSKiB: 100 * 1024},
				{At: t0.Add(10 * time.Second), CPU: 5 * time.Second, RSSKiB: 200 * 1024}}},
		HarnessCPU: 7 * time.Second, SinkRequests: 100, SinkBytes: 80 << 20, Setup: 15 * time.Second,
		Machine: Machine{CPUs: 2, Model: "AMD EPYC", MemTotalKiB: 24 << 20, OSArch: "linux/amd64", GoBench: "go1.26.8", GoCollector: "go1.26.8"},
	}
}

func TestResultFigures(t *testing.T) {
	r := sampleResult()
	if r.Wall() != 20*time.Second || r.EventsPerSec() != 5000 || r.MicrosPerEvent() != 100 || r.PeakRSSMiB() != 210 {
		t.Errorf("wall %s, events/s %v, µs/event %v, peak %v MiB", r.Wall(), r.EventsPerSec(), r.MicrosPerEvent(), r.PeakRSSMiB())
	}
	r.Tally.Distinct = -1 // the debug exporter: records, not uids
	r.Tally.Records = 50000
	if r.Delivered() != 50000 {
		t.Errorf("Delivered without uids = %d", r.Delivered())
	}
}

func TestSummaryLine(t *testing.T) {
	got := sampleResult().Summary()
	want := "bench: events=100000 cpu_s=10.00 us_per_event=100.0 peak_rss_mb=210.0 events_per_s=5000 body=map exporter=otlp_http complete=true other_cpu_s=0.00"
	if got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
}

func TestFormat(t *testing.T) {
	var b strings.Builder
	sampleResult().Format(&b)
	out := b.String()
	for _, want := range []string{
		"backlog drained end to end",
		"events           100000 delivered of a backlog of 100000 (100000 records, 100000 distinct log.record.uid, 0 repeated)",
		"wall             20.00 s from collector start",
		"first event after 0.80 s",
		"throughput       5000 events/s",
		"cpu              10.00 s (user 9.00, system 1.00; 0.60 s of it before the first event)",
		"cpu per event    100.0 µs (94.0 µs without the CPU time before the first event)",
		"peak rss         210.0 MiB",
		"okta (page_size 1000) → otlp_http (compression gzip)",
		"rss over time    100, 100, 200, 200, 200 MiB at each fifth of the run",
		"2 CPUs (AMD EPYC), 24.0 GiB, linux/amd64, collector built with go1.26.8, bench go1.26.8",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], "bench: events=") {
		t.Errorf("the summary is not the last line:\n%s", out)
	}
	if strings.Contains(out, "rate limit") {
		t.Errorf("a rate-limit section in a drain report:\n%s", out)
	}
}

func TestFormatIncompleteAndRate(t *testing.T) {
	r := sampleResult()
	r.Complete = false
	var b strings.Builder
	r.Format(&b)
	if !strings.Contains(b.String(), "INCOMPLETE") {
		t.Errorf("an incomplete run is not flagged:\n%s", b.String())
	}

	f := AnalyzeRate(RateInput{Limit: 60, Window: 10 * time.Second, Budget: 0.5, PageSize: 1000, Requests: 90, Delivered: 90000})
	r.Rate = &f
	b.Reset()
	r.Format(&b)
	out := b.String()
	for _, want := range []string{"rate limit       60 requests per 10s window; rate_limit_budget 0.5 → 30 requests", "budget used      n/a", "full pages       n/a over the full windows", "100.0% over the run (90000 / (90 × 1000))"} {
		if !strings.Contains(out, want) {
			t.Errorf("rate report lacks %q:\n%s", want, out)
		}
	}
	summary := regexp.MustCompile(`(?m)^bench-ratelimit: limit=60 window_s=10 budget=0.5 requests_per_window=n/a budget_used=n/a full_page=n/a events_per_min=n/a ideal_events_per_min=180000 cpu_s=10.00 peak_rss_mb=210.0$`)
	if !summary.MatchString(out) {
		t.Errorf("rate summary line missing:\n%s", out)
	}
}

func TestPeakRSSIgnoresTheBenchsOwnPeak(t *testing.T) {
	r := sampleResult()
	r.Usage.MaxRSSKiB, r.Usage.HWMKiB, r.HarnessHWMKiB = 535*1024, 258*1024, 540*1024
	if r.PeakRSSMiB() != 258 {
		t.Errorf("peak %v MiB, want VmHWM's 258 when maxrss is the bench's own", r.PeakRSSMiB())
	}
	var b strings.Builder
	r.Format(&b)
	if !strings.Contains(b.String(), "not used: it is the bench's own peak of 540.0 MiB") {
		t.Errorf("no explanation of the maxrss figure:\n%s", b.String())
	}
	r.HarnessHWMKiB = 100 * 1024 // a bench smaller than the collector: maxrss is the collector's
	if r.PeakRSSMiB() != 535 {
		t.Errorf("peak %v MiB, want maxrss's 535", r.PeakRSSMiB())
	}
}

func TestPipelineLineNamesTheQueue(t *testing.T) {
	for _, c := range []struct {
		p    Params
		want string
	}{
		{Params{}, "otlp_http (compression zstd)"},
		{Params{NoQueue: true}, "otlp_http (compression zstd; sending_queue disabled)"},
		{Params{Consumers: 1, QueueSize: 1}, "otlp_http (compression zstd; sending_queue num_consumers 1, queue_size 1, blocking)"},
		{Params{Consumers: 2}, "otlp_http (compression zstd; sending_queue num_consumers 2)"},
	} {
		r := sampleResult()
		r.Compression, r.Queue = "zstd", queueSetting(c.p)
		if got := r.pipelineLine(); !strings.HasSuffix(got, c.want) {
			t.Errorf("%+v: %q, want it to end with %q", c.p, got, c.want)
		}
	}
}
