package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Goals of a multi-org run, against a single org run the same way.
const (
	GoalRSSPerOrgMiB  = 3.0 // peak RSS per additional org
	GoalCPUPerEventX  = 1.2 // CPU per event, as a multiple of the single org's
	orgsSummaryPrefix = "bench: mode=orgs"
)

// OrgsResult is one multi-org run.
type OrgsResult struct {
	Orgs          int
	Events        int // each org's backlog
	Body          string
	Compression   string
	GzipLevel     int
	Queue         string // the exporter's sending queue when not the default, as queueSetting says
	Batch         bool
	PollInterval  time.Duration
	StreamRate    float64
	PagesInFlight int
	RateLimit     int
	RateWindow    time.Duration

	// Complete is true when every org caught up and every event of every ledger arrived in time.
	Complete bool
	Started  time.Time // the collector's start
	CaughtUp time.Time // the last backlog event's arrival; zero when some never came
	Drained  time.Time // every ledger event in, after the streams stopped
	Stopped  time.Time // SIGTERM
	Streamed int       // live events the orgs added during the catch-up
	PerOrg   []OrgFigures
	Unknown  int // distinct uids that arrived but belong to no org's ledger
	Tally    TallySnapshot

	Usage         Usage
	HarnessHWMKiB int64 // see Result.HarnessHWMKiB
	// FirstRequest is the first System Log request any org received; CPUFirstRequest the
	// collector's CPU time then (its start-up), CPUCaughtUp at the catch-up, when
	// RecordsCaughtUp records had arrived.
	FirstRequest    time.Time
	CPUFirstRequest time.Duration
	CPUCaughtUp     time.Duration
	RecordsCaughtUp int
	Idle            *IdleFigures // nil when not measured

	Requests, RateLimited   int // System Log requests to all orgs, and 429s for a spent window
	HarnessCPU              time.Duration
	MachineCPU, OthersCPU   time.Duration
	SinkRequests, SinkBytes int64
	Setup                   time.Duration
	Machine                 Machine
	// ExportRetries counts the exporter's "Exporting failed. Will retry" lines: a retried export
	// may reach the sink twice (the sink counted the first attempt, whose answer came too late).
	ExportRetries int
	// Baseline is the single org run the same way, to compare memory and idle cost with; nil when
	// there is none. CPUBaseline is a single org run with a larger backlog (all the orgs' events,
	// up to CPUBaselineMaxEvents), to compare the CPU per event with; nil: Baseline's.
	Baseline    *OrgsResult
	CPUBaseline *OrgsResult

	// Troubles are the troubled orgs asked for, Trouble each org's ("" for a healthy one; nil when all
	// are healthy). Delivered, Missing, Duplicates, Ledger, the starvation and the catch-up are the healthy
	// orgs' alone.
	Troubles Troubles
	Trouble  []string
	// Live is how long the live streams went on after the catch-up; LiveLag the lag of the healthy orgs'
	// events published then.
	Live    time.Duration
	LiveLag LagFigures
	// Healthy is the same run with every org healthy, to compare a troubled run with; nil when there is none.
	Healthy *OrgsResult
}

// healthy reports whether org i (0-based) has no trouble.
func (r OrgsResult) healthy(i int) bool { return i >= len(r.Trouble) || r.Trouble[i] == "" }

// orgWord is what the catch-up counts: orgs, or healthy orgs when some are troubled.
func (r OrgsResult) orgWord() string {
	if r.Troubles.Total() > 0 {
		return "healthy org"
	}
	return "org"
}

// HealthyOrgs is the number of orgs without trouble.
func (r OrgsResult) HealthyOrgs() int { return r.Orgs - r.Troubles.Total() }

// TroubledDelivery is, for each kind of trouble, the troubled orgs' events delivered, their ledgers'
// size, and their duplicates.
func (r OrgsResult) TroubledDelivery() map[string][3]int {
	out := map[string][3]int{}
	for i, f := range r.PerOrg {
		if r.healthy(i) {
			continue
		}
		d := out[r.Trouble[i]]
		out[r.Trouble[i]] = [3]int{d[0] + f.Delivered, d[1] + f.Ledger, d[2] + f.Duplicates}
	}
	return out
}

