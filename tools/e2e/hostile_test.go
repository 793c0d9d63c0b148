//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// shippedMemoryLimit is the memory limit of the shipped Kubernetes manifests, and shippedGOMEMLIMIT their
// GOMEMLIMIT (deploy/kubernetes).
const (
	shippedMemoryLimit = 384 << 20
	shippedGOMEMLIMIT  = "300MiB"
)

// hostileOrg answers its first request with page, then with empty pages: whatever answers on an org's
// origin may send any page within max_response_body_size.
type hostileOrg struct {
	page     string
	requests atomic.Int64
}

func (h *hostileOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := h.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/logs?after=x%d>; rel="next"`, r.Host, n))
	if n == 1 || strings.Contains(r.URL.RawQuery, "after=x0") {
		fmt.Fprint(w, h.page)
		return
	}
	fmt.Fprint(w, "[]")
}

// hostilePage is a page of about 15 MiB, within the default max_response_body_size, of the given shape.
func hostilePage(shape string) string {
	const size = 15 << 20
	var b strings.Builder
	b.WriteByte('[')
	head := `{"uuid":"hostile-%d","published":"2026-11-24T10:00:00.000Z","eventType":"user.session.start","debugContext":{"debugData":{"x":`
	switch shape {
	case "numbers": // one event: a long array of small numbers
		fmt.Fprintf(&b, head, 0)
		b.WriteString("[0")
		for b.Len() < size {
			b.WriteString(",0")
		}
		b.WriteString("]}}}")
	case "nesting": // events of arrays nested 9,000 deep
		for i := 0; b.Len() < size; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, head, i)
			b.WriteString(strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "}}}")
		}
	case "strings": // one event: one huge string
		fmt.Fprintf(&b, head, 0)
		b.WriteString(`"` + strings.Repeat("a", size) + `"}}}`)
	case "dense": // as many events as Okta sends, each with as many small numbers as the mapping explodes
		for i := 0; i < 1000; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"uuid":"hostile-%d","published":"2026-11-24T10:00:00.000Z","pad":"%s","x":[0`, i, strings.Repeat("p", 10000))
			b.WriteString(strings.Repeat(",0", 2500) + "]}")
		}
	case "events": // more events than Okta puts in a page
		for i := 0; i <= 1000 || b.Len() < size; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("{}")
		}
	}
	b.WriteByte(']')
	return b.String()
}

// peakRSS is the most memory the process has held (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// A page within max_response_body_size, whatever its shape, keeps the collector within the shipped memory
// limit (with the shipped GOMEMLIMIT): a long array of small numbers, deep nesting and a huge string are
// delivered whole; a page of more events than Okta sends is refused, for that org alone (its state says
// so); and a healthy org in the same collector goes on collecting.
func TestHostilePagesStayWithinTheMemoryLimit(t *testing.T) {
	for _, shape := range []string{"numbers", "nesting", "strings", "dense", "events"} {
		t.Run(shape, func(t *testing.T) {
			hostile := &hostileOrg{page: hostilePage(shape)}
			srv := httptest.NewServer(hostile)
			defer srv.Close()
			healthy := startOrgs(t, 1, 2000, 5)[0]
			hostileSink := startOrgSink(t)
			cfg := configOf([]*testOrg{healthy}, nil)
			cfg.orgs = append(cfg.orgs, orgConfig{name: "hostile", endpoint: srv.URL, token: "e2e-token-hostile", sink: hostileSink.URL})
			cfg.metricsAddr = freeAddr(t)
			dir := t.TempDir()
			log, err := os.Create(filepath.Join(dir, "collector.log"))
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(binary(t, "OTELCOL_OKTA"), "--config", cfg.write(t, dir))
			cmd.Env = append(os.Environ(), "GOMEMLIMIT="+shippedGOMEMLIMIT)
			cmd.Stdout, cmd.Stderr = log, log
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
			if shape == "events" {
				waitFor(t, "the hostile org's page refused", time.Minute, func() bool {
					return strings.Contains(metricsText(cfg.metricsAddr), `error_type="too_many_events"`)
				})
				if n, _ := hostileSink.Requests(); n != 0 {
					t.Errorf("%d exports of a refused page", n)
				}
			} else {
				waitFor(t, "the hostile page at its backend", time.Minute, func() bool { n, _ := hostileSink.Requests(); return n > 0 })
			}
			deliveredOnce(t, []*testOrg{healthy}, 30*time.Second)
			peak := peakRSS(t, cmd.Process.Pid)
			t.Logf("%s: a %d-byte page, peak RSS %.0f MiB (limit %d MiB)", shape, len(hostile.page), float64(peak)/(1<<20), shippedMemoryLimit>>20)
			if peak > shippedMemoryLimit {
				t.Errorf("peak RSS %d MiB, over the shipped memory limit of %d MiB", peak>>20, shippedMemoryLimit>>20)
			}
			if err := cmd.Process.Signal(os.Interrupt); err == nil {
				_ = cmd.Wait()
			}
		})
	}
}
