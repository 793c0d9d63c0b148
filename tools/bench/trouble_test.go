package bench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTroubles(t *testing.T) {
	tr, err := ParseTroubles("broken=1, slow=2,blocked=3,ratelimited=0")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Total() != 6 || tr[TroubleSlow] != 2 || tr[TroubleBlocked] != 3 || tr[TroubleBroken] != 1 || tr[TroubleRateLimited] != 0 {
		t.Errorf("parsed %v", tr)
	}
	if got := tr.String(); got != "slow=2,blocked=3,broken=1" {
		t.Errorf("String() = %q", got)
	}
	again, err := ParseTroubles(tr.String())
	if err != nil || again.String() != tr.String() {
		t.Errorf("String() does not parse back: %v, %v", again, err)
	}
	if none, err := ParseTroubles(""); err != nil || none.Total() != 0 || none.String() != "none" {
		t.Errorf("empty: %v %v", none, err)
	}
	for _, bad := range []string{"slow", "slow=x", "slow=-1", "sluggish=1", "slow=1,slow=2", "slow=1,"} {
		if _, err := ParseTroubles(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTroublesAssign(t *testing.T) {
	tr := Troubles{TroubleBroken: 1, TroubleSlow: 2, TroubleRateLimited: 1}
	want := []string{TroubleSlow, TroubleSlow, TroubleRateLimited, TroubleBroken, "", ""}
	if got := tr.Assign(6); !slices.Equal(got, want) {
		t.Errorf("Assign(6) = %q, want %q", got, want)
	}
	if got := (Troubles{}).Assign(2); !slices.Equal(got, []string{"", ""}) {
		t.Errorf("no troubles: %q", got)
	}
	if got := tr.Assign(2); !slices.Equal(got, want[:2]) {
		t.Errorf("more troubles than orgs: %q", got)
	}
}

// A slow org's answer: the status and headers at once, the whole body after about `over`.
func TestDribbleSendsHeadersAtOnceAndTheBodySlowly(t *testing.T) {
	body := strings.Repeat("0123456789", 100)
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", `<http://x/api/v1/logs?after=1>; rel="next"`)
		_, _ = io.WriteString(w, body)
	})
	const over = 400 * time.Millisecond
	srv := httptest.NewServer(dribble{next: next, over: over})
	defer srv.Close()

	start := time.Now()
	resp, err := http.Get(srv.URL + "/api/v1/logs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	headers := time.Since(start)
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if string(got) != body || resp.Header.Get("Link") == "" || resp.ContentLength != int64(len(body)) {
		t.Errorf("the answer changed: %d bytes, headers %v", len(got), resp.Header)
	}
	if headers > over/2 || took < over*9/10 {
		t.Errorf("headers after %s, body after %s: want the headers at once and the body over %s", headers, took, over)
	}

	// Anything but the API is answered at once.
	start = time.Now()
	resp, err = http.Get(srv.URL + "/sim/ledger")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if d := time.Since(start); d > over/2 {
		t.Errorf("a non-API answer took %s", d)
	}
}

func TestUIDLatency(t *testing.T) {
	l := NewUIDLatency()
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	l.Add(t0, []string{"early"}, []time.Time{t0.Add(-time.Second)})
	l.From(t0)
	l.Add(t0.Add(3*time.Second), []string{"a", "b", "old"}, []time.Time{t0, t0.Add(time.Second), t0.Add(-time.Minute)})
	l.Add(t0.Add(9*time.Second), []string{"a"}, []time.Time{t0}) // a repeat: the first arrival counts
	l.Add(t0.Add(4*time.Second), []string{"c"}, []time.Time{t0.Add(3 * time.Second)})
	got := l.Of([]string{"a", "b", "c", "old", "early", "unknown"})
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
	if !slices.Equal(got, want) {
		t.Errorf("Of = %v, want %v", got, want)
	}
	if got := l.Of([]string{"c"}); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("Of(c) = %v", got)
	}
}

func TestLagFigures(t *testing.T) {
	if f := lagFigures(nil); f != (LagFigures{}) {
		t.Errorf("no lags: %+v", f)
	}
	var lags []time.Duration
	for i := 1; i <= 200; i++ {
		lags = append(lags, time.Duration(i)*time.Millisecond)
	}
	f := lagFigures(lags)
	if f.Measured != 200 || f.P50 != 100*time.Millisecond || f.P99 != 198*time.Millisecond || f.Max != 200*time.Millisecond {
		t.Errorf("figures %+v", f)
	}
	if f := lagFigures([]time.Duration{time.Second}); f.P50 != time.Second || f.P99 != time.Second || f.Max != time.Second {
		t.Errorf("one lag: %+v", f)
	}
}

func TestConfigBlockedOrgsInAPipelineOfTheirOwn(t *testing.T) {
	c := multiOrgConfig(4)
	c.Orgs[0].Blocked, c.Orgs[2].Blocked = true, true
	c.BlockedSinkURL = "http://127.0.0.1:9"
	conf := loadConfig(t, c)
	if got := conf.Get("service::pipelines::logs::receivers"); !equalYAML(got, []any{"okta/org2", "okta/org4"}) {
		t.Errorf("the main pipeline's receivers: %v", got)
	}
	if got := conf.Get("service::pipelines::logs/blocked::receivers"); !equalYAML(got, []any{"okta/org1", "okta/org3"}) {
		t.Errorf("the blocked pipeline's receivers: %v", got)
	}
	if got := conf.Get("service::pipelines::logs/blocked::exporters"); !equalYAML(got, []any{"otlp_http/blocked"}) {
		t.Errorf("the blocked pipeline's exporters: %v", got)
	}
	for key, want := range map[string]string{
		"exporters::otlp_http/blocked::endpoint":                           c.BlockedSinkURL,
		"exporters::otlp_http/blocked::sending_queue::enabled":             "false",
		"exporters::otlp_http/blocked::retry_on_failure::enabled":          "true",
		"exporters::otlp_http/blocked::retry_on_failure::max_elapsed_time": "0s",
	} {
		if got := fmt.Sprint(conf.Get(key)); got != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
	if plain := loadConfig(t, multiOrgConfig(2)); plain.IsSet("exporters::otlp_http/blocked") || plain.IsSet("service::pipelines::logs/blocked") {
		t.Errorf("a blocked pipeline without blocked orgs:\n%s", multiOrgConfig(2).YAML())
	}
}

func TestHealthyOnly(t *testing.T) {
	got := healthyOnly([][]string{{"a"}, {"b"}, {"c"}}, []string{TroubleSlow, "", TroubleBroken})
	if len(got) != 3 || got[0] != nil || !slices.Equal(got[1], []string{"b"}) || got[2] != nil {
		t.Errorf("healthyOnly = %q", got)
	}
	if got := healthyOnly([][]string{{"a"}, {"b"}}, nil); !slices.Equal(got[0], []string{"a"}) || !slices.Equal(got[1], []string{"b"}) {
		t.Errorf("no troubles: %q", got)
	}
}
