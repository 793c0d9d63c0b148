package receiver

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/storagetest"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// org is a simulated Okta org served on loopback.
type org struct {
	sim *oktasim.Sim
	url *url.URL
}

func newOrg(t *testing.T, opts oktasim.Options) *org {
	t.Helper()
	if opts.Token == "" {
		opts.Token = "test-token"
	}
	sim, err := oktasim.New(opts)
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return &org{sim: sim, url: u}
}

var seq atomic.Int64

// event is a small, valid System Log event.
func event(published time.Time) (uuid string, raw []byte) {
	uuid = fmt.Sprintf("00000000-0000-4000-8000-%012d", seq.Add(1))
	raw = fmt.Appendf(nil, `{"uuid":%q,"published":%q,"eventType":"user.session.start","version":"0","severity":"INFO","actor":{"id":"00u1","type":"User","alternateId":"a@example.com"},"outcome":{"result":"SUCCESS"}}`,
		uuid, published.UTC().Format("2006-01-02T15:04:05.000Z"))
	return uuid, raw
}

// addEvents adds n events published one second apart, ending at last, and returns their uuids.
func (o *org) addEvents(t *testing.T, n int, last time.Time) []string {
	t.Helper()
	uuids := make([]string, n)
	raws := make([][]byte, n)
	for i := range n {
		uuids[i], raws[i] = event(last.Add(time.Duration(i-n+1) * time.Second))
	}
	require.NoError(t, o.sim.Add(raws...))
	return uuids
}

// testConfig is the factory's default configuration for the org, with waits short enough for tests.
func testConfig(o *org) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint = o.url.String()
	cfg.ClientConfig.Timeout = 5 * time.Second
	cfg.APIToken = "test-token"
	cfg.PollInterval = 20 * time.Millisecond
	cfg.InitialLookback = time.Hour
	cfg.PageSize = 100
	cfg.BackOff = configretry.BackOffConfig{
		Enabled: true, InitialInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond,
		Multiplier: 1.5, RandomizationFactor: 0.1,
	}
	return cfg
}

// servedMore waits until the org has answered two more requests: the receiver handled at least one more
// answer, so a page delivered twice or an event skipped would have shown by then.
func (o *org) servedMore(t *testing.T) {
	t.Helper()
	from := o.sim.Stats().Requests
	require.Eventually(t, func() bool { return o.sim.Stats().Requests >= from+2 }, 10*time.Second, time.Millisecond,
		"the receiver stopped polling")
}

// run starts a receiver; it is shut down at the end of the test unless the test does it first.
type run struct {
	rcv  *oktaReceiver
	logs *observer.ObservedLogs
	host component.Host
}

func start(t *testing.T, cfg *Config, host component.Host, next consumer.Logs, opts ...func(*oktaReceiver)) *run {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	set := receivertest.NewNopSettings(metadata.Type)
	set.ID = component.NewID(metadata.Type) // the same id across restarts, as in a collector
	set.Logger = zap.New(core)
	rcv, err := newReceiver(set, cfg, next, testShared(t))
	require.NoError(t, err)
	for _, opt := range opts {
		opt(rcv)
	}
	require.NoError(t, rcv.Start(context.Background(), host))
	r := &run{rcv: rcv, logs: logs, host: host}
	t.Cleanup(func() { _ = rcv.Shutdown(context.Background()) })
	return r
}

func (r *run) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, r.rcv.Shutdown(context.Background()))
}

// storageHost has a file-backed storage extension that keeps what a receiver wrote across its restarts.
func storageHost(t *testing.T) (*storagetest.StorageHost, *component.ID) {
	id := storagetest.NewStorageID("test")
	return storagetest.NewStorageHost().WithFileBackedStorageExtension("test", t.TempDir()), &id
}

// uids lists log.record.uid of every record the sink holds, in order.
func uids(sink *consumertest.LogsSink) []string {
	var out []string
	for _, ld := range sink.AllLogs() {
		forEachRecord(ld, func(lr plog.LogRecord) {
			v, _ := lr.Attributes().Get("log.record.uid")
			out = append(out, v.Str())
		})
	}
	return out
}

func forEachRecord(ld plog.Logs, fn func(plog.LogRecord)) {
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				fn(lrs.At(k))
			}
		}
	}
}

func waitForCount(t *testing.T, sink *consumertest.LogsSink, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return sink.LogRecordCount() >= n }, 10*time.Second, 5*time.Millisecond,
		"expected %d records", n)
}

func TestDeliversBacklogOnceInOrder(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 250, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink)
	waitForCount(t, sink, len(want))
	o.servedMore(t) // a few more empty polls must not repeat anything
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	assert.Len(t, sink.AllLogs(), 3, "one ConsumeLogs per page of 100")
	assert.NotEmpty(t, r.logs.FilterMessageSnippet("no `storage` configured").All(), "a warning says what a restart without storage costs")
}

