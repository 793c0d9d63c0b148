package oktasim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLinkHeaders(t *testing.T) {
	for _, join := range []bool{false, true} {
		f := newFixture(t, Options{JoinLinks: join})
		r := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "1000")
		lines := r.header.Values("Link")
		wantLines := 2
		if join {
			wantLines = 1
		}
		if len(lines) != wantLines {
			t.Fatalf("join=%v: %d Link lines %q, want %d", join, len(lines), lines, wantLines)
		}
		if !strings.HasPrefix(lines[0], "<"+f.srv.URL+"/api/v1/logs?") || !strings.Contains(lines[0], `>; rel="self"`) {
			t.Errorf("join=%v: first Link line %q is not the self link", join, lines[0])
		}
		last := lines[len(lines)-1]
		if !strings.HasSuffix(last, `>; rel="next"`) {
			t.Errorf("join=%v: Link %q does not end with the next link", join, last)
		}
		if join && !strings.Contains(last, `rel="self", <`+f.srv.URL) {
			t.Errorf("joined Link %q", last)
		}
		l := links(t, r.header)
		if q := query(t, l["self"]); q.Get("since") != rfc(t0.Add(-time.Hour)) || q.Get("limit") != "1000" {
			t.Errorf("self link %s does not repeat the request", l["self"])
		}
	}
}

func TestLinkBaseURL(t *testing.T) {
	clock := NewClock(t0)
	tests := []struct {
		name    string
		opts    Options
		tls     bool
		wantPre func(srvURL string) string
	}{
		{"request host", Options{}, false, func(u string) string { return u }},
		{"TLS request", Options{}, true, func(u string) string { return u }},
		{"BaseURL option", Options{BaseURL: "https://example.okta.com"}, false, func(string) string { return "https://example.okta.com" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Now = clock.Now
			sim, err := New(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(sim)
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL + "/api/v1/logs?limit=1000")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			l := links(t, res.Header)
			want := tc.wantPre(srv.URL) + "/api/v1/logs?"
			if !strings.HasPrefix(l["self"], want) || !strings.HasPrefix(l["next"], want) {
				t.Fatalf("links %v, want prefix %s", l, want)
			}
		})
	}
}

