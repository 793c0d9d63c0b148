package receiver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// pathRecorder serves the simulated org and records the URL of every request, as sent.
type pathRecorder struct {
	next http.Handler
	mu   sync.Mutex
	urls []*url.URL
}

func (p *pathRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.urls = append(p.urls, r.URL)
	p.mu.Unlock()
	p.next.ServeHTTP(w, r)
}

func (p *pathRecorder) requested() []*url.URL {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*url.URL(nil), p.urls...)
}

// A next link on the org's own origin but to another API (the user directory) is refused: no request goes
// there, the page is not delivered, the log names the fix, and the failure is counted as a foreign link.
func TestStepRefusesNextLinkOffTheSystemLogAPI(t *testing.T) {
	now := time.Now()
	s := newStepper(t,
		answer{events: []string{okEvent(1, now.Add(-time.Minute))}, next: "/api/v1/users?limit=200"},
	)
	s.step(t)
	s.step(t)
	for i := range s.org.requests {
		assert.Equal(t, okta.LogsPath, s.org.request(i).Path, "request %d", i)
	}
	assert.Empty(t, s.sink.AllLogs(), "the page that carried the link is refused whole")
	lines := s.logs.FilterMessageSnippet("refused a link that leaves the org's System Log").All()
	require.NotEmpty(t, lines)
	msg := lines[0].ContextMap()["error"]
	assert.Contains(t, msg, "/api/v1/users: it stays on the org")
	assert.Contains(t, msg, "leads away from the System Log API")
	assert.Contains(t, lines[0].ContextMap()["fix"], "check `proxy_url`")
	assert.NotContains(t, msg, "limit=200")
	assert.Empty(t, s.cur.Next, "the cursor never takes the link")
	st := s.r.telemetry.state.Load()
	assert.Equal(t, orgState{name: stateFailing, errType: "foreign_link"}, *st, "counted as a foreign link in receiver_okta_state")
}

// A next link read back from the checkpoint that stays on the org but leaves the System Log API is not
// followed: no request goes there, the org starts a new polling query from the last delivered event (with
// its filter and query), the log says why and what to check, and the checkpoint is replaced.
func TestStoredNextLinkOffTheSystemLogAPIIsNotFollowed(t *testing.T) {
	for _, path := range []string{"/api/v1/users?limit=200", "/api/v1/logs/../users?limit=200", "/api/v1/logs/%2e%2e/users", "//api/v1/logs?after=1_1", "/API/V1/LOGS?after=1_1"} {
		t.Run(path, func(t *testing.T) {
			sim, err := oktasim.New(oktasim.Options{Token: "test-token"})
			require.NoError(t, err)
			rec := &pathRecorder{next: sim}
			srv := httptest.NewServer(rec)
			t.Cleanup(srv.Close)
			u, err := url.Parse(srv.URL)
			require.NoError(t, err)
			o := &org{sim: sim, url: u}
			host, id := storageHost(t)
			cfg := testConfig(o)
			cfg.Storage = id
			cfg.Filter = `eventType eq "user.session.start"`
			delivered := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Millisecond)
			stored := &cursor{Org: u.Host, Next: srv.URL + path, Since: delivered.Add(-time.Hour), LastPublished: delivered,
				Filter: cfg.Filter, PageSize: cfg.PageSize, recent: newRecent()}
			putCheckpoint(t, host, id, mustMarshal(t, stored))

			want := o.addEvents(t, 5, time.Now().Add(-time.Minute))
			sink := new(consumertest.LogsSink)
			r := start(t, cfg, host, sink)
			waitForCount(t, sink, len(want))
			o.servedMore(t)
			r.stop(t)

			assert.Equal(t, want, uids(sink))
			asked := rec.requested()
			for _, a := range asked {
				assert.Equal(t, okta.LogsPath, a.EscapedPath(), "only the System Log API was asked")
			}
			lines := r.logs.FilterMessageSnippet("the stored next link is not followed").All()
			require.Len(t, lines, 1)
			assert.Contains(t, lines[0].ContextMap()["error"], "leads away from the System Log API")
			assert.Contains(t, lines[0].ContextMap()["fix"], "give each collector its own `storage` directory")
			assert.NotContains(t, lines[0].ContextMap()["link"], "limit=200", "the link's query is not repeated")
			first := asked[0]
			assert.Equal(t, cfg.Filter, first.Query().Get("filter"), "a new polling query with the configured filter")
			assert.Equal(t, delivered.Format("2006-01-02T15:04:05.000Z"), first.Query().Get("since"), "from the last delivered event")
			assert.True(t, okta.OnSystemLog(mustParse(t, storedCursor(t, host, id).Next), u), "the checkpoint was replaced")
		})
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