func TestResumesFromCheckpointWithoutRepeats(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	first := o.addEvents(t, 150, time.Now().Add(-10*time.Minute))

	sink1 := new(consumertest.LogsSink)
	r1 := start(t, cfg, host, sink1)
	waitForCount(t, sink1, len(first))
	r1.stop(t)

	// Events published while the collector was down, including one Okta stored late.
	second := o.addEvents(t, 120, time.Now().Add(-time.Second))
	lateUUID, late := event(time.Now().Add(-2 * time.Hour))
	require.NoError(t, o.sim.Add(late))

	sink2 := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink2)
	waitForCount(t, sink2, len(second)+1)
	o.servedMore(t)
	r2.stop(t)
	assert.Equal(t, append(second, lateUUID), uids(sink2), "the restart goes on exactly where it stopped, late events included")
	assert.NotEmpty(t, r2.logs.FilterMessageSnippet("resuming from the checkpoint").All())
}

// flakyConsumer refuses the first failures pages with err, then accepts.
type flakyConsumer struct {
	consumertest.LogsSink
	mu       sync.Mutex
	failures int
	err      error
	calls    int
}

func (c *flakyConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.mu.Lock()
	c.calls++
	fail := c.calls <= c.failures
	c.mu.Unlock()
	if fail {
		return c.err
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

func TestRetriesRefusedPageUntilAccepted(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 150, time.Now().Add(-time.Minute))
	next := &flakyConsumer{failures: 4, err: errors.New("queue full")}
	r := start(t, testConfig(o), componenttest.NewNopHost(), next)
	waitForCount(t, &next.LogsSink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(&next.LogsSink), "the refused page is offered again, nothing skipped or repeated")
	assert.Len(t, r.logs.FilterLevelExact(zapcore.WarnLevel).FilterMessage("the pipeline refused a page").All(), 1, "the first refusal is a warning")
	assert.Len(t, r.logs.FilterMessageSnippet("refused the page again").All(), 3, "repeats are debug lines")
	assert.Len(t, r.logs.FilterMessageSnippet("accepted the page it had held back").All(), 1, "the recovery is said")
}

func TestSkipsPagePermanentlyRefused(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 150, time.Now().Add(-time.Minute))
	next := &flakyConsumer{failures: 1, err: consumererrorPermanent()}
	r := start(t, testConfig(o), componenttest.NewNopHost(), next)
	waitForCount(t, &next.LogsSink, 50)
	r.stop(t)
	assert.Equal(t, want[100:], uids(&next.LogsSink), "the first page is dropped, the rest delivered")
	assert.Len(t, r.logs.FilterMessageSnippet("the pipeline refused a page for good").All(), 1)
}

func TestCheckpointWaitsForPipeline(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	want := o.addEvents(t, 50, time.Now().Add(-time.Minute))

	// The pipeline refuses everything: the receiver must not move its checkpoint.
	refusing := &flakyConsumer{failures: 1 << 30, err: errors.New("backend down")}
	r1 := start(t, cfg, host, refusing)
	require.Eventually(t, func() bool {
		refusing.mu.Lock()
		defer refusing.mu.Unlock()
		return refusing.calls >= 3
	}, 5*time.Second, 5*time.Millisecond)
	r1.stop(t)

	sink := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink)
	waitForCount(t, sink, len(want))
	r2.stop(t)
	assert.Equal(t, want, uids(sink), "nothing was checkpointed past the refused page")
}

func TestGracefulShutdownFinishesPageInPipeline(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	want := o.addEvents(t, 30, time.Now().Add(-time.Minute))

	entered, release := make(chan struct{}), make(chan struct{})
	slow := &blockingConsumer{entered: entered, release: release}
	r1 := start(t, cfg, host, slow)
	<-entered
	stopped := make(chan error)
	go func() { stopped <- r1.rcv.Shutdown(context.Background()) }()
	close(release)
	require.NoError(t, <-stopped)
	assert.Equal(t, want, uids(&slow.LogsSink))

	sink := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink)
	more := o.addEvents(t, 5, time.Now())
	waitForCount(t, sink, len(more))
	o.servedMore(t)
	r2.stop(t)
	assert.Equal(t, more, uids(sink), "the page accepted during shutdown was checkpointed: nothing repeated")
}

