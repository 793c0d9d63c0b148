package okta

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secret = "very-secret-token"

// testMaxBody is the cap on a response body of a test client made with maxBody 0: the receiver's default.
const testMaxBody = 16 << 20

func newTestClient(t *testing.T, h http.HandlerFunc, maxBody int64) (*Client, *httptest.Server) {
	t.Helper()
	if maxBody == 0 {
		maxBody = testMaxBody
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return NewClient(u, srv.Client(), APIToken{Token: secret}, "datable-okta-receiver/1.2.3", maxBody), srv
}

func TestPollingURL(t *testing.T) {
	c, _ := newTestClient(t, nil, 0)
	u, err := url.Parse(c.PollingURL(time.Date(2026, 11, 24, 10, 0, 0, 5e6, time.FixedZone("x", 3600)), 1000, `eventType sw "user."`, "a b"))
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, LogsPath, u.Path)
	assert.Equal(t, "2026-11-24T09:00:00.005Z", q.Get("since"))
	assert.Equal(t, "1000", q.Get("limit"))
	assert.Equal(t, "ASCENDING", q.Get("sortOrder"))
	assert.Equal(t, `eventType sw "user."`, q.Get("filter"))
	assert.Equal(t, "a b", q.Get("q"))
	assert.False(t, q.Has("until"), "a polling query has no until")
}

func TestFetchSendsCredentialsAndUserAgent(t *testing.T) {
	var got http.Header
	c, srv := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Rate-Limit-Limit", "120")
		w.Header().Set("X-Rate-Limit-Remaining", "119")
		w.Header().Set("X-Rate-Limit-Reset", "1700000060")
		w.Header().Set("Date", time.Unix(1700000000, 0).UTC().Format(http.TimeFormat))
		w.Header().Add("Link", "<"+"http://"+r.Host+"/api/v1/logs?after=1_1>; rel=\"next\"")
		_, _ = w.Write([]byte(`[]`))
	}, 0)
	p, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
	require.NoError(t, err)
	assert.Equal(t, "SSWS "+secret, got.Get("Authorization"))
	assert.Equal(t, "datable-okta-receiver/1.2.3", got.Get("User-Agent"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Equal(t, srv.URL+"/api/v1/logs?after=1_1", p.Next)
	assert.Equal(t, RateLimit{Known: true, Limit: 120, Remaining: 119, Reset: time.Unix(1700000060, 0), Date: time.Unix(1700000000, 0).UTC()}, p.RateLimit)
	assert.Equal(t, 61*time.Second, p.RateLimit.UntilReset(time.Now()), "computed on Okta's clock")
}

// TestFetchReadsWholeBody checks bodies are read whole, sized by Content-Length or grown when Okta streams
// them (chunked), below and above the first guess of the size.
func TestFetchReadsWholeBody(t *testing.T) {
	for _, n := range []int{0, 10, 300_000} {
		body := "[" + strings.Repeat(`{"uuid":"x"},`, n) + `{"uuid":"last"}]`
		for name, chunked := range map[string]bool{"with Content-Length": false, "chunked": true} {
			c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if chunked {
					w.(http.Flusher).Flush()
				}
				_, _ = w.Write([]byte(body))
			}, 64<<20)
			p, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
			require.NoError(t, err)
			assert.True(t, p.Body == body, "%d events %s: got %d bytes, want %d", n, name, len(p.Body), len(body)) //nolint:testifylint // Equal would print both multi-megabyte bodies
		}
	}
}

func TestFetchRefusesBodyOverCap(t *testing.T) {
	big := "[" + strings.Repeat(`{"uuid":"x"},`, 200) + `{"uuid":"x"}]`
	for name, chunked := range map[string]bool{"with Content-Length": false, "chunked": true} {
		t.Run(name, func(t *testing.T) {
			c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if chunked {
					w.(http.Flusher).Flush()
				}
				_, _ = w.Write([]byte(big))
			}, 1000)
			_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
			var tooLarge *BodyTooLargeError
			require.ErrorAs(t, err, &tooLarge)
			assert.Contains(t, err.Error(), "larger than 1000 bytes")
		})
	}
}

func TestFetchRefusesForeignURLsBeforeSendingCredentials(t *testing.T) {
	foreignHits := 0
	foreign := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { foreignHits++ }))
	defer foreign.Close()
	c, srv := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("case") {
		case "redirect":
			http.Redirect(w, r, foreign.URL+LogsPath, http.StatusFound)
		case "next":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Add("Link", "<"+foreign.URL+"/api/v1/logs?after=1_1&token=x>; rel=\"next\"")
			_, _ = w.Write([]byte(`[]`))
		}
	}, 0)
	for _, u := range []string{foreign.URL + LogsPath, srv.URL + LogsPath + "?case=redirect", srv.URL + LogsPath + "?case=next",
		strings.Replace(srv.URL, "http://", "https://", 1) + LogsPath} {
		_, err := c.Fetch(context.Background(), u, nil)
		var fl *ForeignLinkError
		require.ErrorAs(t, err, &fl, u)
		assert.NotContains(t, err.Error(), "token=x", "the link's query is not repeated")
	}
	assert.Zero(t, foreignHits, "nothing was sent to the foreign host")
}

