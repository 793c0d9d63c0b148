package receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

func TestProgressLinesWhileCatchingUp(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	p := &progress{logger: zap.New(core), every: 30 * time.Second}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	newest := now.Add(-10 * time.Hour)

	// Full pages every 10 s, each moving 20 minutes through the log: 120× the clock.
	for range 10 {
		now, newest = now.Add(10*time.Second), newest.Add(20*time.Minute)
		p.page(now, 1000, true, newest)
	}
	lines := logs.FilterMessage("catching up a backlog of the org's System Log").All()
	require.Len(t, lines, 3, "one line about every 30 s")
	last := lines[2].ContextMap()
	assert.EqualValues(t, 10000, last["events"])
	assert.Equal(t, newest, last["published_reached"])
	behind := now.Sub(newest)
	assert.Equal(t, behind.String(), last["behind"])
	catchUp, err := time.ParseDuration(last["catch_up_in"].(string))
	require.NoError(t, err)
	assert.InDelta(t, float64(behind)/119, float64(catchUp), float64(time.Second))

	// A page that is not full: caught up, one line, then quiet.
	p.page(now.Add(time.Second), 10, false, now)
	for range 5 {
		now = now.Add(time.Minute)
		p.page(now, 3, false, now)
	}
	caught := logs.FilterMessage("caught up with the org's System Log").All()
	require.Len(t, caught, 1)
	assert.EqualValues(t, 10010, caught[0].ContextMap()["events"])
	assert.Len(t, logs.All(), 4, "quiet once caught up")
}

func TestNoProgressLinesWhenNeverBehind(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	p := &progress{logger: zap.New(core), every: 30 * time.Second}
	now := time.Now()
	for range 10 {
		now = now.Add(15 * time.Second)
		p.page(now, 2, false, now)
	}
	assert.Empty(t, logs.All())
}

func TestReceiverReportsBacklogProgressThenCaughtUp(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 1050, time.Now().Add(-time.Hour))
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink, func(rcv *oktaReceiver) { rcv.progressEvery = time.Nanosecond })
	waitForCount(t, sink, len(want))
	require.Eventually(t, func() bool {
		return r.logs.FilterMessage("caught up with the org's System Log").Len() == 1
	}, 5*time.Second, 5*time.Millisecond)
	o.servedMore(t) // more empty polls: quiet
	r.stop(t)

	lines := r.logs.FilterMessage("catching up a backlog of the org's System Log").All()
	require.NotEmpty(t, lines)
	last := lines[len(lines)-1].ContextMap()
	assert.EqualValues(t, 1000, last["events"], "ten full pages of 100")
	assert.Contains(t, last, "behind")
	caught := r.logs.FilterMessage("caught up with the org's System Log").All()
	assert.EqualValues(t, 1050, caught[0].ContextMap()["events"])
	assert.Equal(t, 1, r.logs.FilterMessage("caught up with the org's System Log").Len(), "said once")
}
