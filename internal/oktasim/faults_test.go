package oktasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestForcedFaults(t *testing.T) {
	tests := []struct {
		kind   FaultKind
		status int
		check  func(t *testing.T, r response)
	}{
		{Fault500, 500, wantOktaError("E0000009", "The request timed out")},
		{Fault401, 401, wantOktaError("E0000011", "Invalid token provided")},
		{Fault403, 403, wantOktaError("E0000006", "You do not have permission to perform the requested action")},
		{Fault400, 400, wantOktaError("E0000001", "")},
		{Fault429, 429, func(t *testing.T, r response) {
			wantOktaError("E0000047", "API call exceeded rate limit due to too many requests.")(t, r)
			if _, remaining, _ := rateHeaderValues(t, r); remaining != 0 {
				t.Errorf("forced 429 with Remaining %d", remaining)
			}
		}},
		{Fault503HTML, 503, wantHTML},
		{FaultHTML200, 200, wantHTML},
		{FaultHTML502, 502, wantHTML},
		{FaultNotArray, 200, func(t *testing.T, r response) {
			var obj map[string]any
			if r.header.Get("Content-Type") != "application/json" || json.Unmarshal(r.body, &obj) != nil {
				t.Errorf("want a JSON object, got %s", r.body)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			f := newFixture(t, Options{})
			if err := f.sim.Add(ev("e1", t0, "user.session.start")); err != nil {
				t.Fatal(err)
			}
			f.sim.ForceNext(1, tc.kind)
			r := f.logs(t, "since", rfc(t0.Add(-time.Hour)))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			tc.check(t, r)
			if n := f.sim.Stats().Faults[tc.kind]; n != 1 {
				t.Errorf("Stats.Faults[%s] = %d", tc.kind, n)
			}
			// Only one request was affected.
			if r := f.logs(t, "since", rfc(t0.Add(-time.Hour))); r.status != 200 || !slices.Equal(pageUUIDs(t, r.body), []string{"e1"}) {
				t.Fatalf("request after the fault: %d %s", r.status, r.body)
			}
		})
	}
}

func wantOktaError(code, summary string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		e := oktaError(t, r)
		if e.ErrorCode != code || (summary != "" && e.ErrorSummary != summary) {
			t.Errorf("got %s %q, want %s %q", e.ErrorCode, e.ErrorSummary, code, summary)
		}
		if r.header.Get("X-Okta-Request-Id") == "" {
			t.Error("no X-Okta-Request-Id")
		}
	}
}

func wantHTML(t *testing.T, r response) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.HasPrefix(r.body, []byte("<!DOCTYPE html>")) {
		t.Errorf("want an HTML page, got %q: %.80s", r.header.Get("Content-Type"), r.body)
	}
	if r.header.Get("X-Okta-Request-Id") != "" {
		t.Error("a proxy page carries Okta's X-Okta-Request-Id")
	}
}

func TestTruncatedBody(t *testing.T) {
	f := newFixture(t, Options{Seed: 1})
	if err := f.sim.AddBacklog(20, t0.Add(-time.Hour), t0); err != nil {
		t.Fatal(err)
	}
	f.sim.ForceNext(1, FaultTruncate)
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/api/v1/logs?limit=1000&since="+url.QueryEscape(rfc(t0.Add(-2*time.Hour))), nil)
	req.Header.Set("Authorization", "SSWS "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ContentLength <= 0 {
		t.Fatalf("status %d, Content-Length %d", res.StatusCode, res.ContentLength)
	}
	body, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading a truncated body: err %v, want unexpected EOF", err)
	}
	if len(body) == 0 || int64(len(body)) >= res.ContentLength || body[0] != '[' || json.Valid(body) {
		t.Fatalf("got %d of %d bytes, valid JSON %v", len(body), res.ContentLength, json.Valid(body))
	}
	if r := f.logs(t, "since", rfc(t0.Add(-2*time.Hour))); r.status != 200 || len(pageUUIDs(t, r.body)) != 20 {
		t.Fatalf("after the truncation: %d", r.status)
	}
}

func TestSlowResponse(t *testing.T) {
	f := newFixture(t, Options{Faults: Faults{SlowDelay: 60 * time.Millisecond}})
	f.sim.ForceNext(1, FaultSlow)
	start := time.Now()
	if r := f.logs(t); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("slow answer came after %v", d)
	}
	// A client that gives up is let go at once.
	if err := f.sim.SetFaults(Faults{SlowDelay: time.Minute, Next: []FaultKind{FaultSlow}}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 50 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/api/v1/logs", nil)
	req.Header.Set("Authorization", "SSWS "+testToken)
	if _, err := client.Do(req); err == nil {
		t.Fatal("client timeout did not fire")
	}
	eventually(t, 2*time.Second, func() bool { return f.sim.Stats().InFlight == 0 }, "slow handler ignores cancellation")
}