func TestShutdownIsBoundedWhileThePipelineHoldsAPage(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	cfg.ShutdownTimeout = 100 * time.Millisecond
	want := o.addEvents(t, 30, time.Now().Add(-time.Minute))

	// A backend that is down, behind an exporter that retries for ever: ConsumeLogs returns only when
	// its context ends.
	entered := make(chan struct{})
	var once sync.Once
	down := consumerFunc(func(ctx context.Context, _ plog.Logs) error {
		once.Do(func() { close(entered) })
		<-ctx.Done()
		return ctx.Err()
	})
	r1 := start(t, cfg, host, down)
	<-entered
	shutdownWithin(t, r1, 10*time.Second, "Shutdown hangs while the pipeline holds a page")
	assert.NotEmpty(t, r1.logs.FilterMessageSnippet("stopping before the pipeline accepted a page").All())
	assert.Nil(t, storageGet(t, host, id), "nothing was checkpointed")

	sink := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink)
	waitForCount(t, sink, len(want))
	r2.stop(t)
	assert.Equal(t, want, uids(sink), "the page is read again at the next start: nothing lost")
}

func TestShutdownDoesNotWaitForAPipelineThatIgnoresCancellation(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	cfg.ShutdownTimeout = 50 * time.Millisecond
	o.addEvents(t, 5, time.Now().Add(-time.Minute))
	entered, release := make(chan struct{}), make(chan struct{})
	stuck := &blockingConsumer{entered: entered, release: release}
	r := start(t, cfg, host, stuck)
	<-entered
	shutdownWithin(t, r, 10*time.Second, "Shutdown waits for a pipeline that ignores its context")
	assert.NotEmpty(t, r.logs.FilterMessageSnippet("did not give back a page").All())
	close(release) // the pipeline accepts the page after all: too late to checkpoint it
	<-r.rcv.done
	late := r.logs.FilterMessageSnippet("the pipeline accepted a page after shutdown gave up").All()
	require.NotEmpty(t, late)
	assert.Contains(t, late[0].ContextMap()["then"], "its checkpoint is not written")
}

// shutdownWithin shuts the receiver down and fails the test with hang when that takes longer than d.
func shutdownWithin(t *testing.T, r *run, d time.Duration, hang string) {
	t.Helper()
	stopped := make(chan error, 1)
	go func() { stopped <- r.rcv.Shutdown(context.Background()) }()
	select {
	case err := <-stopped:
		require.NoError(t, err)
	case <-time.After(d):
		t.Fatal(hang)
	}
}

type consumerFunc func(context.Context, plog.Logs) error

func (f consumerFunc) ConsumeLogs(ctx context.Context, ld plog.Logs) error { return f(ctx, ld) }
func (consumerFunc) Capabilities() consumer.Capabilities                   { return consumer.Capabilities{} }

type blockingConsumer struct {
	consumertest.LogsSink
	entered, release chan struct{}
	once             sync.Once
}

func (c *blockingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.once.Do(func() { close(c.entered) })
	<-c.release
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// storedCursor reads the checkpoint the receiver wrote through host's storage extension.
func storedCursor(t *testing.T, host *storagetest.StorageHost, id *component.ID) *cursor {
	t.Helper()
	client := storageClient(t, host, id)
	defer client.Close(context.Background())
	raw, err := client.Get(context.Background(), checkpointKey)
	require.NoError(t, err)
	require.NotNil(t, raw, "no checkpoint written")
	cur, err := unmarshalCursor(raw)
	require.NoError(t, err)
	return cur
}

func storageClient(t *testing.T, host *storagetest.StorageHost, id *component.ID) storage.Client {
	t.Helper()
	client, err := host.GetExtensions()[*id].(storage.Extension).GetClient(context.Background(), component.KindReceiver,
		component.NewID(metadata.Type), "")
	require.NoError(t, err)
	return client
}

// putCheckpoint stores raw as the receiver's checkpoint before it starts.
func putCheckpoint(t *testing.T, host *storagetest.StorageHost, id *component.ID, raw []byte) {
	t.Helper()
	client := storageClient(t, host, id)
	require.NoError(t, client.Set(context.Background(), checkpointKey, raw))
	require.NoError(t, client.Close(context.Background()))
}

// storageGet reads the raw checkpoint; nil when none was written.
func storageGet(t *testing.T, host *storagetest.StorageHost, id *component.ID) []byte {
	t.Helper()
	client := storageClient(t, host, id)
	defer func() { require.NoError(t, client.Close(context.Background())) }()
	raw, err := client.Get(context.Background(), checkpointKey)
	require.NoError(t, err)
	return raw
}

var testShares sync.Map // *testing.T → *shared

// testShared is what the receivers a test starts share, as the receivers of one collector do: its own
// memory pool and stop clock, so that no test sees another's.
func testShared(t *testing.T) *shared {
	if sh, ok := testShares.Load(t); ok {
		return sh.(*shared)
	}
	sh, loaded := testShares.LoadOrStore(t, newShared())
	if !loaded {
		t.Cleanup(func() { testShares.Delete(t) })
	}
	return sh.(*shared)
}
