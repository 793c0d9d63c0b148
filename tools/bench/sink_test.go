package bench

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// exportBody is an OTLP logs request with one record per uid, spread over two resources.
func exportBody(t *testing.T, uids ...string) []byte {
	t.Helper()
	logs := plog.NewLogs()
	for i, u := range uids {
		if i%2 == 0 || logs.ResourceLogs().Len() < 2 {
			logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty()
		}
		rl := logs.ResourceLogs().At(logs.ResourceLogs().Len() - 1)
		rec := rl.ScopeLogs().At(0).LogRecords().AppendEmpty()
		rec.Attributes().PutStr("log.record.uid", u)
		rec.Body().SetStr("event " + u)
	}
	b, err := plogotlp.NewExportRequestFromLogs(logs).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, url string, body []byte, gz bool) int {
	t.Helper()
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = buf.Bytes()
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/logs", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-protobuf")
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestSinkCountsDistinctAndRepeated(t *testing.T) {
	tally := NewTally(5)
	s := NewSink(tally)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if code := post(t, s.URL, exportBody(t, "a", "b", "c"), false); code != http.StatusOK {
		t.Fatalf("plain request: %d", code)
	}
	if code := post(t, s.URL, exportBody(t, "c", "d"), true); code != http.StatusOK {
		t.Fatalf("gzip request: %d", code)
	}
	select {
	case <-tally.Done():
		t.Fatal("done with 4 distinct events of 5")
	default:
	}
	post(t, s.URL, exportBody(t, "e"), true)
	select {
	case <-tally.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("not done with 5 distinct events")
	}
	snap := tally.Snapshot()
	if snap.Records != 6 || snap.Distinct != 5 || snap.Repeated != 1 {
		t.Errorf("snapshot %+v, want 6 records, 5 distinct, 1 repeated", snap)
	}
	if snap.First.IsZero() || snap.DoneAt.Before(snap.First) {
		t.Errorf("times %+v", snap)
	}
	if n, size := s.Requests(); n != 3 || size == 0 {
		t.Errorf("Requests = %d, %d bytes", n, size)
	}
}

// TestSinkDown checks that a sink set down answers 503 and counts nothing, then counts again once up.
func TestSinkDown(t *testing.T) {
	s := NewSink(NewTally(0))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetDown(true)
	if code := post(t, s.URL, exportBody(t, "a"), true); code != http.StatusServiceUnavailable {
		t.Errorf("down: %d, want 503", code)
	}
	if s.Tally.Has("a") || s.Tally.Snapshot().Records != 0 {
		t.Errorf("counted while down: %+v", s.Tally.Snapshot())
	}
	if n := s.Refused(); n != 1 {
		t.Errorf("Refused = %d while down, want 1", n)
	}
	s.SetDown(false)
	if code := post(t, s.URL, exportBody(t, "a"), true); code != http.StatusOK {
		t.Errorf("up again: %d, want 200", code)
	}
	if !s.Tally.Has("a") || s.Tally.Has("b") {
		t.Errorf("Has after the export: a %t, b %t", s.Tally.Has("a"), s.Tally.Has("b"))
	}
	if n := s.Refused(); n != 1 {
		t.Errorf("Refused = %d once up, want the 1 refused while down", n)
	}
}

func TestSinkRefusesWhatItCannotRead(t *testing.T) {
	s := NewSink(NewTally(0))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if code := post(t, s.URL, []byte("not protobuf at all \xff\xff"), false); code != http.StatusBadRequest {
		t.Errorf("garbage: %d, want 400", code)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/logs", bytes.NewReader([]byte("{}")))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d, want 415", resp.StatusCode)
	}
	if snap := s.Tally.Snapshot(); snap.Records != 0 {
		t.Errorf("counted %d records from refused requests", snap.Records)
	}
}

func TestTallyWithoutUIDs(t *testing.T) {
	tally := NewTally(2000)
	t0 := time.Now()
	for i := range 2 {
		tally.Add(t0.Add(time.Duration(i)*time.Second), 1000, nil)
	}
	<-tally.Done()
	snap := tally.Snapshot()
	if snap.Distinct != -1 || snap.Records != 2000 || !snap.DoneAt.Equal(t0.Add(time.Second)) {
		t.Errorf("snapshot %+v", snap)
	}
	samples := tally.Samples()
	if got := countAt(samples, t0.Add(500*time.Millisecond)); got != 1000 {
		t.Errorf("countAt = %d, want 1000", got)
	}
	if got := countAt(samples, t0.Add(-time.Second)); got != 0 {
		t.Errorf("countAt before the first = %d", got)
	}
}

func TestDebugRecords(t *testing.T) {
	tally := NewTally(0)
	add := debugRecords(tally)
	now := time.Now()
	for i, n := range []int{1000, 1000, 250} {
		add(now, fmt.Sprintf(`2026-11-25T17:22:24.634Z	info	Logs	{"otelcol.component.id": "debug", "resource logs": %d, "log records": %d}`, i, n))
	}
	add(now, `2026-11-25T17:22:24.634Z	info	receiver/progress.go:39	caught up	{"events": 5000}`)
	if got := tally.Snapshot().Records; got != 2250 {
		t.Errorf("counted %d records, want 2250", got)
	}
}
