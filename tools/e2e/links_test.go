//go:build e2e

package e2e

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileFront stands on the org's origin in front of its simulator: it forwards every request, and in its
// first answers that carry a next link it points that link at the org's user directory, on the same origin.
type hostileFront struct {
	rewrites int // answers whose next link is still to be pointed away

	mu    sync.Mutex
	paths []string // every request's path, as sent
	done  int      // next links pointed away
}

var nextLinkRE = regexp.MustCompile(`<[^>]*>(\s*;\s*rel="?next"?)`)

// start returns the loopback URL of the front.
func (h *hostileFront) start(t *testing.T, target string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	self := "http://" + ln.Addr().String()
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.paths = append(h.paths, r.URL.EscapedPath())
		h.mu.Unlock()
		if r.URL.Path != "/api/v1/logs" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `[{"id":"00u1","status":"ACTIVE","profile":{"login":"admin@example.com"}}]`)
			return
		}
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
		defer resp.Body.Close()
		h.mu.Lock()
		away := h.done < h.rewrites
		h.mu.Unlock()
		for k, vs := range resp.Header {
			for _, v := range vs {
				v = strings.ReplaceAll(v, target, self)
				if k == "Link" && away && nextLinkRE.MatchString(v) {
					v = nextLinkRE.ReplaceAllString(v, "<"+self+`/api/v1/users?limit=200>$1`)
					h.mu.Lock()
					h.done++
					h.mu.Unlock()
				}
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return self
}

func (h *hostileFront) seen() (paths []string, rewritten int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.paths...), h.done
}

// Answers whose next link leads to the org's user directory, on the org's own origin: the built collector
// never asks for it (the token goes only to the System Log API), logs why with the fix, reads the page
// again, and delivers every event once the links are Okta's again.
func TestNextLinkOffTheSystemLogAPIIsNeverFollowed(t *testing.T) {
	dir := t.TempDir()
	simURL := runSimulator(t, "-addr", "127.0.0.1:0", "-token", "e2e-token", "-backlog", "350", "-backlog-age", "1h", "-seed", "11")
	snk := startSink(t)
	front := &hostileFront{rewrites: 3}
	config := writeConfig(t, dir, front.start(t, simURL), snk.URL)
	log := collectorLog(t, dir)
	col := startCollector(t, config, log)
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()

	waitForAll(t, "every event of the org at the sink", 2*time.Minute, snk, ledger(t, simURL))
	paths, rewritten := front.seen()
	if rewritten != 3 {
		t.Fatalf("%d next links pointed away, want 3", rewritten)
	}
	for _, p := range paths {
		if p != "/api/v1/logs" {
			t.Errorf("the collector asked for %s", p)
		}
	}
	if n := logCount(t, log, "leads away from the System Log API"); n == 0 {
		t.Error("the log does not say why the link was refused")
	}
	if n := logCount(t, log, "check `proxy_url`"); n == 0 {
		t.Error("the log does not name the fix")
	}
	if _, extra := counts(snk); extra > 0 {
		t.Errorf("%d events delivered twice", extra)
	}
}
