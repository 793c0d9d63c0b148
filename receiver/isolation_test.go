package receiver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/storagetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oktasim"
	"github.com/datableio/oktareceiver/internal/pool"
)

// scalePool scales the pool the test's receivers share down to pages of a hundred small events: a page's
// worth of share bytes, tickets of ticket bytes.
func scalePool(t *testing.T, share, ticket int64) {
	t.Helper()
	sh := testShared(t)
	sh.pageShare, sh.memory = share, pool.New(pool.Options{MinTicket: ticket, Weight: pageWeight})
}

// startAs starts a receiver with its own id, as the receivers of several orgs in one collector.
func startAs(t *testing.T, name string, cfg *Config, host component.Host, next consumer.Logs) *run {
	t.Helper()
	return start(t, cfg, host, next, func(r *oktaReceiver) { r.set.ID = component.MustNewIDWithName("okta", name) })
}

// blockedPipeline is a pipeline whose backend is down, behind an exporter that retries until its context
// ends; open lets everything through from then on.
type blockedPipeline struct {
	consumertest.LogsSink
	open    chan struct{}
	once    sync.Once
	entered chan struct{}
	calls   atomic.Int32
}

func newBlockedPipeline() *blockedPipeline {
	return &blockedPipeline{open: make(chan struct{}), entered: make(chan struct{})}
}

func (b *blockedPipeline) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if b.calls.Add(1) == 1 {
		close(b.entered)
	}
	select {
	case <-b.open:
		return b.LogsSink.ConsumeLogs(ctx, ld)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *blockedPipeline) unblock() { b.once.Do(func() { close(b.open) }) }

func TestBlockedPipelinesDoNotHoldBackAnotherOrg(t *testing.T) {
	// 256 KiB for every org together: one blocked page of 100 events (about 200 KB once mapped) leaves no
	// room for another org's request.
	scalePool(t, 128<<10, 64<<10)
	var blocked []*blockedPipeline
	var wants [][]string
	var runs []*run
	for i := range 4 {
		o := newOrg(t, oktasim.Options{})
		wants = append(wants, o.addEvents(t, 200, time.Now().Add(-time.Minute)))
		b := newBlockedPipeline()
		blocked = append(blocked, b)
		runs = append(runs, startAs(t, fmt.Sprintf("blocked%d", i), testConfig(o), componenttest.NewNopHost(), b))
	}
	<-blocked[0].entered

	healthy := newOrg(t, oktasim.Options{})
	want := healthy.addEvents(t, 300, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	hr := startAs(t, "healthy", testConfig(healthy), componenttest.NewNopHost(), sink)
	explainFailure(t, map[string]*consumertest.LogsSink{"healthy": sink, "blocked0": &blocked[0].LogsSink,
		"blocked1": &blocked[1].LogsSink, "blocked2": &blocked[2].LogsSink, "blocked3": &blocked[3].LogsSink}, append(runs, hr))
	require.Eventually(t, func() bool { return sink.LogRecordCount() == len(want) }, 30*time.Second, 10*time.Millisecond,
		"a healthy org collects while other orgs' pipelines hold their pages")
	live := healthy.addEvents(t, 5, time.Now())
	require.Eventually(t, func() bool { return sink.LogRecordCount() == len(want)+len(live) }, 5*time.Second, 10*time.Millisecond,
		"and its live events keep arriving")
	assert.Equal(t, append(want, live...), uids(sink))

	evictions := 0
	for _, r := range runs {
		evictions += r.logs.FilterMessageSnippet("gave a page back to the memory other orgs wait for").Len()
	}
	assert.Positive(t, evictions, "the blocked orgs gave their pages back")

	for _, b := range blocked { // their backend is back
		b.unblock()
	}
	for i, b := range blocked {
		require.Eventually(t, func() bool { return b.LogRecordCount() == len(wants[i]) }, time.Minute, 10*time.Millisecond,
			"once its backend is back, the org delivers what it gave back")
		assert.Equal(t, wants[i], uids(&b.LogsSink), "nothing lost, nothing repeated")
	}
}

// explainFailure logs, when the test has failed, what each sink received, the pool's state and the last
// lines each receiver logged: what it takes to tell a stall from a repeat.
func explainFailure(t *testing.T, sinks map[string]*consumertest.LogsSink, runs []*run) {
	t.Cleanup(func() { // before the receivers are shut down and the pool restored
		if !t.Failed() {
			return
		}
		for name, s := range sinks {
			t.Logf("%s received %d records", name, s.LogRecordCount())
		}
		t.Logf("pool: %s", testShared(t).memory)
		for _, r := range runs {
			all := r.logs.All()
			all = all[max(len(all)-15, 0):]
			for _, e := range all {
				t.Logf("%s %s %s %v", r.rcv.set.ID, e.Time.Format("15:04:05.000"), e.Message, e.ContextMap())
			}
		}
	})
}

// dribble is an upstream that sends its headers at once and its body a little at a time: a slow proxy.
func dribble(t *testing.T, every time.Duration, events int) *url.URL {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("["))
		w.(http.Flusher).Flush()
		for i := range events {
			select {
			case <-req.Context().Done():
				return
			case <-time.After(every):
			}
			_, raw := event(time.Now().Add(-time.Minute))
			if i > 0 {
				_, _ = w.Write([]byte(","))
			}
			_, _ = w.Write(raw)
			w.(http.Flusher).Flush()
		}
		_, _ = w.Write([]byte("]"))
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return u
}

