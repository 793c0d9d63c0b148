// Command oktabench measures the otelcol-okta distribution end to end: it fills an in-process
// Okta simulator (HTTPS on 127.0.0.1) with a backlog, runs the collector against it with an
// OTLP/HTTP sink (or the debug exporter) at the end of the pipeline, and reports wall time,
// events/s, CPU time per event and peak RSS. With -rate-limit the simulator enforces a rate limit
// and the report shows how the receiver's rate_limit_budget used it. With -latency the receiver
// (poll_interval 5s) first catches up with a small backlog, then the simulator persists live events
// for that long and the report gives their latency from persistence to the sink, p50 to max, with
// PASS when the p99 is within poll_interval + 2 s and every event arrived. With -orgs N one
// collector follows N simulated orgs, each on its own loopback address with its own token, backlog,
// rate limit and live stream, one receiver okta/org<i> each; the report checks every org's events
// against its ledger, the longest an org went without progress while it had a backlog, the time
// until every org caught up, and the collector's CPU and memory while catching up and when idle,
// per additional org against single-org runs first. With -troubled some of the orgs are slow,
// blocked, rate-limited or broken: the run is made once with every org healthy, then with the
// troubles, and reports the healthy orgs' live lag, missing and repeated events, and the collector's
// peak RSS and CPU per event, next to the all-healthy run's. With -baseline another build of the
// collector (an earlier commit's) and -collector drain the same backlog alternately, -rounds rounds,
// and the report gives each run's CPU-seconds per 100k events and drain time and the medians side by
// side (`make bench-pair` builds the baseline and runs it). After the drains (unless -worst-page=false) one
// more run reads the worst page an upstream can send (1000 events as dense as the mapping explodes, within
// the default max_response_body_size) and reports the collector's peak RSS over it next to the page's
// bound ("bench-worst-page:"). `make bench` builds the
// distribution and runs it; pass flags with BENCH_FLAGS.
//
// Usage:
//
//	oktabench [-collector _build/otelcol-okta] [-events 100000] [-body map|raw|both]
//	          [-exporter otlp_http|debug] [-compression gzip|zstd|none] [-consumers 10] [-queue-size 0] [-no-queue] [-gzip-level 0]
//	          [-batch] [-timeout 10m]
//	          [-rate-limit N [-window 60s] [-budget 0.5] [-duration 0]]
//	          [-latency DURATION [-stream-rate 20] [-poll-interval 5s]] [-seed 1] [-keep]
//	oktabench -baseline PATH [-baseline-name NAME] [-rounds 3] [-events 100000] [-body map|raw] [exporter flags]
//	oktabench -orgs N [-orgs-baseline=true] [-events 2000] [-stream-rate 1] [-rate-limit 50 -window 60s]
//	          [-poll-interval 15s] [-idle 60s] [-pages-in-flight 0] [-body map|raw]
//	          [-compression zstd] [-consumers C -queue-size Q] [-batch] [-timeout 10m]
//	          [-troubled slow=2,blocked=2,ratelimited=2,broken=2 [-live 60s]]
//
// In a multi-org run -events, -stream-rate and -rate-limit are each org's; the exporter is otlp_http
// with zstd and no sending queue unless -compression, -consumers or -queue-size say otherwise.
//
// Each run prints its figures, one a line, then a summary line starting "bench:" (or
// "bench-ratelimit:"; "bench: mode=latency" for a latency run, "bench: mode=orgs" for a multi-org
// run; a pair prints one line per run and "bench-pair:"). The exit status is 1 when a run failed or
// did not deliver every event, a latency run did not pass, or a multi-org run missed or repeated an
// event or starved an org.
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

	"github.com/datableio/oktareceiver/tools/bench"
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
	orgs           bench.OrgsParams // a multi-org run when orgs.Orgs > 0
	orgsBaseline   bool
	troubled       string
	// baseline, when set, makes an interleaved pair: this collector and -collector drain the backlog
	// alternately, rounds times each.
	baseline     string
	baselineName string
	rounds       int
	// worstPage makes a run of its own after the drains: the collector's peak memory over the worst page.
	worstPage bool
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
	fs.IntVar(&o.orgs.Orgs, "orgs", 0, "multi-org run: this many simulated orgs, one collector with a receiver okta/org<i> each (0: one org)")
	fs.BoolVar(&o.orgsBaseline, "orgs-baseline", true, "with -orgs N > 1: first run a single org the same way (memory, idle cost) and with the N orgs' events (up to 100,000; CPU per event), and report the figures per additional org against them")
	fs.DurationVar(&o.orgs.Idle, "idle", time.Minute, "with -orgs: how long to measure the collector once every org caught up and went idle (0: not at all)")
	fs.IntVar(&o.orgs.PagesInFlight, "pages-in-flight", 0, "with -orgs: write pages_in_flight: K into every receiver's config (0: leave the key out)")
	fs.StringVar(&o.troubled, "troubled", "", "with -orgs: give the first orgs trouble, kind=count, e.g. slow=2,blocked=2,ratelimited=2,broken=2 (slow: bodies sent over 40 s; blocked: their pipeline's backend answers 503; ratelimited: 2 requests per window; broken: a refused token); the run is made all healthy first, then with the troubles")
	fs.DurationVar(&o.orgs.Live, "live", 0, "with -orgs: keep the live streams going this long after the catch-up and report the healthy orgs' lag (default 60s with -troubled, else 0)")
	fs.StringVar(&o.baseline, "baseline", "", "interleaved pair: this collector (a baseline's build) and -collector drain the same backlog alternately, -rounds rounds, and the report compares their CPU per 100k events and drain time")
	fs.StringVar(&o.baselineName, "baseline-name", "baseline", "with -baseline: the baseline's name in the report (its commit)")
	fs.IntVar(&o.rounds, "rounds", 3, "with -baseline: how many runs of each build")
	fs.BoolVar(&o.worstPage, "worst-page", true, "after the drains: run the collector over one page as costly as an answer within max_response_body_size can be (1000 events as dense as the mapping explodes) and report its peak RSS")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	o.explicitEvents = explicit["events"]
	if err := pairFlags(&o, *body, explicit); err != nil {
		return o, err
	}
	if o.orgs.Orgs != 0 || explicit["orgs-baseline"] || explicit["idle"] || explicit["pages-in-flight"] || explicit["troubled"] || explicit["live"] {
		return o, orgsFlags(&o, *body, explicit)
	}
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

