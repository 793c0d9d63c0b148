package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// OrgsParams are the settings of a multi-org run: one collector with a receiver per simulated org.
type OrgsParams struct {
	Collector   string
	Orgs        int
	Events      int    // each org's backlog
	Body        string // map or raw
	Compression string // otlp_http compression
	GzipLevel   int
	Consumers   int // sending_queue.num_consumers; 0: the exporter's default
	QueueSize   int // sending_queue.queue_size, blocking; 0: the exporter's default
	NoQueue     bool
	Batch       bool
	// PollInterval is every receiver's poll_interval.
	PollInterval time.Duration
	// StreamRate is each org's live events per second, from the collector's start to the catch-up.
	StreamRate float64
	// Idle is how long the caught-up collector is measured with every org idle; 0 skips it.
	Idle time.Duration
	// PagesInFlight, when > 0, is written as pages_in_flight in every receiver.
	PagesInFlight int
	// RateLimit is each org's System Log requests per RateWindow; 0: unlimited.
	RateLimit  int
	RateWindow time.Duration
	// Troubles, when some, give the first orgs trouble (see TroubleKinds): the run's figures are then the
	// healthy orgs', and the catch-up theirs.
	Troubles Troubles
	// Live, when > 0, keeps the live streams going for that long after the catch-up, and the lag of the
	// healthy orgs' events published then is measured.
	Live time.Duration
	// Timeout is the longest wait for every org to catch up.
	Timeout  time.Duration
	Seed     uint64
	Progress io.Writer // progress lines; nil for none
}

// StarveLimit is the longest an org may go without progress while it has a backlog.
const StarveLimit = time.Minute

// exportRetryLine is what the exporter logs when it retries a failed export.
const exportRetryLine = "Exporting failed. Will retry"

// countExportRetries counts the collector's log lines that say the exporter retries an export.
func countExportRetries(n *atomic.Int64) func(time.Time, string) {
	return func(_ time.Time, line string) {
		if strings.Contains(line, exportRetryLine) {
			n.Add(1)
		}
	}
}

// drainMargin is how long, beyond poll_interval, the stream's last events may take to arrive.
const drainMargin = 30 * time.Second

// StartOrgs starts p.Orgs simulated orgs: org i listens on OrgHost(i) with its own token, seed,
// backlog and rate limit; one certificate, written to dir, names them all.
func StartOrgs(ctx context.Context, p OrgsParams, dir string, progress func(org, added, total int)) ([]*Org, error) {
	hosts := make([]string, p.Orgs)
	for i := range hosts {
		hosts[i] = OrgHost(i)
	}
	cert, err := NewLoopbackCert(hosts, dir)
	if err != nil {
		return nil, err
	}
	orgs := make([]*Org, 0, p.Orgs)
	trouble := p.Troubles.Assign(p.Orgs)
	for i, host := range hosts {
		o := OrgOptions{Events: p.Events, Span: 48 * time.Hour, Seed: p.Seed + uint64(i), RateLimit: p.RateLimit, RateWindow: p.RateWindow,
			Token: orgToken(i), Host: host, TLS: cert}
		switch trouble[i] {
		case TroubleSlow:
			o.Dribble = DribbleOver
		case TroubleRateLimited:
			o.RateLimit = TroubledRateLimit
		}
		if progress != nil {
			o.Progress = func(added, total int) { progress(i, added, total) }
		}
		org, err := StartOrg(ctx, o, dir)
		if err != nil {
			CloseOrgs(orgs)
			return nil, fmt.Errorf("org %d of %d: %w", i+1, p.Orgs, err)
		}
		orgs = append(orgs, org)
	}
	return orgs, nil
}

// CloseOrgs stops serving every org.
func CloseOrgs(orgs []*Org) {
	for _, o := range orgs {
		o.Close()
	}
}

// orgToken is org i's API token: each org accepts its own alone.
func orgToken(i int) string { return fmt.Sprintf("%s-org%d", Token, i+1) }

// cpuMark is the collector's CPU time, read once, at a moment of the run.
type cpuMark struct {
	once    sync.Once
	at      time.Time
	cpu     time.Duration
	records int
}

func (m *cpuMark) take(pid int, records func() int) {
	m.once.Do(func() {
		m.at = time.Now()
		if pid > 0 {
			m.cpu, _ = processCPU(pid)
		}
		if records != nil {
			m.records = records()
		}
	})
}