// CPUBaselineMaxEvents caps the backlog of the single org that the CPU per event is compared with:
// enough pages for a steady figure.
const CPUBaselineMaxEvents = 100000

// cpuBaseline is the run the CPU per event is compared with.
func (r OrgsResult) cpuBaseline() *OrgsResult {
	if r.CPUBaseline != nil {
		return r.CPUBaseline
	}
	return r.Baseline
}

// Delivered is the events delivered, summed over the orgs.
func (r OrgsResult) Delivered() int { return r.sum(func(f OrgFigures) int { return f.Delivered }) }

// Missing is the events missing, summed over the orgs.
func (r OrgsResult) Missing() int { return r.sum(func(f OrgFigures) int { return f.Missing }) }

// Duplicates is the events delivered more than once, summed over the orgs.
func (r OrgsResult) Duplicates() int { return r.sum(func(f OrgFigures) int { return f.Duplicates }) }

// Ledger is the events the orgs held, summed.
func (r OrgsResult) Ledger() int { return r.sum(func(f OrgFigures) int { return f.Ledger }) }

func (r OrgsResult) sum(field func(OrgFigures) int) int {
	n := 0
	for i, f := range r.PerOrg {
		if r.healthy(i) {
			n += field(f)
		}
	}
	return n
}

// Starved lists the orgs (0-based) that went longer than StarveLimit without progress while they
// had a backlog.
func (r OrgsResult) Starved() []int {
	var out []int
	for i, f := range r.PerOrg {
		if r.healthy(i) && f.LongestGap > StarveLimit {
			out = append(out, i)
		}
	}
	return out
}

// WorstGap is the longest gap of any org, and that org (-1 when there are none).
func (r OrgsResult) WorstGap() (org int, gap time.Duration) {
	org = -1
	for i, f := range r.PerOrg {
		if r.healthy(i) && (org < 0 || f.LongestGap > gap) {
			org, gap = i, f.LongestGap
		}
	}
	return org, gap
}

// CatchUp is the time from the collector's start until every org delivered its backlog; 0 when
// some never did.
func (r OrgsResult) CatchUp() time.Duration {
	if r.CaughtUp.IsZero() {
		return 0
	}
	return r.CaughtUp.Sub(r.Started)
}

// catchUps are the orgs' catch-up times after the start, sorted; the orgs that never caught up are left out.
func (r OrgsResult) catchUps() []time.Duration {
	var out []time.Duration
	for i, f := range r.PerOrg {
		if r.healthy(i) && !f.CaughtUp.IsZero() {
			out = append(out, f.CaughtUp.Sub(r.Started))
		}
	}
	slices.Sort(out)
	return out
}

// CatchUpCPU is the collector's CPU time from the first Okta request to the catch-up: the
// receivers' and the exporter's work, without the process's start-up.
func (r OrgsResult) CatchUpCPU() time.Duration { return max(0, r.CPUCaughtUp-r.CPUFirstRequest) }

// MicrosPerEvent is CatchUpCPU per record that arrived by the catch-up.
func (r OrgsResult) MicrosPerEvent() float64 {
	return ratio(float64(r.CatchUpCPU().Microseconds()), float64(r.RecordsCaughtUp))
}

// RunMicrosPerEvent is the collector's CPU time over the whole run per record that arrived.
func (r OrgsResult) RunMicrosPerEvent() float64 {
	return ratio(float64(r.Usage.CPU().Microseconds()), float64(r.Tally.Records))
}

// PeakRSSKiB is the collector's peak resident memory (see Result.PeakRSSKiB).
func (r OrgsResult) PeakRSSKiB() int64 {
	return Result{Usage: r.Usage, HarnessHWMKiB: r.HarnessHWMKiB}.PeakRSSKiB()
}

// PeakRSSMiB is PeakRSSKiB in MiB.
func (r OrgsResult) PeakRSSMiB() float64 { return kibToMiB(r.PeakRSSKiB()) }

