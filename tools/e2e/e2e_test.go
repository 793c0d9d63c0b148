//go:build e2e

// Package e2e runs the built otelcol-okta distribution against the Okta simulator and an OTLP sink, kills it
// with SIGKILL mid-stream, and proves that no event is lost. `make e2e` builds both binaries and runs it.
package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/tools/bench"
)

const (
	pageSize = 100
	kills    = 3
)

func binary(t *testing.T, env string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		t.Fatalf("%s is not set: run the end-to-end tests with `make e2e`, which builds the binaries", env)
	}
	return p
}

// startSimulator runs the simulator with a backlog and a live stream in which a tenth of the events are
// persisted late, and returns its URL.
func startSimulator(t *testing.T) string {
	t.Helper()
	return runSimulator(t, "-addr", "127.0.0.1:0", "-token", "e2e-token",
		"-backlog", "3000", "-backlog-age", "2h",
		"-rate", "40", "-late", "0.1", "-late-max", "30m", "-seed", "7")
}

// runSimulator runs the simulator with args and returns its URL.
func runSimulator(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t, "OKTASIM"), args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, rest, ok := strings.Cut(lines.Text(), "listening on "); ok {
			url, _, _ := strings.Cut(rest, " ")
			go func() {
				for lines.Scan() {
				}
			}()
			return url
		}
	}
	t.Fatal("the simulator did not say where it listens")
	return ""
}

func writeConfig(t *testing.T, dir, simURL, sinkURL string) string {
	t.Helper()
	storage := filepath.Join(dir, "storage")
	if err := os.MkdirAll(storage, 0o700); err != nil {
		t.Fatal(err)
	}
	// No batch processor and no in-memory sending queue: ConsumeLogs returns only once the sink holds the
	// page, so a SIGKILL can only repeat what was in flight.
	cfg := fmt.Sprintf(`
extensions:
  file_storage:
    directory: %s
receivers:
  okta:
    endpoint: %s
    api_token: e2e-token
    storage: file_storage
    page_size: %d
    poll_interval: 1s
    initial_lookback: 3h
    retry_on_failure:
      initial_interval: 200ms
      max_interval: 2s
exporters:
  otlp_http:
    endpoint: %s
    compression: none
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: true
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 0s
service:
  extensions: [file_storage]
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [okta]
      exporters: [otlp_http]
`, storage, simURL, pageSize, sinkURL)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func startCollector(t *testing.T, config string, log *os.File) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t, "OTELCOL_OKTA"), "--config", config)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func ledger(t *testing.T, simURL string) []string {
	t.Helper()
	resp, err := http.Get(simURL + "/sim/ledger")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var uids []string
	if err := json.NewDecoder(resp.Body).Decode(&uids); err != nil {
		t.Fatal(err)
	}
	return uids
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

// waitForAll waits until every event in uids has reached the sink.
func waitForAll(t *testing.T, what string, timeout time.Duration, snk *bench.Sink, uids []string) {
	t.Helper()
	waitFor(t, what, timeout, func() bool {
		for _, u := range uids {
			if !snk.Tally.Has(u) {
				return false
			}
		}
		return true
	})
}

func TestKilledCollectorLosesNothing(t *testing.T) {
	dir := t.TempDir()
	simURL := startSimulator(t)
	snk := startSink(t)
	config := writeConfig(t, dir, simURL, snk.URL)
	log, err := os.Create(filepath.Join(dir, "collector.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("collector log:\n%s", b)
		}
	}()

	// Kill the collector with SIGKILL while it drains the backlog and follows the live stream.
	col := startCollector(t, config, log)
	for i := 1; i <= kills; i++ {
		before, _ := counts(snk)
		waitFor(t, "events to arrive before a kill", time.Minute, func() bool {
			n, _ := counts(snk)
			return n >= before+pageSize/2
		})
		time.Sleep(time.Duration(i-1) * time.Second) // the first kill lands in the backlog, the later ones in the live stream
		if err := col.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = col.Wait()
		n, _ := counts(snk)
		t.Logf("kill %d: SIGKILL with %d events at the sink", i, n)
		col = startCollector(t, config, log)
	}

	// A downstream outage: the sink refuses everything until an export has been refused and retried;
	// nothing may be skipped.
	refused := snk.Refused()
	snk.SetDown(true)
	waitFor(t, "an export to be refused and retried", time.Minute, func() bool { return snk.Refused() >= refused+2 })
	snk.SetDown(false)

	// Every event the org held by now, late-persisted ones included, must reach the sink.
	want := ledger(t, simURL)
	waitForAll(t, "every event of the org at the sink", 2*time.Minute, snk, want)

	// A graceful stop after the outage, then a restart: nothing is repeated by a clean shutdown.
	if err := col.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := col.Wait(); err != nil {
		t.Fatalf("collector did not stop cleanly: %v", err)
	}
	distinct, extra := counts(snk)
	t.Logf("sink holds %d distinct events (org held %d when checked), %d repeated", distinct, len(want), extra)
	if extra > kills*pageSize {
		t.Errorf("%d events arrived twice; at most one page per kill (%d) may repeat", extra, kills*pageSize)
	}
	col = startCollector(t, config, log)
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()
	waitForAll(t, "the events published since the graceful stop", time.Minute, snk, ledger(t, simURL))
	if _, extraAfter := counts(snk); extraAfter != extra {
		t.Errorf("the restart after a graceful shutdown repeated %d events", extraAfter-extra)
	}
}
