//go:build e2e

package e2e

import (
	"cmp"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

// The settings every org of the multi-org tests shares.
const (
	orgPollInterval = time.Second
	// liveLagLimit is the longest a live event of a healthy org may take from its publication to its backend.
	liveLagLimit = orgPollInterval + 5*time.Second
)

// startOrgSimulator runs a simulator for one org: a backlog of backlog events over the last 2 hours and
// rate live events a second, none of them persisted late (so that each live event's lag is its
// delivery's).
func startOrgSimulator(t *testing.T, org, backlog int, rate float64) string {
	t.Helper()
	return runSimulator(t, "-addr", "127.0.0.1:0", "-token", orgToken(org),
		"-backlog", strconv.Itoa(backlog), "-backlog-age", "2h",
		"-rate", strconv.FormatFloat(rate, 'f', -1, 64), "-late", "0", "-seed", strconv.Itoa(100+org))
}

func orgToken(org int) string { return fmt.Sprintf("e2e-token-org%d", org) }

// orgSink is one org's backend: an OTLP/HTTP sink that counts each export attempt, refused ones too, and
// measures the lag of the records published since Lag.From.
type orgSink struct {
	*bench.Sink
	Lag      *bench.LatencyRecorder
	attempts atomic.Int64
}

func startOrgSink(t *testing.T) *orgSink {
	t.Helper()
	s := &orgSink{Sink: bench.NewSink(bench.NewTally(0)), Lag: bench.NewLatencyRecorder()}
	s.Latency = s.Lag
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.attempts.Add(1)
		s.ServeHTTP(w, r)
	})}
	s.URL = "http://" + ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Attempts is the number of export requests the sink answered, refused ones included.
func (s *orgSink) Attempts() int64 { return s.attempts.Load() }

// orgConfig is one org of a multi-org collector: receiver okta/<name> in pipeline logs/<name>, exporting to
// its own backend with otlp_http/<name>.
type orgConfig struct {
	name     string
	endpoint string
	token    string
	sink     string
}

// collectorConfig is a collector with one receiver and one pipeline per org, all sharing one file_storage.
type collectorConfig struct {
	orgs            []orgConfig
	shutdownTimeout time.Duration // 0: the receiver's default
	pagesInFlight   int           // 0: the receiver's default
	pageSize        int           // 0: pageSize
	metricsAddr     string        // the collector's own metrics, served for Prometheus; "" for none
}