// pairFlags checks an interleaved pair's options: a drain of one body mode, not a rate-limited, latency or
// multi-org run.
func pairFlags(o *options, body string, explicit map[string]bool) error {
	if o.baseline == "" {
		if explicit["rounds"] || explicit["baseline-name"] {
			return errors.New("-rounds and -baseline-name are for a pair: give -baseline")
		}
		return nil
	}
	if o.rounds < 1 {
		return errors.New("-rounds must be at least 1")
	}
	for _, name := range []string{"rate-limit", "latency", "orgs", "troubled"} {
		if explicit[name] {
			return fmt.Errorf("-%s is not for a pair: a pair drains a backlog", name)
		}
	}
	if body != "map" && body != "raw" {
		return fmt.Errorf("-body must be map or raw in a pair, not %q", body)
	}
	return nil
}

// Defaults of a multi-org run.
const (
	orgsBacklog    = 2000
	orgsStreamRate = 1.0
	orgsRateLimit  = 50 // Okta's published /api/v1/logs limit per minute for Enterprise orgs
	orgsPoll       = 15 * time.Second
)

// orgsFlags completes a multi-org run's options: each org's backlog (-events, default 2000), rate
// limit (-rate-limit, default 50 per -window) and live stream (-stream-rate, default 1 event/s),
// every receiver's -poll-interval (default 15s, the receiver's), and the exporter: the otlp_http
// exporter, with zstd and no sending queue unless -compression, -consumers or -queue-size say otherwise.
func orgsFlags(o *options, body string, explicit map[string]bool) (err error) {
	p, op := o.params, &o.orgs
	if op.Orgs < 1 {
		return errors.New("-orgs must be at least 1 with -orgs-baseline, -idle or -pages-in-flight")
	}
	if body != "map" && body != "raw" {
		return fmt.Errorf("-body must be map or raw with -orgs, not %q", body)
	}
	for _, name := range []string{"latency", "duration", "budget"} {
		if explicit[name] {
			return fmt.Errorf("-%s is not for a multi-org run", name)
		}
	}
	if p.Exporter != bench.ExporterOTLPHTTP {
		return errors.New("-orgs needs -exporter otlp_http: the sink counts each org's events by uid")
	}
	if op.Idle < 0 || op.PagesInFlight < 0 {
		return errors.New("-idle and -pages-in-flight must be >= 0")
	}
	op.Collector, op.Body, op.Batch, op.Timeout, op.Seed = p.Collector, body, p.Batch, p.Timeout, o.seed
	op.Events, op.StreamRate, op.RateLimit, op.PollInterval = orgsBacklog, orgsStreamRate, orgsRateLimit, orgsPoll
	if explicit["events"] {
		op.Events = o.events
	}
	if explicit["stream-rate"] {
		op.StreamRate = o.latency.StreamRate
	}
	if explicit["rate-limit"] {
		op.RateLimit = o.rate.Limit
	}
	if explicit["poll-interval"] {
		op.PollInterval = o.latency.PollInterval
	}
	op.RateWindow = o.rate.Window
	if op.Events < 1 || op.StreamRate < 0 || op.RateLimit < 0 || op.RateWindow <= 0 || op.PollInterval <= 0 {
		return errors.New("with -orgs: -events must be >= 1, -stream-rate and -rate-limit >= 0, -window and -poll-interval > 0")
	}
	op.Compression, op.GzipLevel, op.Consumers, op.QueueSize, op.NoQueue = "zstd", p.GzipLevel, p.Consumers, p.QueueSize, true
	if explicit["compression"] {
		op.Compression = p.Compression
	}
	if op.Compression != "gzip" && op.Compression != "zstd" && op.Compression != "none" {
		return fmt.Errorf("-compression must be gzip, zstd or none, not %q", op.Compression)
	}
	if op.GzipLevel < 0 || op.GzipLevel > 9 || (op.GzipLevel != 0 && op.Compression != "gzip") {
		return errors.New("-gzip-level must be 1-9, with -compression gzip")
	}
	if op.Consumers != 0 || op.QueueSize != 0 {
		if explicit["no-queue"] {
			return errors.New("-no-queue leaves no queue for -consumers or -queue-size")
		}
		op.NoQueue = false
	}
	o.orgsBaseline = o.orgsBaseline && op.Orgs > 1
	if op.Troubles, err = bench.ParseTroubles(o.troubled); err != nil {
		return fmt.Errorf("-troubled: %w", err)
	}
	if op.Live < 0 {
		return errors.New("-live must be >= 0")
	}
	if op.Troubles.Total() > 0 {
		if op.Troubles.Total() >= op.Orgs {
			return fmt.Errorf("-troubled gives %d orgs trouble: -orgs %d leaves none healthy to measure", op.Troubles.Total(), op.Orgs)
		}
		if explicit["idle"] || explicit["orgs-baseline"] {
			return errors.New("-troubled compares with the same run all healthy: -idle and -orgs-baseline are not for it")
		}
		if op.StreamRate <= 0 {
			return errors.New("-troubled measures the live events' lag: -stream-rate must be > 0")
		}
		op.Idle, o.orgsBaseline = 0, false
		if !explicit["live"] {
			op.Live = time.Minute
		}
	}
	return nil
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
	runner := run
	switch {
	case o.orgs.Orgs > 0:
		runner = runOrgs
	case o.baseline != "":
		runner = runPair
	}
	err = runner(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktabench:", err)
		os.Exit(1)
	}
}