// IdleCPUPerOrgMin is the idle collector's CPU time per org per minute, in milliseconds.
func (r OrgsResult) IdleCPUPerOrgMin() float64 {
	if r.Idle == nil || r.Orgs == 0 {
		return 0
	}
	return ratio(ms(r.Idle.CPU)/float64(r.Orgs), r.Idle.Duration.Minutes())
}

// OK is true when every org caught up, every event of every ledger arrived exactly once, nothing
// else arrived and no org starved.
func (r OrgsResult) OK() bool {
	return r.Complete && r.Missing() == 0 && r.Duplicates() == 0 && r.Unknown == 0 && len(r.Starved()) == 0
}

// Comparison is a multi-org run against a single org run the same way.
type Comparison struct {
	RSSPerExtraOrgMiB float64 // (peak RSS − the single org's) / (orgs − 1)
	CPUPerEventX      float64 // µs per event / the single org's
	// IdleCPUPerExtraOrgMin (ms per minute) and IdleRSSPerExtraOrgMiB are the idle figures' growth per
	// additional org; NaN when either run has none.
	IdleCPUPerExtraOrgMin float64
	IdleRSSPerExtraOrgMiB float64
}

// Compare returns the comparison with the baseline; false when there is none to make.
func (r OrgsResult) Compare() (Comparison, bool) {
	b := r.Baseline
	if b == nil || r.Orgs <= b.Orgs {
		return Comparison{}, false
	}
	extra := float64(r.Orgs - b.Orgs)
	c := Comparison{
		RSSPerExtraOrgMiB:     (r.PeakRSSMiB() - b.PeakRSSMiB()) / extra,
		CPUPerEventX:          ratio(r.MicrosPerEvent(), r.cpuBaseline().MicrosPerEvent()),
		IdleCPUPerExtraOrgMin: nan(),
		IdleRSSPerExtraOrgMiB: nan(),
	}
	if r.Idle != nil && b.Idle != nil {
		perMin := func(x *IdleFigures) float64 { return ratio(ms(x.CPU), x.Duration.Minutes()) }
		c.IdleCPUPerExtraOrgMin = (perMin(r.Idle) - perMin(b.Idle)) / extra
		c.IdleRSSPerExtraOrgMiB = (kibToMiB(r.Idle.RSSKiB) - kibToMiB(b.Idle.RSSKiB)) / extra
	}
	return c, true
}

// GoalsMet reports whether the comparison meets the goals of peak RSS per additional org and CPU
// per event.
func (c Comparison) GoalsMet() bool {
	return c.RSSPerExtraOrgMiB <= GoalRSSPerOrgMiB && c.CPUPerEventX <= GoalCPUPerEventX
}