// A next link or a redirect on the org's own origin but to another API is refused, before anything is sent
// there: the credential goes only to the System Log API.
func TestFetchRefusesLinksOffTheSystemLogAPI(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	c, srv := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		if r.URL.Path != LogsPath {
			_, _ = w.Write([]byte(`[{"id":"00u1","profile":{"login":"someone@example.com"}}]`))
			return
		}
		switch target := r.URL.Query().Get("to"); r.URL.Query().Get("case") {
		case "redirect":
			http.Redirect(w, r, target, http.StatusFound)
		case "next":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Add("Link", "<"+target+">; rel=\"next\"")
			_, _ = w.Write([]byte(`[]`))
		}
	}, 0)
	for _, path := range []string{"/api/v1/users?limit=200", "/api/v1/logs/../users", "/api/v1/logs/%2e%2e/users", "//api/v1/logs", "/api/v1/logs/", "/API/V1/LOGS"} {
		for _, kind := range []string{"next", "redirect"} {
			target := srv.URL + path
			_, err := c.Fetch(context.Background(), srv.URL+LogsPath+"?"+url.Values{"case": {kind}, "to": {target}}.Encode(), nil)
			var fl *ForeignLinkError
			require.ErrorAs(t, err, &fl, "%s %s", kind, path)
			assert.True(t, fl.OffPath, err.Error())
			assert.Equal(t, kind == "redirect", fl.Redirect)
			assert.Contains(t, err.Error(), "leads away from the System Log API (/api/v1/logs")
			assert.Contains(t, err.Error(), "`proxy_url`", "the error names the fix")
			assert.NotContains(t, err.Error(), "limit=200", "the link's query is not repeated")
		}
		_, err := c.Fetch(context.Background(), srv.URL+path, nil)
		var fl *ForeignLinkError
		require.ErrorAs(t, err, &fl, "a first URL off the System Log API: %s", path)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		assert.Equal(t, LogsPath, p, "only the System Log API was asked")
	}
	assert.Len(t, paths, 12)
}

// renewing is an authorizer whose credentials a 401 renews once.
type renewing struct{ tokens []string }

func (a *renewing) Authorize(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+a.tokens[0])
	return nil
}

func (a *renewing) Rejected(*http.Response) bool {
	if len(a.tokens) == 1 {
		return false
	}
	a.tokens = a.tokens[1:]
	return true
}

func TestFetchRetriesOnceWithRenewedCredentials(t *testing.T) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer good" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	c := NewClient(u, srv.Client(), &renewing{tokens: []string{"stale", "good"}}, "ua", testMaxBody)
	_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"Bearer stale", "Bearer good"}, seen)

	seen = nil
	c = NewClient(u, srv.Client(), &renewing{tokens: []string{"bad", "worse"}}, "ua", testMaxBody)
	_, err = c.Fetch(context.Background(), srv.URL+LogsPath, nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Len(t, seen, 2, "one retry, no loop")
}

func TestAPIErrorMessages(t *testing.T) {
	tests := []struct {
		status int
		ct     string
		body   string
		want   []string
	}{
		{401, "application/json", `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[]}`, []string{"HTTP 401 E0000011: Invalid token provided", "update `api_token`", "X-Okta-Request-Id req-1"}},
		{403, "application/json", `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}`, []string{"E0000006", "Read-only Administrator"}},
		{400, "application/json", `{"errorCode":"E0000053","errorSummary":"Invalid search criteria","errorCauses":[{"errorSummary":"published is not allowed"}]}`, []string{"E0000053", "(published is not allowed)", "check `filter` and `query`"}},
		{404, "text/html", `<html>Not Found</html>`, []string{"not Okta's error JSON", "check `endpoint`"}},
		{200, "text/html", `<html>Sign in to the proxy</html>`, []string{"text/html, not Okta's JSON", "check `endpoint`"}},
		{500, "application/json", `{"errorCode":"E0000009","errorSummary":"Internal Server Error"}`, []string{"E0000009", "retrying"}},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				w.Header().Set("X-Okta-Request-Id", "req-1")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}, 0)
			_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
			require.Error(t, err)
			for _, part := range tt.want {
				assert.Contains(t, err.Error(), part)
			}
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