func TestSlowUpstreamsDoNotHoldBackAnotherOrg(t *testing.T) {
	// Room for two requests' tickets: two slow orgs could hold the whole pool.
	scalePool(t, 256<<10, 128<<10)
	for i := range 2 {
		cfg := testConfig(&org{url: dribble(t, 500*time.Millisecond, 60)}) // 30 s for a page
		cfg.ClientConfig.Timeout = time.Minute
		cfg.PagesInFlight = 1
		startAs(t, fmt.Sprintf("slow%d", i), cfg, componenttest.NewNopHost(), new(consumertest.LogsSink))
	}
	healthy := newOrg(t, oktasim.Options{})
	want := healthy.addEvents(t, 50, time.Now().Add(-time.Minute))
	cfg := testConfig(healthy)
	cfg.PagesInFlight = 1
	sink := new(consumertest.LogsSink)
	startAs(t, "healthy", cfg, componenttest.NewNopHost(), sink)
	require.Eventually(t, func() bool { return sink.LogRecordCount() == len(want) }, 10*time.Second, 10*time.Millisecond,
		"a slow answer holds the bytes it brought, not the pool")
	assert.Equal(t, want, uids(sink))
}

// A `storage` id that names no extension, or no storage extension, is a mistake in the collector's
// configuration, not one org's trouble: Start fails with the id and the fix, before any request.
func TestAStorageReferenceMistakeFailsStart(t *testing.T) {
	missing := component.MustNewID("file_storage")
	notStorage := storagetest.NewNonStorageID("other")
	tests := []struct {
		name       string
		id         *component.ID
		host       component.Host
		notStorage bool
		fix        string
	}{
		{"no such extension", &missing, componenttest.NewNopHost(), false, "define file_storage under `extensions:`"},
		{"not a storage extension", &notStorage, storagetest.NewStorageHost().WithNonStorageExtension("other"), true, "name a storage extension"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := newOrg(t, oktasim.Options{})
			cfg := testConfig(org)
			cfg.Storage = tt.id
			rcv, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, new(consumertest.LogsSink), testShared(t))
			require.NoError(t, err)
			err = rcv.Start(context.Background(), tt.host)
			var ref *storageRefError
			require.ErrorAs(t, err, &ref)
			assert.Equal(t, *tt.id, ref.ID)
			assert.Equal(t, tt.notStorage, ref.NotStorage)
			assert.Contains(t, ref.Fix(), tt.fix)
			require.NoError(t, rcv.Shutdown(context.Background()))
			assert.Zero(t, org.sim.Stats().Requests, "no request is made")
		})
	}
}

