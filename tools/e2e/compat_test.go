//go:build e2e && compat

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// A user's own collector at a newer collector release than the receiver's go.mod requires
// (testdata/compat/builder-config.yaml, built by `make compat` with that release's ocb): it holds the
// receiver's collector modules at that release, validates a configuration with the receiver, and
// collects every event of a simulated org through batch and otlp_http, with file_storage keeping its
// place and debug beside.
func TestUserDistributionAtANewerRelease(t *testing.T) {
	bin := binary(t, "OTELCOL_COMPAT")
	release, stable := os.Getenv("OTELCOL_COMPAT_RELEASE"), os.Getenv("OTELCOL_COMPAT_STABLE")
	if release == "" || stable == "" {
		t.Fatal("OTELCOL_COMPAT_RELEASE and OTELCOL_COMPAT_STABLE are not set: run this test with `make compat`")
	}

	// Go's minimum version selection lifted the collector's modules the receiver shares with the user's
	// components to the user's release (a module only the receiver requires, receiverhelper, may stay at the
	// receiver's).
	out, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	for mod, version := range map[string]string{
		"go.opentelemetry.io/collector/otelcol":              release,
		"go.opentelemetry.io/collector/receiver":             stable,
		"go.opentelemetry.io/collector/pdata":                stable,
		"go.opentelemetry.io/collector/extension/xextension": release,
	} {
		if !regexp.MustCompile(`(?m)^\s+dep\s+` + regexp.QuoteMeta(mod) + `\s+` + regexp.QuoteMeta(version) + `\s`).Match(out) {
			t.Errorf("the distribution does not hold %s at %s", mod, version)
		}
	}
	if !regexp.MustCompile(`(?m)^\s+dep\s+github.com/datableio/oktareceiver\s`).Match(out) {
		t.Errorf("the distribution does not hold the receiver:\n%s", out)
	}

	dir := t.TempDir()
	simURL := runSimulator(t, "-addr", "127.0.0.1:0", "-token", "e2e-token", "-backlog", "500", "-backlog-age", "1h", "-seed", "3")
	snk := startSink(t)
	storage := filepath.Join(dir, "storage")
	if err := os.MkdirAll(storage, 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`
extensions:
  file_storage:
    directory: %s
receivers:
  okta:
    endpoint: %s
    api_token: e2e-token
    storage: file_storage
    page_size: 100
    poll_interval: 1s
    initial_lookback: 2h
processors:
  batch:
    timeout: 200ms
exporters:
  debug:
    verbosity: basic
  otlp_http:
    endpoint: %s
    compression: none
service:
  extensions: [file_storage]
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [okta]
      processors: [batch]
      exporters: [otlp_http, debug]
`, storage, simURL, snk.URL)
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "validate", "--config", config).CombinedOutput(); err != nil {
		t.Fatalf("validate refused the configuration: %v\n%s", err, out)
	}

	log := collectorLog(t, dir)
	col := exec.Command(bin, "--config", config)
	col.Stdout, col.Stderr = log, log
	if err := col.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = col.Process.Kill() })
	want := ledger(t, simURL)
	if len(want) < 500 {
		t.Fatalf("the simulator's ledger holds %d events, want the backlog of 500", len(want))
	}
	waitForAll(t, "every event of the backlog at the sink", 2*time.Minute, snk, want)
	if err := col.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := exitWithin(t, col, 30*time.Second); err != nil {
		t.Errorf("the collector's stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(storage, "receiver_okta_")); err != nil {
		t.Errorf("file_storage kept no checkpoint file: %v", err)
	}
}