func TestTransportErrorNamesEndpoint(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1")
	c := NewClient(u, &http.Client{}, APIToken{Token: secret}, "ua", testMaxBody)
	_, err := c.Fetch(context.Background(), "http://127.0.0.1:1"+LogsPath, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "check `endpoint`")
	assert.NotContains(t, err.Error(), secret)
}

func TestFetchMetersTheBodyAsItArrives(t *testing.T) {
	half := make(chan struct{})
	body := "[" + strings.Repeat(`{"uuid":"x"},`, 40000) + `{"uuid":"y"}]` // ~520 KB, more than the first growth
	c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json") // no Content-Length: the body arrives in chunks
		_, _ = w.Write([]byte(body[:len(body)/2]))
		w.(http.Flusher).Flush()
		<-half // a slow upstream: the rest comes later
		_, _ = w.Write([]byte(body[len(body)/2:]))
	}, 0)
	var metered atomic.Int64
	sawHalf := make(chan struct{})
	var once sync.Once
	p, err := c.Fetch(context.Background(), srv.URL+LogsPath, meterFunc(func(n int64) error {
		if metered.Add(n) >= int64(len(body)/2) {
			once.Do(func() { close(sawHalf); close(half) })
		}
		return nil
	}))
	require.NoError(t, err)
	<-sawHalf
	assert.Equal(t, body, p.Body)
	assert.GreaterOrEqual(t, metered.Load(), int64(len(body)), "every byte held is counted")
	assert.Less(t, metered.Load(), int64(4*len(body)), "counted as it is held: the buffer's growth, no more")

	stop := errors.New("no memory")
	_, err = c.Fetch(context.Background(), srv.URL+LogsPath, meterFunc(func(int64) error { return stop }))
	assert.ErrorIs(t, err, stop, "the meter can end the read")
}

func TestFetchTakesNoMemoryBeforeTheBodyArrives(t *testing.T) {
	c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(testMaxBody)) // announced, not sent
		_, _ = w.Write([]byte(`[]`))
	}, 0)
	var first int64
	_, err := c.Fetch(context.Background(), srv.URL+LogsPath, &testMeter{expected: 2 << 20, charge: func(n int64) error {
		if first == 0 {
			first = n
		}
		return nil
	}})
	require.Error(t, err, "a body shorter than announced is cut")
	assert.LessOrEqual(t, first, int64(growFirst), "an announced size beyond twice the answer expected is not taken before its bytes arrive")
}

func TestFetchSizesTheBodyFromItsLength(t *testing.T) {
	for _, size := range []int{1 << 20, growFirst + 1<<20} {
		body := "[" + strings.Repeat(" ", size-2) + "]"
		c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write([]byte(body))
		}, 0)
		var growths []int64
		p, err := c.Fetch(context.Background(), srv.URL+LogsPath, meterFunc(func(n int64) error {
			growths = append(growths, n)
			return nil
		}))
		require.NoError(t, err)
		assert.Equal(t, body, p.Body)
		var total int64
		buffers := 0
		for _, n := range growths {
			total += n
			if n > 8<<10 { // not the runtime's rounding up of the one before
				buffers++
			}
		}
		// The runtime rounds a large allocation up to whole pages of 8 KiB.
		assert.InDelta(t, len(body), total, 8<<10, "%d bytes: held in a buffer of the announced length, no more", len(body))
		want := 1 // one allocation, the body's own
		if size > growFirst {
			want = 2 // growFirst, then the rest as it arrives, up to the announced length
		}
		assert.Equal(t, want, buffers, "%d bytes: the buffer's allocations, metered %v", len(body), growths)
	}
}

func TestFetchReadsAnAnnouncedBodyOfTheExpectedSizeIntoOneBuffer(t *testing.T) {
	body := "[" + strings.Repeat(`{"uuid":"x"},`, 200000) + `{"uuid":"y"}]` // 2.6 MB, ten times growFirst
	c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write([]byte(body))
	}, 0)
	var charges []int64
	p, err := c.Fetch(context.Background(), srv.URL+LogsPath, &testMeter{expected: 2 << 20, charge: func(n int64) error {
		charges = append(charges, n)
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, body, p.Body)
	require.NotEmpty(t, charges)
	assert.InDelta(t, len(body), charges[0], float64(len(body))/100, "one buffer of the announced size, counted before it is taken: never grown and copied")
	for _, n := range charges[1:] {
		assert.Less(t, n, int64(8<<10), "only the allocator's rounding up follows (metered %v)", charges)
	}
}

// testMeter is a Meter that expects an answer of a fixed size.
type testMeter struct {
	expected int64
	charge   func(n int64) error
}

func (m *testMeter) Expected() int64                         { return m.expected }
func (m *testMeter) Charge(_ context.Context, n int64) error { return m.charge(n) }

// meterFunc is a Meter that expects nothing.
func meterFunc(f func(n int64) error) Meter { return &testMeter{charge: f} }
