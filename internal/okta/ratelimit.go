package okta

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimit is what Okta's X-Rate-Limit-* and Date headers said about the org's rate-limit window.
type RateLimit struct {
	// Known is false when the response carried no rate-limit headers.
	Known     bool
	Limit     int
	Remaining int
	// Reset is when the window ends, by Okta's clock.
	Reset time.Time
	// Date is the response's Date header: Okta's clock when it answered.
	Date time.Time
}

func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	limit, errL := strconv.Atoi(h.Get("X-Rate-Limit-Limit"))
	remaining, errR := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	reset, errT := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	if errL != nil || errR != nil || errT != nil {
		return rl
	}
	rl = RateLimit{Known: true, Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0)}
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		rl.Date = d
	}
	return rl
}

// UntilReset is how long to wait for the window to reset: Reset − Date + 1 s, computed on Okta's clock so
// that a skewed local clock does not matter. Without a Date header, now is used. Never negative.
func (rl RateLimit) UntilReset(now time.Time) time.Duration {
	if !rl.Known {
		return 0
	}
	ref := rl.Date
	if ref.IsZero() {
		ref = now
	}
	d := rl.Reset.Sub(ref) + time.Second
	if d < 0 {
		return 0
	}
	return d
}
