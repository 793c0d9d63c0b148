// Command oktabench measures the otelcol-okta distribution end to end: it fills an in-process
// Okta simulator (HTTPS on 127.0.0.1) with a backlog, runs the collector against it with an
// OTLP/HTTP sink (or the debug exporter) at the end of the pipeline, and reports wall time,
// events/s, CPU time per event and peak RSS. With -rate-limit the simulator enforces a rate limit
// and the report shows how the receiver's rate_limit_budget used it. With -latency the receiver
// (poll_interval 5s) first catches up with a small backlog, then the simulator persists live events
// for that long and the report gives their latency from persistence to the sink, p50 to max, with
// PASS when the p99 is within poll_interval + 2 s and every event arrived. `make bench` builds the
// distribution and runs it; pass flags with BENCH_FLAGS.
//
// Usage:
//
//	oktabench [-collector _build/otelcol-okta] [-events 100000] [-body map|raw|both]
//	          [-exporter otlp_http|debug] [-compression gzip|zstd|none] [-consumers 10] [-queue-size 0] [-no-queue] [-gzip-level 0]
//	          [-batch] [-timeout 10m]
//	          [-rate-limit N [-window 60s] [-budget 0.5] [-duration 0]]
//	          [-latency DURATION [-stream-rate 20] [-poll-interval 5s]] [-seed 1] [-keep]
//
// Each run prints its figures, one a line, then a summary line starting "bench:" (or
// "bench-ratelimit:"; "bench: mode=latency" for a latency run). The exit status is 1 when a run failed or did not deliver every event, or a latency run did not pass.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/datableio/oktareceiver/internal/bench"
)

// options are the parsed command line.
type options struct {
	params         bench.Params
	rate           bench.RateParams
	latency        bench.LatencyParams
	bodies         []string
	events         int
	seed           uint64
	keep           bool
	explicitEvents bool
}

