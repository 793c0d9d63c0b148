package bench

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

func seconds(ss ...float64) []time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = time.Duration(s * float64(time.Second))
	}
	return ds
}

func TestPercentileNearestRank(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond // 1..100 ms
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 99, 0},
		{seconds(7), 50, 7 * time.Second},
		{seconds(7), 99, 7 * time.Second},
		{seconds(1, 2, 3, 4), 50, 2 * time.Second},
		{seconds(1, 2, 3, 4), 51, 3 * time.Second},
		{seconds(1, 2, 3, 4), 100, 4 * time.Second},
		{hundred, 50, 50 * time.Millisecond},
		{hundred, 90, 90 * time.Millisecond},
		{hundred, 99, 99 * time.Millisecond},
		{hundred, 99.5, 100 * time.Millisecond},
		{hundred, 0.1, time.Millisecond},
	} {
		if got := Percentile(c.sorted, c.p); got != c.want {
			t.Errorf("Percentile(%d values, %g) = %s, want %s", len(c.sorted), c.p, got, c.want)
		}
	}
}

func TestAnalyzeLatency(t *testing.T) {
	p := LatencyParams{Duration: time.Minute, StreamRate: 20, PollInterval: 5 * time.Second}
	// 200 latencies, unsorted: 198 of 1 s, one of 6 s, one of 9 s. The p99 is the 198th: 1 s.
	samples := seconds(9, 6)
	for range 198 {
		samples = append(samples, time.Second)
	}
	f := AnalyzeLatency(p, 200, samples)
	if f.Measured != 200 || f.P50 != time.Second || f.P90 != time.Second || f.P99 != time.Second || f.Max != 9*time.Second {
		t.Errorf("figures %+v", f)
	}
	if samples[0] != 9*time.Second {
		t.Error("AnalyzeLatency sorted its input")
	}
	if f.Target() != 7*time.Second || !f.Pass() || f.Missing() != 0 {
		t.Errorf("target %s, pass %t, missing %d", f.Target(), f.Pass(), f.Missing())
	}
	if f := AnalyzeLatency(p, 201, samples); f.Pass() || f.Missing() != 1 {
		t.Errorf("a missing event passed: %+v", f)
	}
	if f := AnalyzeLatency(p, 3, seconds(1, 7, 7.5)); f.P99 != 7500*time.Millisecond || f.Pass() {
		t.Errorf("p99 over the target passed: %+v", f)
	}
	if f := AnalyzeLatency(p, 2, seconds(1, 7)); !f.Pass() {
		t.Errorf("p99 at the target failed: %+v", f)
	}
	if f := AnalyzeLatency(p, 0, nil); f.Pass() {
		t.Error("a run without events passed")
	}
}

func TestLatencyRecorderSkipsTheBacklog(t *testing.T) {
	l := NewLatencyRecorder()
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	l.Add(t0, []time.Time{t0.Add(-time.Hour)}) // before From is set: not measured
	l.From(t0)
	l.Add(t0.Add(3*time.Second), []time.Time{t0.Add(-time.Minute), t0, t0.Add(time.Second)})
	if got := l.Samples(); len(got) != 2 || got[0] != 3*time.Second || got[1] != 2*time.Second || l.Len() != 2 {
		t.Errorf("samples %v", got)
	}
}

func TestSinkRecordsTimestamps(t *testing.T) {
	t0 := time.Now().Add(-2 * time.Second)
	logs := plog.NewLogs()
	lrs := logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	for i, uid := range []string{"a", "b"} {
		rec := lrs.AppendEmpty()
		rec.Attributes().PutStr("log.record.uid", uid)
		rec.SetTimestamp(pcommon.NewTimestampFromTime(t0.Add(time.Duration(i) * time.Second)))
	}
	body, err := plogotlp.NewExportRequestFromLogs(logs).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	s := NewSink(NewTally(0))
	s.Latency = NewLatencyRecorder()
	s.Latency.From(t0)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if code := post(t, s.URL, body, true); code != 200 {
		t.Fatalf("status %d", code)
	}
	got := s.Latency.Samples()
	if len(got) != 2 || got[0] < 2*time.Second || got[0] > time.Minute || got[0]-got[1] != time.Second {
		t.Errorf("latencies %v", got)
	}
}

func TestLatencyReport(t *testing.T) {
	r := sampleResult()
	r.Events = 100
	f := AnalyzeLatency(LatencyParams{Duration: time.Minute, StreamRate: 20, PollInterval: 5 * time.Second}, 4, seconds(0.5, 1, 2.25, 6.5))
	r.Latency = &f
	want := "bench: mode=latency events=4 p50_s=1.000 p99_s=6.500 max_s=6.500 target_s=7 pass=true"
	if got := r.Summary(); got != want {
		t.Errorf("summary\n got %s\nwant %s", got, want)
	}
	var b bytes.Buffer
	r.Format(&b)
	out := b.String()
	for _, s := range []string{"latency run of the okta receiver: PASS", "poll_interval 5s", "p90 6.500 s", want + "\n"} {
		if !strings.Contains(out, s) {
			t.Errorf("no %q in\n%s", s, out)
		}
	}
	if strings.Contains(out, "throughput") {
		t.Errorf("drain figures in a latency report:\n%s", out)
	}
}

func TestConfigPollInterval(t *testing.T) {
	c := CollectorConfig{OrgURL: "https://127.0.0.1:8443", CAFile: "ca.pem", StorageDir: "s", Body: "map", PageSize: 1000,
		Exporter: ExporterOTLPHTTP, Compression: "gzip", PollInterval: 5 * time.Second}
	if got := loadConfig(t, c).Get("receivers::okta::poll_interval"); got != "5s" {
		t.Errorf("poll_interval = %#v, want 5s", got)
	}
	c.PollInterval = 0
	if got := loadConfig(t, c).Get("receivers::okta::poll_interval"); got != "1s" {
		t.Errorf("default poll_interval = %#v, want the drain's 1s", got)
	}
}