// Summary is the one line to grep for; sizes are in MiB, idle CPU in ms per org per minute.
func (r OrgsResult) Summary() string {
	worst, gap := r.WorstGap()
	worstName := "none"
	if worst >= 0 {
		worstName = orgName(worst)
	}
	idleCPU, idleRSS := "n/a", "n/a"
	if r.Idle != nil {
		idleCPU, idleRSS = fmt.Sprintf("%.2f", r.IdleCPUPerOrgMin()), fmt.Sprintf("%.1f", kibToMiB(r.Idle.RSSKiB))
	}
	s := fmt.Sprintf("%s orgs=%d events_per_org=%d delivered=%d missing=%d duplicates=%d unknown=%d starved=%d worst_gap_s=%.1f worst_org=%s catch_up_s=%.1f cpu_s=%.2f us_per_event=%.1f peak_rss_mb=%.1f idle_cpu_ms_per_org_min=%s idle_rss_mb=%s pages_in_flight=%d",
		orgsSummaryPrefix, r.Orgs, r.Events, r.Delivered(), r.Missing(), r.Duplicates(), r.Unknown, len(r.Starved()), gap.Seconds(), worstName,
		r.CatchUp().Seconds(), r.Usage.CPU().Seconds(), r.MicrosPerEvent(), r.PeakRSSMiB(), idleCPU, idleRSS, r.PagesInFlight)
	if c, ok := r.Compare(); ok {
		goals := "not_met"
		if c.GoalsMet() {
			goals = "met"
		}
		s += fmt.Sprintf(" baseline_peak_rss_mb=%.1f rss_per_extra_org_mb=%.2f baseline_us_per_event=%.1f cpu_per_event_x=%.2f idle_cpu_ms_per_extra_org_min=%s idle_rss_per_extra_org_mb=%s goals=%s",
			r.Baseline.PeakRSSMiB(), c.RSSPerExtraOrgMiB, r.cpuBaseline().MicrosPerEvent(), c.CPUPerEventX, num(c.IdleCPUPerExtraOrgMin, 2), num(c.IdleRSSPerExtraOrgMiB, 2), goals)
	}
	if r.Troubles.Total() > 0 {
		s += fmt.Sprintf(" troubled=%s healthy_orgs=%d", r.Troubles, r.HealthyOrgs())
	}
	if r.Live > 0 {
		s += fmt.Sprintf(" live_s=%.0f live_events=%d live_p50_s=%.2f live_p99_s=%.2f live_max_s=%.2f",
			r.Live.Seconds(), r.LiveLag.Measured, r.LiveLag.P50.Seconds(), r.LiveLag.P99.Seconds(), r.LiveLag.Max.Seconds())
	}
	if h := r.Healthy; h != nil {
		s += fmt.Sprintf(" all_healthy_live_p99_s=%.2f all_healthy_missing=%d all_healthy_duplicates=%d all_healthy_peak_rss_mb=%.1f all_healthy_us_per_event=%.1f run_us_per_event=%.1f all_healthy_run_us_per_event=%.1f",
			h.LiveLag.P99.Seconds(), h.Missing(), h.Duplicates(), h.PeakRSSMiB(), h.MicrosPerEvent(), r.RunMicrosPerEvent(), h.RunMicrosPerEvent())
	}
	return s + fmt.Sprintf(" ok=%t", r.OK())
}

// troubleLines writes what the troubled orgs had, the live lag, and the comparison with the all-healthy run.
func (r OrgsResult) troubleLines(line func(label, format string, args ...any)) {
	if r.Troubles.Total() > 0 {
		d := r.TroubledDelivery()
		what := map[string]string{
			TroubleSlow:        fmt.Sprintf("slow orgs send each answer's body over %s", DribbleOver),
			TroubleBlocked:     "blocked orgs export to a backend that answers 503",
			TroubleRateLimited: fmt.Sprintf("rate-limited orgs allow %d requests per window", TroubledRateLimit),
			TroubleBroken:      "broken orgs' tokens are refused",
		}
		var parts, whats []string
		for _, k := range TroubleKinds {
			if n := r.Troubles[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s (%d of %d events delivered, %d duplicates)", n, k, d[k][0], d[k][1], d[k][2]))
				whats = append(whats, what[k])
			}
		}
		line("troubled", "%s: %s; the figures here are the %d healthy orgs'", strings.Join(parts, ", "), strings.Join(whats, ", "), r.HealthyOrgs())
	}
	if r.Live > 0 {
		line("live lag", "%d live events of the healthy orgs published in the %s after the catch-up: p50 %.2f s, p99 %.2f s, max %.2f s (poll_interval %s)",
			r.LiveLag.Measured, r.Live, r.LiveLag.P50.Seconds(), r.LiveLag.P99.Seconds(), r.LiveLag.Max.Seconds(), r.PollInterval)
	}
	if h := r.Healthy; h != nil {
		line("vs all healthy", "the healthy orgs' live p99 %.2f → %.2f s, missing %d → %d, duplicates %d → %d; peak RSS %.1f → %.1f MiB; CPU per event to the catch-up %.1f → %.1f µs; CPU over the run %.2f → %.2f s (%.1f → %.1f µs per event delivered)",
			h.LiveLag.P99.Seconds(), r.LiveLag.P99.Seconds(), h.Missing(), r.Missing(), h.Duplicates(), r.Duplicates(),
			h.PeakRSSMiB(), r.PeakRSSMiB(), h.MicrosPerEvent(), r.MicrosPerEvent(), h.Usage.CPU().Seconds(), r.Usage.CPU().Seconds(),
			h.RunMicrosPerEvent(), r.RunMicrosPerEvent())
	}
}