func TestValidationErrors(t *testing.T) {
	f := newFixture(t, Options{})
	since := rfc(t0.Add(-time.Hour))
	eleven := strings.Repeat("k ", 11)
	ten := strings.Repeat("k ", 10)
	tests := []struct {
		name    string
		kv      []string
		status  int
		code    string
		mention string // a word the errorSummary must contain
	}{
		{"limit over 1000", []string{"limit", "1001"}, 400, "E0000001", "limit"},
		{"negative limit", []string{"limit", "-1"}, 400, "E0000001", "limit"},
		{"limit not a number", []string{"limit", "many"}, 400, "E0000001", "limit"},
		{"limit 1000", []string{"limit", "1000"}, 200, "", ""},
		{"limit 0", []string{"limit", "0"}, 200, "", ""},
		{"since not a date", []string{"since", "yesterday"}, 400, "E0000001", "since"},
		{"since without zone", []string{"since", "2026-11-24T09:00:00"}, 400, "E0000001", "since"},
		{"until not a date", []string{"until", "2026-13-01T00:00:00Z"}, 400, "E0000001", "until"},
		{"since with micros and offset", []string{"since", "2026-11-24T10:30:00.123456+01:00"}, 200, "", ""},
		{"since without fraction", []string{"since", "2026-11-24T09:00:00Z"}, 200, "", ""},
		{"since 181 days back", []string{"since", rfc(t0.Add(-181 * 24 * time.Hour))}, 400, "E0000053", "since"},
		{"since 179 days back", []string{"since", rfc(t0.Add(-179 * 24 * time.Hour))}, 200, "", ""},
		{"after not a cursor", []string{"after", "not-a-cursor"}, 400, "E0000001", "after"},
		{"after half a cursor", []string{"after", "123_"}, 400, "E0000001", "after"},
		{"after a cursor", []string{"after", "1795541054834_12"}, 200, "", ""},
		{"since with after", []string{"since", since, "after", "1795541054834_12"}, 400, "E0000001", "since"},
		{"until before since", []string{"since", since, "until", rfc(t0.Add(-2 * time.Hour))}, 400, "E0000001", "until"},
		{"bad sortOrder", []string{"sortOrder", "SIDEWAYS"}, 400, "E0000001", "sortOrder"},
		{"filter on published", []string{"filter", `published gt "2026-11-24T00:00:00Z"`}, 400, "E0000053", "published"},
		{"filter with published inside", []string{"filter", `eventType eq "a" or (published pr)`}, 400, "E0000053", "published"},
		{"filter missing value", []string{"filter", `eventType eq`}, 400, "E0000053", "search"},
		{"filter dangling and", []string{"filter", `eventType eq "a" and`}, 400, "E0000053", "search"},
		{"filter unbalanced", []string{"filter", `(eventType eq "a"`}, 400, "E0000053", ")"},
		{"filter unknown operator", []string{"filter", `eventType is "a"`}, 400, "E0000053", "operator"},
		{"filter unterminated string", []string{"filter", `eventType eq "a`}, 400, "E0000053", "string"},
		{"filter co on debugData", []string{"filter", `debugContext.debugData.url co "/api"`}, 400, "E0000031", "search"},
		{"q with 11 keywords", []string{"q", eleven}, 400, "E0000001", "q"},
		{"q with 10 keywords", []string{"q", ten}, 200, "", ""},
		{"q keyword of 41 chars", []string{"q", strings.Repeat("a", 41)}, 400, "E0000001", "q"},
		{"q keyword of 40 chars", []string{"q", strings.Repeat("ä", 40)}, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.logs(t, tc.kv...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status == 200 {
				pageUUIDs(t, r.body)
				return
			}
			e := oktaError(t, r)
			if e.ErrorCode != tc.code {
				t.Errorf("errorCode %s, want %s", e.ErrorCode, tc.code)
			}
			if !strings.Contains(strings.ToLower(e.ErrorSummary), strings.ToLower(tc.mention)) {
				t.Errorf("errorSummary %q does not mention %q", e.ErrorSummary, tc.mention)
			}
			if len(r.header.Values("Link")) != 0 {
				t.Errorf("error answer has Link headers")
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		auth   string
		status int
	}{
		{"", 401},
		{"SSWS wrong", 401},
		{"SSWS " + testToken + "x", 401},
		{"Bearer " + testToken, 401},
		{"SSWS " + testToken, 200},
	}
	for _, tc := range tests {
		r := do(t, f.srv.URL+"/api/v1/logs", tc.auth)
		if r.status != tc.status {
			t.Errorf("Authorization %q: status %d, want %d", tc.auth, r.status, tc.status)
			continue
		}
		if tc.status == 401 {
			if e := oktaError(t, r); e.ErrorCode != "E0000011" || e.ErrorSummary != "Invalid token provided" {
				t.Errorf("401 body %s", r.body)
			}
		}
	}

	// A plugged-in scheme replaces SSWS.
	g := newFixture(t, Options{Authorize: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer at-123" }})
	if r := do(t, g.srv.URL+"/api/v1/logs", "Bearer at-123"); r.status != 200 {
		t.Errorf("Authorize hook: status %d", r.status)
	}
	if r := do(t, g.srv.URL+"/api/v1/logs", "SSWS "+testToken); r.status != 401 {
		t.Errorf("Authorize hook accepted SSWS: status %d", r.status)
	}

	// No token, no hook: open.
	sim, _ := New(Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	if r := do(t, srv.URL+"/api/v1/logs", ""); r.status != 200 {
		t.Errorf("open simulator: status %d", r.status)
	}
}

func TestAuthorizationCountedPerHost(t *testing.T) {
	f := newFixture(t, Options{})
	u, _ := url.Parse(f.srv.URL)
	other := "localhost:" + u.Port() // another name for the same server
	do(t, f.srv.URL+"/api/v1/logs", "SSWS "+testToken)
	do(t, f.srv.URL+"/api/v1/logs", "SSWS "+testToken)
	do(t, "http://"+other+"/api/v1/logs", "")
	got := f.sim.Stats().Authorization
	if got[u.Host]["SSWS "+testToken] != 2 || got[other][""] != 1 || len(got[other]) != 1 {
		t.Fatalf("authorization by host = %v", got)
	}
}

func TestResponseHeaders(t *testing.T) {
	f := newFixture(t, Options{})
	seen := map[string]bool{}
	for i := range 20 {
		r := f.logs(t)
		if r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
		}
		if d := r.header.Get("Date"); d != f.clock.Now().Format(http.TimeFormat) {
			t.Fatalf("Date %q, want the simulator clock %s", d, f.clock.Now().Format(http.TimeFormat))
		}
		id := r.header.Get("X-Okta-Request-Id")
		if id == "" || seen[id] {
			t.Fatalf("request %d: X-Okta-Request-Id %q empty or repeated", i, id)
		}
		seen[id] = true
		f.clock.Advance(time.Second)
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	f := newFixture(t, Options{})
	if r := f.get(t, f.srv.URL+"/api/v1/users"); r.status != 404 || oktaError(t, r).ErrorCode != "E0000007" {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
	res, err := http.Post(f.srv.URL+"/api/v1/logs", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", res.StatusCode)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"negative limit": {RateLimit: -1},
		"relative base":  {BaseURL: "example.okta.com"},
		"unknown fault":  {Faults: Faults{Prob: map[FaultKind]float64{"boom": 0.1}}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
}
