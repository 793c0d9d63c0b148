package receiver

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// statusHost records the component status the receiver reports.
type statusHost struct {
	component.Host
	mu       sync.Mutex
	statuses []componentstatus.Status
}

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.statuses = append(h.statuses, ev.Status())
}

func (h *statusHost) reported() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]componentstatus.Status(nil), h.statuses...)
}

func TestBrokenPagesAreRetriedWholeAndStatusFollows(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 150, time.Now().Add(-time.Minute))
	for _, k := range []oktasim.FaultKind{oktasim.Fault500, oktasim.FaultTruncate, oktasim.FaultHTML200, oktasim.FaultNotArray, oktasim.Fault503HTML} {
		o.sim.ForceNext(1, k)
	}
	host := &statusHost{Host: componenttest.NewNopHost()}
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), host, sink)
	waitForCount(t, sink, len(want))
	o.servedMore(t)
	r.stop(t)
	assert.Equal(t, want, uids(sink), "nothing from a broken page is emitted, nothing is skipped")
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}, host.reported(),
		"one recoverable error for the run of failures, then OK: reported on change only")
	assert.NotEmpty(t, r.logs.FilterMessageSnippet("Okta request failed").All())
}

func TestUnauthorizedIsPermanentErrorWithFix(t *testing.T) {
	o := newOrg(t, oktasim.Options{Token: "the-right-token"})
	cfg := testConfig(o)
	cfg.APIToken = "a-wrong-secret-token"
	host := &statusHost{Host: componenttest.NewNopHost()}
	r := start(t, cfg, host, new(consumertest.LogsSink))
	require.Eventually(t, func() bool { return len(host.reported()) > 0 }, 5*time.Second, 5*time.Millisecond)
	r.stop(t)
	assert.Equal(t, componentstatus.StatusPermanentError, host.reported()[0])
	errs := r.logs.FilterMessageSnippet("Okta request failed").All()
	require.NotEmpty(t, errs)
	fields := errs[0].ContextMap()
	assert.Contains(t, fields["error"], "401 E0000011")
	assert.Contains(t, fields["error"], "X-Okta-Request-Id")
	assert.Contains(t, fields["fix"], "update `api_token`", "the fix is a field of its own")
	assert.Len(t, r.logs.FilterLevelExact(errs[0].Level).FilterMessageSnippet("Okta request failed").All(), 1,
		"a repeated failure is logged once at error level")
	for _, entry := range r.logs.All() {
		assert.NotContains(t, entry.Message, "a-wrong-secret-token")
		for _, v := range entry.ContextMap() {
			assert.NotContains(t, fmt.Sprint(v), "a-wrong-secret-token", "the token never appears in a log line")
		}
	}
}

func TestForeignNextLinkIsNeverFollowed(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 150, time.Now().Add(-time.Minute))
	// Another name of the same simulator: were the receiver to follow the link, the simulator would see it.
	foreign := "localhost:" + o.url.Port()
	require.NoError(t, o.sim.SetFaults(oktasim.Faults{ForeignNextHost: foreign, Next: []oktasim.FaultKind{oktasim.FaultForeignNext, oktasim.FaultForeignNext}}))
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink)
	waitForCount(t, sink, len(want))
	o.servedMore(t)
	r.stop(t)
	assert.Equal(t, want, uids(sink), "the page with the foreign link was refused whole and fetched again")
	assert.Empty(t, o.sim.Stats().Authorization[foreign], "no request, let alone a credential, went to the foreign host")
	refused := r.logs.FilterMessageSnippet("refused a link that leaves the org's System Log").All()
	require.NotEmpty(t, refused)
	assert.Contains(t, refused[0].ContextMap()["error"], "refused a next link to http://"+foreign)
}

func TestReplayingProxyDeliversEachEventOnce(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 250, time.Now().Add(-time.Minute))
	// The first page is answered normally (nothing was served to replay), then replayed three times for
	// its own next link.
	o.sim.ForceNext(4, oktasim.FaultReplay)
	sink := new(consumertest.LogsSink)
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink)
	waitForCount(t, sink, len(want))
	o.servedMore(t)
	r.stop(t)
	assert.Equal(t, want, uids(sink), "every event once, in order")
	assert.Equal(t, 3, o.sim.Stats().Faults[oktasim.FaultReplay])
	assert.Len(t, r.logs.FilterMessageSnippet("answered the same next link with the same page again").All(), 1, "said once")
}

func TestRateLimitedRequestWaitsForReset(t *testing.T) {
	o := newOrg(t, oktasim.Options{RateWindow: time.Second})
	want := o.addEvents(t, 20, time.Now().Add(-time.Minute))
	o.sim.ForceNext(1, oktasim.Fault429)
	sink := new(consumertest.LogsSink)
	host := &statusHost{Host: componenttest.NewNopHost()}
	r := start(t, testConfig(o), host, sink)
	waitForCount(t, sink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	assert.Empty(t, r.logs.FilterMessageSnippet("Okta request failed").All(), "a 429 is not an error")
	assert.Empty(t, host.reported(), "nor a change of component status")
	limited := r.logs.FilterMessageSnippet("rate limit for the org is spent").All()
	require.Len(t, limited, 1)
	assert.Equal(t, zapcore.InfoLevel, limited[0].Level)
	assert.Contains(t, limited[0].ContextMap()["error"], "E0000047")
}

func TestRejectedSavedCursorStartsNewPollingQuery(t *testing.T) {
	// Okta stores each event about when it is published: the simulator's clock follows the events.
	clock := oktasim.NewClock(time.Now().Add(-time.Minute))
	o := newOrg(t, oktasim.Options{Now: clock.Now})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	addAsPublished := func(n int) []string {
		var out []string
		for range n {
			clock.Advance(time.Second)
			u, raw := event(clock.Now())
			require.NoError(t, o.sim.Add(raw))
			out = append(out, u)
		}
		return out
	}
	first := addAsPublished(10)
	sink1 := new(consumertest.LogsSink)
	r1 := start(t, cfg, host, sink1)
	waitForCount(t, sink1, len(first))
	r1.stop(t)

	more := addAsPublished(5)
	o.sim.ForceNext(1, oktasim.Fault400) // Okta no longer accepts the saved `after`
	sink2 := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink2)
	waitForCount(t, sink2, len(more))
	o.servedMore(t)
	r2.stop(t)
	assert.Equal(t, more, uids(sink2), "resumed from the last delivered event, repeating nothing")
	assert.NotEmpty(t, r2.logs.FilterMessageSnippet("Okta rejected the saved position").All())
}

func TestRotatedTokenFileIsPickedUpWithoutRestart(t *testing.T) {
	o := newOrg(t, oktasim.Options{Token: "rotated-token"})
	want := o.addEvents(t, 20, time.Now().Add(-time.Minute))
	path := filepath.Join(t.TempDir(), "okta-token")
	require.NoError(t, os.WriteFile(path, []byte("expired-token\n"), 0o600))
	cfg := testConfig(o)
	cfg.APIToken, cfg.APITokenFile = "", path
	host := &statusHost{Host: componenttest.NewNopHost()}
	sink := new(consumertest.LogsSink)
	r := start(t, cfg, host, sink)
	require.Eventually(t, func() bool { return len(host.reported()) > 0 }, 5*time.Second, 5*time.Millisecond)

	require.NoError(t, os.WriteFile(path, []byte("rotated-token\n"), 0o600))
	waitForCount(t, sink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusPermanentError, componentstatus.StatusOK}, host.reported())
}
