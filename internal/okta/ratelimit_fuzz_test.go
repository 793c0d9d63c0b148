package okta

import (
	"net/http"
	"testing"
	"time"
)

// FuzzParseRateLimit: whatever an answer's Date, Retry-After and X-Rate-Limit-* headers hold, and whatever
// the local clock says, the parse never panics, the remaining count never exceeds the limit nor goes
// negative, and every wait stays within what a per-minute window can mean: [0, MaxRateLimitWait].
func FuzzParseRateLimit(f *testing.F) {
	date := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Add(date.Format(http.TimeFormat), "", "100", "99", "1795514460", date.Unix())
	f.Add(date.Format(http.TimeFormat), "20", "100", "0", "1795514402", date.Unix()-3600)
	f.Add(date.Format(http.TimeFormat), date.Add(45*time.Second).Format(http.TimeFormat), "", "", "", date.Unix())
	f.Add("", "99999999999999999999", "-1", "5", "9223372036854775807", int64(0))
	f.Add("Mon, 02 Jan 2006 15:04:05 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", " 10 ", "20", "-5", int64(-1)<<62)
	f.Add("Monday, 02-Jan-06 15:04:05 MST", "1e3", "0x10", "1_000", "+60", int64(1)<<40)
	f.Fuzz(func(t *testing.T, dateH, retryAfter, limit, remaining, reset string, nowUnix int64) {
		h := http.Header{}
		for name, v := range map[string]string{"Date": dateH, "Retry-After": retryAfter, "X-Rate-Limit-Limit": limit,
			"X-Rate-Limit-Remaining": remaining, "X-Rate-Limit-Reset": reset} {
			if v != "" {
				h.Set(name, v)
			}
		}
		rl := ParseRateLimit(h)
		if rl.Known && (rl.Limit < 0 || rl.Remaining < 0 || rl.Remaining > rl.Limit) {
			t.Fatalf("limit %d, remaining %d from %q, %q", rl.Limit, rl.Remaining, limit, remaining)
		}
		if rl.RetryAfter < 0 || rl.RetryAfter > MaxRateLimitWait {
			t.Fatalf("Retry-After %q (Date %q) read as %s", retryAfter, dateH, rl.RetryAfter)
		}
		if !rl.Reset.IsZero() && (rl.Reset.Unix() <= 0 || rl.Reset.Unix() > 1<<40) {
			t.Fatalf("X-Rate-Limit-Reset %q read as %s", reset, rl.Reset)
		}
		now := time.Unix(nowUnix%(1<<40), 0)
		if wait := rl.UntilReset(now); wait < 0 || wait > MaxRateLimitWait {
			t.Fatalf("UntilReset(%s) = %s for %+v", now, wait, rl)
		}
	})
}
