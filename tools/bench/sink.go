package bench

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// Sink is an OTLP/HTTP logs endpoint on loopback. It decodes every export request (protobuf, plain, gzip
// or zstd) and counts its records, by log.record.uid, in a Tally. SetDown makes it an unavailable backend.
type Sink struct {
	URL   string
	Tally *Tally
	// Latency, when set, gets every record's Timestamp with the request's arrival time.
	Latency *LatencyRecorder
	// Orgs, when set, gets every request's uids after the Tally: a multi-org run's count.
	Orgs *OrgTally
	// Lags, when set, gets every record's uid and Timestamp with the request's arrival time.
	Lags *UIDLatency

	requests atomic.Int64
	refused  atomic.Int64 // requests answered 503 while down
	bytes    atomic.Int64 // request bodies as sent (compressed, when they were)
	down     atomic.Bool
	srv      *http.Server
}

// NewSink returns an unstarted sink counting into tally.
func NewSink(tally *Tally) *Sink { return &Sink{Tally: tally} }

// Start listens on 127.0.0.1 on a free port and serves until Close.
func (s *Sink) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.URL = "http://" + ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// Close stops serving.
func (s *Sink) Close() error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// SetDown makes the sink answer 503 Service Unavailable, counting nothing, until SetDown(false).
func (s *Sink) SetDown(down bool) { s.down.Store(down) }

// Requests returns the number of export requests and their body bytes as received.
func (s *Sink) Requests() (n, size int64) { return s.requests.Load(), s.bytes.Load() }

// Refused returns the number of export requests answered 503 because the sink was down.
func (s *Sink) Refused() int64 { return s.refused.Load() }

// ServeHTTP answers POST /v1/logs.
func (s *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/logs" {
		http.Error(w, "POST /v1/logs only", http.StatusNotFound)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		http.Error(w, "only application/x-protobuf, got "+ct, http.StatusUnsupportedMediaType)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.down.Load() {
		s.refused.Add(1)
		http.Error(w, "the sink is down", http.StatusServiceUnavailable)
		return
	}
	s.requests.Add(1)
	s.bytes.Add(int64(len(raw)))
	body := raw
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			http.Error(w, "gzip: "+err.Error(), http.StatusBadRequest)
			return
		}
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(raw))
		if err == nil {
			body, err = io.ReadAll(zr)
			zr.Close()
		}
		if err != nil {
			http.Error(w, "zstd: "+err.Error(), http.StatusBadRequest)
			return
		}
	default:
		http.Error(w, "unsupported Content-Encoding "+enc, http.StatusUnsupportedMediaType)
		return
	}
	req := plogotlp.NewExportRequest()
	if err := req.UnmarshalProto(body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now()
	uids := recordUIDs(req)
	s.Tally.Add(now, len(uids), uids)
	if s.Orgs != nil {
		s.Orgs.Add(now, uids)
	}
	if s.Latency != nil || s.Lags != nil {
		times := recordTimes(req)
		if s.Latency != nil {
			s.Latency.Add(now, times)
		}
		if s.Lags != nil {
			s.Lags.Add(now, uids, times)
		}
	}
	resp, _ := plogotlp.NewExportResponse().MarshalProto()
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

// recordUIDs returns the log.record.uid of every record of the request ("" when a record has none).
func recordUIDs(req plogotlp.ExportRequest) []string {
	uids := make([]string, 0, req.Logs().LogRecordCount())
	rls := req.Logs().ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				uid, _ := lrs.At(k).Attributes().Get("log.record.uid")
				uids = append(uids, uid.Str())
			}
		}
	}
	return uids
}

// recordTimes returns the Timestamp of every record of the request.
func recordTimes(req plogotlp.ExportRequest) []time.Time {
	times := make([]time.Time, 0, req.Logs().LogRecordCount())
	rls := req.Logs().ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				times = append(times, lrs.At(k).Timestamp().AsTime())
			}
		}
	}
	return times
}
