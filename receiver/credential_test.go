package receiver

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/metadatatest"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

const collectorTokenID = "00Tcollector00000001"

// credentialEvent is an event of type eventType by actor, with more members after them.
func credentialEvent(published time.Time, eventType, actor, more string) (string, []byte) {
	uuid := fmt.Sprintf("00000000-0000-4000-8000-%012d", seq.Add(1))
	raw := fmt.Sprintf(`{"uuid":%q,"published":%q,"eventType":%q,"version":"0","severity":"INFO","actor":{"id":%q,"type":"User"},"outcome":{"result":"SUCCESS"}`,
		uuid, published.UTC().Format("2006-01-02T15:04:05.000Z"), eventType, actor)
	if more != "" {
		raw += "," + more
	}
	return uuid, []byte(raw + "}")
}

// collectWithTelemetry runs a receiver of cfg until want events arrived and returns them, the collector's
// telemetry and the logs.
func collectWithTelemetry(t *testing.T, cfg *Config, want int) (*consumertest.LogsSink, *componenttest.Telemetry, *observer.ObservedLogs) {
	t.Helper()
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	core, logs := observer.New(zap.InfoLevel)
	set := metadatatest.NewSettings(tt)
	set.Logger = zap.New(core)
	sink := new(consumertest.LogsSink)
	rcv, err := newReceiver(set, cfg, sink, testShared(t))
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, rcv.Shutdown(context.Background())) })
	waitForCount(t, sink, want)
	return sink, tt, logs
}

// flagged are the uuids of the delivered records that carry okta.security.collector_credential_used.
func flagged(sink *consumertest.LogsSink) []string {
	var out []string
	for _, ld := range sink.AllLogs() {
		forEachRecord(ld, func(lr plog.LogRecord) {
			if v, ok := lr.Attributes().Get(credentialAttribute); ok && v.Bool() {
				id, _ := lr.Attributes().Get("log.record.uid")
				out = append(out, id.Str())
			}
		})
	}
	return out
}

func TestEventsOfTheCollectorsTokenAreFlaggedAndCounted(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	now := time.Now().Add(-time.Minute)
	tx := func(id string) string {
		return `"transaction":{"type":"WEB","id":"tx","detail":{"requestApiTokenId":"` + id + `"}}`
	}
	deactivate, raw1 := credentialEvent(now, "user.lifecycle.deactivate", "00uadmin", tx(collectorTokenID))
	_, raw2 := credentialEvent(now, "user.session.start", "00uother", "")
	_, raw3 := credentialEvent(now, "system.org.rate_limit.warning", "00uadmin", tx(collectorTokenID)+`,"debugContext":{"debugData":{"requestUri":"/api/v1/logs"}}`)
	_, raw4 := credentialEvent(now, "user.lifecycle.deactivate", "00uadmin", tx("00Tanother0000000001"))
	policy, raw5 := credentialEvent(now, "policy.lifecycle.update", "00uadmin", tx(collectorTokenID))
	require.NoError(t, o.sim.Add(raw1, raw2, raw3, raw4, raw5))

	cfg := testConfig(o)
	cfg.APITokenID = collectorTokenID
	sink, tt, logs := collectWithTelemetry(t, cfg, 5)

	assert.Equal(t, []string{deactivate, policy}, flagged(sink), "only what the token changed, not its reading of the log nor another token's")
	id := attribute.NewSet(attribute.String("receiver", "okta"))
	require.Eventually(t, func() bool {
		_, err := tt.GetMetric("otelcol_receiver_okta_collector_credential_used")
		return err == nil
	}, 5*time.Second, 5*time.Millisecond)
	metadatatest.AssertEqualReceiverOktaCollectorCredentialUsed(t, tt,
		[]metricdata.DataPoint[int64]{{Value: 2, Attributes: id}}, metricdatatest.IgnoreTimestamp())
	warned := logs.FilterMessageSnippet("the collector's credential was used for more than reading").All()
	require.Len(t, warned, 1)
	assert.Equal(t, int64(2), warned[0].ContextMap()["events"])
	assert.ElementsMatch(t, []any{"user.lifecycle.deactivate", "policy.lifecycle.update"}, warned[0].ContextMap()["event_types"])
}

