package receiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// TestLedgerUnderFaultsAndSharedRateLimit runs the receiver against an org that fails a fifth of its answers
// in every way Okta and proxies fail, points some next links at a foreign host, replays some pages (a
// caching proxy gone wrong), and allows 30 requests per window, while events (some persisted late) keep
// arriving. Every event the org holds must arrive once, the credential must never reach the foreign host,
// and no window may pass the budget.
func TestLedgerUnderFaultsAndSharedRateLimit(t *testing.T) {
	const window, limit, budgetShare = 2 * time.Second, 30, 0.5
	o := newOrg(t, oktasim.Options{RateLimit: limit, RateWindow: window, Seed: 3})
	foreign := "localhost:" + o.url.Port()
	require.NoError(t, o.sim.SetFaults(oktasim.Faults{
		Prob: map[oktasim.FaultKind]float64{
			oktasim.Fault500: 0.1, oktasim.FaultTruncate: 0.05, oktasim.FaultSlow: 0.05, oktasim.FaultForeignNext: 0.05,
			oktasim.FaultReplay: 0.05,
		},
		SlowDelay:       200 * time.Millisecond,
		ForeignNextHost: foreign,
	}))
	require.NoError(t, o.sim.AddBacklog(2000, time.Now().Add(-50*time.Minute), time.Now().Add(-time.Minute)))
	streamCtx, stopStream := context.WithCancel(context.Background())
	streamDone := o.sim.StartStream(streamCtx, 100, 0.1, 10*time.Minute)
	defer stopStream()

	cfg := testConfig(o)
	cfg.RateLimitBudget = budgetShare
	sink := new(consumertest.LogsSink)
	r := start(t, cfg, componenttest.NewNopHost(), sink)

	// The stream goes on while the receiver reads the backlog: 300 events, about 3 s of it.
	backlog := len(o.sim.Ledger())
	require.Eventually(t, func() bool { return len(o.sim.Ledger()) >= backlog+300 }, 30*time.Second, 10*time.Millisecond)
	stopStream()
	<-streamDone
	want := o.sim.Ledger()
	require.Eventually(t, func() bool { return sink.LogRecordCount() >= len(want) }, 60*time.Second, 20*time.Millisecond,
		"expected every one of the org's %d events", len(want))
	o.servedMore(t)
	r.stop(t)

	got := uids(sink)
	assert.ElementsMatch(t, want, got, "zero events missing, zero duplicated")
	stats := o.sim.Stats()
	assert.Empty(t, stats.Authorization[foreign], "the token was never sent to the foreign host")
	assert.LessOrEqual(t, stats.MaxPerWindow, int(budgetShare*limit), "no window above the budget")
	assert.Zero(t, stats.RateLimited, "the receiver never ran into the limit")
	assert.NotZero(t, stats.Faults[oktasim.Fault500]+stats.Faults[oktasim.FaultTruncate], "faults were injected")
	assert.Empty(t, r.logs.FilterLevelExact(zapcore.ErrorLevel).All(),
		"failures the next try heals are warnings: an operator alerts on errors")
	t.Logf("%d events, %d requests, max %d per window, faults %v", len(want), stats.Requests, stats.MaxPerWindow, stats.Faults)
}