func TestOneOrgsBrokenStartStopsOnlyThatOrg(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		host   component.Host
		state  string
		says   string
	}{
		{"token file gone", func(c *Config) { c.APITokenFile = filepath.Join(t.TempDir(), "gone") }, componenttest.NewNopHost(),
			stateFailing, "api_token_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			broken := newOrg(t, oktasim.Options{})
			broken.addEvents(t, 10, time.Now().Add(-time.Minute))
			cfg := testConfig(broken)
			tt.change(cfg)
			host := &statusHost{Host: tt.host}
			r := startAs(t, "broken", cfg, host, new(consumertest.LogsSink)) // Start returns nil: the collector runs on

			healthy := newOrg(t, oktasim.Options{})
			want := healthy.addEvents(t, 10, time.Now().Add(-time.Minute))
			sink := new(consumertest.LogsSink)
			startAs(t, "healthy", testConfig(healthy), componenttest.NewNopHost(), sink)
			require.Eventually(t, func() bool { return sink.LogRecordCount() == len(want) }, 10*time.Second, 10*time.Millisecond)

			assert.Equal(t, []componentstatus.Status{componentstatus.StatusPermanentError}, host.reported())
			lines := r.logs.FilterMessageSnippet("receiver cannot start").All()
			require.Len(t, lines, 1)
			fields := lines[0].ContextMap()
			assert.Contains(t, fields["error"], tt.says, "the line names the problem")
			assert.NotEmpty(t, fields["fix"], "and its fix")
			assert.Equal(t, tt.state, r.rcv.telemetry.stateName())
			assert.Zero(t, broken.sim.Stats().Requests, "the broken org makes no request")
			r.stop(t)
		})
	}
}

func TestAStopTakesOneShutdownTimeoutHoweverManyOrgsAreBlocked(t *testing.T) {
	const orgs = 5
	host, _ := storageHost(t)
	var runs []*run
	var cfgs []*Config
	var wants [][]string
	for i := range orgs {
		o := newOrg(t, oktasim.Options{})
		wants = append(wants, o.addEvents(t, 150, time.Now().Add(-time.Minute)))
		cfg := testConfig(o)
		id := storagetest.NewStorageID("test")
		cfg.Storage = &id
		cfg.ShutdownTimeout = time.Second
		cfgs = append(cfgs, cfg)
		b := newBlockedPipeline()
		runs = append(runs, startAs(t, fmt.Sprintf("org%d", i), cfg, host, b))
		<-b.entered
	}
	began := time.Now()
	for _, r := range runs { // one after another, as the collector does
		r.stop(t)
	}
	took := time.Since(began)
	assert.Less(t, took, time.Second+abandonWait, "the orgs share one shutdown_timeout (each its own would be %d s)", orgs)
	assert.True(t, testShared(t).memory.Idle(), "no memory nor share of the pool is left behind: %s", testShared(t).memory)

	for i, cfg := range cfgs {
		sink := new(consumertest.LogsSink)
		r := startAs(t, fmt.Sprintf("org%d", i), cfg, host, sink)
		require.Eventually(t, func() bool { return sink.LogRecordCount() == len(wants[i]) }, 10*time.Second, 10*time.Millisecond)
		r.stop(t)
		assert.Equal(t, wants[i], uids(sink), "what the pipeline had not accepted is read again: nothing lost, nothing repeated")
	}
}

func TestStopClock(t *testing.T) {
	clock := oktasim.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	s := newStopClock(clock.Now)
	t0 := clock.Now()
	paused := func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		return !s.hold(ctx)
	}

	assert.Equal(t, t0.Add(5*time.Second), s.begin(5*time.Second))
	assert.False(t, paused(), "a receiver stopped alone holds no other back")
	clock.Advance(3 * time.Second)
	s.end()
	assert.False(t, paused())

	clock.Advance(stopGap)
	t1 := clock.Now()
	assert.Equal(t, t1.Add(5*time.Second), s.begin(5*time.Second), "a stop begun after the last one is over has its own deadline")
	clock.Advance(2 * time.Second)
	s.end()
	clock.Advance(stopGap / 2)
	assert.Equal(t, t1.Add(10*time.Second), s.begin(10*time.Second),
		"a receiver stopped right after another shares the stop's deadline, counted from its start with its own timeout")
	assert.True(t, paused(), "two receivers stopped one after another: the collector stops, and the others start no new page")
	s.end()
	assert.True(t, paused(), "the next receiver's stop may follow")
	clock.Advance(stopGap)
	assert.False(t, paused(), "nobody has begun to stop for stopGap: the stop is over")

	s.begin(time.Second)
	s.end()
	s.begin(time.Second)
	assert.True(t, paused())
	s.end()
	s.started()
	assert.False(t, paused(), "a start (a reload's new generation) ends the stop")
}