// Format writes the report: one figure a line, then the summary line.
func (r OrgsResult) Format(w io.Writer) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-16s %s\n", label, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "oktabench: %s\n", r.title())
	limit := "no rate limit"
	if r.RateLimit > 0 {
		limit = fmt.Sprintf("a rate limit of %d requests per %s", r.RateLimit, r.RateWindow)
	}
	until := "until the catch-up"
	if r.Live > 0 {
		until += fmt.Sprintf(" and %s after it", r.Live)
	}
	line("orgs", "%d in one collector, each a simulator on its own loopback address (%s) with its own token, a backlog of %d events, %s and a live stream of %g events/s %s",
		r.Orgs, r.hosts(), r.Events, limit, r.StreamRate, until)
	line("pipeline", "%s", r.pipelineLine())
	line("delivered", "%d of the %d events in the %ss' ledgers (%d backlog, %d streamed): %d missing, %d duplicates, %d not from any org",
		r.Delivered(), r.Ledger(), r.orgWord(), r.HealthyOrgs()*r.Events, r.Ledger()-r.HealthyOrgs()*r.Events, r.Missing(), r.Duplicates(), r.Unknown)
	r.troubleLines(line)
	if ups := r.catchUps(); len(ups) == r.HealthyOrgs() && len(ups) > 0 {
		line("catch-up", "every %s delivered its backlog %.1f s after the collector's start (the first org after %.1f s, the median after %.1f s)",
			r.orgWord(), r.CatchUp().Seconds(), ups[0].Seconds(), ups[len(ups)/2].Seconds())
	} else {
		line("catch-up", "NOT REACHED: %d of %d %ss delivered their backlog", len(ups), r.HealthyOrgs(), r.orgWord())
	}
	worst, gap := r.WorstGap()
	if worst >= 0 {
		starved := "none"
		if s := r.Starved(); len(s) > 0 {
			names := make([]string, len(s))
			for i, o := range s {
				names[i] = orgName(o)
			}
			starved = fmt.Sprintf("%d: %s", len(s), strings.Join(names, ", "))
		}
		line("starvation", "the longest an org went without delivering while it had a backlog: %.1f s (%s); orgs over %s: %s",
			gap.Seconds(), orgName(worst), StarveLimit, starved)
	}
	line("cpu", "%.2f s (user %.2f, system %.2f); %.2f s of it from the first Okta request (%.2f s after the start) to the catch-up",
		r.Usage.CPU().Seconds(), r.Usage.User.Seconds(), r.Usage.System.Seconds(), r.CatchUpCPU().Seconds(), r.FirstRequest.Sub(r.Started).Seconds())
	line("cpu per event", "%.1f µs over the %d records that arrived by the catch-up", r.MicrosPerEvent(), r.RecordsCaughtUp)
	line("peak rss", "%.1f MiB (VmHWM %.1f MiB, largest VmRSS sampled %.1f MiB; rusage maxrss %.1f MiB%s)",
		r.PeakRSSMiB(), kibToMiB(r.Usage.HWMKiB), kibToMiB(r.Usage.MaxSampled), kibToMiB(r.Usage.MaxRSSKiB),
		Result{Usage: r.Usage, HarnessHWMKiB: r.HarnessHWMKiB}.maxRSSNote())
	if curve := r.rssCurve(); curve != "" {
		line("rss over time", "%s", curve)
	}
	if i := r.Idle; i != nil {
		line("idle", "%.0f s with every org caught up and idle: %.3f s CPU (%.2f ms per org per minute), VmRSS %.1f MiB at the end (%.2f MiB per org), %d Okta requests",
			i.Duration.Seconds(), i.CPU.Seconds(), r.IdleCPUPerOrgMin(), kibToMiB(i.RSSKiB), kibToMiB(i.RSSKiB)/float64(max(r.Orgs, 1)), i.Requests)
	}
	line("okta requests", "%d (%d refused with 429 for a spent window)", r.Requests, r.RateLimited)
	if r.ExportRetries > 0 {
		line("export retries", "%d: the exporter retried an export that failed (a timeout counts; see the collector's log), and the sink may have counted the first attempt too", r.ExportRetries)
	}
	line("harness cpu", "%.2f s (simulators, TLS and sink in the bench process, on the same CPUs)", r.HarnessCPU.Seconds())
	line("other load", "%.2f s of CPU used by other processes during the run, of %.2f s the CPUs offered%s",
		r.OthersCPU.Seconds(), r.MachineCPU.Seconds(), Result{MachineCPU: r.MachineCPU, OthersCPU: r.OthersCPU}.busyNote())
	if r.SinkRequests > 0 {
		line("export", "%d requests, %.1f MiB as sent (%.0f bytes/event)", r.SinkRequests, float64(r.SinkBytes)/(1<<20), ratio(float64(r.SinkBytes), float64(r.Tally.Records)))
	}
	line("setup", "%.1f s to generate and store the backlogs", r.Setup.Seconds())
	line("machine", "%s", r.Machine)
	if c, ok := r.Compare(); ok {
		b := r.Baseline
		line("vs 1 org", "peak RSS %.1f (1 org run the same way) → %.1f MiB: %.2f MiB per additional org (goal ≤ %g): %s",
			b.PeakRSSMiB(), r.PeakRSSMiB(), c.RSSPerExtraOrgMiB, GoalRSSPerOrgMiB, verdict(c.RSSPerExtraOrgMiB <= GoalRSSPerOrgMiB))
		cb := r.cpuBaseline()
		line("", "CPU per event %.1f µs (1 org, a backlog of %d) → %.1f µs: ×%.2f (goal ≤ ×%g): %s",
			cb.MicrosPerEvent(), cb.Events, r.MicrosPerEvent(), c.CPUPerEventX, GoalCPUPerEventX, verdict(c.CPUPerEventX <= GoalCPUPerEventX))
		line("", "idle: %s ms CPU per additional org per minute, %s MiB VmRSS per additional org",
			num(c.IdleCPUPerExtraOrgMin, 2), num(c.IdleRSSPerExtraOrgMiB, 2))
	}
	fmt.Fprintln(w, r.Summary())
}

