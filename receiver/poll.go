package receiver

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/pool"
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
	// weight is the memory the page was counted at in the pool.
	weight int64
	// credentialUsed counts the events the collector's own credential made that are not a read of the
	// System Log, before those already delivered were dropped.
	credentialUsed int
	// text and observed are what the records were mapped from, and dropped the events of text left out as
	// already delivered (nil when none was): a page the pipeline refused is mapped again from them for the
	// next attempt (see rebuild).
	text     string
	observed time.Time
	dropped  []bool
}

// poller is one receiver's walk through the org's System Log: the cursor and what it keeps between steps.
type poller struct {
	r      *oktaReceiver
	cur    *cursor
	retry  *backoff.ExponentialBackOff
	fails  failureLog
	limits budget
	prog   progress
	// stuck is set while the upstream answers the same next link with the same, already delivered, page.
	stuck bool
	// evictions counts the pages given back in a row because the pipeline held them too long.
	evictions int
	// expect is the memory the next page is expected to take, reserved when its request is sent: a full
	// page's weight after a full page (the backlog goes on), little after a page that was not full (the org
	// is caught up), a few megabytes before the first.
	expect int64
	// writes is how the checkpoint's writes go: a failed one is retried with backoff.
	writes checkpointWrites
}

func (r *oktaReceiver) newPoller(cur *cursor) *poller {
	return &poller{
		r:      r,
		cur:    cur,
		retry:  r.newBackOff(),
		writes: checkpointWrites{retry: r.newBackOff(), lastWritten: cur.Written},
		expect: firstExpect,
		limits: budget{fraction: r.cfg.RateLimitBudget},
		prog:   progress{logger: r.set.Logger, every: r.progressEvery},
	}
}

// run follows the System Log from the checkpoint until pollCtx ends.
func (r *oktaReceiver) run(pollCtx, consumeCtx context.Context) {
	r.newPoller(r.loadCursor(pollCtx)).follow(pollCtx, consumeCtx)
}

// follow takes one step at a time until pollCtx ends.
func (p *poller) follow(pollCtx, consumeCtx context.Context) {
	for p.r.shared.stops.hold(pollCtx) {
		wait, ok := p.step(pollCtx, consumeCtx)
		if !ok || !sleep(pollCtx, wait) {
			break
		}
	}
	p.checkpointAtStop(consumeCtx)
}

// step makes one request for a page, hands what it brought to the pipeline until it is accepted (or refused
// for good), then checkpoints. It returns how long to wait before the next step: nothing after a full page,
// poll_interval after one that was not full, the backoff or Okta's wait after a failure, the rest of the
// rate-limit window when the budget is spent. ok is false when the receiver shuts down.
func (p *poller) step(pollCtx, consumeCtx context.Context) (wait time.Duration, ok bool) {
	r := p.r
	p.checkpoint(consumeCtx, false) // a write that failed, once its backoff has passed
	if wait := p.limits.wait(r.now()); wait > 0 {
		p.pauseForBudget(wait)
		r.telemetry.setState(stateRateLimited, "")
		return wait, true
	}
	pageURL := p.cur.Next
	if pageURL == "" {
		pageURL = r.client.PollingURL(r.pollingSince(p.cur), r.cfg.PageSize, r.cfg.Filter, r.cfg.Query)
	}
	lease, err := p.admit(pollCtx)
	if err != nil {
		return 0, false
	}
	defer func() {
		r.telemetry.waited(waitMemory, lease.WaitedFor())
		lease.Release()
	}()
	pg, err := r.fetchPage(pollCtx, pageURL, lease)
	if err != nil {
		if pollCtx.Err() != nil {
			return 0, false
		}
		return p.afterFailure(classify(err, r.now(), p.cur.Next != "")), true
	}
	p.limits.observe(pg.rateLimit, r.now())
	r.telemetry.rateLimit(pg.rateLimit)
	p.recovered()

	ids := p.dropDelivered(pg)
	switch r.deliver(pollCtx, consumeCtx, pg, lease) {
	case stopped:
		return 0, false
	case evicted:
		return p.afterEviction(), true
	}
	p.cur.remember(ids)
	p.evictions = 0
	changed := pg.next != p.cur.Next || len(pg.events) > 0
	if future := p.cur.delivered(pg.next, pg.events, r.now()); future > 0 {
		r.telemetry.anomalies(reasonFuturePublished, future)
		r.set.Logger.Warn("events published further ahead of this collector's clock than the allowed skew",
			zap.Int("events", future), zap.Stringer("allowed_skew", maxClockSkew),
			zap.String("then", "delivered, but the place to resume from does not move to their time"),
			zap.String("fix", "check this host's clock (NTP)"))
	}
	if changed {
		p.writes.unwritten = true
		p.checkpoint(consumeCtx, false)
	}
	if p.replayed(pageURL, pg) {
		return p.retry.NextBackOff(), true
	}
	p.retry.Reset()
	full := pg.fetched >= r.cfg.PageSize && pg.next != ""
	p.prog.page(r.now(), len(pg.events), full, p.cur.LastPublished)
	p.expect = 0 // the pool's least ticket
	if full {
		p.expect = pg.weight
		r.telemetry.setState(stateCatchingUp, "")
		return 0, true
	}
	r.telemetry.setState(stateCollecting, "")
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
		p.r.set.Logger.Warn("Okta, or a proxy in between, answered the same next link with the same page again",
			zap.Int("events", pg.fetched),
			zap.String("then", "every event in it was already delivered, so none is delivered twice; backing off until the page moves on"))
	}
	p.stuck = true
	return true
}

