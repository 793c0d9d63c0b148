package receiver

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
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
	// fetched is the number of events Okta sent, before those already delivered were dropped.
	fetched int
	// next is Okta's rel="next" link, already checked to stay on the org.
	next      string
	rateLimit okta.RateLimit
}

// poller is one receiver's walk through the org's System Log: the cursor and what it keeps between steps.
type poller struct {
	r      *Receiver
	cur    *cursor
	retry  *backoff.ExponentialBackOff
	fails  failureLog
	limits budget
	prog   progress
	// stuck is set while the upstream answers the same next link with the same, already delivered, page.
	stuck bool
}

func (r *Receiver) newPoller(cur *cursor) *poller {
	return &poller{
		r:      r,
		cur:    cur,
		retry:  r.newBackOff(),
		limits: budget{fraction: r.cfg.RateLimitBudget},
		prog:   progress{logger: r.set.Logger, every: r.progressEvery},
	}
}

// run follows the System Log until pollCtx ends, one step at a time.
func (r *Receiver) run(pollCtx, consumeCtx context.Context) {
	p := r.newPoller(r.loadCursor(pollCtx))
	for pollCtx.Err() == nil {
		wait, ok := p.step(pollCtx, consumeCtx)
		if !ok || !sleep(pollCtx, wait) {
			return
		}
	}
}

// step makes one request for a page, hands what it brought to the pipeline until it is accepted (or refused
// for good), then checkpoints. It returns how long to wait before the next step: nothing after a full page,
// poll_interval after one that was not full, the backoff or Okta's wait after a failure, the rest of the
// rate-limit window when the budget is spent. ok is false when the receiver shuts down.
func (p *poller) step(pollCtx, consumeCtx context.Context) (wait time.Duration, ok bool) {
	r := p.r
	if wait := p.limits.wait(r.now()); wait > 0 {
		p.pauseForBudget(wait)
		return wait, true
	}
	pageURL := p.cur.Next
	if pageURL == "" {
		pageURL = r.client.PollingURL(r.pollingSince(p.cur), r.cfg.PageSize, r.cfg.Filter, r.cfg.Query)
	}
	// A place at the collector-wide gate is taken once Okta's answer has begun to arrive, and held until the
	// pipeline has the page: a slow or silent org holds no place while it makes the receiver wait.
	admitted := false
	defer func() {
		if admitted {
			pages.release()
		}
	}()
	pg, err := r.fetchPage(pollCtx, pageURL, func(ctx context.Context) bool {
		admitted = pages.acquire(ctx)
		return admitted
	})
	if err != nil {
		if pollCtx.Err() != nil {
			return 0, false
		}
		return p.afterFailure(classify(err, r.now(), p.cur.Next != "")), true
	}
	p.limits.observe(pg.rateLimit, r.now())
	r.telemetry.rateLimit(pg.rateLimit)
	p.fails.reset()
	r.status.ok()

	p.dropDelivered(pg)
	if !r.deliver(pollCtx, consumeCtx, pg.logs, pg.events) {
		return 0, false
	}
	changed := pg.next != p.cur.Next || len(pg.events) > 0
	if future := p.cur.delivered(pg.next, pg.events, r.now()); future > 0 {
		r.telemetry.anomalies(reasonFuturePublished, future)
		r.set.Logger.Warn("events published further ahead of this collector's clock than the allowed skew: delivered, but the place to resume from does not move to their time",
			zap.Int("events", future), zap.Stringer("allowed_skew", maxClockSkew))
	}
	if changed {
		r.saveCursor(p.cur)
	}
	if p.replayed(pageURL, pg) {
		return p.retry.NextBackOff(), true
	}
	p.retry.Reset()
	full := pg.fetched >= r.cfg.PageSize && pg.next != ""
	p.prog.page(r.now(), len(pg.events), full, p.cur.LastPublished)
	if full {
		return 0, true
	}
	return r.cfg.PollInterval, true
}

// pauseForBudget says why the receiver holds its next request: at info level when the pause is longer than
// poll_interval, so that a long silence always has a line that says when collection resumes.
func (p *poller) pauseForBudget(wait time.Duration) {
	r := p.r
	r.telemetry.rateLimitWait()
	log := r.set.Logger.Debug
	if wait > r.cfg.PollInterval {
		log = r.set.Logger.Info
	}
	log("pausing to stay within rate_limit_budget of the org's rate limit",
		zap.Int("limit", p.limits.limit), zap.Int("remaining", p.limits.remaining),
		zap.Stringer("resume_in", wait), zap.Time("resume_at", r.now().Add(wait).UTC()))
	p.limits.reset()
}

// replayed reports a stuck cursor: Okta (or a proxy) answered a next link with a page that names the same
// link again and brought nothing new. Following it at once would loop on the same page, so the receiver
// backs off, and says so once.
func (p *poller) replayed(pageURL string, pg *page) bool {
	if pg.fetched == 0 || len(pg.events) > 0 || pg.next != pageURL {
		if p.stuck {
			p.r.set.Logger.Info("the System Log moves on again after a repeated page")
		}
		p.stuck = false
		return false
	}
	if !p.stuck {
		p.r.set.Logger.Warn("Okta, or a proxy in between, answered the same next link with the same page again: every event in it was already delivered, so none is delivered twice; backing off until the page moves on",
			zap.Int("events", pg.fetched))
	}
	p.stuck = true
	return true
}

