package bench

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Result is one run of the collector.
type Result struct {
	Events      int // the backlog
	Body        string
	Exporter    string
	Compression string
	GzipLevel   int
	// Queue describes the exporter's sending queue when it is not the default, as queueSetting does.
	Queue string
	Batch bool
	// Complete is true when every event of the backlog reached the end of the pipeline (always
	// false in a rate-limited run, which stops after its duration).
	Complete   bool
	Tally      TallySnapshot
	Started    time.Time // the collector's start
	Stopped    time.Time // when SIGTERM was sent
	Usage      Usage
	HarnessCPU time.Duration // this process (simulator, TLS, sink) while the collector ran
	// HarnessHWMKiB is this process's peak RSS when it started the collector. Linux starts the
	// child in this process's memory (vfork) and keeps that memory's peak in the child's
	// ru_maxrss across exec, so maxrss is at least this much whatever the collector uses.
	HarnessHWMKiB int64
	Org           OrgTiming // the org's answers to the collector
	// MachineCPU is the CPU time all CPUs offered during the run, OthersCPU what processes other
	// than the collector and the bench used of it: wall time and events/s suffer when it is high.
	MachineCPU   time.Duration
	OthersCPU    time.Duration
	SinkRequests int64
	SinkBytes    int64
	Setup        time.Duration // generating and storing the backlog
	Machine      Machine
	Rate         *RateFigures    // nil unless rate-limited
	Latency      *LatencyFigures // nil unless a latency run
}

// Delivered is the number of events at the end of the pipeline: distinct ones when the sink saw
// their uids.
func (r Result) Delivered() int {
	if r.Tally.Distinct >= 0 {
		return r.Tally.Distinct
	}
	return r.Tally.Records
}

// Wall is the time from the collector's start to the last event at the end of the pipeline.
func (r Result) Wall() time.Duration {
	end := r.Tally.DoneAt
	if end.IsZero() {
		end = r.Tally.Last
	}
	if end.IsZero() {
		return 0
	}
	return end.Sub(r.Started)
}

// EventsPerSec is Delivered over Wall.
func (r Result) EventsPerSec() float64 { return ratio(float64(r.Delivered()), r.Wall().Seconds()) }

// MicrosPerEvent is the collector's CPU time per delivered event.
func (r Result) MicrosPerEvent() float64 {
	return ratio(float64(r.Usage.CPU().Microseconds()), float64(r.Delivered()))
}

// PeakRSSKiB is the collector's peak resident memory: rusage's maxrss, unless that is only the
// bench's own peak inherited at the start (see HarnessHWMKiB), then the last VmHWM sampled.
func (r Result) PeakRSSKiB() int64 {
	if r.maxRSSInherited() || r.Usage.MaxRSSKiB == 0 {
		return r.Usage.HWMKiB
	}
	return max(r.Usage.MaxRSSKiB, r.Usage.HWMKiB)
}

// maxRSSInherited reports whether ru_maxrss may be the bench's own peak rather than the
// collector's: it is above the collector's VmHWM and not above the bench's peak at the start.
func (r Result) maxRSSInherited() bool {
	return r.Usage.HWMKiB > 0 && r.Usage.MaxRSSKiB > r.Usage.HWMKiB && r.Usage.MaxRSSKiB <= r.HarnessHWMKiB
}

// PeakRSSMiB is PeakRSSKiB in MiB.
func (r Result) PeakRSSMiB() float64 { return kibToMiB(r.PeakRSSKiB()) }

// Summary is the one line to grep for; peak_rss_mb is in MiB.
func (r Result) Summary() string {
	if f := r.Latency; f != nil {
		return fmt.Sprintf("bench: mode=latency events=%d p50_s=%.3f p99_s=%.3f max_s=%.3f target_s=%g pass=%t",
			f.Measured, f.P50.Seconds(), f.P99.Seconds(), f.Max.Seconds(), f.Target().Seconds(), f.Pass())
	}
	if r.Rate != nil {
		f := r.Rate
		return fmt.Sprintf("bench-ratelimit: limit=%d window_s=%g budget=%g requests_per_window=%s budget_used=%s full_page=%s events_per_min=%s ideal_events_per_min=%.0f cpu_s=%.2f peak_rss_mb=%.1f",
			f.Limit, f.Window.Seconds(), f.Budget, num(f.MeanFull, 1), num(f.BudgetUsed, 3), num(f.FullPage, 3), num(f.EventsPerMin, 0), f.IdealPerMin, r.Usage.CPU().Seconds(), r.PeakRSSMiB())
	}
	return fmt.Sprintf("bench: events=%d cpu_s=%.2f us_per_event=%.1f peak_rss_mb=%.1f events_per_s=%.0f body=%s exporter=%s complete=%t other_cpu_s=%.2f",
		r.Delivered(), r.Usage.CPU().Seconds(), r.MicrosPerEvent(), r.PeakRSSMiB(), r.EventsPerSec(), r.Body, r.Exporter, r.Complete, r.OthersCPU.Seconds())
}

