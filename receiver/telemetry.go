package receiver

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/okta"
)

// telemetry is the receiver's own metrics: what an admin watches to know it is collecting, how far behind it
// is and how close to the org's rate limit.
type telemetry struct {
	tb  *metadata.TelemetryBuilder
	now func() time.Time
	// id names the receiver on every measurement, so that the receivers of several orgs are told apart.
	id attribute.KeyValue
	// newestPublished and checkpointWritten are unix nanoseconds, 0 until known; the gauges read them when
	// the collector collects its metrics.
	newestPublished   atomic.Int64
	checkpointWritten atomic.Int64
	// memoryHeld is what the receiver's page holds in the collector-wide pool, in bytes.
	memoryHeld atomic.Int64
	// state is the org's state as the state gauge reports it, unless writeFailing is set: checkpoint writes
	// fail, and the gauge reports storage_failed.
	state        atomic.Pointer[orgState]
	writeFailing atomic.Bool
}

func newTelemetry(id component.ID, set component.TelemetrySettings, now func() time.Time) (*telemetry, error) {
	tb, err := metadata.NewTelemetryBuilder(set)
	if err != nil {
		return nil, err
	}
	t := &telemetry{tb: tb, now: now, id: attribute.String("receiver", id.String())}
	if err := tb.RegisterReceiverOktaLagCallback(t.observeSince(&t.newestPublished)); err != nil {
		return nil, err
	}
	if err := tb.RegisterReceiverOktaCheckpointAgeCallback(t.observeSince(&t.checkpointWritten)); err != nil {
		return nil, err
	}
	if err := tb.RegisterReceiverOktaMemoryHeldCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(t.memoryHeld.Load(), metric.WithAttributes(t.id))
		return nil
	}); err != nil {
		return nil, err
	}
	t.state.Store(&orgState{name: stateStarting})
	if err := tb.RegisterReceiverOktaStateCallback(t.observeState); err != nil {
		return nil, err
	}
	return t, nil
}

// observeSince reports the seconds since the time held in at, once there is one.
func (t *telemetry) observeSince(at *atomic.Int64) metric.Float64Callback {
	return func(_ context.Context, o metric.Float64Observer) error {
		if ns := at.Load(); ns != 0 {
			// An event published ahead of this clock is not a negative lag: it would hide a real one.
			o.Observe(max(t.now().Sub(time.Unix(0, ns)).Seconds(), 0), metric.WithAttributes(t.id))
		}
		return nil
	}
}

// attempt counts one request to Okta; status is 0 when no answer arrived.
func (t *telemetry) attempt(status int) {
	t.tb.ReceiverOktaRequests.Add(context.Background(), 1,
		metric.WithAttributes(t.id, attribute.Int("http.response.status_code", status)))
}

func (t *telemetry) rateLimit(rl okta.RateLimit) {
	if rl.Known {
		t.tb.ReceiverOktaRateLimitRemaining.Record(context.Background(), int64(rl.Remaining), metric.WithAttributes(t.id))
	}
}

func (t *telemetry) rateLimitWait() {
	t.tb.ReceiverOktaRateLimitWaits.Add(context.Background(), 1, metric.WithAttributes(t.id))
}

// delivered counts events the pipeline accepted, the newest of which was published at newest.
func (t *telemetry) delivered(n int, newest time.Time) {
	t.tb.ReceiverOktaEventsReceived.Add(context.Background(), int64(n), metric.WithAttributes(t.id))
	if !newest.IsZero() && newest.UnixNano() > t.newestPublished.Load() {
		t.newestPublished.Store(newest.UnixNano())
	}
}

// Reasons an event delivered deserves a look, as the `reason` of receiver_okta_event_anomalies.
const (
	reasonMissingUUID          = "missing_uuid"
	reasonUnparseablePublished = "unparseable_published"
	reasonFuturePublished      = "future_published"
)

// anomalies counts n delivered events that deserve a look, for reason.
func (t *telemetry) anomalies(reason string, n int) {
	t.tb.ReceiverOktaEventAnomalies.Add(context.Background(), int64(n), metric.WithAttributes(t.id, attribute.String("reason", reason)))
}

// givenBack counts a page given back to the pool before the pipeline accepted it; duringCall says that
// its call to the pipeline was cancelled under way, so the page may come twice.
func (t *telemetry) givenBack(duringCall bool) {
	t.tb.ReceiverOktaPagesGivenBack.Add(context.Background(), 1, metric.WithAttributes(t.id, attribute.Bool("during_call", duringCall)))
}

// Reasons an org waits for something other than its own rate limit, as the `reason` of receiver_okta_waiting.
const (
	waitPipeline = "pipeline"
	waitMemory   = "memory"
)

// waited adds d to the time the org spent waiting for reason.
func (t *telemetry) waited(reason string, d time.Duration) {
	if d > 0 {
		t.tb.ReceiverOktaWaiting.Add(context.Background(), d.Seconds(), metric.WithAttributes(t.id, attribute.String("reason", reason)))
	}
}

func (t *telemetry) checkpointed(at time.Time) { t.checkpointWritten.Store(at.UnixNano()) }

func (t *telemetry) shutdown() { t.tb.Shutdown() }

// credentialAttribute flags an event the collector's own credential made that is not a read of the System Log.
const credentialAttribute = "okta.security.collector_credential_used"

// maxTypesLogged bounds the event types a warning about the collector's credential names.
const maxTypesLogged = 5

// credentialUse is what a page holds of events made with the collector's own credential that are not a read
// of the System Log: how many, and their first event types.
type credentialUse struct {
	n     int
	types []string
}

// credentialUseOf reads the flagged records of pg. It is called before the page goes to the pipeline, which
// owns the records from then on: a processor may change them, and a collector that pools pdata reuses their
// memory once the call returns.
func credentialUseOf(pg *page) credentialUse {
	var u credentialUse
	if pg.credentialUsed == 0 {
		return u
	}
	rls := pg.logs.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				if v, ok := lr.Attributes().Get(credentialAttribute); !ok || !v.Bool() {
					continue
				}
				u.n++
				if t := okta.Redact(lr.EventName(), okta.MaxServerWord, nil); len(u.types) < maxTypesLogged && !slices.Contains(u.types, t) {
					u.types = append(u.types, t)
				}
			}
		}
	}
	return u
}

// credentialUsed counts, once the pipeline has accepted them, the page's events made with the collector's
// own credential that are not a read of the System Log, and says so: the credential that should only read
// the log was used to do something else.
func (r *oktaReceiver) credentialUsed(u credentialUse) {
	if u.n == 0 {
		return
	}
	r.telemetry.tb.ReceiverOktaCollectorCredentialUsed.Add(context.Background(), int64(u.n), metric.WithAttributes(r.telemetry.id))
	r.set.Logger.Warn("the collector's credential was used for more than reading the System Log",
		zap.Int("events", u.n), zap.Strings("event_types", u.types), zap.String("then", "those events are flagged "+credentialAttribute),
		zap.String("fix", "find who else holds the credential, revoke it and give the collector a new one (docs/security.md)"))
}

// oauthClientID is the client ID of the receiver's OAuth app, "" without one.
func oauthClientID(cfg *Config) string {
	if cfg.OAuth.HasValue() {
		return cfg.OAuth.Get().ClientID
	}
	return ""
}
