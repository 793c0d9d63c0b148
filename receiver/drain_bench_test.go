//go:build unix

package receiver

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// drainPages is the backlog of BenchmarkDrain: pages of 1000 simulated events.
const drainPages = 10

// pageServer serves a fixed backlog of pages over TLS, rendered once: the first request gets page 0, and every page
// links to the next one (?after=i); past the last, an empty page. What it costs per request is a write of
// bytes already made, so that a profile of the drain is the receiver's.
type pageServer struct {
	pages [][]byte
	srv   *httptest.Server
}

func newPageServer(tb testing.TB, pages, perPage int) *pageServer {
	tb.Helper()
	gen := oktasim.NewGenerator(1)
	t0 := time.Now().Add(-time.Hour)
	s := &pageServer{}
	for p := range pages {
		var b bytes.Buffer
		b.WriteByte('[')
		for i := range perPage {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(gen.Event(t0.Add(time.Duration(p*perPage+i) * time.Millisecond)))
		}
		b.WriteByte(']')
		s.pages = append(s.pages, b.Bytes())
	}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

// caFile writes the server's certificate to a file for the receiver's tls.ca_file.
func (s *pageServer) caFile(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
	if err := os.WriteFile(path, cert, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func (s *pageServer) serve(w http.ResponseWriter, r *http.Request) {
	i := 0
	if a := r.URL.Query().Get("after"); a != "" {
		i, _ = strconv.Atoi(a)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/logs?after=%d&limit=1000>; rel="next"`, s.srv.URL, min(i+1, len(s.pages))))
	body := []byte("[]")
	if i < len(s.pages) {
		body = s.pages[i]
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// exportSink encodes what it receives as the otlp_http exporter does (an OTLP export request as protobuf;
// the compression after it is the exporter's alone, driven by the bytes, not the records' shape), and counts
// the records.
type exportSink struct {
	records atomic.Int64
	bytes   atomic.Int64
	done    chan struct{}
	want    int64
}

func (s *exportSink) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (s *exportSink) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	b, err := plogotlp.NewExportRequestFromLogs(ld).MarshalProto()
	if err != nil {
		return err
	}
	s.bytes.Add(int64(len(b)))
	if s.records.Add(int64(ld.LogRecordCount())) == s.want {
		close(s.done)
	}
	return nil
}

// BenchmarkDrain is one receiver draining a backlog of drainPages pages of 1000 simulated events (about 2 KB
// each, as in the end-to-end bench) from a loopback server over TLS, body: map, into a consumer that encodes each
// page as the otlp_http exporter's protobuf: read, scan, map, de-duplicate, hand-off, checkpoint (in memory)
// and the encoding our records' shape drives, per op one backlog. cpu-ns/event is the process's CPU (garbage
// collection included) per event, steadier than wall time on a shared machine.
func BenchmarkDrain(b *testing.B) {
	srv := newPageServer(b, drainPages, 1000)
	u, err := url.Parse(srv.srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	events := int64(drainPages * 1000)
	ca := srv.caFile(b)
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		cfg := createDefaultConfig().(*Config)
		cfg.ClientConfig.Endpoint = u.String()
		cfg.ClientConfig.TLS.CAFile = ca
		cfg.APIToken = "bench-token"
		cfg.InitialLookback = 2 * time.Hour
		cfg.PollInterval = time.Hour
		sink := &exportSink{done: make(chan struct{}), want: events}
		rcv, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, sink, newShared())
		if err != nil {
			b.Fatal(err)
		}
		if err := rcv.Start(context.Background(), componenttest.NewNopHost()); err != nil {
			b.Fatal(err)
		}
		select {
		case <-sink.done:
		case <-time.After(time.Minute):
			b.Fatalf("%d of %d events after a minute", sink.records.Load(), events)
		}
		if err := rcv.Shutdown(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*events), "ns/event")
	b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(int64(b.N)*events), "cpu-ns/event")
}

// processCPU is the CPU time the process has used, user and system, all threads included.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkDropDelivered sorts out the events of a mapped page of 1000 events already delivered (none, the
// common case) against a full window of recent ids: the set of the page's own ids, and a look-up in recent
// per event.
func BenchmarkDropDelivered(b *testing.B) {
	srv := newPageServer(b, 1, 1000)
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint = srv.srv.URL
	cfg.APIToken = "bench-token"
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, &exportSink{}, newShared())
	if err != nil {
		b.Fatal(err)
	}
	logs, events, _, err := r.mapper.MapPage(string(srv.pages[0]), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	cur := &cursor{recent: newRecent()}
	for i := range recentSize {
		cur.recent.add(idOf(fmt.Sprintf("00000000-0000-4000-8000-%012d", i)))
	}
	p := r.newPoller(cur)
	pg := &page{logs: logs, events: events}
	b.ReportAllocs()
	for b.Loop() {
		if ids := p.dropDelivered(pg); len(ids) != 1000 {
			b.Fatalf("%d ids kept of 1000", len(ids))
		}
	}
}