func nan() float64 { return math.NaN() }

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}

func (r OrgsResult) title() string {
	switch {
	case r.OK():
		return fmt.Sprintf("%d orgs in one collector: every event delivered once, no org starved", r.Orgs)
	case !r.Complete:
		return fmt.Sprintf("FAILED: %d orgs in one collector did not deliver every event in time", r.Orgs)
	default:
		return fmt.Sprintf("FAILED: %d orgs in one collector: events missing, repeated or foreign, or an org starved", r.Orgs)
	}
}

// hosts names the orgs' addresses: the first, and the last when there are more.
func (r OrgsResult) hosts() string {
	switch r.Orgs {
	case 0:
		return "none"
	case 1:
		return OrgHost(0)
	}
	return OrgHost(0) + " … " + OrgHost(r.Orgs-1)
}

func (r OrgsResult) pipelineLine() string {
	recv := fmt.Sprintf("%d × okta (page_size %d, poll_interval %s", r.Orgs, PageSize, r.PollInterval)
	if r.PagesInFlight > 0 {
		recv += fmt.Sprintf(", pages_in_flight %d", r.PagesInFlight)
	}
	recv += ", body " + r.Body + ")"
	res := Result{Exporter: ExporterOTLPHTTP, Compression: r.Compression, GzipLevel: r.GzipLevel, Queue: r.Queue, Batch: r.Batch}
	_, rest, _ := strings.Cut(res.pipelineLine(), " → ")
	return recv + " → " + rest
}

// rssCurve is the VmRSS at each fifth of the run up to the catch-up (or the stop).
func (r OrgsResult) rssCurve() string {
	end := r.CaughtUp
	if end.IsZero() {
		end = r.Stopped
	}
	return Result{Usage: r.Usage, Started: r.Started, Stopped: end}.rssCurve()
}

// orgName is org i's name in the report, as in its receiver's id.
func orgName(i int) string { return fmt.Sprintf("org%d", i+1) }