// Under receiver_creator, or on a partial reload, one receiver stops while the others run on: they go on
// collecting while its Shutdown waits for its blocked pipeline, and after.
func TestAReceiverStoppedAloneHoldsNoOtherBack(t *testing.T) {
	blocked := newOrg(t, oktasim.Options{})
	blocked.addEvents(t, 5, time.Now().Add(-time.Minute))
	cfg := testConfig(blocked)
	cfg.ShutdownTimeout = 5 * time.Second
	b := newBlockedPipeline()
	stopping := startAs(t, "blocked", cfg, componenttest.NewNopHost(), b)
	<-b.entered

	var orgs []*org
	var sinks []*consumertest.LogsSink
	for i := range 2 {
		o := newOrg(t, oktasim.Options{})
		o.addEvents(t, 5, time.Now().Add(-time.Minute))
		sink := new(consumertest.LogsSink)
		startAs(t, fmt.Sprintf("running%d", i), testConfig(o), componenttest.NewNopHost(), sink)
		require.Eventually(t, func() bool { return sink.LogRecordCount() == 5 }, 10*time.Second, 10*time.Millisecond)
		orgs, sinks = append(orgs, o), append(sinks, sink)
	}

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		_ = stopping.rcv.Shutdown(context.Background()) // waits shutdown_timeout for its blocked pipeline
	}()
	for round := range 3 { // while it stops, and after
		if round == 2 {
			<-stopped
		}
		for i, o := range orgs {
			live := o.addEvents(t, 3, time.Now())
			want := sinks[i].LogRecordCount() + len(live)
			require.Eventually(t, func() bool { return sinks[i].LogRecordCount() == want }, 10*time.Second, 10*time.Millisecond,
				"round %d: the org's live events keep arriving while another receiver stops", round)
		}
		if round < 2 {
			select {
			case <-stopped:
				t.Fatal("the stopped receiver's Shutdown returned before its deadline: the test saw no Shutdown under way")
			default:
			}
		}
	}
}

// hangingStorage is a storage extension whose writes never return: a disk that hangs.
type hangingStorage struct {
	component.StartFunc
	component.ShutdownFunc
	writing, release chan struct{}
	once             sync.Once
}

func (h *hangingStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return &hangingClient{h: h}, nil
}

// hangingClient reads nothing and never finishes a write, whatever its context says.
type hangingClient struct{ h *hangingStorage }

func (c *hangingClient) Get(context.Context, string) ([]byte, error) { return nil, nil }
func (c *hangingClient) Set(context.Context, string, []byte) error {
	c.h.once.Do(func() { close(c.h.writing) })
	<-c.h.release // a disk that hangs until the test ends
	return nil
}
func (c *hangingClient) Delete(context.Context, string) error               { return nil }
func (c *hangingClient) Batch(context.Context, ...*storage.Operation) error { return nil }
func (c *hangingClient) Close(context.Context) error                        { return nil }

func TestAStopIsBoundedWhileACheckpointWriteHangs(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	o.addEvents(t, 5, time.Now().Add(-time.Minute))
	h := &hangingStorage{writing: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(func() { close(h.release) })
	id := component.MustNewID("hanging")
	host := &extensionsHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: h}}
	cfg := testConfig(o)
	cfg.Storage = &id
	cfg.ShutdownTimeout = 500 * time.Millisecond
	r := start(t, cfg, host, new(consumertest.LogsSink))
	<-h.writing
	shutdownWithin(t, r, cfg.ShutdownTimeout+abandonWait+time.Second, "Shutdown waits for a checkpoint write that hangs")
}

