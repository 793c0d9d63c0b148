package bench

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeCollector writes a script that logs like the debug exporter, then waits for SIGTERM.
func fakeCollector(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "otelcol")
	script := `#!/bin/sh
[ "$1" = --config ] || exit 3
echo 'info	Logs	{"resource logs": 1, "log records": 1000}'
echo 'info	Logs	{"resource logs": 1, "log records": 250}' >&2
trap 'echo stopping; exit 0' TERM
while :; do sleep 0.05; done
`
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// syncBuffer is a log that the test may read while the collector writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCollectorLinesSamplesAndStop(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here")
	}
	tally := NewTally(1250)
	var log syncBuffer
	col, err := StartCollector(fakeCollector(t), "config.yaml", &log, debugRecords(tally))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-tally.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the records of stdout and stderr were not counted")
	}
	time.Sleep(3 * sampleEvery)
	u, err := col.Stop(5 * time.Second)
	if err != nil || u.ExitErr != nil {
		t.Fatalf("Stop: %v, exit %v", err, u.ExitErr)
	}
	if !strings.Contains(log.String(), "stopping") {
		t.Errorf("SIGTERM was not delivered, or the log not copied:\n%s", log.String())
	}
	if len(u.Samples) == 0 || u.HWMKiB <= 0 || u.MaxRSSKiB <= 0 {
		t.Errorf("usage %+v", u)
	}
	if got := rssBefore(u.Samples, time.Now()); got != u.Samples[len(u.Samples)-1].RSSKiB {
		t.Errorf("rssBefore now = %d", got)
	}
}
