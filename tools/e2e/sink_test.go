//go:build e2e

package e2e

import (
	"testing"

	"github.com/datableio/oktareceiver/tools/bench"
)

// startSink starts an OTLP/HTTP logs endpoint on loopback that counts every record by its log.record.uid
// and, set down, answers 503 as an unavailable backend would.
func startSink(t *testing.T) *bench.Sink {
	t.Helper()
	s := bench.NewSink(bench.NewTally(0))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// counts returns how many distinct events reached the sink and how many arrived more than once (the
// extra copies).
func counts(s *bench.Sink) (distinct, extra int) {
	snap := s.Tally.Snapshot()
	return max(snap.Distinct, 0), snap.Repeated
}
