package main

import (
	"testing"
	"time"
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