// Format writes the report: one figure a line, then the summary line.
func (r Result) Format(w io.Writer) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-16s %s\n", label, fmt.Sprintf(format, args...))
	}
	if r.Latency != nil {
		r.formatLatency(w, line)
		return
	}
	fmt.Fprintf(w, "oktabench: %s\n", r.title())
	line("events", "%s", r.eventsLine())
	line("body", "%s", r.Body)
	line("pipeline", "%s", r.pipelineLine())
	switch {
	case r.Rate == nil && r.Tally.First.IsZero():
		line("wall", "no event reached the end of the pipeline")
	case r.Rate == nil:
		line("wall", "%.2f s from collector start to the last event at the end of the pipeline (first event after %.2f s)",
			r.Wall().Seconds(), r.Tally.First.Sub(r.Started).Seconds())
		line("throughput", "%.0f events/s", r.EventsPerSec())
	default:
		line("ran", "%.1f s", r.Stopped.Sub(r.Started).Seconds())
	}
	line("cpu", "%.2f s (user %.2f, system %.2f; %.2f s of it before the first event)",
		r.Usage.CPU().Seconds(), r.Usage.User.Seconds(), r.Usage.System.Seconds(), cpuBefore(r.Usage.Samples, r.Tally.First).Seconds())
	line("cpu per event", "%.1f µs (%.1f µs without the CPU time before the first event)", r.MicrosPerEvent(),
		ratio(float64((r.Usage.CPU()-cpuBefore(r.Usage.Samples, r.Tally.First)).Microseconds()), float64(r.Delivered())))
	line("peak rss", "%.1f MiB (VmHWM %.1f MiB, largest VmRSS sampled %.1f MiB; rusage maxrss %.1f MiB%s)",
		r.PeakRSSMiB(), kibToMiB(r.Usage.HWMKiB), kibToMiB(r.Usage.MaxSampled), kibToMiB(r.Usage.MaxRSSKiB), r.maxRSSNote())
	if curve := r.rssCurve(); curve != "" {
		line("rss over time", "%s", curve)
	}
	if r.Org.Requests > 0 && r.Rate == nil {
		line("okta requests", "%d: the org took %.1f ms to answer each, the collector %.1f ms between an answer and its next request",
			r.Org.Requests, ms(r.Org.Serving)/float64(r.Org.Requests), ms(r.Org.Between)/float64(max(r.Org.Requests-1, 1)))
	}
	line("harness cpu", "%.2f s (simulator, TLS and sink in the bench process, on the same CPUs)", r.HarnessCPU.Seconds())
	line("other load", "%.2f s of CPU used by other processes during the run, of %.2f s the CPUs offered%s",
		r.OthersCPU.Seconds(), r.MachineCPU.Seconds(), r.busyNote())
	if r.SinkRequests > 0 {
		line("export", "%d requests, %.1f MiB as sent (%.0f bytes/event)", r.SinkRequests, float64(r.SinkBytes)/(1<<20), ratio(float64(r.SinkBytes), float64(r.Tally.Records)))
	}
	line("setup", "%.1f s to generate and store the backlog", r.Setup.Seconds())
	line("machine", "%s", r.Machine)
	if r.Rate != nil {
		r.Rate.format(line)
	}
	fmt.Fprintln(w, r.Summary())
}

// formatLatency writes a latency run's report.
func (r Result) formatLatency(w io.Writer, line func(label, format string, args ...any)) {
	f := r.Latency
	verdict := "FAIL"
	if f.Pass() {
		verdict = "PASS"
	}
	fmt.Fprintf(w, "oktabench: latency run of the okta receiver: %s\n", verdict)
	line("stream", "%g events/s for %s after the receiver caught up with a backlog of %d; %d persisted",
		f.Params.StreamRate, f.Params.Duration, r.Events, f.Streamed)
	line("delivered", "%d of the streamed events' records reached the sink (%d missing); with the backlog %d records, %d distinct log.record.uid, %d repeated",
		f.Measured, f.Missing(), r.Tally.Records, r.Tally.Distinct, r.Tally.Repeated)
	line("pipeline", "%s; poll_interval %s", r.pipelineLine(), f.Params.PollInterval)
	line("latency", "p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s (arrival at the sink − the record's timestamp, = the event's persistence)",
		f.P50.Seconds(), f.P90.Seconds(), f.P99.Seconds(), f.Max.Seconds())
	cmp := "<="
	if f.P99 > f.Target() {
		cmp = ">"
	}
	line("target", "p99 <= poll_interval + 2 s = %g s, and no event missing: %s (p99 %.3f s %s %g s)",
		f.Target().Seconds(), verdict, f.P99.Seconds(), cmp, f.Target().Seconds())
	line("cpu", "%.2f s (user %.2f, system %.2f) over %.1f s", r.Usage.CPU().Seconds(), r.Usage.User.Seconds(),
		r.Usage.System.Seconds(), r.Stopped.Sub(r.Started).Seconds())
	line("peak rss", "%.1f MiB", r.PeakRSSMiB())
	line("harness cpu", "%.2f s (simulator, TLS and sink in the bench process, on the same CPUs)", r.HarnessCPU.Seconds())
	line("other load", "%.2f s of CPU used by other processes during the run, of %.2f s the CPUs offered",
		r.OthersCPU.Seconds(), r.MachineCPU.Seconds())
	line("machine", "%s", r.Machine)
	fmt.Fprintln(w, r.Summary())
}

