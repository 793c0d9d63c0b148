package receiver

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

const dataFormat = "okta_system_log"

// maxSinceAge is how far back a polling query may start: Okta rejects a `since` over 180 days back; a day's
// margin keeps clocks that disagree from crossing it.
const maxSinceAge = 179 * 24 * time.Hour

// page is one fetched and mapped page of the System Log.
type page struct {
	logs   plog.Logs
	events []mapping.Event
	// next is Okta's rel="next" link, already checked to stay on the org.
	next      string
	rateLimit okta.RateLimit
}

// run follows the System Log until pollCtx ends: fetch a page, map it, hand it to the pipeline until it is
// accepted (or refused for good), then checkpoint and go on. A full page is followed at once; after a page
// that was not full the receiver waits poll_interval.
func (r *Receiver) run(pollCtx, consumeCtx context.Context) {
	cur := r.loadCursor(pollCtx)
	retry := r.newBackOff()
	var fails failureLog
	limits := &budget{fraction: r.cfg.RateLimitBudget}
	prog := &progress{logger: r.set.Logger, every: r.progressEvery}
	for pollCtx.Err() == nil {
		if wait := limits.wait(r.now()); wait > 0 {
			r.telemetry.rateLimitWait()
			r.set.Logger.Debug("pausing to stay within rate_limit_budget of the org's rate limit",
				zap.Int("limit", limits.limit), zap.Int("remaining", limits.remaining), zap.Stringer("resume_in", wait))
			if !sleep(pollCtx, wait) {
				return
			}
			limits.reset()
		}
		pageURL := cur.Next
		if pageURL == "" {
			pageURL = r.client.PollingURL(r.pollingSince(cur), r.cfg.PageSize, r.cfg.Filter, r.cfg.Query)
		}
		p, err := r.fetchPage(pollCtx, pageURL)
		rl := rateLimitOf(p, err)
		limits.observe(rl, r.now())
		r.telemetry.rateLimit(rl)
		if err != nil {
			if pollCtx.Err() != nil {
				return
			}
			sleep(pollCtx, r.afterFailure(cur, err, retry, &fails))
			continue
		}
		retry.Reset()
		fails.reset()
		r.status.ok()

		fetched := len(p.events)
		r.dropBoundary(cur, p)
		if !r.deliver(pollCtx, consumeCtx, p.logs, p.events) {
			return // shut down before the pipeline took the page: it is fetched again on the next start
		}
		changed := p.next != cur.Next || len(p.events) > 0
		cur.advance(p.next, p.events)
		if changed {
			r.saveCursor(cur)
		}
		full := fetched >= r.cfg.PageSize && p.next != ""
		prog.page(r.now(), len(p.events), full, cur.LastPublished)
		if !full {
			sleep(pollCtx, r.cfg.PollInterval)
		}
	}
}

// fetchPage gets and maps one page; a page is all or nothing.
func (r *Receiver) fetchPage(ctx context.Context, pageURL string) (*page, error) {
	fetched, err := r.client.Fetch(ctx, pageURL)
	if err != nil {
		return nil, err
	}
	logs, events, stats, err := r.mapper.MapPage(fetched.Body, r.now())
	if err != nil {
		return nil, r.client.PageError(fetched, err)
	}
	if stats.UnparseablePublished > 0 {
		r.set.Logger.Warn("events with a `published` time that does not parse: delivered without a timestamp, the raw value kept in the body",
			zap.Int("events", stats.UnparseablePublished))
	}
	return &page{logs: logs, events: events, next: fetched.Next, rateLimit: fetched.RateLimit}, nil
}

// deliver hands logs to the pipeline until it accepts them. A permanent refusal means the pipeline will never
// accept them: it is counted, logged and skipped past. Any other refusal is retried after a backoff. It
// returns false when the receiver shuts down before the pipeline accepted the page.
func (r *Receiver) deliver(pollCtx, consumeCtx context.Context, logs plog.Logs, events []mapping.Event) bool {
	n := logs.LogRecordCount()
	if n == 0 {
		return true
	}
	retry := r.newBackOff()
	for {
		ctx := r.obs.StartLogsOp(consumeCtx)
		err := r.next.ConsumeLogs(ctx, logs)
		r.obs.EndLogsOp(ctx, dataFormat, n, err)
		if err == nil {
			r.telemetry.delivered(n, newestPublished(events))
			return true
		}
		if consumererror.IsPermanent(err) {
			r.set.Logger.Error("the pipeline refused a page of Okta events for good: they are dropped and collection goes on",
				zap.Int("events", n), zap.Error(err))
			return true
		}
		if pollCtx.Err() != nil || consumeCtx.Err() != nil {
			return false
		}
		wait := retry.NextBackOff()
		r.set.Logger.Warn("the pipeline refused a page of Okta events; retrying the same page, the checkpoint stays",
			zap.Int("events", n), zap.Error(err), zap.Stringer("retry_in", wait))
		if !sleep(pollCtx, wait) {
			return false
		}
	}
}

