package receiver

import (
	"math"
	"time"

	"github.com/datableio/oktareceiver/internal/okta"
)

// budget keeps the receiver within its share of the org's rate limit. Okta's System Log bucket is shared by
// every client of the org and Okta warns its admins at a threshold of it, so the receiver stops before the
// window's use — everyone's, as Okta reports it — would pass `rate_limit_budget` of the limit, and goes on
// when the window resets.
type budget struct {
	fraction  float64
	limit     int
	remaining int
	// resetAt is when the window resets, on the local clock: the wait Okta's own clock gives
	// (Reset − Date + 1 s) added to the time the answer arrived.
	resetAt time.Time
}

// observe takes the rate-limit headers of an answer that arrived at now.
func (b *budget) observe(rl okta.RateLimit, now time.Time) {
	if !rl.Known {
		return
	}
	b.limit, b.remaining = rl.Limit, rl.Remaining
	b.resetAt = now.Add(rl.UntilReset(now))
}

// wait is how long to hold the next request so that it stays within the budget; 0 when it may go now.
func (b *budget) wait(now time.Time) time.Duration {
	if b.limit <= 0 || !now.Before(b.resetAt) {
		return 0
	}
	allowed := max(int(math.Floor(b.fraction*float64(b.limit))), 1)
	if b.limit-b.remaining < allowed {
		return 0
	}
	return b.resetAt.Sub(now)
}

// reset forgets the window after the receiver waited for it to end.
func (b *budget) reset() { b.limit = 0 }
