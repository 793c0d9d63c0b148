//go:build e2e

package e2e

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hostileFront stands on the org's origin in front of its simulator: it forwards every request, and in its
// first answers that carry a next link it points that link at the org's user directory, on the same origin.
type hostileFront struct {
	rewrites int // answers whose next link is still to be pointed away
	// echoes is how many requests are answered 401 with the request's Authorization header in the
	// errorSummary, an invalid UTF-8 byte after every third character, before the front forwards.
	echoes int

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
		echo := h.echoes > 0
		h.echoes--
		h.mu.Unlock()
		if echo {
			auth := r.Header.Get("Authorization")
			var split strings.Builder
			for i := 0; i < len(auth); i += 3 {
				split.WriteString(auth[i:min(i+3, len(auth))] + "\xff")
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"errorCode":"E0000011","errorSummary":"Invalid token provided: `+split.String()+`"}`)
			return
		}
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

// An origin that echoes the token with an invalid UTF-8 byte every few characters: the collector's log
// shows no token, not even in pieces, and collection goes on once the origin answers.
func TestSplitEchoOfTheTokenIsNotLogged(t *testing.T) {
	dir := t.TempDir()
	simURL := runSimulator(t, "-addr", "127.0.0.1:0", "-token", "e2e-token", "-backlog", "150", "-backlog-age", "1h", "-seed", "12")
	snk := startSink(t)
	front := &hostileFront{echoes: 3}
	config := writeConfig(t, dir, front.start(t, simURL), snk.URL)
	log := collectorLog(t, dir)
	col := startCollector(t, config, log)
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()

	waitForAll(t, "every event of the org at the sink", 2*time.Minute, snk, ledger(t, simURL))
	if logCount(t, log, "Invalid token provided") == 0 {
		t.Fatal("the echo was not logged at all")
	}
	b, err := os.ReadFile(log.Name())
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return r
		}
		return -1
	}, string(b))
	if strings.Contains(string(b), "e2e-token") || strings.Contains(joined, "SSWSe2e-token") || strings.Contains(joined, "SSWSe2etoken") {
		t.Error("the log shows the token, whole or in pieces")
	}
	if logCount(t, log, "[REDACTED]") == 0 {
		t.Error("the echoed token is not shown as [REDACTED]")
	}
}

// A checkpoint whose stored next link was rewritten, in the storage file, to lead to the org's user
// directory on the org's own origin: at the next start the built collector never asks for it, says why with
// the fix, starts a new polling query from the last delivered event, and goes on collecting without a repeat.
func TestStoredNextLinkOffTheSystemLogAPIIsNeverFollowed(t *testing.T) {
	dir := t.TempDir()
	simURL := runSimulator(t, "-addr", "127.0.0.1:0", "-token", "e2e-token", "-backlog", "350", "-backlog-age", "1h",
		"-rate", "20", "-seed", "13")
	snk := startSink(t)
	front := &hostileFront{}
	config := writeConfig(t, dir, front.start(t, simURL), snk.URL)
	log := collectorLog(t, dir)
	col := startCollector(t, config, log)
	waitForAll(t, "the org's backlog at the sink", 2*time.Minute, snk, ledger(t, simURL))
	if err := col.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := exitWithin(t, col, 30*time.Second); err != nil {
		t.Fatalf("the collector did not stop cleanly: %v", err)
	}

	// Whoever can write the storage points the stored link elsewhere: same length, so the database stays
	// whole; bbolt keeps no checksum of its data pages.
	files, err := filepath.Glob(filepath.Join(dir, "storage", "receiver_okta*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("the receiver's storage file: %v %v", files, err)
	}
	db, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	from, to := []byte("/api/v1/logs?"), []byte("/api/v1/user?")
	if bytes.Count(db, from) == 0 {
		t.Fatalf("the storage file holds no stored next link (%s)", from)
	}
	if err := os.WriteFile(files[0], bytes.ReplaceAll(db, from, to), 0o600); err != nil {
		t.Fatal(err)
	}

	col = startCollector(t, config, log)
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()
	waitFor(t, "the refusal of the stored link in the log", time.Minute, func() bool {
		return logCount(t, log, "the stored next link is not followed") > 0
	})
	waitForAll(t, "the events published since the stop", time.Minute, snk, ledger(t, simURL))
	paths, _ := front.seen()
	for _, p := range paths {
		if p != "/api/v1/logs" {
			t.Errorf("the collector asked for %s", p)
		}
	}
	if logCount(t, log, "give each collector its own `storage` directory") == 0 {
		t.Error("the log does not name the fix")
	}
	if _, extra := counts(snk); extra > 0 {
		t.Errorf("%d events delivered twice", extra)
	}
}
