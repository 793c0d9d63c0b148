package oktasim

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func rateHeaderValues(t *testing.T, r response) (limit, remaining int, reset int64) {
	t.Helper()
	var err error
	if limit, err = strconv.Atoi(r.header.Get("X-Rate-Limit-Limit")); err != nil {
		t.Fatalf("X-Rate-Limit-Limit: %v", err)
	}
	if remaining, err = strconv.Atoi(r.header.Get("X-Rate-Limit-Remaining")); err != nil {
		t.Fatalf("X-Rate-Limit-Remaining: %v", err)
	}
	if reset, err = strconv.ParseInt(r.header.Get("X-Rate-Limit-Reset"), 10, 64); err != nil {
		t.Fatalf("X-Rate-Limit-Reset: %v", err)
	}
	return limit, remaining, reset
}

func TestRateLimitWindow(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 3, RateWindow: time.Minute})
	// The window opens at the first request, 17.5 s past the minute: not clock-aligned.
	f.clock.Advance(17500 * time.Millisecond)
	start := f.clock.Now()
	wantReset := start.Add(time.Minute).Unix() + 1 // rounded up to whole seconds
	type step struct {
		advance   time.Duration
		status    int
		remaining int
		reset     int64
	}
	steps := []step{
		{0, 200, 2, wantReset},
		{time.Second, 200, 1, wantReset},
		{time.Second, 200, 0, wantReset},
		{time.Second, 429, 0, wantReset},
		{30 * time.Second, 429, 0, wantReset},
		// The window ends at start+60s (33 s gone so far); the request then opens a new one.
		{27 * time.Second, 200, 2, start.Add(2*time.Minute).Unix() + 1},
		{time.Second, 200, 1, start.Add(2*time.Minute).Unix() + 1},
	}
	for i, s := range steps {
		f.clock.Advance(s.advance)
		r := f.logs(t)
		if r.status != s.status {
			t.Fatalf("step %d: status %d, want %d: %s", i, r.status, s.status, r.body)
		}
		limit, remaining, reset := rateHeaderValues(t, r)
		if limit != 3 || remaining != s.remaining || reset != s.reset {
			t.Errorf("step %d: limit %d remaining %d reset %d, want 3 %d %d", i, limit, remaining, reset, s.remaining, s.reset)
		}
		date, err := http.ParseTime(r.header.Get("Date"))
		if err != nil || !date.Equal(f.clock.Now().Truncate(time.Second)) {
			t.Errorf("step %d: Date %q, want the simulator clock", i, r.header.Get("Date"))
		}
		if s.status == 429 {
			if e := oktaError(t, r); e.ErrorCode != "E0000047" || e.ErrorSummary != "API call exceeded rate limit due to too many requests." {
				t.Errorf("step %d: 429 body %s", i, r.body)
			}
		}
	}
	st := f.sim.Stats()
	if len(st.Windows) != 2 || st.Windows[0].Requests != 5 || st.Windows[0].Limited != 2 ||
		!st.Windows[0].Start.Equal(start) || st.Windows[1].Requests != 2 || st.MaxPerWindow != 5 || st.RateLimited != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestUnlimitedStillReportsHeadersAndWindows(t *testing.T) {
	f := newFixture(t, Options{})
	for range 5 {
		r := f.logs(t)
		if r.status != 200 {
			t.Fatal(r.status)
		}
		if limit, remaining, _ := rateHeaderValues(t, r); limit <= 0 || remaining <= 0 {
			t.Fatalf("unlimited: limit %d remaining %d", limit, remaining)
		}
	}
	f.clock.Advance(61 * time.Second)
	f.logs(t)
	if st := f.sim.Stats(); len(st.Windows) != 2 || st.MaxPerWindow != 5 || st.Requests != 6 {
		t.Errorf("stats %+v", st)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	f := newFixture(t, Options{MaxConcurrent: 1, Faults: Faults{SlowDelay: time.Minute}})
	f.sim.ForceNext(1, FaultSlow)
	ctx, cancel := context.WithCancel(context.Background())
	slowDone := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL+"/api/v1/logs", nil)
		req.Header.Set("Authorization", "SSWS "+testToken)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		slowDone <- err
	}()
	eventually(t, 5*time.Second, func() bool { return f.sim.Stats().InFlight == 1 }, "the slow request never arrived")
	r := f.logs(t)
	if r.status != 429 || oktaError(t, r).ErrorCode != "E0000047" {
		t.Fatalf("second request in flight: %d %s", r.status, r.body)
	}
	if limit, remaining, _ := rateHeaderValues(t, r); limit != 0 || remaining != 0 {
		t.Errorf("concurrency 429: limit %d remaining %d, want 0 0", limit, remaining)
	}
	cancel()
	if err := <-slowDone; err == nil {
		t.Error("the cancelled slow request succeeded")
	}
	eventually(t, 5*time.Second, func() bool { return f.sim.Stats().InFlight == 0 }, "the slow handler did not stop on cancellation")
	if r := f.logs(t); r.status != 200 {
		t.Fatalf("after the slow request: %d", r.status)
	}
	if st := f.sim.Stats(); st.ConcurrencyLimited != 1 || st.MaxInFlight != 1 {
		t.Errorf("stats %+v", st)
	}
}
