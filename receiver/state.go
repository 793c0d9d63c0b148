package receiver

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// checkpointWriteTimeout bounds one storage write. The write does not depend on the poll context: a page the
// pipeline accepted is checkpointed even while the receiver shuts down.
const checkpointWriteTimeout = 10 * time.Second

// loadCursor reads the checkpoint and decides where to resume. Nothing stored, a checkpoint from another
// org, or one that cannot be read: a fresh start initial_lookback back, said in the log. A checkpoint whose
// filter, query or page size differ from the configuration: a new polling query from the last delivered
// event, so nothing is lost.
func (r *Receiver) loadCursor(ctx context.Context) *cursor {
	fresh := &cursor{
		Org:      r.cfg.Org.Host,
		Since:    r.now().Add(-r.cfg.InitialLookback).UTC().Truncate(time.Millisecond),
		Filter:   r.cfg.Filter,
		Query:    r.cfg.Query,
		PageSize: r.cfg.PageSize,
	}
	logger := r.set.Logger.With(zap.String("org", r.cfg.Org.Host))
	raw, err := r.store.Get(ctx, checkpointKey)
	if err != nil {
		logger.Error("could not read the checkpoint from storage; starting from initial_lookback, so events may be repeated",
			zap.Error(err), zap.Time("since", fresh.Since))
		return fresh
	}
	if raw == nil {
		if r.cfg.Storage == nil {
			logger.Warn("no `storage` configured: the receiver's place lives in memory, so every restart collects again from initial_lookback, repeating those events and missing any older ones not yet read; set `storage` to a file_storage extension",
				zap.Stringer("initial_lookback", r.cfg.InitialLookback))
		}
		logger.Info("first start: collecting from initial_lookback", zap.Time("since", fresh.Since))
		return fresh
	}
	cur, err := unmarshalCursor(raw)
	if err != nil {
		logger.Error("the stored checkpoint cannot be read; it will be replaced, starting from initial_lookback",
			zap.Error(err), zap.Time("since", fresh.Since))
		return fresh
	}
	if cur.Org != r.cfg.Org.Host {
		logger.Warn("the stored checkpoint belongs to another org; ignoring it and starting from initial_lookback",
			zap.String("checkpoint_org", cur.Org), zap.Time("since", fresh.Since))
		return fresh
	}
	if cur.Next != "" && !r.client.OnOrg(cur.Next) {
		logger.Warn("the stored next link does not point at the org; resuming from the last delivered event instead",
			zap.Time("since", cur.resumeSince()))
		cur.Next = ""
	}
	if cur.Filter != r.cfg.Filter || cur.Query != r.cfg.Query || cur.PageSize != r.cfg.PageSize {
		logger.Info("filter, query or page_size changed since the checkpoint; resuming from the last delivered event with the new settings",
			zap.Time("since", cur.resumeSince()))
		cur.Next, cur.Filter, cur.Query, cur.PageSize = "", r.cfg.Filter, r.cfg.Query, r.cfg.PageSize
	}
	logger.Info("resuming from the checkpoint", zap.Time("checkpoint_written", cur.Written),
		zap.Time("last_published", cur.LastPublished))
	return cur
}

// saveCursor writes the checkpoint. A failed write is logged and retried with the next page: the events
// stay delivered, and a restart before the next write repeats them at most.
func (r *Receiver) saveCursor(cur *cursor) {
	cur.Written = r.now().UTC()
	b, err := cur.marshal()
	if err != nil {
		r.set.Logger.Error("could not encode the checkpoint", zap.Error(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkpointWriteTimeout)
	defer cancel()
	if err := r.store.Set(ctx, checkpointKey, b); err != nil {
		r.set.Logger.Error("could not write the checkpoint; a restart now would repeat the events since the last one written",
			zap.Error(err))
		return
	}
	r.telemetry.checkpointed(cur.Written)
}
