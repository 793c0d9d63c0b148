package oktasim

import (
	"strconv"
	"sync"
	"time"
)

// WindowStats count the /api/v1/logs requests of one rate-limit window.
type WindowStats struct {
	// Start is when the window opened: at the first request after the previous one expired.
	Start time.Time `json:"start"`
	// Requests counts the requests in the window, including the rejected ones.
	Requests int `json:"requests"`
	// Limited counts the requests answered 429 because the window's limit was used up.
	Limited int `json:"limited"`
}

// rateHeaders are the X-Rate-Limit-* values of one answer.
type rateHeaders struct {
	limit, remaining int
	reset            time.Time
}

// managementBucket is the rate limit the management calls advertise: a bucket of their own, never spent.
const managementBucket = 600

// managementHeaders are the rate-limit headers of a management call's answer.
func managementHeaders(now time.Time) rateHeaders {
	return rateHeaders{limit: managementBucket, remaining: managementBucket - 1, reset: now.Add(time.Minute)}
}

// set writes X-Rate-Limit-Limit, -Remaining and -Reset (epoch seconds, rounded up).
func (rh rateHeaders) set(h interface{ Set(string, string) }) {
	reset := rh.reset.Unix()
	if rh.reset.After(time.Unix(reset, 0)) {
		reset++
	}
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(rh.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(rh.remaining))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(reset, 10))
}

// limiter enforces the per-window request limit and the concurrency limit, and keeps the
// per-window counts for Stats.
type limiter struct {
	limit         int // 0: unlimited
	window        time.Duration
	maxConcurrent int // 0: unlimited

	mu          sync.Mutex
	end         time.Time // end of the current window; zero before the first request
	windows     []WindowStats
	inFlight    int
	maxInFlight int
}

// enter admits a request under the concurrency limit; a request admitted must leave.
func (l *limiter) enter() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.maxConcurrent > 0 && l.inFlight >= l.maxConcurrent {
		return false
	}
	l.inFlight++
	l.maxInFlight = max(l.maxInFlight, l.inFlight)
	return true
}

func (l *limiter) leave() {
	l.mu.Lock()
	l.inFlight--
	l.mu.Unlock()
}

// concurrencyHeaders are the headers of a concurrency rejection: Limit and Remaining 0, and a
// Reset that is only an estimate, as Okta's.
func (l *limiter) concurrencyHeaders(now time.Time) rateHeaders {
	return rateHeaders{limit: 0, remaining: 0, reset: now.Add(l.window)}
}

// take counts one request at now, opening a new window when the last one expired, and reports
// whether it is within the limit.
func (l *limiter) take(now time.Time) (rateHeaders, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.windows) == 0 || !now.Before(l.end) {
		l.windows = append(l.windows, WindowStats{Start: now})
		l.end = now.Add(l.window)
	}
	w := &l.windows[len(l.windows)-1]
	w.Requests++
	limit := l.limit
	if limit == 0 {
		limit = unlimitedRate
	}
	ok := w.Requests <= limit
	if !ok {
		w.Limited++
	}
	return rateHeaders{limit: limit, remaining: max(0, limit-w.Requests), reset: l.end}, ok
}