func TestForeignNextHost(t *testing.T) {
	f := newFixture(t, Options{Faults: Faults{ForeignNextHost: "evil.example.com:443"}})
	f.sim.ForceNext(1, FaultForeignNext)
	r := f.logs(t)
	l := links(t, r.header)
	next, _ := url.Parse(l["next"])
	self, _ := url.Parse(l["self"])
	srv, _ := url.Parse(f.srv.URL)
	if next.Host != "evil.example.com:443" || self.Host != srv.Host || next.Query().Get("after") == "" {
		t.Fatalf("self %s next %s", l["self"], l["next"])
	}
	if r := f.logs(t); links(t, r.header)["next"] == l["next"] || !strings.HasPrefix(links(t, r.header)["next"], f.srv.URL) {
		t.Fatalf("the fault lasted: %v", links(t, r.header))
	}
	if got := f.sim.Stats().Faults[FaultForeignNext]; got != 1 {
		t.Errorf("foreign-next count %d", got)
	}

	// The default host.
	if err := f.sim.SetFaults(Faults{Prob: map[FaultKind]float64{FaultForeignNext: 1}}); err != nil {
		t.Fatal(err)
	}
	if next := links(t, f.logs(t).header)["next"]; !strings.HasPrefix(next, "http://"+DefaultForeignHost+"/") {
		t.Fatalf("next %s", next)
	}
}

func TestFaultProbabilitiesAreReproducible(t *testing.T) {
	run := func(seed uint64) []int {
		f := newFixture(t, Options{Seed: seed, Faults: Faults{Prob: map[FaultKind]float64{Fault500: 0.3, Fault429: 0.2}}})
		var statuses []int
		for range 200 {
			statuses = append(statuses, f.logs(t).status)
		}
		return statuses
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different fault sequence")
	}
	if slices.Equal(a, c) {
		t.Fatal("different seeds, same fault sequence")
	}
	count := map[int]int{}
	for _, s := range a {
		count[s]++
	}
	if count[500] < 35 || count[500] > 85 || count[429] < 20 || count[429] > 60 || count[200] < 70 {
		t.Fatalf("status counts %v far from 30%% / 20%% / 50%%", count)
	}
}

func TestSetFaultsValidation(t *testing.T) {
	f := newFixture(t, Options{})
	bad := []Faults{
		{Prob: map[FaultKind]float64{"teapot": 0.1}},
		{Prob: map[FaultKind]float64{Fault500: 1.5}},
		{Prob: map[FaultKind]float64{Fault500: -0.1}},
		{Prob: map[FaultKind]float64{Fault500: 0.6, Fault503HTML: 0.6}},
		{Next: []FaultKind{"teapot"}},
		{SlowDelay: -time.Second},
	}
	for _, fl := range bad {
		if err := f.sim.SetFaults(fl); err == nil {
			t.Errorf("SetFaults accepted %+v", fl)
		}
	}
	if err := f.sim.SetFaults(Faults{Next: []FaultKind{Fault500, Fault403}}); err != nil {
		t.Fatal(err)
	}
	if got := f.sim.Faults().Next; !slices.Equal(got, []FaultKind{Fault500, Fault403}) {
		t.Fatalf("queued %v", got)
	}
	if a, b, c := f.logs(t).status, f.logs(t).status, f.logs(t).status; a != 500 || b != 403 || c != 200 {
		t.Fatalf("statuses %d %d %d, want 500 403 200", a, b, c)
	}
}

func TestReplayFaultServesTheLastPageWithTheSameLink(t *testing.T) {
	f := newFixture(t, Options{})
	if err := f.sim.Add(ev("e1", t0, "user.session.start"), ev("e2", t0.Add(time.Second), "user.session.start")); err != nil {
		t.Fatal(err)
	}
	f.sim.ForceNext(1, FaultReplay) // nothing served yet: a normal answer
	first := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "1")
	if !slices.Equal(pageUUIDs(t, first.body), []string{"e1"}) {
		t.Fatalf("first page %s", first.body)
	}
	next := links(t, first.header)["next"]
	f.sim.ForceNext(1, FaultReplay)
	replayed := f.get(t, next)
	if !slices.Equal(pageUUIDs(t, replayed.body), []string{"e1"}) {
		t.Errorf("replayed page %s, want the last page served again", replayed.body)
	}
	if links(t, replayed.header)["next"] != next {
		t.Errorf("replayed next link %q, want the URL asked for %q", links(t, replayed.header)["next"], next)
	}
	if after := f.get(t, next); !slices.Equal(pageUUIDs(t, after.body), []string{"e2"}) {
		t.Errorf("after the replay: %s", after.body)
	}
}