// fetchPage gets and maps one page; a page is all or nothing.
func (r *Receiver) fetchPage(ctx context.Context, pageURL string, admit func(context.Context) bool) (*page, error) {
	fetched, err := r.client.FetchAdmitted(ctx, pageURL, admit)
	if err != nil {
		return nil, err
	}
	logs, events, stats, err := r.mapper.MapPage(fetched.Body, r.now())
	if err != nil {
		return nil, r.client.PageError(fetched, err)
	}
	if stats.UnparseablePublished > 0 {
		r.telemetry.anomalies(reasonUnparseablePublished, stats.UnparseablePublished)
		r.set.Logger.Warn("events with a `published` time that does not parse: delivered without a timestamp, the raw value kept in the body",
			zap.Int("events", stats.UnparseablePublished))
	}
	return &page{logs: logs, events: events, fetched: len(events), next: fetched.Next, rateLimit: fetched.RateLimit}, nil
}

// dropDelivered removes the events already delivered (by uuid, within the recent window) and remembers the
// others: a new polling query, or an upstream that replays, returns events again. An event without a uuid
// cannot be recognised: it is always delivered, and counted.
func (p *poller) dropDelivered(pg *page) {
	missing := 0
	kept := pg.events[:0]
	i := 0
	rl := pg.logs.ResourceLogs()
	for ri := 0; ri < rl.Len(); ri++ {
		sl := rl.At(ri).ScopeLogs()
		for si := 0; si < sl.Len(); si++ {
			sl.At(si).LogRecords().RemoveIf(func(plog.LogRecord) bool {
				ev := pg.events[i]
				i++
				if ev.UUID == "" {
					missing++
				} else {
					id := idOf(ev.UUID)
					if p.cur.recent.has(id) {
						return true
					}
					p.cur.recent.add(id)
				}
				kept = append(kept, ev)
				return false
			})
		}
	}
	pg.events = kept
	if missing > 0 {
		p.r.telemetry.anomalies(reasonMissingUUID, missing)
		p.r.set.Logger.Warn("events without a `uuid`: delivered, but they cannot be told apart from a repeat, so a replay of them would be delivered again",
			zap.Int("events", missing))
	}
	if dropped := pg.fetched - len(kept); dropped > 0 {
		p.r.set.Logger.Debug("dropped events already delivered", zap.Int("events", dropped))
	}
}

// deliver hands logs to the pipeline until it accepts them. A permanent refusal means the pipeline will never
// accept them: it is counted, logged and skipped past. Any other refusal is retried after a backoff. It
// returns false when the receiver shuts down before the pipeline accepted the page, which is then neither
// checkpointed nor lost: the next start reads it again.
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
			r.set.Logger.Warn("shutting down before the pipeline accepted a page of Okta events: it is not checkpointed, and the next start reads it again",
				zap.Int("events", n), zap.Error(err))
			return false
		}
		wait := retry.NextBackOff()
		r.set.Logger.Warn("the pipeline refused a page of Okta events; retrying the same page, the checkpoint stays",
			zap.Int("events", n), zap.Error(err), zap.Stringer("retry_in", wait))
		if !sleep(pollCtx, wait) {
			r.set.Logger.Warn("shutting down before the pipeline accepted a page of Okta events: it is not checkpointed, and the next start reads it again",
				zap.Int("events", n))
			return false
		}
	}
}

// afterFailure reports a failed request and returns how long to wait before the next one. A 429 is Okta's
// rate limit doing its job, not an error: the receiver waits as long as Okta asked (bounded), plus up to a
// second of jitter so that clients refused together do not return together. Any other failure backs off
// exponentially and sets the component status; a refused saved next link starts a new polling query.
func (p *poller) afterFailure(f failure) time.Duration {
	r := p.r
	now := r.now()
	p.limits.observe(f.rateLimit, now)
	r.telemetry.rateLimit(f.rateLimit)
	if f.rateLimited {
		r.telemetry.rateLimitWait()
		wait := f.wait
		if wait <= 0 {
			wait = p.retry.NextBackOff()
		}
		wait += rand.N(time.Second)
		p.limits.reset() // the wait covers the window
		p.fails.log(r.set.Logger, f, wait, now)
		return wait
	}
	r.status.failed(f)
	if f.rejectedCursor {
		r.set.Logger.Warn("Okta rejected the saved position in the System Log; starting a new polling query from the last delivered event",
			zap.Time("since", p.cur.resumeSince(now)), zap.Error(f.err))
		p.cur.Next = ""
		return 0
	}
	wait := p.retry.NextBackOff()
	p.fails.log(r.set.Logger, f, wait, now)
	return wait
}

// pollingSince is where a new polling query starts: the cursor's place, but never further back than Okta
// accepts (180 days; it keeps 90 days of events, so nothing that far back is lost by starting later), and
// never ahead of the receiver's clock.
func (r *Receiver) pollingSince(cur *cursor) time.Time {
	now := r.now()
	since := cur.resumeSince(now)
	if floor := now.Add(-maxSinceAge); since.Before(floor) {
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
