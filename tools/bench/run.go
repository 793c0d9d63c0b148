package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PageSize is the receiver's page_size in every run: the fewest requests per event.
const PageSize = 1000

// Params are the settings of one run.
type Params struct {
	Collector   string // the otelcol-okta binary
	Events      int    // the backlog the org holds
	Body        string // map or raw
	Exporter    string // ExporterOTLPHTTP or ExporterDebug
	Compression string // otlp_http compression: gzip or none
	GzipLevel   int    // gzip level 1-9; 0: the exporter's default
	Consumers   int    // sending_queue.num_consumers; 0: the exporter's default
	QueueSize   int    // sending_queue.queue_size with block_on_overflow; 0: the exporter's default
	NoQueue     bool   // sending_queue disabled: the export happens inside the receiver's ConsumeLogs
	Batch       bool
	Timeout     time.Duration  // the longest wait for the backlog (or the rate-limited run)
	Rate        *RateParams    // nil: drain the backlog as fast as the collector can
	Latency     *LatencyParams // nil: no live stream; set: a latency run (Rate must be nil)
	Progress    io.Writer      // progress lines while waiting; nil for none
}

// RateParams make a rate-limited run.
type RateParams struct {
	Limit    int
	Window   time.Duration
	Budget   float64
	Duration time.Duration // 0: until the org saw two full windows
}

// stopGrace is how long the collector may take to stop after SIGTERM.
const stopGrace = 30 * time.Second

// Run starts the collector against org with a fresh checkpoint in a new directory under dir,
// waits until the whole backlog reached the end of the pipeline (or, rate-limited, for the run's
// duration), stops it with SIGTERM and returns the figures and the path of the collector's log.
// On an error the Result holds what was measured; its Started is zero when nothing ran.
func Run(ctx context.Context, p Params, org *Org, dir string) (res Result, logPath string, err error) {
	s, err := newSetup(p, org, dir)
	if err != nil {
		return res, "", err
	}
	defer s.close()
	logPath = s.logPath

	runtime.GC() // the backlog's garbage is not collected on the collector's time
	requestsBefore := org.Sim.Stats().Requests
	org.Timing()
	mark := markHarness()
	col, err := StartCollector(p.Collector, s.cfgPath, s.log, s.onLine)
	if err != nil {
		return res, logPath, err
	}
	res = Result{Events: p.Events, Body: p.Body, Exporter: p.Exporter, Compression: p.Compression, GzipLevel: p.GzipLevel,
		Queue: queueSetting(p), Batch: p.Batch, Started: col.Started}
	var waitErr error
	streamed := 0
	if p.Latency != nil {
		streamed, waitErr = waitLatency(ctx, p, col, s, org)
	} else {
		waitErr = wait(ctx, p, col, s.tally, org)
	}
	res.Stopped = time.Now()
	usage, stopErr := col.Stop(stopGrace)
	res.HarnessCPU, res.MachineCPU, res.OthersCPU = mark.since(usage.CPU())
	res.HarnessHWMKiB = mark.hwmKiB
	res.Org = org.Timing()
	res.Usage = usage
	res.Tally = s.tally.Snapshot()
	res.Complete = p.Rate == nil && !res.Tally.DoneAt.IsZero()
	if p.Latency != nil {
		f := AnalyzeLatency(*p.Latency, streamed, s.latency.Samples())
		res.Latency = &f
		res.Complete = waitErr == nil && f.Missing() == 0
	}
	if s.sink != nil {
		res.SinkRequests, res.SinkBytes = s.sink.Requests()
	}
	if p.Rate != nil {
		st := org.Sim.Stats()
		f := AnalyzeRate(RateInput{Limit: p.Rate.Limit, Window: p.Rate.Window, Budget: p.Rate.Budget, PageSize: PageSize,
			Windows: st.Windows, Requests: st.Requests - requestsBefore, Delivered: res.Delivered(), Counts: s.tally.Samples()})
		res.Rate = &f
	}
	return res, logPath, errors.Join(waitErr, stopErr)
}

// setup is what a run needs before the collector starts: its config file, its log, and the end
// of the pipeline that counts the events.
type setup struct {
	cfgPath, logPath string
	log              *os.File
	tally            *Tally
	sink             *Sink                   // nil with the debug exporter
	latency          *LatencyRecorder        // nil unless a latency run
	onLine           func(time.Time, string) // counts the debug exporter's lines
}

