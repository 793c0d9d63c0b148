package receiver

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/metadatatest"
)

// failingStore is a storage client whose writes fail while fail is set (a full or read-only volume), and
// which keeps the last value written.
type failingStore struct {
	mu     sync.Mutex
	fail   bool
	sets   int
	stored []byte
}

func (s *failingStore) Get(context.Context, string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stored, nil
}

func (s *failingStore) Set(_ context.Context, _ string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sets++
	if s.fail {
		return errors.New("write /var/lib/otelcol/okta/receiver_okta_: no space left on device")
	}
	s.stored = append([]byte(nil), v...)
	return nil
}

func (s *failingStore) setFailing(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fail
}

func (s *failingStore) writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sets
}

func (s *failingStore) Delete(context.Context, string) error { return nil }
func (s *failingStore) Batch(context.Context, ...*storage.Operation) error {
	return errors.New("not used")
}
func (s *failingStore) Close(context.Context) error { return nil }

// A checkpoint write that fails mid-run is a state: the org reports storage_failed, goes on collecting from
// the cursor in memory (nothing delivered twice, no page read again), retries the write with backoff rather
// than at every page, writes the newest cursor once the storage is back, says so at info, and reports the
// state it is really in again.
func TestCheckpointWriteFailsThenRecovers(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	s := newStepperWith(t, func(cfg *Config) {
		cfg.BackOff = configretry.BackOffConfig{Enabled: true, InitialInterval: time.Minute, MaxInterval: time.Minute, Multiplier: 1}
	},
		answer{events: []string{okEvent(1, t0)}, next: "/api/v1/logs?after=A"},
		answer{events: []string{okEvent(2, t0.Add(time.Second))}, next: "/api/v1/logs?after=B"},
		answer{events: []string{okEvent(3, t0.Add(2*time.Second))}, next: "/api/v1/logs?after=C"},
		answer{next: "self"}, // caught up: the same link, nothing new
	)
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	tel, err := newTelemetry(s.r.set.ID, metadatatest.NewSettings(tt).TelemetrySettings, time.Now)
	require.NoError(t, err)
	t.Cleanup(tel.shutdown)
	s.r.telemetry = tel
	store := &failingStore{fail: true}
	s.r.store = store
	var skew atomic.Int64 // the receiver's clock, moved on by the test to pass the backoff's waits
	s.r.now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	id := attribute.String("receiver", s.r.set.ID.String())
	state := func(name, errType string) []metricdata.DataPoint[int64] {
		attrs := []attribute.KeyValue{id, attribute.String("state", name)}
		if errType != "" {
			attrs = append(attrs, attribute.String("error.type", errType))
		}
		return []metricdata.DataPoint[int64]{{Value: 1, Attributes: attribute.NewSet(attrs...)}}
	}
	failed := func() []string {
		var msgs []string
		for _, e := range s.logs.FilterMessageSnippet("could not write the checkpoint").All() {
			msgs = append(msgs, e.Level.String())
		}
		return msgs
	}

	s.step(t)
	assert.Equal(t, 1, store.writes())
	metadatatest.AssertEqualReceiverOktaState(t, tt, state(stateStorageFailed, errCheckpointWrite), metricdatatest.IgnoreTimestamp())
	require.Equal(t, []string{"error"}, failed(), "the first failed write is said at error")
	line := s.logs.FilterMessageSnippet("could not write the checkpoint").All()[0]
	assert.Contains(t, line.ContextMap()["then"], "a restart before it succeeds repeats every event since the last checkpoint written")
	assert.Contains(t, line.ContextMap()["error"], "no space left on device")
	assert.Equal(t, "never", line.ContextMap()["last_written"])
	assert.Equal(t, "1m0s", line.ContextMap()["retry_in"])

	s.step(t)
	assert.Equal(t, 1, store.writes(), "no write before the backoff's wait has passed")
	assert.Equal(t, "after=A", s.org.request(1).RawQuery, "the cursor in memory goes on: the page is not read again")
	// storage_failed outranks collecting.
	metadatatest.AssertEqualReceiverOktaState(t, tt, state(stateStorageFailed, errCheckpointWrite), metricdatatest.IgnoreTimestamp())

	skew.Add(int64(time.Minute + time.Second))
	s.step(t)
	assert.Equal(t, 2, store.writes(), "retried once the wait has passed, and failed again")
	assert.Equal(t, "after=B", s.org.request(2).RawQuery)
	assert.Equal(t, []string{"error"}, failed(), "a failure that goes on is not said at error again")
	metadatatest.AssertEqualReceiverOktaState(t, tt, state(stateStorageFailed, errCheckpointWrite), metricdatatest.IgnoreTimestamp())

	store.setFailing(false)
	skew.Add(int64(time.Minute + time.Second))
	s.step(t)
	assert.Equal(t, 3, store.writes(), "the write that succeeds")
	recovered := s.logs.FilterMessageSnippet("the checkpoint is written again").All()
	require.Len(t, recovered, 1)
	assert.Equal(t, zapcore.InfoLevel, recovered[0].Level)
	assert.Equal(t, int64(2), recovered[0].ContextMap()["failed_writes"])
	// The state the org is really in shows again.
	metadatatest.AssertEqualReceiverOktaState(t, tt, state(stateCollecting, ""), metricdatatest.IgnoreTimestamp())
	assert.Equal(t, []string{okUID(1), okUID(2), okUID(3)}, uids(s.sink), "each event once")

	stored, err := unmarshalCursor(store.stored)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(stored.Next, "after=C"), "the newest cursor is what was written: %s", stored.Next)
	for n := 1; n <= 3; n++ {
		assert.True(t, stored.recent.has(idOf(okUID(n))), "event %d is remembered as delivered", n)
	}

	s.step(t)
	assert.Equal(t, 3, store.writes(), "nothing moved: nothing to write")
	assert.Len(t, s.logs.FilterMessageSnippet("the checkpoint is written again").All(), 1)
}

// A write that failed is tried once more as the receiver stops, whatever the backoff says: the cursor is
// not lost when the storage came back in the meantime, and a stop while it still fails says what the next
// start repeats.
func TestCheckpointWriteFailedIsTriedAgainAtStop(t *testing.T) {
	s := newStepperWith(t, func(cfg *Config) {
		cfg.BackOff = configretry.BackOffConfig{Enabled: true, InitialInterval: time.Hour, MaxInterval: time.Hour, Multiplier: 1}
	}, answer{events: []string{okEvent(1, time.Now().Add(-time.Hour))}, next: "/api/v1/logs?after=A"})
	store := &failingStore{fail: true}
	s.r.store = store
	s.step(t)
	require.Equal(t, 1, store.writes())

	// Still failing at the stop: tried, and said.
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the receiver stops: the loop ends at once
	s.follow(ctx, context.Background())
	require.Equal(t, 2, store.writes(), "tried at the stop although the backoff's hour has not passed")
	warned := s.logs.FilterMessageSnippet("stopping with the checkpoint not written").All()
	require.Len(t, warned, 1)
	assert.Equal(t, zapcore.WarnLevel, warned[0].Level)
	assert.Equal(t, "never", warned[0].ContextMap()["last_written"])

	store.setFailing(false)

	s.follow(ctx, context.Background())
	require.NotNil(t, store.stored, "written as the receiver stopped")
	assert.Len(t, s.logs.FilterMessageSnippet("stopping with the checkpoint not written").All(), 1, "not said again")
	stored, err := unmarshalCursor(store.stored)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(stored.Next, "after=A"), stored.Next)
}
