//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// exitWithin waits for the collector to exit; it fails the test when it is still running after d.
func exitWithin(t *testing.T, col interface{ Wait() error }, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- col.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("the collector did not exit within %s", d)
		return nil
	}
}

func collectorLog(t *testing.T, dir string) *os.File {
	t.Helper()
	log, err := os.Create(filepath.Join(dir, "collector.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("collector log:\n%s", b)
		}
	})
	return log
}

// With the backend down and no sending queue, the receiver's ConsumeLogs never returns by itself: a stop
// must still end within shutdown_timeout (5 s) and a little more, and the page it held is read again at the
// next start.
func TestStopWithBackendDownIsBoundedAndLosesNothing(t *testing.T) {
	dir := t.TempDir()
	simURL := startSimulator(t)
	snk := startSink(t)
	snk.SetDown(true)
	config := writeConfig(t, dir, simURL, snk.URL)
	log := collectorLog(t, dir)

	col := startCollector(t, config, log)
	waitFor(t, "the exporter to retry a refused export", time.Minute, func() bool { return snk.Refused() >= 2 })
	// the receiver now holds a page the exporter keeps retrying
	if err := col.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := exitWithin(t, col, 20*time.Second); err != nil {
		t.Fatalf("the collector did not stop cleanly: %v", err)
	}
	t.Logf("stopped %s after SIGTERM with the backend down", time.Since(start).Round(100*time.Millisecond))
	logged, _ := os.ReadFile(log.Name())
	if !strings.Contains(string(logged), "stopping before the pipeline accepted a page") ||
		!strings.Contains(string(logged), "the page is not checkpointed, and the next start reads it again") {
		t.Error("the log does not say that the page in hand was not checkpointed")
	}

	snk.SetDown(false)
	col = startCollector(t, config, log)
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()
	waitForAll(t, "every event of the org at the sink", 2*time.Minute, snk, ledger(t, simURL))
}