// dropBoundary removes the events already delivered at the checkpoint's instant: a new polling query from the
// last `published` returns them again.
func (r *Receiver) dropBoundary(cur *cursor, p *page) {
	if len(cur.BoundaryUUIDs) == 0 {
		return
	}
	kept := p.events[:0]
	i := 0
	rl := p.logs.ResourceLogs()
	for ri := 0; ri < rl.Len(); ri++ {
		sl := rl.At(ri).ScopeLogs()
		for si := 0; si < sl.Len(); si++ {
			sl.At(si).LogRecords().RemoveIf(func(plog.LogRecord) bool {
				ev := p.events[i]
				i++
				if cur.isBoundary(ev) {
					return true
				}
				kept = append(kept, ev)
				return false
			})
		}
	}
	p.events = kept
}

// afterFailure reports a failed page and returns how long to wait before the next attempt. A 429 is Okta's
// rate limit doing its job, not an error: the receiver waits for the window to reset, plus up to a second of
// jitter so that clients refused together do not return together. Any other failure backs off
// exponentially and sets the component status.
func (r *Receiver) afterFailure(cur *cursor, err error, retry *backoff.ExponentialBackOff, fails *failureLog) time.Duration {
	if limited, wait := rateLimited(err, r.now()); limited {
		r.telemetry.rateLimitWait()
		if wait <= 0 {
			wait = retry.NextBackOff()
		}
		wait += rand.N(time.Second)
		fails.logAt(r.set.Logger, zap.InfoLevel, "Okta's rate limit for the org is spent; waiting for the window to reset", err, wait)
		return wait
	}
	r.status.failed(err)
	if r.dropRejectedCursor(cur, err) {
		return 0
	}
	wait := retry.NextBackOff()
	msg := "Okta request failed"
	var fl *okta.ForeignLinkError
	if errors.As(err, &fl) {
		msg = "refused a link that leaves the org; fetching the page again from the checkpoint"
	}
	fails.logAt(r.set.Logger, zap.ErrorLevel, msg, err, wait)
	return wait
}

// rateLimited reports whether err is a 429, from the API or the OAuth token endpoint, and how long Okta asked
// to wait: until the API's window resets (on Okta's clock), or the token endpoint's RetryAfter; 0 when it
// did not say.
func rateLimited(err error, now time.Time) (bool, time.Duration) {
	var ae *okta.APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusTooManyRequests {
		return true, ae.RateLimit.UntilReset(now)
	}
	var te *oauth.TokenError
	if errors.As(err, &te) && te.Status == http.StatusTooManyRequests {
		return true, te.RetryAfter
	}
	return false, 0
}

// rateLimitOf is what an answer said about the rate limit, whether it brought a page or an error.
func rateLimitOf(p *page, err error) okta.RateLimit {
	if p != nil {
		return p.rateLimit
	}
	var ae *okta.APIError
	if errors.As(err, &ae) {
		return ae.RateLimit
	}
	var te *okta.TransportError
	if errors.As(err, &te) {
		return te.RateLimit
	}
	return okta.RateLimit{}
}

// dropRejectedCursor handles Okta refusing the saved next link (an `after` it no longer accepts): the receiver
// starts a new polling query from its last delivered `published`, skipping the events it delivered at that
// instant, and says so.
func (r *Receiver) dropRejectedCursor(cur *cursor, err error) bool {
	var ae *okta.APIError
	if cur.Next == "" || !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
		return false
	}
	r.set.Logger.Warn("Okta rejected the saved position in the System Log; starting a new polling query from the last delivered event",
		zap.Time("since", cur.resumeSince()), zap.Error(err))
	cur.Next = ""
	return true
}

// pollingSince is where a new polling query starts: the cursor's place, but never further back than Okta
// accepts (180 days; it keeps 90 days of events, so nothing that far back is lost by starting later).
func (r *Receiver) pollingSince(cur *cursor) time.Time {
	since := cur.resumeSince()
	if floor := r.now().Add(-maxSinceAge); since.Before(floor) {
		r.set.Logger.Warn("the place to resume from is older than Okta accepts; starting from the oldest time it accepts",
			zap.Time("resume_from", since), zap.Time("since", floor))
		return floor
	}
	return since
}

func (r *Receiver) newBackOff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	if !r.cfg.BackOff.Enabled {
		// Without backoff, retries come at the poll interval.
		b.InitialInterval, b.MaxInterval, b.Multiplier, b.RandomizationFactor = r.cfg.PollInterval, r.cfg.PollInterval, 1, 0
		return b
	}
	b.InitialInterval = r.cfg.BackOff.InitialInterval
	b.MaxInterval = r.cfg.BackOff.MaxInterval
	b.Multiplier = r.cfg.BackOff.Multiplier
	b.RandomizationFactor = r.cfg.BackOff.RandomizationFactor
	b.Reset()
	return b
}

// sleep waits d or until ctx ends; it reports whether the full wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func newestPublished(events []mapping.Event) time.Time {
	var newest time.Time
	for _, ev := range events {
		if ev.Published.After(newest) {
			newest = ev.Published
		}
	}
	return newest
}