func TestEventsOfTheCollectorsAppAreFlagged(t *testing.T) {
	key, pemKey := serviceAppKey(t)
	o := newOrg(t, oktasim.Options{OAuth: &oktasim.OAuthApp{ClientID: "0oacollector00000001", PublicKey: &key.PublicKey}})
	now := time.Now().Add(-time.Minute)
	grant, raw1 := credentialEvent(now, "app.oauth2.as.token.grant.access_token", "0oacollector00000001",
		`"debugContext":{"debugData":{"grantedScopes":"okta.logs.read"}}`)
	change, raw2 := credentialEvent(now, "group.user_membership.add", "0oacollector00000001", "")
	ordinary, raw3 := credentialEvent(now, "user.session.start", "00uother", "")
	require.NoError(t, o.sim.Add(raw1, raw2, raw3))

	cfg := testConfig(o)
	cfg.APIToken = ""
	cfg.OAuth = configoptional.Some(oauth.Config{ClientID: "0oacollector00000001", PrivateKey: configopaque.String(pemKey), Scopes: []string{oauth.DefaultScope}})
	sink, tt, _ := collectWithTelemetry(t, cfg, 3)

	assert.Equal(t, []string{change}, flagged(sink), "not the app's own token grant (%s), nor an ordinary event (%s)", grant, ordinary)
	require.Eventually(t, func() bool {
		m, err := tt.GetMetric("otelcol_receiver_okta_collector_credential_used")
		return err == nil && m.Data.(metricdata.Sum[int64]).DataPoints[0].Value == 1
	}, 5*time.Second, 5*time.Millisecond)
}

func TestOrdinaryEventsAreNotCounted(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 20, time.Now().Add(-time.Minute))
	cfg := testConfig(o)
	cfg.APITokenID = collectorTokenID
	sink, tt, logs := collectWithTelemetry(t, cfg, len(want))
	assert.Empty(t, flagged(sink))
	_, err := tt.GetMetric("otelcol_receiver_okta_collector_credential_used")
	require.Error(t, err, "no data point without a flagged event")
	assert.Zero(t, logs.FilterMessageSnippet("the collector's own credential").Len())
}

func TestNetworkZoneRefusalIsExplainedInTheLog(t *testing.T) {
	o := newOrg(t, oktasim.Options{Faults: oktasim.Faults{NetworkZoneAddress: "198.51.100.23"}})
	o.sim.ForceNext(2, oktasim.FaultNetworkZone)
	want := o.addEvents(t, 3, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink)
	waitForCount(t, sink, len(want)) // the refusal lasted two requests; the receiver went on after it
	r.stop(t)
	refused := r.logs.FilterMessage("Okta request failed").All()
	require.NotEmpty(t, refused)
	fields := refused[0].ContextMap()
	msg, fix := fmt.Sprint(fields["error"]), fmt.Sprint(fields["fix"])
	assert.Contains(t, msg, "outside the network zones", "the problem in error")
	assert.Contains(t, fix, "the address Okta saw, 198.51.100.23,", "the fix in fix")
	assert.Contains(t, fix, "allow the collector's egress addresses in the token's network zone")
	assert.NotContains(t, msg+fix, "test-token")
}

// The flagged events are counted from what was handed to the pipeline, not from the records after the call:
// those belong to the pipeline then, and a processor or a collector that pools pdata may have changed or
// emptied them by the time the call returns.
func TestFlaggedEventsAreCountedAsHandedToThePipeline(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	now := time.Now().Add(-time.Minute)
	tx := `"transaction":{"type":"WEB","id":"tx","detail":{"requestApiTokenId":"` + collectorTokenID + `"}}`
	_, raw1 := credentialEvent(now, "user.lifecycle.deactivate", "00uadmin", tx)
	_, raw2 := credentialEvent(now, "group.user_membership.add", "00uadmin", tx)
	require.NoError(t, o.sim.Add(raw1, raw2))

	cfg := testConfig(o)
	cfg.APITokenID = collectorTokenID
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	core, logs := observer.New(zap.InfoLevel)
	set := metadatatest.NewSettings(tt)
	set.Logger = zap.New(core)
	var received atomic.Int64
	next, err := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
		received.Add(int64(ld.LogRecordCount()))
		ld.ResourceLogs().RemoveIf(func(plog.ResourceLogs) bool { return true }) // what pooling does once the call returns
		return nil
	}, consumer.WithCapabilities(consumer.Capabilities{MutatesData: true}))
	require.NoError(t, err)
	rcv, err := newReceiver(set, cfg, next, testShared(t))
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, rcv.Shutdown(context.Background())) })

	require.Eventually(t, func() bool {
		_, err := tt.GetMetric("otelcol_receiver_okta_collector_credential_used")
		return received.Load() == 2 && err == nil
	}, 5*time.Second, 5*time.Millisecond)
	metadatatest.AssertEqualReceiverOktaCollectorCredentialUsed(t, tt,
		[]metricdata.DataPoint[int64]{{Value: 2, Attributes: attribute.NewSet(attribute.String("receiver", "okta"))}},
		metricdatatest.IgnoreTimestamp())
	warned := logs.FilterMessageSnippet("the collector's credential was used for more than reading").All()
	require.Len(t, warned, 1)
	assert.ElementsMatch(t, []any{"user.lifecycle.deactivate", "group.user_membership.add"}, warned[0].ContextMap()["event_types"])
}
