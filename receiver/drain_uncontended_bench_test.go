//go:build unix

package receiver_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	oktareceiver "github.com/datableio/oktareceiver"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// BenchmarkDrainUncontended is one org's backlog read from a loopback HTTP server, mapped and delivered to a pipeline
// that accepts at once: the whole path of an event through the receiver, with nothing else going on. It
// uses only the factory and the configuration's keys, so that the same file runs against an older build
// of the receiver for a comparison.
func BenchmarkDrainUncontended(b *testing.B) {
	const pages, perPage = 20, 1000
	srv := httptest.NewServer(backlog(pages, perPage))
	b.Cleanup(srv.Close)
	f := oktareceiver.NewFactory()
	cfg := f.CreateDefaultConfig()
	if err := confmap.NewFromStringMap(map[string]any{
		"endpoint": srv.URL, "api_token": "bench-token", "page_size": perPage,
		"poll_interval": "1h", "initial_lookback": "2h",
	}).Unmarshal(cfg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		sink := &countingSink{want: pages * perPage, done: make(chan struct{})}
		r, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(f.Type()), cfg, sink)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Start(context.Background(), componenttest.NewNopHost()); err != nil {
			b.Fatal(err)
		}
		select {
		case <-sink.done:
		case <-time.After(time.Minute):
			b.Fatalf("%d of %d events in a minute", sink.n.Load(), sink.want)
		}
		if err := r.Shutdown(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	events := float64(b.N * pages * perPage)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/events, "ns/event")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/events, "cpu-ns/event")
}

// cpuTime is the CPU time the process has used, user and system: on a shared machine it measures an event's
// cost better than the wall clock. The loopback server's share is the same for every build compared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backlog serves pages of generated events, page k at ?after=k, each with its next link; the page after
// the last is empty and names itself, as Okta's polling query does once caught up.
func backlog(pages, perPage int) http.Handler {
	gen := oktasim.NewGenerator(1)
	start := time.Now().Add(-time.Hour)
	bodies := make([][]byte, pages+1)
	for k := range pages {
		var buf bytes.Buffer
		buf.WriteByte('[')
		for i := range perPage {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(gen.Event(start.Add(time.Duration(k*perPage+i) * time.Millisecond)))
		}
		buf.WriteByte(']')
		bodies[k] = buf.Bytes()
	}
	bodies[pages] = []byte("[]")
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		k, _ := strconv.Atoi(req.URL.Query().Get("after"))
		k = min(max(k, 0), pages)
		next := min(k+1, pages)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(bodies[k])))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/logs?after=%d>; rel="next"`, req.Host, next))
		_, _ = w.Write(bodies[k])
	})
}

// countingSink accepts every page and closes done once it has want records.
type countingSink struct {
	n    atomic.Int64
	want int64
	done chan struct{}
}

func (s *countingSink) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (s *countingSink) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	if s.n.Add(int64(ld.LogRecordCount())) == s.want {
		close(s.done)
	}
	return nil
}
