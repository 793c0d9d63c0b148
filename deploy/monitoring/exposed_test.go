package monitoring

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCollectorExposesTheseNames runs the built distribution (OTELCOL_OKTA) against the simulator (OKTASIM),
// both set by `make monitoring-test`, and reads its Prometheus endpoint: every okta receiver metric it
// exposes has the name the rules and the dashboard use for a metric of metadata.yaml, and the ones every
// collecting receiver reports are there, with the receiver's id. A collector release that renamed them (a
// `_total` or unit suffix) fails here before any alert goes quiet.
func TestCollectorExposesTheseNames(t *testing.T) {
	bin, simBin := os.Getenv("OTELCOL_OKTA"), os.Getenv("OKTASIM")
	if bin == "" || simBin == "" {
		t.Fatal("OTELCOL_OKTA and OKTASIM are not set: run this test with `make monitoring-test`, which builds the distribution and the simulator")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	simURL := startSim(ctx, t, simBin)
	metricsPort := freePort(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`receivers:
  okta/check:
    endpoint: %s
    api_token: sim-token
    poll_interval: 1s
exporters:
  debug:
    verbosity: basic
service:
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %d
  pipelines:
    logs:
      receivers: [okta/check]
      exporters: [debug]
`, simURL, metricsPort)), 0o600); err != nil {
		t.Fatal(err)
	}
	col := exec.CommandContext(ctx, bin, "--config", config)
	var log strings.Builder
	col.Stdout, col.Stderr = &log, &log
	if err := col.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = col.Process.Kill()
		_ = col.Wait()
		if t.Failed() {
			t.Logf("the collector's log:\n%s", log.String())
		}
	})

	// What every receiver that read a page reports.
	required := []string{"state", "requests", "events_received", "lag", "checkpoint_age", "rate_limit_remaining", "memory_held"}
	var families map[string]string
	var text string
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		families, text = scrape(t, metricsPort)
		if hasAll(families, required) || time.Now().After(deadline) {
			break
		}
		<-tick.C
	}
	known := emitted(t)
	for name, kind := range families {
		if strings.HasPrefix(name, "otelcol_receiver_okta_") && !known[name] {
			t.Errorf("the collector exposes %s (%s), which is not the name of any metric of metadata.yaml: the rules and the dashboard name them %s", name, kind, strings.Join(sortedKeys(known), ", "))
		}
	}
	for _, m := range required {
		if _, ok := families["otelcol_receiver_okta_"+m]; !ok {
			t.Errorf("the collector does not expose otelcol_receiver_okta_%s after reading pages", m)
		}
	}
	for _, m := range collectorMetrics[:2] {
		if _, ok := families[m]; !ok {
			t.Errorf("the collector does not expose %s", m)
		}
	}
	if !strings.Contains(text, `otelcol_receiver_okta_events_received{receiver="okta/check"}`) {
		t.Errorf("otelcol_receiver_okta_events_received does not carry receiver=\"okta/check\" alone:\n%s", text)
	}
	// The rules compare the state with 1, and the orgs that need attention are those whose state is not
	// collecting or catching_up: a collecting org reports that, as 1.
	if !strings.Contains(text, `otelcol_receiver_okta_state{receiver="okta/check",state="collecting"} 1`) &&
		!strings.Contains(text, `otelcol_receiver_okta_state{receiver="okta/check",state="catching_up"} 1`) {
		t.Errorf("no otelcol_receiver_okta_state{receiver=\"okta/check\",state=\"collecting\"} 1 for a receiver that reads pages:\n%s", text)
	}
}

func hasAll(families map[string]string, metrics []string) bool {
	for _, m := range metrics {
		if _, ok := families["otelcol_receiver_okta_"+m]; !ok {
			return false
		}
	}
	return true
}

// scrape reads the collector's metrics as Prometheus does, and returns the families (# TYPE lines) by name.
func scrape(t *testing.T, port int) (map[string]string, string) {
	t.Helper()
	families := map[string]string{}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return families, ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return families, ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			families[f[2]] = f[3]
		}
	}
	return families, string(b)
}

// startSim starts the simulator on a free loopback port with a small backlog and returns its URL.
func startSim(ctx context.Context, t *testing.T, bin string) string {
	t.Helper()
	sim := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-token", "sim-token", "-backlog", "200", "-rate", "1")
	out, err := sim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sim.Stderr = os.Stderr
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sim.Process.Kill()
		_ = sim.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the simulator did not start: %v", err)
	}
	// "oktasim listening on http://127.0.0.1:PORT (token: sim-token)"
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "http://") {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return f
		}
	}
	t.Fatalf("the simulator said %q, not where it listens", line)
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