func parseFlags(args []string) (options, error) {
	var o options
	p := &o.params
	fs := flag.NewFlagSet("oktabench", flag.ContinueOnError)
	fs.StringVar(&p.Collector, "collector", "_build/otelcol-okta", "the otelcol-okta binary")
	fs.IntVar(&o.events, "events", 100000, "events in the org's backlog, published over the last 48 h (rate-limited runs: default enough for the run)")
	body := fs.String("body", "map", "the receiver's body mode: map, raw, or both (two runs)")
	fs.StringVar(&p.Exporter, "exporter", bench.ExporterOTLPHTTP, "otlp_http (to an OTLP/HTTP sink in this process) or debug (verbosity basic: no export cost)")
	fs.StringVar(&p.Compression, "compression", "gzip", "otlp_http compression: gzip (its default), zstd or none")
	fs.IntVar(&p.Consumers, "consumers", 0, "otlp_http sending_queue.num_consumers; 0 keeps the exporter's default (10)")
	fs.IntVar(&p.QueueSize, "queue-size", 0, "otlp_http sending_queue.queue_size in requests (pages), with block_on_overflow; 0 keeps the exporter's default (1000)")
	fs.BoolVar(&p.NoQueue, "no-queue", false, "otlp_http sending_queue.enabled: false: the receiver waits for each export (-consumers and -queue-size unused)")
	fs.IntVar(&p.GzipLevel, "gzip-level", 0, "with -compression gzip: the level, 1 (fastest) to 9; 0 keeps the exporter's default (6)")
	fs.BoolVar(&p.Batch, "batch", false, "put a batch processor (its defaults) in the pipeline")
	fs.DurationVar(&p.Timeout, "timeout", 10*time.Minute, "the longest wait for the backlog to reach the end of the pipeline")
	fs.IntVar(&o.rate.Limit, "rate-limit", 0, "rate-limited run: the org's System Log requests per window (0: unlimited, drain the backlog)")
	fs.DurationVar(&o.rate.Window, "window", time.Minute, "with -rate-limit: the rate-limit window")
	fs.Float64Var(&o.rate.Budget, "budget", 0.5, "with -rate-limit: the receiver's rate_limit_budget")
	fs.DurationVar(&o.rate.Duration, "duration", 0, "with -rate-limit: how long to run (0: until two full windows were seen, about 3 windows)")
	fs.DurationVar(&o.latency.Duration, "latency", 0, "latency run: stream live events for this long once the receiver caught up with a small backlog, and report their latency to the sink (0: drain a backlog)")
	fs.Float64Var(&o.latency.StreamRate, "stream-rate", 20, "with -latency: live events per second")
	fs.DurationVar(&o.latency.PollInterval, "poll-interval", 5*time.Second, "with -latency: the receiver's poll_interval (a drain uses 1s)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the generated events")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (configs, collector logs)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) { o.explicitEvents = o.explicitEvents || f.Name == "events" })
	switch *body {
	case "map", "raw":
		o.bodies = []string{*body}
	case "both":
		o.bodies = []string{"map", "raw"}
	default:
		return o, fmt.Errorf("-body must be map, raw or both, not %q", *body)
	}
	if p.Exporter != bench.ExporterOTLPHTTP && p.Exporter != bench.ExporterDebug {
		return o, fmt.Errorf("-exporter must be otlp_http or debug, not %q", p.Exporter)
	}
	if p.Compression != "gzip" && p.Compression != "zstd" && p.Compression != "none" {
		return o, fmt.Errorf("-compression must be gzip, zstd or none, not %q", p.Compression)
	}
	if p.NoQueue && (p.Consumers != 0 || p.QueueSize != 0) {
		return o, errors.New("-no-queue leaves no queue for -consumers or -queue-size")
	}
	if p.GzipLevel < 0 || p.GzipLevel > 9 || (p.GzipLevel != 0 && p.Compression != "gzip") {
		return o, errors.New("-gzip-level must be 1-9, with -compression gzip")
	}
	if o.events < 1 {
		return o, errors.New("-events must be at least 1")
	}
	if o.rate.Limit < 0 || o.rate.Window <= 0 || o.rate.Duration < 0 || !(o.rate.Budget > 0 && o.rate.Budget <= 1) {
		return o, errors.New("-rate-limit must be >= 0, -window > 0, -duration >= 0 and -budget in (0, 1]")
	}
	if o.rate.Limit > 0 {
		p.Rate = &o.rate
		if !o.explicitEvents {
			o.events = rateBacklog(o.rate)
		}
		p.Timeout = max(p.Timeout, o.rate.Duration+time.Minute)
	}
	if o.latency.Duration < 0 || o.latency.StreamRate <= 0 || o.latency.PollInterval <= 0 {
		return o, errors.New("-latency must be >= 0, -stream-rate and -poll-interval > 0")
	}
	if o.latency.Duration > 0 {
		if p.Rate != nil {
			return o, errors.New("-latency and -rate-limit are separate runs")
		}
		if p.Exporter != bench.ExporterOTLPHTTP {
			return o, errors.New("-latency needs -exporter otlp_http: the sink reads each record's timestamp")
		}
		p.Latency = &o.latency
		if !o.explicitEvents {
			o.events = latencyBacklog
		}
	}
	return o, nil
}

// latencyBacklog is a latency run's default backlog: just enough to tell that the receiver caught up.
const latencyBacklog = 100

// rateBacklog is a backlog the receiver cannot exhaust in a rate-limited run: the budget's pages
// for every window the run may see, and two more.
func rateBacklog(r bench.RateParams) int {
	windows := 4
	if r.Duration > 0 {
		windows = int(math.Ceil(float64(r.Duration)/float64(r.Window))) + 1
	}
	perWindow := max(int(math.Floor(r.Budget*float64(r.Limit))), 1)
	return perWindow * bench.PageSize * (windows + 2)
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktabench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktabench:", err)
		os.Exit(1)
	}
}
