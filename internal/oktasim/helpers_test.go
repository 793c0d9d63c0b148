package oktasim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// t0 is the simulator clock's start in tests.
var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

const testToken = "test-token"

// fixture is a simulator on a manual clock behind an httptest server.
type fixture struct {
	sim   *Sim
	clock *Clock
	srv   *httptest.Server
}

// newFixture starts a simulator; the token defaults to testToken, the clock to a Clock at t0.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	clock := NewClock(t0)
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.Token == "" && opts.Authorize == nil {
		opts.Token = testToken
	}
	sim, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &fixture{sim: sim, clock: clock, srv: srv}
}

// response is a fully read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a GET with the given Authorization header ("" for none).
func do(t *testing.T, rawURL, authorization string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", rawURL, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// get fetches a URL with the test token.
func (f *fixture) get(t *testing.T, rawURL string) response {
	t.Helper()
	return do(t, rawURL, "SSWS "+testToken)
}

// logs fetches /api/v1/logs with the query parameters given as name, value pairs.
func (f *fixture) logs(t *testing.T, kv ...string) response {
	t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return f.get(t, f.srv.URL+"/api/v1/logs?"+v.Encode())
}

// links parses the Link headers, one per line or comma-joined, into rel → URL.
func links(t *testing.T, h http.Header) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range h.Values("Link") {
		for _, part := range strings.Split(line, ", <") {
			u, rel, ok := strings.Cut(strings.TrimPrefix(part, "<"), `>; rel="`)
			if !ok || !strings.HasSuffix(rel, `"`) {
				t.Fatalf("malformed Link header %q", line)
			}
			out[strings.TrimSuffix(rel, `"`)] = u
		}
	}
	return out
}

// query returns the parsed query of a link URL.
func query(t *testing.T, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// pageUUIDs decodes a page and returns its events' uuids.
func pageUUIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var page []struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("page is not a JSON array of events: %v: %.200s", err, body)
	}
	out := make([]string, len(page))
	for i, e := range page {
		out[i] = e.UUID
	}
	return out
}

// oktaError decodes an Okta error body, checking its shape.
func oktaError(t *testing.T, r response) errorBody {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type = %q", ct)
	}
	var e errorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	if e.ErrorLink != e.ErrorCode || !strings.HasPrefix(e.ErrorID, "oae") || e.ErrorCauses == nil || e.ErrorSummary == "" {
		t.Errorf("error body not shaped like Okta's: %s", r.body)
	}
	return e
}

// ev builds a minimal event; extra are additional `"key":value` members.
func ev(id string, published time.Time, eventType string, extra ...string) []byte {
	s := fmt.Sprintf(`{"uuid":%q,"published":%q,"eventType":%q,"severity":"INFO","version":"0"`,
		id, published.UTC().Format("2006-01-02T15:04:05.000Z"), eventType)
	for _, x := range extra {
		s += "," + x
	}
	return []byte(s + "}")
}

// rfc formats a time for since/until.
func rfc(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// eventually waits until cond holds, looking every few milliseconds; after timeout it fails the test with
// the message format and args make.
func eventually(t *testing.T, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf(format, args...)
		}
	}
}