// rssCurve is the VmRSS sampled at each fifth of the run, to tell a plateau from growth.
func (r Result) rssCurve() string {
	if len(r.Usage.Samples) == 0 {
		return ""
	}
	end := r.Stopped
	if r.Rate == nil && !r.Tally.Last.IsZero() {
		end = r.Tally.Last
	}
	var mib []string
	for i := 1; i <= 5; i++ {
		at := r.Started.Add(end.Sub(r.Started) * time.Duration(i) / 5)
		mib = append(mib, fmt.Sprintf("%.0f", kibToMiB(rssBefore(r.Usage.Samples, at))))
	}
	return strings.Join(mib, ", ") + " MiB at each fifth of the run"
}

// busyNote warns when other processes took more than a tenth of the machine.
func (r Result) busyNote() string {
	if r.MachineCPU > 0 && r.OthersCPU*10 > r.MachineCPU {
		return ": the machine was busy, wall time and events/s are pessimistic"
	}
	return ""
}

func (r Result) maxRSSNote() string {
	if r.maxRSSInherited() {
		return fmt.Sprintf(", not used: it is the bench's own peak of %.1f MiB, inherited through vfork and exec", kibToMiB(r.HarnessHWMKiB))
	}
	return ""
}

func (r Result) title() string {
	if r.Rate != nil {
		return "rate-limited run of the okta receiver"
	}
	if !r.Complete {
		return "INCOMPLETE: not every event reached the end of the pipeline"
	}
	return "backlog drained end to end"
}

func (r Result) eventsLine() string {
	s := fmt.Sprintf("%d delivered of a backlog of %d", r.Delivered(), r.Events)
	if r.Tally.Distinct < 0 {
		return s + " (counted from the debug exporter's log; uids not checked)"
	}
	return s + fmt.Sprintf(" (%d records, %d distinct log.record.uid, %d repeated)", r.Tally.Records, r.Tally.Distinct, r.Tally.Repeated)
}

func (r Result) pipelineLine() string {
	var parts []string
	parts = append(parts, "okta (page_size 1000)")
	if r.Batch {
		parts = append(parts, "batch")
	}
	if r.Exporter == ExporterDebug {
		parts = append(parts, "debug (verbosity basic)")
	} else {
		c := r.Compression
		if c == "gzip" && r.GzipLevel != 0 {
			c = fmt.Sprintf("gzip level %d", r.GzipLevel)
		}
		if r.Queue != "" {
			c += "; " + r.Queue
		}
		parts = append(parts, "otlp_http (compression "+c+")")
	}
	return strings.Join(parts, " → ")
}

func (f *RateFigures) format(line func(label, format string, args ...any)) {
	line("rate limit", "%d requests per %s window; rate_limit_budget %g → %g requests per window for the receiver",
		f.Limit, f.Window, f.Budget, f.Budget*float64(f.Limit))
	line("windows", "%d, requests in each: %v; %d refused with 429", len(f.Windows), f.PerWindow(), f.Limited)
	line("full windows", "%d (the first and the last are left out)", f.Full)
	line("requests/window", "%s mean over the full windows", num(f.MeanFull, 1))
	line("budget used", "%s of budget × limit", pct(f.BudgetUsed))
	line("full pages", "%s over the full windows: %d events / (%d requests × page_size %d); %s over the run (%d / (%d × %d)), whose last request the stop may cut off",
		pct(f.FullPage), f.EventsFull, f.RequestsFull, f.PageSize, pct(f.FullPageAll), f.Delivered, f.Requests, f.PageSize)
	line("window cycle", "%.1f s mean from one window's start to the next (window %s)", f.Cycle.Seconds(), f.Window)
	line("events/min", "%s over the full windows; budget × limit × page_size per window-minute = %.0f", num(f.EventsPerMin, 0), f.IdealPerMin)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func kibToMiB(k int64) float64 { return float64(k) / 1024 }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// num formats v with prec decimals, or "n/a" for NaN.
func num(v float64, prec int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}