// RunOrgs runs the collector with a receiver per org and a fresh checkpoint, in a new directory
// under dir, while each org streams live events; it waits until every org has delivered its
// backlog (the catch-up), stops the streams, waits until every org's ledger has arrived, measures
// the collector idle for p.Idle, stops it with SIGTERM and checks each org's ledger against the
// arrivals. On an error the result holds what was measured; its Started is zero when nothing ran.
func RunOrgs(ctx context.Context, p OrgsParams, orgs []*Org, dir string) (res OrgsResult, logPath string, err error) {
	runDir, err := os.MkdirTemp(dir, fmt.Sprintf("orgs-%d-", len(orgs)))
	if err != nil {
		return res, "", err
	}
	storage := filepath.Join(runDir, "storage")
	if err := os.Mkdir(storage, 0o700); err != nil {
		return res, "", err
	}
	cfgPath, logPath := filepath.Join(runDir, "config.yaml"), filepath.Join(runDir, "collector.log")
	log, err := os.Create(logPath)
	if err != nil {
		return res, logPath, err
	}
	defer log.Close()

	var pid atomic.Int64
	var first, caughtUp cpuMark
	trouble := p.Troubles.Assign(len(orgs))
	tally := NewTally(0)
	orgTally := NewOrgTally(time.Now(), healthyOnly(ledgers(orgs), trouble), func(time.Time) {
		caughtUp.take(int(pid.Load()), func() int { return tally.Snapshot().Records })
	})
	sink := NewSink(tally)
	sink.Orgs = orgTally
	lags := NewUIDLatency()
	sink.Lags = lags
	if err := sink.Start(); err != nil {
		return res, logPath, err
	}
	defer sink.Close()
	cfg := CollectorConfig{StorageDir: storage, Body: p.Body, PageSize: PageSize, PollInterval: p.PollInterval,
		Batch: p.Batch, Exporter: ExporterOTLPHTTP, SinkURL: sink.URL, Compression: p.Compression, GzipLevel: p.GzipLevel,
		Consumers: p.Consumers, QueueSize: p.QueueSize, NoQueue: p.NoQueue, PagesInFlight: p.PagesInFlight}
	if p.Troubles[TroubleBlocked] > 0 {
		// The blocked orgs' backend: down for the whole run.
		blockedSink := NewSink(NewTally(0))
		blockedSink.SetDown(true)
		if err := blockedSink.Start(); err != nil {
			return res, logPath, err
		}
		defer blockedSink.Close()
		cfg.BlockedSinkURL = blockedSink.URL
	}
	for i, o := range orgs {
		token := o.Token
		if trouble[i] == TroubleBroken {
			token = "revoked-" + o.Token
		}
		cfg.Orgs = append(cfg.Orgs, OrgEndpoint{URL: o.URL, CAFile: o.CAFile, Token: token, Blocked: trouble[i] == TroubleBlocked})
		o.OnRequest(func() { first.take(int(pid.Load()), nil) })
		o.Timing()
	}
	if err := os.WriteFile(cfgPath, []byte(cfg.YAML()), 0o600); err != nil {
		return res, logPath, err
	}
	requestsBefore, limitedBefore := orgRequests(orgs)

	runtime.GC() // the backlogs' garbage is not collected on the collector's time
	mark := markHarness()
	var exportRetries atomic.Int64
	col, err := StartCollector(p.Collector, cfgPath, log, countExportRetries(&exportRetries))
	if err != nil {
		return res, logPath, err
	}
	pid.Store(int64(col.cmd.Process.Pid))
	res = OrgsResult{Orgs: len(orgs), Events: p.Events, Body: p.Body, Compression: p.Compression, GzipLevel: p.GzipLevel,
		Queue: queueSetting(Params{Consumers: p.Consumers, QueueSize: p.QueueSize, NoQueue: p.NoQueue}), Batch: p.Batch,
		PollInterval: p.PollInterval, StreamRate: p.StreamRate, PagesInFlight: p.PagesInFlight, RateLimit: p.RateLimit,
		RateWindow: p.RateWindow, Started: col.Started, Troubles: p.Troubles, Trouble: trouble, Live: p.Live}

	streamCtx, stopStreams := context.WithCancel(ctx)
	streamed := make(chan int, len(orgs))
	for i, o := range orgs {
		if p.StreamRate <= 0 {
			streamed <- 0
			continue
		}
		go func() { streamed <- stream(streamCtx, o.Sim, streamSeed+uint64(i), p.StreamRate) }()
	}
	waitErr := waitOrgs(ctx, col, p.Timeout, func() bool { return orgTally.Left() == 0 }, func(now time.Time) {
		if p.Progress != nil {
			fmt.Fprintf(p.Progress, "oktabench: %d of %d orgs caught up, %d backlog events to go, after %.0f s\n",
				orgTally.OrgsCaughtUp(), len(orgs), orgTally.Left(), now.Sub(col.Started).Seconds())
		}
	})
	if waitErr == nil && p.Live > 0 {
		liveFrom := time.Now()
		lags.From(liveFrom)
		if p.Progress != nil {
			fmt.Fprintf(p.Progress, "oktabench: the healthy orgs caught up after %.1f s; measuring their live events' lag for %s\n",
				liveFrom.Sub(col.Started).Seconds(), p.Live)
		}
		waitErr = waitOrgs(ctx, col, p.Live+time.Minute, func() bool { return time.Since(liveFrom) >= p.Live }, nil)
	}
	stopStreams()
	for range orgs {
		res.Streamed += <-streamed
	}
	res.CaughtUp = orgTally.CaughtUp()
	if waitErr == nil {
		if p.Progress != nil {
			fmt.Fprintf(p.Progress, "oktabench: every org caught up after %.1f s; live streams stopped, waiting for their last events\n",
				res.CaughtUp.Sub(col.Started).Seconds())
		}
		final := healthyOnly(ledgers(orgs), trouble)
		waitErr = waitOrgs(ctx, col, p.PollInterval+drainMargin, func() bool { return orgTally.Missing(final) == 0 }, nil)
		res.Drained = time.Now()
	}
	if waitErr == nil && p.Idle > 0 {
		if p.Progress != nil {
			fmt.Fprintf(p.Progress, "oktabench: every event delivered; measuring %s idle\n", p.Idle)
		}
		res.Idle, waitErr = measureIdle(ctx, col, orgs, p.Idle)
	}
	res.Stopped = time.Now()
	usage, stopErr := col.Stop(stopGrace)
	res.HarnessCPU, res.MachineCPU, res.OthersCPU = mark.since(usage.CPU())
	res.HarnessHWMKiB = mark.hwmKiB
	res.Usage = usage
	res.Tally = tally.Snapshot()
	all := ledgers(orgs)
	res.PerOrg, res.Unknown = orgTally.Figures(all, res.Stopped)
	if p.Live > 0 {
		var healthy []string
		for _, uids := range healthyOnly(all, trouble) {
			healthy = append(healthy, uids...)
		}
		res.LiveLag = lagFigures(lags.Of(healthy))
	}
	res.FirstRequest, res.CPUFirstRequest = first.at, first.cpu
	res.CPUCaughtUp, res.RecordsCaughtUp = caughtUp.cpu, caughtUp.records
	requestsAfter, limitedAfter := orgRequests(orgs)
	res.Requests, res.RateLimited = requestsAfter-requestsBefore, limitedAfter-limitedBefore
	res.SinkRequests, res.SinkBytes = sink.Requests()
	res.ExportRetries = int(exportRetries.Load())
	res.Complete = waitErr == nil && !res.CaughtUp.IsZero() && !res.Drained.IsZero()
	return res, logPath, errors.Join(waitErr, stopErr)
}

