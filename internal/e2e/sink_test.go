//go:build e2e

package e2e

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// sink is an OTLP/HTTP logs endpoint on loopback that counts every record by its log.record.uid. While
// down, it answers 503, as an unavailable backend would.
type sink struct {
	URL string

	mu   sync.Mutex
	seen map[string]int
	down bool
}

func startSink(t *testing.T) *sink {
	t.Helper()
	s := &sink{seen: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	s.URL = "http://" + ln.Addr().String()
	return s
}

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "down for the test", http.StatusServiceUnavailable)
		return
	}
	req := plogotlp.NewExportRequest()
	if err := req.UnmarshalProto(body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var uids []string
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
	s.mu.Lock()
	for _, u := range uids {
		s.seen[u]++
	}
	s.mu.Unlock()
	resp, _ := plogotlp.NewExportResponse().MarshalProto()
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

func (s *sink) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

// counts returns how many distinct events arrived and how many arrived more than once (the extra copies).
func (s *sink) counts() (distinct, extra int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.seen {
		extra += n - 1
	}
	return len(s.seen), extra
}

func (s *sink) has(uid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[uid] > 0
}
