package receiver

import (
	"context"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/pool"
)

// outcome is how a page's delivery ended.
type outcome int

const (
	// accepted: the pipeline has the page (or refused it for good: it never will); checkpoint it.
	accepted outcome = iota
	// stopped: the receiver shuts down before the pipeline accepted the page. It is not checkpointed, so the
	// next start reads it again.
	stopped
	// evicted: the pipeline held the page past its grace while other orgs waited for memory (see package
	// pool). It is given back, not checkpointed, and read again after a backoff: Okta keeps it.
	evicted
)

// delivery is one page on its way into the pipeline. It does not hold the page: the timer of a call's long
// wait refers to it, and a stopped timer may stay in the runtime's timer heap for a while, which must not
// keep a page's records alive after the pool was told they are gone.
type delivery struct {
	r     *oktaReceiver
	l     *pool.Lease
	n     int
	start time.Time
	// said is set once the wait has been logged at info (longer than poll_interval).
	said     atomic.Bool
	refusals int
}

// deliver hands the page to the pipeline until it accepts it. A permanent refusal means the pipeline will
// never accept it: it is counted, logged and skipped past. Any other refusal is retried after a backoff,
// with the page mapped again (what the pipeline was handed is its own, and may have changed); the first is
// a warning, and a wait longer than poll_interval (refused, or a call that does not return) is said at info
// and shown in the org's state. The page gives its memory back when the pool asks for it
// (the call to the pipeline is cancelled) or when the receiver shuts down.
func (r *oktaReceiver) deliver(pollCtx, consumeCtx context.Context, pg *page, l *pool.Lease) outcome {
	d := &delivery{r: r, l: l, n: pg.logs.LogRecordCount(), start: r.now()}
	if d.n == 0 {
		return accepted
	}
	l.Delivering()
	used := credentialUseOf(pg) // read before the pipeline owns the records
	defer func() { r.telemetry.waited(waitPipeline, r.now().Sub(d.start)) }()
	retry := r.newBackOff()
	logs := pg.logs
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			// The pipeline owns what it was handed: the next attempt gets the page mapped again.
			fresh, err := r.rebuild(pg)
			if err == nil {
				logs = fresh
			} else { // cannot happen: the same text mapped before
				r.set.Logger.Error("could not map a page again for another attempt", zap.Error(err),
					zap.String("then", "the records handed before are handed again"))
			}
		}
		cut, err := d.consume(consumeCtx, logs)
		if err == nil {
			r.telemetry.delivered(d.n, newestPublished(pg.events))
			r.credentialUsed(used)
			if d.refusals > 0 || d.said.Load() {
				r.set.Logger.Info("the pipeline accepted the page it had held back; collection goes on",
					zap.Int("refusals", d.refusals), zap.Stringer("after", r.now().Sub(d.start).Round(time.Millisecond)))
			}
			return accepted
		}
		if consumererror.IsPermanent(err) {
			r.set.Logger.Error("the pipeline refused a page for good",
				zap.Int("events", d.n), zap.Error(err), zap.String("then", "its events are dropped and collection goes on"))
			return accepted
		}
		if pollCtx.Err() != nil || consumeCtx.Err() != nil {
			return d.stopped(err)
		}
		if l.WasAskedBack() {
			r.telemetry.givenBack(cut)
			return evicted
		}
		wait := retry.NextBackOff()
		d.refused(err, wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-pollCtx.Done():
			t.Stop()
			return d.stopped(nil)
		case <-l.AskedBack():
			t.Stop()
			r.telemetry.givenBack(false)
			return evicted
		}
	}
}

// consume makes one call to the pipeline. The call is cancelled when the pool asks for the page's memory
// back (the pool calls the cancel: nothing runs beside the call): cut says so, and that the pipeline may
// have sent the page already. A call that lasts longer than poll_interval is said once.
func (d *delivery) consume(consumeCtx context.Context, logs plog.Logs) (cut bool, err error) {
	ctx, cancel := context.WithCancel(consumeCtx)
	defer cancel()
	d.l.OnAskedBack(cancel)
	defer d.l.OnAskedBack(nil)
	long := time.AfterFunc(max(d.r.cfg.PollInterval-d.r.now().Sub(d.start), 0), func() { d.waitingLong(nil) })
	defer long.Stop()
	ctx = d.r.obs.StartLogsOp(ctx)
	err = d.r.next.ConsumeLogs(ctx, logs)
	cut = ctx.Err() != nil && consumeCtx.Err() == nil
	d.r.obs.EndLogsOp(ctx, dataFormat, d.n, err)
	return cut, err
}

// refused logs a refusal: the first as a warning, repeats at debug.
func (d *delivery) refused(err error, wait time.Duration) {
	d.refusals++
	if d.refusals == 1 {
		d.r.set.Logger.Warn("the pipeline refused a page",
			zap.Int("events", d.n), zap.Error(err), zap.String("then", "retrying the same page; the checkpoint stays"), zap.Stringer("retry_in", wait))
	} else {
		d.r.set.Logger.Debug("the pipeline refused the page again", zap.Error(err), zap.Stringer("retry_in", wait))
	}
	if d.r.now().Sub(d.start) > d.r.cfg.PollInterval {
		d.waitingLong(err)
	}
}

// waitingLong says, once per page, that the org has waited longer than poll_interval for its own pipeline.
func (d *delivery) waitingLong(err error) {
	d.r.telemetry.setState(stateWaitingPipeline, "")
	if d.said.Swap(true) {
		return
	}
	fields := []zap.Field{zap.Int("events", d.n), zap.Stringer("waited", d.r.now().Sub(d.start).Round(time.Millisecond))}
	if err != nil {
		fields = append(fields, zap.Error(err))
	}
	d.r.set.Logger.Info("waiting for the pipeline to accept a page", append(fields,
		zap.String("then", "the checkpoint stays, and no other org waits for it"),
		zap.String("fix", "the exporter's own errors say why it holds the page back (its backend is down, its key is refused)"))...)
}

func (d *delivery) stopped(err error) outcome {
	fields := []zap.Field{zap.Int("events", d.n)}
	if err != nil {
		fields = append(fields, zap.Error(err))
	}
	d.r.set.Logger.Warn("stopping before the pipeline accepted a page", append(fields,
		zap.String("then", "the page is not checkpointed, and the next start reads it again"))...)
	return stopped
}