// write writes the configuration to dir/config.yaml (the checkpoints in dir/storage) and returns its path.
// No sending queue: ConsumeLogs returns once the backend holds the page, so a refusing backend blocks the
// org's pipeline, and the exporter retries for ever.
func (c collectorConfig) write(t *testing.T, dir string) string {
	t.Helper()
	storage := filepath.Join(dir, "storage")
	if err := os.MkdirAll(storage, 0o700); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "extensions:\n  file_storage:\n    directory: %s\nreceivers:\n", storage)
	for _, o := range c.orgs {
		fmt.Fprintf(&b, `  okta/%s:
    endpoint: %s
    api_token: %s
    storage: file_storage
    page_size: %d
    poll_interval: %s
    initial_lookback: 3h
    retry_on_failure:
      initial_interval: 200ms
      max_interval: 2s
`, o.name, o.endpoint, o.token, cmp.Or(c.pageSize, pageSize), orgPollInterval)
		if c.shutdownTimeout > 0 {
			fmt.Fprintf(&b, "    shutdown_timeout: %s\n", c.shutdownTimeout)
		}
		if c.pagesInFlight > 0 {
			fmt.Fprintf(&b, "    pages_in_flight: %d\n", c.pagesInFlight)
		}
	}
	b.WriteString("exporters:\n")
	for _, o := range c.orgs {
		fmt.Fprintf(&b, `  otlp_http/%s:
    endpoint: %s
    compression: none
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: true
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 0s
`, o.name, o.sink)
	}
	b.WriteString("service:\n  extensions: [file_storage]\n  telemetry:\n    metrics:\n")
	if c.metricsAddr == "" {
		b.WriteString("      level: none\n")
	} else {
		host, port, _ := net.SplitHostPort(c.metricsAddr)
		fmt.Fprintf(&b, "      readers:\n        - pull:\n            exporter:\n              prometheus:\n                host: %s\n                port: %s\n", host, port)
	}
	b.WriteString("  pipelines:\n")
	for _, o := range c.orgs {
		fmt.Fprintf(&b, "    logs/%s:\n      receivers: [okta/%s]\n      exporters: [otlp_http/%s]\n", o.name, o.name, o.name)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testOrg is a simulated org with its backend.
type testOrg struct {
	name string
	url  string // the simulator
	sink *orgSink
}

// startOrgs starts n orgs (org1 … orgN), each with its simulator (backlog events, rate live events a
// second) and its backend.
func startOrgs(t *testing.T, n, backlog int, rate float64) []*testOrg {
	t.Helper()
	orgs := make([]*testOrg, n)
	for i := range orgs {
		orgs[i] = &testOrg{name: fmt.Sprintf("org%d", i+1), url: startOrgSimulator(t, i+1, backlog, rate), sink: startOrgSink(t)}
	}
	return orgs
}

// configOf is the collector configuration of orgs, each reading its simulator through endpoint (the
// simulator itself when nil).
func configOf(orgs []*testOrg, endpoint func(*testOrg) string) collectorConfig {
	var c collectorConfig
	for i, o := range orgs {
		url := o.url
		if endpoint != nil {
			url = endpoint(o)
		}
		c.orgs = append(c.orgs, orgConfig{name: o.name, endpoint: url, token: orgToken(i + 1), sink: o.sink.URL})
	}
	return c
}

// deliveredOnce waits until every event of each org's ledger has reached the org's backend, and fails the
// test for every event that arrived twice.
func deliveredOnce(t *testing.T, orgs []*testOrg, timeout time.Duration) {
	t.Helper()
	for _, o := range orgs {
		waitForAll(t, "every event of "+o.name+" at its backend", timeout, o.sink.Sink, ledger(t, o.url))
	}
	for _, o := range orgs {
		distinct, extra := counts(o.sink.Sink)
		t.Logf("%s: %d events delivered, %d repeated", o.name, distinct, extra)
		if extra != 0 {
			t.Errorf("%s: %d events arrived twice", o.name, extra)
		}
	}
}

// liveLag measures the healthy orgs' live events over window: it waits for window (the real clock is what
// is measured), then for every event the orgs published by then, and returns the lags of the events
// published in the window, sorted.
func liveLag(t *testing.T, healthy []*testOrg, window time.Duration) []time.Duration {
	t.Helper()
	from := time.Now()
	for _, o := range healthy {
		o.sink.Lag.From(from)
	}
	time.Sleep(window)
	var lags []time.Duration
	for _, o := range healthy {
		waitForAll(t, "the live events of "+o.name, liveLagLimit, o.sink.Sink, ledger(t, o.url))
		lags = append(lags, o.sink.Lag.Samples()...)
	}
	slices.Sort(lags)
	if len(lags) == 0 {
		t.Fatal("no live event was published in the window")
	}
	return lags
}

// percentile is the p-th percentile (0 < p ≤ 100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// blocked waits until each org's backend has refused at least one export: each of them holds a page its
// pipeline does not accept.
func blocked(t *testing.T, orgs []*testOrg) {
	t.Helper()
	waitFor(t, "every blocked org to hold a page its backend refuses", time.Minute, func() bool {
		for _, o := range orgs {
			if o.sink.Attempts() == 0 {
				return false
			}
		}
		return true
	})
}

// logCount is the number of times the collector's log file holds s.
func logCount(t *testing.T, log *os.File, s string) int {
	t.Helper()
	b, err := os.ReadFile(log.Name())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), s)
}

// metricsText is the collector's own metrics at addr, in Prometheus' text format ("" while unreachable).
func metricsText(addr string) string {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// dribbleProxy stands between the collector and some orgs' simulators: it forwards each request, sends
// the answer's status and headers at once, then its body in 40 pieces over Over, as a congested link or a
// slow proxy would.
type dribbleProxy struct {
	Over     time.Duration
	dribbles atomic.Int64 // bodies being sent now
}

// front returns a loopback URL that reaches target through the proxy.
func (p *dribbleProxy) front(t *testing.T, target string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	self := "http://" + ln.Addr().String()
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		for k, vs := range resp.Header {
			for _, v := range vs {
				// The next link names the proxy, as the org's own links would name the org.
				w.Header().Add(k, strings.ReplaceAll(v, target, self))
			}
		}
		w.WriteHeader(resp.StatusCode)
		w.(http.Flusher).Flush()
		p.dribbles.Add(1)
		defer p.dribbles.Add(-1)
		const pieces = 40
		tick := time.NewTicker(p.Over / pieces)
		defer tick.Stop()
		for i := range pieces {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
			if _, err := w.Write(body[i*len(body)/pieces : (i+1)*len(body)/pieces]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return self
}

// Dribbles is the number of bodies being sent now.
func (p *dribbleProxy) Dribbles() int64 { return p.dribbles.Load() }