type extensionsHost struct {
	component.Host
	ext map[component.ID]component.Component
}

func (h *extensionsHost) GetExtensions() map[component.ID]component.Component { return h.ext }

func TestStateFollowsTheOrg(t *testing.T) {
	now := time.Now()
	full := answer{events: []string{okEvent(1, now.Add(-time.Hour)), okEvent(2, now.Add(-time.Hour))}, next: "/api/v1/logs?after=2"}
	tests := []struct {
		name    string
		answer  answer
		state   string
		errType string
	}{
		{"a full page", full, stateCatchingUp, ""},
		{"a page that is not full", answer{events: []string{okEvent(3, now)}}, stateCollecting, ""},
		{"a 429", answer{status: http.StatusTooManyRequests}, stateRateLimited, ""},
		{"a 401", answer{status: http.StatusUnauthorized}, stateCredentialRefused, "http_401"},
		{"a 503", answer{status: http.StatusServiceUnavailable}, stateFailing, "http_503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStepperWith(t, func(c *Config) { c.PageSize = 2 }, tt.answer)
			assert.Equal(t, stateStarting, s.r.telemetry.stateName())
			s.step(t)
			got := s.r.telemetry.state.Load()
			assert.Equal(t, tt.state, got.name)
			assert.Equal(t, tt.errType, got.errType)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		s := newStepper(t, answer{})
		s.r.org = &url.URL{Scheme: "http", Host: "127.0.0.1:1"}
		s.r.client = nil
		require.NoError(t, s.r.prepare(context.Background(), componenttest.NewNopHost(), nil))
		s.step(t)
		assert.Equal(t, stateUnreachable, s.r.telemetry.stateName())
	})
}

func TestFailureLogLevels(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	logger := zap.New(core)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	transient := failure{kind: "http 503", msg: "Okta request failed", err: fmt.Errorf("503")}
	var l failureLog
	l.log(logger, transient, time.Second, time.Minute, t0)
	l.log(logger, transient, time.Second, time.Minute, t0.Add(30*time.Second))
	l.log(logger, transient, time.Second, time.Minute, t0.Add(61*time.Second))
	l.log(logger, transient, time.Second, time.Minute, t0.Add(90*time.Second))
	l.recovered(logger, t0.Add(95*time.Second))
	levels := []string{}
	for _, e := range logs.TakeAll() {
		levels = append(levels, e.Level.String()+": "+strings.SplitN(e.Message, ":", 2)[0])
	}
	assert.Equal(t, []string{
		"warn: Okta request failed",           // retried: most heal on the next try
		"debug: Okta request failed (again)",  // the same kind again
		"error: no page from Okta",            // no progress for persistAfter: an error, once
		"debug: Okta request failed (again)",  // and quiet again
		"info: Okta answers with pages again", // the recovery
	}, levels)

	refused := failure{kind: "http 401", permanent: true, msg: "Okta request failed", err: fmt.Errorf("401")}
	l.log(logger, refused, time.Second, time.Minute, t0)
	l.recovered(logger, t0.Add(time.Second))
	entries := logs.TakeAll()
	require.Len(t, entries, 2)
	assert.Equal(t, "error", entries[0].Level.String(), "a credential refused is an error at once")

	limited := failure{kind: "http 429", rateLimited: true, msg: "rate limit", err: fmt.Errorf("429")}
	l.log(logger, limited, time.Second, time.Minute, t0)
	l.log(logger, failure{kind: "http 429 again", rateLimited: true, msg: "rate limit", err: fmt.Errorf("429")}, time.Second, time.Minute, t0.Add(2*time.Minute))
	l.recovered(logger, t0.Add(3*time.Minute))
	for _, e := range logs.TakeAll() {
		assert.Equal(t, "info", e.Level.String(), "Okta's rate limit is never an error, and no failure to recover from")
	}
}