// fetchPage gets and maps one page; a page is all or nothing.
func (r *oktaReceiver) fetchPage(ctx context.Context, pageURL string, lease *pool.Lease) (*page, error) {
	fetched, err := r.client.Fetch(ctx, pageURL, lease)
	if err != nil {
		return nil, err
	}
	if err := lease.Mapping(ctx, len(fetched.Body)); err != nil {
		return nil, err
	}
	observed := r.now()
	logs, events, stats, err := r.mapper.MapPage(fetched.Body, observed)
	if err != nil {
		return nil, r.client.PageError(fetched, err, cutShort(fetched.Body, err))
	}
	// The page was counted at pageWeight times its text while it was mapped; what it may cost once mapped
	// is known only now that its events are counted (mapping.PageCost bounds it whatever its shape).
	weight := int64(len(fetched.Body)) * pageWeight
	if extra := mapping.PageCost(len(fetched.Body), len(events)) - weight; extra > 0 {
		weight += extra
		if err := lease.Charge(ctx, extra); err != nil {
			return nil, err
		}
	}
	if stats.UnparseablePublished > 0 {
		r.telemetry.anomalies(reasonUnparseablePublished, stats.UnparseablePublished)
		r.set.Logger.Warn("events with a `published` time that does not parse",
			zap.Int("events", stats.UnparseablePublished), zap.String("then", "delivered without a timestamp, the raw value kept in the body"))
	}
	return &page{logs: logs, events: events, fetched: len(events), next: fetched.Next, rateLimit: fetched.RateLimit, weight: weight,
		credentialUsed: stats.CollectorCredentialUsed, text: fetched.Body, observed: observed}, nil
}

// rebuild maps the page again from its text, without the events dropped as already delivered: the records
// for another attempt after the pipeline refused the page. The records handed to it before are the
// pipeline's (a processor may have changed them; a collector that pools pdata reuses their memory once the
// call returns), so they are never handed again.
func (r *oktaReceiver) rebuild(pg *page) (plog.Logs, error) {
	logs, _, _, err := r.mapper.MapPage(pg.text, pg.observed)
	if err != nil || pg.dropped == nil {
		return logs, err
	}
	removeRecords(logs, func(i int) bool { return i < len(pg.dropped) && pg.dropped[i] })
	return logs, nil
}

// removeRecords removes from logs the records for which drop, given the record's index in page order (the
// index of its event), is true.
func removeRecords(logs plog.Logs, drop func(i int) bool) {
	i := 0
	rl := logs.ResourceLogs()
	for ri := 0; ri < rl.Len(); ri++ {
		sl := rl.At(ri).ScopeLogs()
		for si := 0; si < sl.Len(); si++ {
			sl.At(si).LogRecords().RemoveIf(func(plog.LogRecord) bool {
				i++
				return drop(i - 1)
			})
		}
	}
}

// cutShort reports whether the mapper refused the page at its last byte: the page ended before its end.
func cutShort(body string, err error) bool {
	var se *mapping.SyntaxError
	return errors.As(err, &se) && se.Offset >= len(body) && len(body) > 0
}