func newSetup(p Params, org *Org, dir string) (*setup, error) {
	runDir, err := os.MkdirTemp(dir, "run-"+p.Body+"-")
	if err != nil {
		return nil, err
	}
	storage := filepath.Join(runDir, "storage")
	if err := os.Mkdir(storage, 0o700); err != nil {
		return nil, err
	}
	target := p.Events
	if p.Rate != nil {
		target = 0
	}
	s := &setup{cfgPath: filepath.Join(runDir, "config.yaml"), logPath: filepath.Join(runDir, "collector.log"), tally: NewTally(target)}
	cfg := CollectorConfig{OrgURL: org.URL, CAFile: org.CAFile, StorageDir: storage, Body: p.Body, PageSize: PageSize,
		Batch: p.Batch, Exporter: p.Exporter, Compression: p.Compression, GzipLevel: p.GzipLevel, Consumers: p.Consumers, QueueSize: p.QueueSize, NoQueue: p.NoQueue}
	if p.Rate != nil {
		cfg.Budget = p.Rate.Budget
	}
	if p.Latency != nil {
		if p.Exporter == ExporterDebug {
			return nil, errors.New("a latency run needs the otlp_http exporter: the sink reads each record's timestamp")
		}
		cfg.PollInterval = p.Latency.PollInterval
		s.latency = NewLatencyRecorder()
	}
	if p.Exporter == ExporterDebug {
		s.onLine = debugRecords(s.tally)
	} else {
		s.sink = NewSink(s.tally)
		s.sink.Latency = s.latency
		if err := s.sink.Start(); err != nil {
			return nil, err
		}
		cfg.SinkURL = s.sink.URL
	}
	if err := os.WriteFile(s.cfgPath, []byte(cfg.YAML()), 0o600); err != nil {
		s.close()
		return nil, err
	}
	if s.log, err = os.Create(s.logPath); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *setup) close() {
	if s.sink != nil {
		s.sink.Close()
	}
	if s.log != nil {
		s.log.Close()
	}
}

// wait returns when the run is over: the backlog delivered, or the rate-limited run's end.
func wait(ctx context.Context, p Params, col *Collector, tally *Tally, org *Org) error {
	deadline := time.NewTimer(p.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	lastProgress := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-col.Exited():
			return fmt.Errorf("the collector exited before the run was over (%v)", col.waitErr) //nolint:errorlint // waitErr may be nil
		case <-deadline.C:
			if p.Rate != nil && p.Rate.Duration == 0 {
				return fmt.Errorf("the org did not see two full rate-limit windows within %s", p.Timeout)
			}
			if p.Rate == nil {
				return fmt.Errorf("timed out after %s: %d of %d events at the end of the pipeline", p.Timeout, tally.Snapshot().Records, p.Events)
			}
			return nil
		case <-tally.Done():
			return nil
		case now := <-tick.C:
			if p.Rate != nil && rateRunOver(p.Rate, col.Started, now, org) {
				return nil
			}
			if p.Progress != nil && now.Sub(lastProgress) >= 10*time.Second {
				lastProgress = now
				fmt.Fprintf(p.Progress, "oktabench: %d events at the end of the pipeline after %.0f s\n",
					tally.Snapshot().Records, now.Sub(col.Started).Seconds())
			}
		}
	}
}

// rateRunOver: the duration passed, or, without one, a fourth window opened (the first, two full
// ones, and the last, which the analysis leaves out).
func rateRunOver(rp *RateParams, started, now time.Time, org *Org) bool {
	if rp.Duration > 0 {
		return now.Sub(started) >= rp.Duration
	}
	return len(org.Sim.Stats().Windows) >= 4
}

// debugLine matches the debug exporter's line for each batch at verbosity basic.
var debugLine = regexp.MustCompile(`"log records": (\d+)`)

// debugRecords counts the records of the debug exporter's log lines into tally.
func debugRecords(tally *Tally) func(time.Time, string) {
	return func(now time.Time, line string) {
		if m := debugLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			tally.Add(now, n, nil)
		}
	}
}

// selfCPU is this process's user plus system time so far.
// harnessMark is where this process's and the machine's CPU counters, and this process's peak RSS, stood when
// a run started its collector.
type harnessMark struct {
	self, busy, total time.Duration
	hwmKiB            int64
}

func markHarness() harnessMark {
	rss, _ := readSample(os.Getpid(), time.Now())
	m := harnessMark{self: selfCPU(), hwmKiB: rss.HWMKiB}
	m.busy, m.total = readMachineCPU()
	return m
}

// since returns, from the mark to now, the CPU this process used, the CPU all CPUs offered, and what
// processes other than this one and the collector (which used collectorCPU) took of it.
func (m harnessMark) since(collectorCPU time.Duration) (harness, machine, others time.Duration) {
	harness = selfCPU() - m.self
	busy, total := readMachineCPU()
	return harness, total - m.total, max(0, busy-m.busy-harness-collectorCPU)
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// queueSetting describes the exporter's sending queue for the report, in its configuration's terms; "" when it
// has the exporter's defaults.
func queueSetting(p Params) string {
	if p.NoQueue {
		return "sending_queue disabled"
	}
	var parts []string
	if p.Consumers != 0 {
		parts = append(parts, fmt.Sprintf("num_consumers %d", p.Consumers))
	}
	if p.QueueSize != 0 {
		parts = append(parts, fmt.Sprintf("queue_size %d, blocking", p.QueueSize))
	}
	if len(parts) == 0 {
		return ""
	}
	return "sending_queue " + strings.Join(parts, ", ")
}
