package main

import (
	"strings"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

func TestParseFlagsDefaults(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := o.params
	if o.events != 100000 || len(o.bodies) != 1 || o.bodies[0] != "map" || p.Exporter != "otlp_http" ||
		p.Compression != "gzip" || p.Batch || p.Rate != nil || p.Timeout != 10*time.Minute || p.Collector != "_build/otelcol-okta" {
		t.Errorf("defaults %+v", o)
	}
}

func TestParseFlagsRateLimit(t *testing.T) {
	o, err := parseFlags([]string{"-rate-limit", "60", "-window", "10s", "-body", "both"})
	if err != nil {
		t.Fatal(err)
	}
	if o.params.Rate == nil || o.params.Rate.Limit != 60 || o.params.Rate.Window != 10*time.Second || o.params.Rate.Budget != 0.5 {
		t.Fatalf("rate %+v", o.params.Rate)
	}
	// 30 pages per window for four windows and two more.
	if o.events != 30*1000*6 {
		t.Errorf("backlog %d", o.events)
	}
	if len(o.bodies) != 2 {
		t.Errorf("bodies %v", o.bodies)
	}
	o, err = parseFlags([]string{"-rate-limit", "60", "-events", "5000", "-duration", "20m"})
	if err != nil {
		t.Fatal(err)
	}
	if o.events != 5000 || o.params.Timeout < 20*time.Minute {
		t.Errorf("explicit -events %d, timeout %s", o.events, o.params.Timeout)
	}
}

func TestParseFlagsRefusesNonsense(t *testing.T) {
	for _, args := range [][]string{
		{"-body", "json"}, {"-exporter", "kafka"}, {"-compression", "brotli"}, {"-events", "0"},
		{"-rate-limit", "60", "-budget", "1.5"}, {"-gzip-level", "10"}, {"-compression", "none", "-gzip-level", "1"}, {"-no-queue", "-consumers", "1"}, {"-no-queue", "-queue-size", "1"}, {"-window", "0s"}, {"extra"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestParseFlagsLatency(t *testing.T) {
	o, err := parseFlags([]string{"-latency", "60s"})
	if err != nil {
		t.Fatal(err)
	}
	l := o.params.Latency
	if l == nil || l.Duration != time.Minute || l.StreamRate != 20 || l.PollInterval != 5*time.Second || o.events != latencyBacklog {
		t.Fatalf("latency %+v, events %d", l, o.events)
	}
	if o, _ := parseFlags(nil); o.params.Latency != nil {
		t.Error("a latency run without -latency")
	}
	for _, args := range [][]string{
		{"-latency", "60s", "-rate-limit", "60"}, {"-latency", "60s", "-exporter", "debug"},
		{"-latency", "60s", "-stream-rate", "0"}, {"-latency", "60s", "-poll-interval", "0s"}, {"-latency", "-1s"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestParseFlagsOrgs(t *testing.T) {
	o, err := parseFlags([]string{"-orgs", "50"})
	if err != nil {
		t.Fatal(err)
	}
	p := o.orgs
	if p.Orgs != 50 || p.Events != 2000 || p.StreamRate != 1 || p.RateLimit != 50 || p.RateWindow != time.Minute || p.PollInterval != 15*time.Second ||
		p.Idle != time.Minute || p.PagesInFlight != 0 || p.Body != "map" || p.Compression != "zstd" || !p.NoQueue || p.Consumers != 0 ||
		p.Timeout != 10*time.Minute || p.Collector != "_build/otelcol-okta" || p.Seed != 1 || !o.orgsBaseline {
		t.Errorf("defaults %+v, baseline %t", p, o.orgsBaseline)
	}
	o, err = parseFlags([]string{"-orgs", "200", "-events", "5000", "-stream-rate", "0", "-rate-limit", "0", "-poll-interval", "5s", "-idle", "0s",
		"-pages-in-flight", "16", "-body", "raw", "-compression", "gzip", "-gzip-level", "1", "-consumers", "2", "-queue-size", "4", "-orgs-baseline=false"})
	if err != nil {
		t.Fatal(err)
	}
	p = o.orgs
	if p.Events != 5000 || p.StreamRate != 0 || p.RateLimit != 0 || p.PollInterval != 5*time.Second || p.Idle != 0 || p.PagesInFlight != 16 ||
		p.Body != "raw" || p.Compression != "gzip" || p.GzipLevel != 1 || p.NoQueue || p.Consumers != 2 || p.QueueSize != 4 || o.orgsBaseline {
		t.Errorf("explicit flags %+v, baseline %t", p, o.orgsBaseline)
	}
	if o, _ := parseFlags([]string{"-orgs", "1"}); o.orgsBaseline {
		t.Error("a baseline for a single org")
	}
}

func TestParseFlagsOrgsRefusesNonsense(t *testing.T) {
	for _, args := range [][]string{
		{"-orgs", "-1"}, {"-pages-in-flight", "4"}, {"-orgs", "2", "-pages-in-flight", "-1"}, {"-orgs", "2", "-idle", "-1s"},
		{"-orgs", "2", "-body", "both"}, {"-orgs", "2", "-exporter", "debug"}, {"-orgs", "2", "-latency", "60s"}, {"-orgs", "2", "-budget", "0.3"},
		{"-orgs", "2", "-events", "0"}, {"-orgs", "2", "-poll-interval", "0s"}, {"-orgs", "2", "-compression", "brotli"},
		{"-orgs", "2", "-gzip-level", "3"}, {"-orgs", "2", "-no-queue", "-consumers", "1"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestFileLimit(t *testing.T) {
	for _, c := range []struct{ soft, hard, need, want uint64 }{
		{1024, 4096, 1856, 1856}, {20000, 20000, 1856, 20000}, {1024, 1856, 1856, 1856},
	} {
		if got, err := fileLimit(c.soft, c.hard, c.need); err != nil || got != c.want {
			t.Errorf("fileLimit(%d, %d, %d) = %d, %v; want %d", c.soft, c.hard, c.need, got, err, c.want)
		}
	}
	if _, err := fileLimit(1024, 1024, 1856); err == nil || !strings.Contains(err.Error(), "ulimit -Hn") {
		t.Errorf("a hard limit below the need: %v", err)
	}
	if fdsNeeded(200) < 4*200 {
		t.Errorf("%d file descriptors for 200 orgs: each has a listener and connections", fdsNeeded(200))
	}
	if err := raiseFileLimit(fdsNeeded(1)); err != nil {
		t.Errorf("raising the open-files limit to %d: %v", fdsNeeded(1), err)
	}
}

func TestParseFlagsTroubled(t *testing.T) {
	o, err := parseFlags([]string{"-orgs", "50", "-troubled", "slow=2,blocked=2,ratelimited=2,broken=2"})
	if err != nil {
		t.Fatal(err)
	}
	p := o.orgs
	if p.Troubles.Total() != 8 || p.Troubles[bench.TroubleBlocked] != 2 || p.Live != time.Minute || p.Idle != 0 || o.orgsBaseline {
		t.Errorf("troubled defaults %+v, baseline %t", p, o.orgsBaseline)
	}
	o, err = parseFlags([]string{"-orgs", "10", "-troubled", "slow=1", "-live", "20s"})
	if err != nil || o.orgs.Live != 20*time.Second {
		t.Errorf("-live 20s: %v %v", o.orgs.Live, err)
	}
	if o, err := parseFlags([]string{"-orgs", "10"}); err != nil || o.orgs.Live != 0 || o.orgs.Troubles.Total() != 0 {
		t.Errorf("a run without troubles measures live lag: %+v %v", o.orgs, err)
	}
	for _, args := range [][]string{
		{"-orgs", "4", "-troubled", "slow=2,broken=2"}, {"-orgs", "4", "-troubled", "lazy=1"}, {"-orgs", "4", "-troubled", "slow=1", "-idle", "10s"},
		{"-orgs", "4", "-troubled", "slow=1", "-orgs-baseline=true"}, {"-orgs", "4", "-troubled", "slow=1", "-stream-rate", "0"},
		{"-orgs", "4", "-live", "-1s"}, {"-troubled", "slow=1"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestParseFlagsPair(t *testing.T) {
	o, err := parseFlags([]string{"-baseline", "_build/base/otelcol-okta", "-baseline-name", "f6e26a4", "-rounds", "4", "-compression", "zstd", "-no-queue"})
	if err != nil {
		t.Fatal(err)
	}
	if o.baseline != "_build/base/otelcol-okta" || o.baselineName != "f6e26a4" || o.rounds != 4 || len(o.bodies) != 1 ||
		o.params.Compression != "zstd" || !o.params.NoQueue || o.events != 100000 {
		t.Errorf("pair options %+v", o)
	}
	for _, args := range [][]string{
		{"-rounds", "2"}, {"-baseline-name", "x"}, {"-baseline", "b", "-rounds", "0"}, {"-baseline", "b", "-rate-limit", "60"},
		{"-baseline", "b", "-latency", "60s"}, {"-baseline", "b", "-orgs", "5"}, {"-baseline", "b", "-body", "both"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
