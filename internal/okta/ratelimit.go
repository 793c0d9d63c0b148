package okta

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Okta's rate-limit windows last about a minute. A wait for a window to reset is therefore never longer than
// MaxRateLimitWait: a reset further away, or in the past, is not something a per-minute window can mean (a
// proxy's or a broken server's headers), and the receiver waits one DefaultWindow instead.
const (
	DefaultWindow    = time.Minute
	MaxRateLimitWait = 2 * time.Minute
)

// RateLimit is what Okta's X-Rate-Limit-*, Retry-After and Date headers said about the org's rate-limit window.
type RateLimit struct {
	// Known is false when the response carried no rate-limit headers.
	Known     bool
	Limit     int
	Remaining int
	// Reset is when the window ends, by Okta's clock.
	Reset time.Time
	// Date is the response's Date header: Okta's clock when it answered.
	Date time.Time
	// RetryAfter is the Retry-After header as a wait (seconds or an HTTP date, taken on Okta's clock); 0 when
	// absent or unreadable.
	RetryAfter time.Duration
}

// ParseRateLimit reads the rate-limit headers of an answer, of the System Log API or of the token endpoint.
// Each header is read on its own: a Reset or Retry-After counts even where Limit or Remaining is missing.
func ParseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		rl.Date = d
	}
	rl.RetryAfter = parseRetryAfter(h.Get("Retry-After"), rl.Date)
	// Beyond any date a window can mean, and far enough from the edge of time.Time's range that no
	// arithmetic on it overflows: such a Reset is treated as nonsense (see UntilReset).
	const maxUnix = 1 << 40
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Rate-Limit-Reset")), 10, 64); err == nil && reset > 0 {
		rl.Reset = time.Unix(min(reset, maxUnix), 0)
	}
	limit, errL := strconv.Atoi(strings.TrimSpace(h.Get("X-Rate-Limit-Limit")))
	remaining, errR := strconv.Atoi(strings.TrimSpace(h.Get("X-Rate-Limit-Remaining")))
	if errL == nil && errR == nil && limit >= 0 && remaining >= 0 {
		rl.Known, rl.Limit, rl.Remaining = true, limit, min(remaining, limit)
	}
	return rl
}

// parseRetryAfter reads Retry-After: delay seconds, or an HTTP date taken against the response's Date.
func parseRetryAfter(v string, date time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(MaxRateLimitWait/time.Second))) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil || date.IsZero() || !at.After(date) {
		return 0
	}
	return min(at.Sub(date), MaxRateLimitWait)
}

// UntilReset is how long to wait for the window to reset: Reset − Date + 1 s, computed on Okta's clock so
// that a skewed local clock does not matter (without a Date header, now is used), and never less than a
// Retry-After the answer carried. A reset that is not within MaxRateLimitWait ahead — in the past, unreadable,
// or hours away — means headers that make no sense for a per-minute window: the wait is then DefaultWindow.
// With neither a window nor a reset, only Retry-After counts (0 when absent). The result is always in
// [0, MaxRateLimitWait].
func (rl RateLimit) UntilReset(now time.Time) time.Duration {
	if !rl.Known && rl.Reset.IsZero() {
		return min(rl.RetryAfter, MaxRateLimitWait)
	}
	ref := rl.Date
	if ref.IsZero() {
		ref = now
	}
	d := DefaultWindow
	if !rl.Reset.IsZero() {
		if untilReset := rl.Reset.Sub(ref); untilReset >= 0 && untilReset < MaxRateLimitWait {
			d = untilReset + time.Second
		}
	}
	return min(max(d, rl.RetryAfter), MaxRateLimitWait)
}