// dropDelivered removes the events already delivered (by uuid, within the recent window, or earlier in
// the same page) and returns the ids of those it keeps, for the cursor to remember once the pipeline has
// them: a new polling query, or an upstream that replays, returns events again. An event without a uuid
// cannot be recognised: it is always delivered, and counted.
func (p *poller) dropDelivered(pg *page) []eventID {
	missing := 0
	kept := pg.events[:0]
	ids := make([]eventID, 0, len(pg.events))
	inPage := pageIDs.Get().(map[eventID]struct{})
	defer func() {
		if len(inPage) <= maxPageSize { // a hostile upstream's huge page does not leave a huge set behind
			clear(inPage)
			pageIDs.Put(inPage)
		}
	}()
	removeRecords(pg.logs, func(i int) bool {
		ev := pg.events[i]
		if ev.UUID == "" {
			missing++
		} else {
			id := idOf(ev.UUID)
			if _, seen := inPage[id]; seen || p.cur.recent.has(id) {
				if pg.dropped == nil {
					pg.dropped = make([]bool, len(pg.events))
				}
				pg.dropped[i] = true
				return true
			}
			inPage[id] = struct{}{}
			ids = append(ids, id)
		}
		kept = append(kept, ev)
		return false
	})
	pg.events = kept
	if missing > 0 {
		p.r.telemetry.anomalies(reasonMissingUUID, missing)
		p.r.set.Logger.Warn("events without a `uuid`", zap.Int("events", missing),
			zap.String("then", "delivered, but they cannot be told apart from a repeat, so a replay of them would be delivered again"))
	}
	if dropped := pg.fetched - len(kept); dropped > 0 {
		p.r.set.Logger.Debug("dropped events already delivered", zap.Int("events", dropped))
	}
	return ids
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
		r.telemetry.setState(f.state, f.errType)
		wait := f.wait
		if wait <= 0 {
			wait = p.retry.NextBackOff()
		}
		wait += rand.N(time.Second)
		if f.systemLogWindowSpent {
			p.limits.reset() // the wait covers the window
		}
		p.fails.log(r.set.Logger, f, wait, persistAfter(r.cfg.PollInterval), now)
		return wait
	}
	r.status.failed(f)
	r.telemetry.setState(f.state, f.errType)
	if f.rejectedCursor {
		r.set.Logger.Warn("Okta rejected the saved position in the System Log", zap.String("error", f.problem),
			zap.String("then", "starting a new polling query from the last delivered event"), zap.Time("since", p.cur.resumeSince(now)))
		p.cur.Next = ""
		return 0
	}
	wait := p.retry.NextBackOff()
	if f.state == statePageRefused {
		// The same request brings the same answer: asking again soon would only spend the org's rate limit.
		wait = max(wait, p.retry.MaxInterval)
	}
	p.fails.log(r.set.Logger, f, wait, persistAfter(r.cfg.PollInterval), now)
	return wait
}

// recovered is a page after failures: the status is OK again and the log says so.
func (p *poller) recovered() {
	p.fails.recovered(p.r.set.Logger, p.r.now())
	p.r.status.ok()
}

// admit waits for the memory a request needs from the pool every okta receiver of the collector shares.
// A wait longer than poll_interval is said at info, with the receivers that hold the memory.
func (p *poller) admit(ctx context.Context) (*pool.Lease, error) {
	r := p.r
	return r.shared.memory.Admit(ctx, pool.Request{
		Owner: r.set.ID.String(),
		Held:  &r.telemetry.memoryHeld,
		Notice: pool.Notice{
			After: r.cfg.PollInterval,
			Say: func(waited time.Duration, by []pool.Holder) {
				r.telemetry.setState(stateWaitingMemory, "")
				r.set.Logger.Info("waiting for memory held by other orgs' pages",
					zap.Stringer("waited", waited.Round(time.Millisecond)), zap.String("held_by", pool.Describe(by)),
					zap.String("fix", "if it lasts, raise `pages_in_flight` (the memory all okta receivers of the collector share) and the memory limit, or look at the orgs in held_by"))
			},
		},
		Suspect: p.evictions > 0,
		Expect:  p.expect,
	})
}

// afterEviction is a page given back to the pool: its pipeline held it past its grace while other orgs
// waited for memory. It was not checkpointed; the receiver reads it again after a backoff, which grows
// while the pipeline keeps holding pages back.
func (p *poller) afterEviction() time.Duration {
	r := p.r
	wait := p.retry.NextBackOff()
	grace := pool.EvictAfter
	if p.evictions > 0 {
		grace = pool.SuspectGrace // the page's org was suspect when it asked
	}
	p.evictions++
	r.telemetry.setState(stateWaitingPipeline, "")
	log := r.set.Logger.Debug
	if p.evictions == 1 {
		log = r.set.Logger.Info
	}
	log("gave a page back to the memory other orgs wait for: this receiver's pipeline had not accepted it; it is not checkpointed and is read again from Okta",
		zap.Stringer("held_for_at_least", grace), zap.Stringer("retry_in", wait))
	return wait
}

// pollingSince is where a new polling query starts: the cursor's place, but never further back than Okta
// accepts (180 days; it keeps 90 days of events, so nothing that far back is lost by starting later), and
// never ahead of the receiver's clock.
func (r *oktaReceiver) pollingSince(cur *cursor) time.Time {
	now := r.now()
	since := cur.resumeSince(now)
	if floor := now.Add(-maxSinceAge); since.Before(floor) {
		r.set.Logger.Warn("the place to resume from is older than Okta accepts; starting from the oldest time it accepts",
			zap.Time("resume_from", since), zap.Time("since", floor))
		return floor
	}
	return since
}

func (r *oktaReceiver) newBackOff() *backoff.ExponentialBackOff {
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
