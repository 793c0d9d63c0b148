package receiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/metadatatest"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

func TestTelemetry(t *testing.T) {
	tt := componenttest.NewTelemetry()
	defer func() { require.NoError(t, tt.Shutdown(context.Background())) }()

	o := newOrg(t, oktasim.Options{RateLimit: 1000, RateWindow: time.Second})
	newest := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	want := o.addEvents(t, 150, newest)
	o.sim.ForceNext(1, oktasim.Fault500)
	o.sim.ForceNext(1, oktasim.Fault429)

	set := metadatatest.NewSettings(tt)
	set.Logger = zap.NewNop()
	var sink consumertest.LogsSink
	rcv, err := newReceiver(set, testConfig(o), &sink, testShared(t))
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, rcv.Shutdown(context.Background())) }()
	// The 429 waits for the window to reset: the events come after it.
	require.Eventually(t, func() bool { return sink.LogRecordCount() == len(want) }, 10*time.Second, 10*time.Millisecond)
	// The count follows the pipeline's answer: wait for it rather than race it.
	require.Eventually(t, func() bool {
		m, err := tt.GetMetric("otelcol_receiver_okta_events_received")
		if err != nil {
			return false
		}
		dps := m.Data.(metricdata.Sum[int64]).DataPoints
		return len(dps) == 1 && dps[0].Value == int64(len(want))
	}, 10*time.Second, 10*time.Millisecond)

	id := attribute.NewSet(attribute.String("receiver", "okta"))
	metadatatest.AssertEqualReceiverOktaEventsReceived(t, tt,
		[]metricdata.DataPoint[int64]{{Value: int64(len(want)), Attributes: id}}, metricdatatest.IgnoreTimestamp())
	metadatatest.AssertEqualReceiverOktaRateLimitWaits(t, tt,
		[]metricdata.DataPoint[int64]{{Value: 1, Attributes: id}}, metricdatatest.IgnoreTimestamp())

	requests, err := tt.GetMetric("otelcol_receiver_okta_requests")
	require.NoError(t, err)
	byStatus := map[int64]int64{}
	for _, dp := range requests.Data.(metricdata.Sum[int64]).DataPoints {
		code, ok := dp.Attributes.Value(attribute.Key("http.response.status_code"))
		require.True(t, ok)
		rid, _ := dp.Attributes.Value(attribute.Key("receiver"))
		assert.Equal(t, "okta", rid.AsString())
		byStatus[code.AsInt64()] = dp.Value
	}
	assert.Equal(t, int64(1), byStatus[500])
	assert.Equal(t, int64(1), byStatus[429])
	assert.GreaterOrEqual(t, byStatus[200], int64(2), "two pages of 100, then empty polls")

	remaining, err := tt.GetMetric("otelcol_receiver_okta_rate_limit_remaining")
	require.NoError(t, err)
	assert.Less(t, remaining.Data.(metricdata.Gauge[int64]).DataPoints[0].Value, int64(1000))

	lag, err := tt.GetMetric("otelcol_receiver_okta_lag")
	require.NoError(t, err)
	assert.Equal(t, id, lag.Data.(metricdata.Gauge[float64]).DataPoints[0].Attributes)
	assert.InDelta(t, time.Since(newest).Seconds(), lag.Data.(metricdata.Gauge[float64]).DataPoints[0].Value, 5)

	age, err := tt.GetMetric("otelcol_receiver_okta_checkpoint_age")
	require.NoError(t, err)
	v := age.Data.(metricdata.Gauge[float64]).DataPoints[0].Value
	assert.True(t, v >= 0 && v < 60, "checkpoint written moments ago, got %v s", v)
}

func TestTelemetryStateMemoryAndWaiting(t *testing.T) {
	tt := componenttest.NewTelemetry()
	defer func() { require.NoError(t, tt.Shutdown(context.Background())) }()
	tel, err := newTelemetry(component.MustNewIDWithName("okta", "corp"), metadatatest.NewSettings(tt).TelemetrySettings, time.Now)
	require.NoError(t, err)
	defer tel.shutdown()
	id := attribute.String("receiver", "okta/corp")

	metadatatest.AssertEqualReceiverOktaState(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(id, attribute.String("state", stateStarting))},
	}, metricdatatest.IgnoreTimestamp())
	tel.setState(stateFailing, "http_503")
	metadatatest.AssertEqualReceiverOktaState(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(id, attribute.String("state", stateFailing), attribute.String("error.type", "http_503"))},
	}, metricdatatest.IgnoreTimestamp()) // one series: the state the org is in now

	tel.memoryHeld.Store(4096)
	metadatatest.AssertEqualReceiverOktaMemoryHeld(t, tt, []metricdata.DataPoint[int64]{
		{Value: 4096, Attributes: attribute.NewSet(id)},
	}, metricdatatest.IgnoreTimestamp())

	tel.waited(waitMemory, 1500*time.Millisecond)
	tel.waited(waitPipeline, 0) // nothing to add
	metadatatest.AssertEqualReceiverOktaWaiting(t, tt, []metricdata.DataPoint[float64]{
		{Value: 1.5, Attributes: attribute.NewSet(id, attribute.String("reason", waitMemory))},
	}, metricdatatest.IgnoreTimestamp())

	tel.delivered(1, time.Now().Add(time.Hour)) // an event from the future
	metadatatest.AssertEqualReceiverOktaLag(t, tt, []metricdata.DataPoint[float64]{
		{Value: 0, Attributes: attribute.NewSet(id)},
	}, metricdatatest.IgnoreTimestamp()) // never negative: it would hide a real lag
}

// stateName is the state reported now.
func (t *telemetry) stateName() string { return t.state.Load().name }