// healthyOnly returns the ledgers with the troubled orgs' left empty.
func healthyOnly(ledgers [][]string, trouble []string) [][]string {
	out := make([][]string, len(ledgers))
	for i, l := range ledgers {
		if i >= len(trouble) || trouble[i] == "" {
			out[i] = l
		}
	}
	return out
}

// ledgers returns every org's ledger, in the orgs' order.
func ledgers(orgs []*Org) [][]string {
	out := make([][]string, len(orgs))
	for i, o := range orgs {
		out[i] = o.Sim.Ledger()
	}
	return out
}

// orgRequests sums the orgs' System Log requests and their 429s for a spent window.
func orgRequests(orgs []*Org) (requests, limited int) {
	for _, o := range orgs {
		st := o.Sim.Stats()
		requests += st.Requests
		limited += st.RateLimited
	}
	return requests, limited
}

// waitOrgs polls done every 100 ms until it holds; it fails when ctx ends, the collector exits
// or timeout passes. tick, when set, is called every 10 s.
func waitOrgs(ctx context.Context, col *Collector, timeout time.Duration, done func() bool, tick func(now time.Time)) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	last := time.Now()
	for !done() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-col.Exited():
			return fmt.Errorf("the collector exited before the run was over (%w)", col.waitErr)
		case <-deadline.C:
			return fmt.Errorf("timed out after %s", timeout)
		case now := <-t.C:
			if tick != nil && now.Sub(last) >= 10*time.Second {
				last = now
				tick(now)
			}
		}
	}
	return nil
}

// IdleFigures are the caught-up collector measured with every org idle.
type IdleFigures struct {
	Duration time.Duration
	CPU      time.Duration // the collector's CPU time in that span
	RSSKiB   int64         // its VmRSS at the end
	Requests int           // the System Log requests the orgs answered in that span
}

// measureIdle measures the collector for d while no org has anything new.
func measureIdle(ctx context.Context, col *Collector, orgs []*Org, d time.Duration) (*IdleFigures, error) {
	pid := col.cmd.Process.Pid
	cpu0, err := processCPU(pid)
	if err != nil {
		return nil, err
	}
	req0, _ := orgRequests(orgs)
	start := time.Now()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-col.Exited():
		return nil, fmt.Errorf("the collector exited while idle (%w)", col.waitErr)
	case <-t.C:
	}
	cpu1, err := processCPU(pid)
	if err != nil {
		return nil, err
	}
	s, err := readSample(pid, time.Now())
	if err != nil {
		return nil, err
	}
	req1, _ := orgRequests(orgs)
	return &IdleFigures{Duration: time.Since(start), CPU: cpu1 - cpu0, RSSKiB: s.RSSKiB, Requests: req1 - req0}, nil
}
