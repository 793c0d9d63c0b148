package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/okta"
)

const (
	// checkpointKey is the storage key of the cursor; the version inside the value says how to read it.
	checkpointKey     = "okta_cursor"
	checkpointVersion = 2
	// checkpointWriteTimeout bounds one storage write. The write does not depend on the poll context: a page
	// the pipeline accepted is checkpointed even while the receiver shuts down, until the stop's deadline.
	checkpointWriteTimeout = 10 * time.Second
	// maxClockSkew is how far ahead of the receiver's clock an event's `published` may be and still move the
	// cursor. An event further ahead is delivered, warned about and counted, but the place to resume from
	// stays where it was: one event stamped in 2250 must not make every later polling query start in 2250.
	maxClockSkew = 5 * time.Minute
)

// cursor is the receiver's place in the org's System Log. It is written to storage (as a checkpoint) only
// after the pipeline accepted every event before it.
type cursor struct {
	Org string
	// Next is the rel="next" link of the last page delivered: where the polling query goes on.
	Next string
	// Since is where the polling query started, used when no event has been delivered yet.
	Since time.Time
	// LastPublished is the newest `published` delivered (never more than maxClockSkew ahead of the receiver's
	// clock when it was delivered). A new polling query starts there: an event Okta stores later is still
	// returned, as the polling query filters on the time Okta stored it, which is never before its `published`.
	LastPublished time.Time
	// The query parameters the Next link carries; a change of any of them means the link must not be
	// followed any more.
	Filter   string
	Query    string
	PageSize int
	// Written is when the checkpoint was stored.
	Written time.Time
	// recent holds the ids of the last delivered events: whatever a new polling query or a replaying upstream
	// returns again is not delivered again.
	recent *recent
}

// checkpoint is a cursor as storage keeps it (format version 2).
type checkpoint struct {
	Version       int       `json:"version"`
	Org           string    `json:"org"`
	Next          string    `json:"next,omitempty"`
	Since         time.Time `json:"since"`
	LastPublished time.Time `json:"last_published,omitzero"`
	// Recent is the recent window's ids, 16 bytes each, oldest first.
	Recent   []byte    `json:"recent,omitempty"`
	Filter   string    `json:"filter,omitempty"`
	Query    string    `json:"query,omitempty"`
	PageSize int       `json:"page_size"`
	Written  time.Time `json:"written"`
}

// remember adds the ids of events the pipeline accepted to the recent window.
func (c *cursor) remember(ids []eventID) {
	for _, id := range ids {
		c.recent.add(id)
	}
}

// resumeSince is where a new polling query starts when the Next link cannot be followed: the last delivered
// `published`, but never ahead of now (the events it re-reads are in recent and are not delivered again).
func (c *cursor) resumeSince(now time.Time) time.Time {
	since := c.Since
	if c.LastPublished.After(since) {
		since = c.LastPublished
	}
	if now = now.UTC().Truncate(time.Millisecond); since.After(now) {
		return now
	}
	return since
}

// delivered records a page the pipeline accepted: its next link and its events. It returns the number of
// events whose `published` was too far ahead of now to move the cursor.
func (c *cursor) delivered(next string, events []mapping.Event, now time.Time) (future int) {
	c.Next = next
	limit := now.Add(maxClockSkew)
	for _, ev := range events {
		switch {
		case ev.Published.IsZero():
		case ev.Published.After(limit):
			future++
		case ev.Published.After(c.LastPublished):
			c.LastPublished = ev.Published
		}
	}
	return future
}

// marshal encodes the cursor as a checkpoint; the cursor is left as it is.
func (c *cursor) marshal() ([]byte, error) {
	return json.Marshal(checkpoint{
		Version: checkpointVersion, Org: c.Org, Next: c.Next, Since: c.Since, LastPublished: c.LastPublished,
		Recent: c.recent.bytes(), Filter: c.Filter, Query: c.Query, PageSize: c.PageSize, Written: c.Written,
	})
}

// unmarshalCursor reads a checkpoint: what it returns has its org, its start time, a page size from 1 to
// 1000 and a recent window of at most recentSize ids; anything else is an error that says what is wrong.
func unmarshalCursor(b []byte) (*cursor, error) {
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("not a checkpoint of this receiver: %w", err)
	}
	if cp.Version != checkpointVersion {
		return nil, fmt.Errorf("checkpoint version %d, this receiver reads version %d", cp.Version, checkpointVersion)
	}
	if cp.Org == "" || cp.Since.IsZero() {
		return nil, errors.New("checkpoint lacks its org or start time")
	}
	if cp.PageSize < 1 || cp.PageSize > maxPageSize {
		return nil, fmt.Errorf("checkpoint page size %d is not one this receiver writes (1 to %d)", cp.PageSize, maxPageSize)
	}
	r, err := recentFrom(cp.Recent)
	if err != nil {
		return nil, err
	}
	return &cursor{
		Org: cp.Org, Next: cp.Next, Since: cp.Since, LastPublished: cp.LastPublished,
		Filter: cp.Filter, Query: cp.Query, PageSize: cp.PageSize, Written: cp.Written, recent: r,
	}, nil
}

// loadCursor reads the checkpoint and decides where to resume. Nothing stored, a checkpoint from another
// org, or one that cannot be read: a fresh start initial_lookback back, said in the log. A checkpoint whose
// filter, query or page size differ from the configuration: a new polling query from the last delivered
// event, so nothing is lost.
func (r *oktaReceiver) loadCursor(ctx context.Context) *cursor {
	now := r.now()
	fresh := &cursor{
		Org:      r.org.Host,
		Since:    now.Add(-r.cfg.InitialLookback).UTC().Truncate(time.Millisecond),
		Filter:   r.cfg.Filter,
		Query:    r.cfg.Query,
		PageSize: r.cfg.PageSize,
		recent:   newRecent(),
	}
	logger := r.set.Logger.With(zap.String("org", r.org.Host))
	raw, err := r.store.Get(ctx, checkpointKey)
	if err != nil {
		logger.Error("could not read the checkpoint from storage", zap.Error(err),
			zap.String("then", "starting from initial_lookback: events may be repeated"), zap.Time("since", fresh.Since))
		return fresh
	}
	if raw == nil {
		if r.cfg.Storage == nil {
			logger.Warn("no `storage` configured",
				zap.String("then", "the receiver's place lives in memory: every restart collects again from initial_lookback, repeating those events and missing any older ones not yet read"),
				zap.String("fix", "set `storage` to a file_storage extension"), zap.Stringer("initial_lookback", r.cfg.InitialLookback))
		}
		logger.Info("first start: collecting from initial_lookback", zap.Time("since", fresh.Since))
		return fresh
	}
	cur, err := unmarshalCursor(raw)
	if err != nil {
		logger.Error("the stored checkpoint cannot be read", zap.Error(err),
			zap.String("then", "it is replaced, starting from initial_lookback"), zap.Time("since", fresh.Since))
		return fresh
	}
	if cur.Org != r.org.Host {
		logger.Warn("the stored checkpoint belongs to another org", zap.String("checkpoint_org", cur.Org),
			zap.String("then", "ignoring it, starting from initial_lookback"), zap.Time("since", fresh.Since))
		return fresh
	}
	var fl *okta.ForeignLinkError
	if cur.Next != "" && errors.As(r.client.CheckLink(cur.Next), &fl) {
		logger.Warn("the stored next link is not followed",
			zap.String("error", fl.Why()+", and the credential is only ever sent to the org's System Log API"),
			zap.String("then", "resuming from the last delivered event with a new polling query (`filter`, `query`)"),
			zap.String("fix", "if this recurs, something else writes this receiver's storage: give each collector its own `storage` directory"),
			zap.String("link", fl.Link), zap.Time("since", cur.resumeSince(now)))
		cur.Next = ""
	}
	if cur.Filter != r.cfg.Filter || cur.Query != r.cfg.Query || cur.PageSize != r.cfg.PageSize {
		logger.Info("filter, query or page_size changed since the checkpoint",
			zap.String("then", "resuming from the last delivered event with the new settings"), zap.Time("since", cur.resumeSince(now)))
		cur.Next, cur.Filter, cur.Query, cur.PageSize = "", r.cfg.Filter, r.cfg.Query, r.cfg.PageSize
	}
	if cur.LastPublished.After(now.Add(maxClockSkew)) {
		// Only a checkpoint from an older build, or a clock set back, holds this: resume from when the
		// checkpoint was written, the newest time the receiver can know it had read up to.
		at := cur.Written
		if at.IsZero() || at.After(now) {
			at = now
		}
		logger.Warn("the stored checkpoint's last delivered `published` is ahead of this clock",
			zap.String("then", "a new polling query starts from when the checkpoint was written"),
			zap.Time("last_published", cur.LastPublished), zap.Time("since", at))
		cur.LastPublished = at.UTC().Truncate(time.Millisecond)
	}
	logger.Info("resuming from the checkpoint", zap.Time("checkpoint_written", cur.Written),
		zap.Time("last_published", cur.LastPublished))
	return cur
}

// errStorageClosed is a checkpoint not written because Shutdown has closed the storage: not a failure of
// the storage, and nothing to retry.
var errStorageClosed = errors.New("the storage is closed")

// saveCursor writes the checkpoint. Nothing is written once Shutdown has closed the storage.
func (r *oktaReceiver) saveCursor(ctx context.Context, cur *cursor) error {
	cur.Written = r.now().UTC()
	b, err := cur.marshal()
	if err != nil {
		return fmt.Errorf("encoding the checkpoint: %w", err)
	}
	r.storeMu.Lock()
	defer r.storeMu.Unlock()
	if r.storeClosed.Load() {
		r.set.Logger.Warn("the pipeline accepted a page after shutdown gave up waiting for it",
			zap.String("then", "its checkpoint is not written: the next start reads it again"))
		return errStorageClosed
	}
	ctx, cancel := context.WithTimeout(ctx, checkpointWriteTimeout)
	defer cancel()
	if err := r.store.Set(ctx, checkpointKey, b); err != nil {
		return err
	}
	r.telemetry.checkpointed(cur.Written)
	return nil
}

// checkpointWrites keeps the cursor's place in storage while writes fail (a full or read-only volume): the
// org goes on collecting from the cursor in memory, so nothing is delivered twice and nothing is lost while
// it runs, and the write is tried again with backoff, with the newest cursor, until it succeeds. Meanwhile
// the org's state is storage_failed: a restart would repeat every event since the last checkpoint written.
type checkpointWrites struct {
	// unwritten is set while the cursor has moved since the last checkpoint written.
	unwritten bool
	// failing is set from a failed write until one succeeds; failedAt is when the first failed, attempts
	// how many have failed since, and next when the next may be tried.
	failing  bool
	failedAt time.Time
	attempts int
	next     time.Time
	retry    *backoff.ExponentialBackOff
	// lastWritten is when the last checkpoint was written, zero before the first.
	lastWritten time.Time
}

// checkpoint writes the cursor if it moved since the last checkpoint written, unless writes fail and the
// backoff's wait has not passed yet (force: try anyway, as the receiver stops).
func (p *poller) checkpoint(ctx context.Context, force bool) {
	w, r := &p.writes, p.r
	now := r.now()
	if !w.unwritten || (w.failing && !force && now.Before(w.next)) {
		return
	}
	err := r.saveCursor(ctx, p.cur)
	switch {
	case errors.Is(err, errStorageClosed):
	case err != nil:
		w.attempts++
		wait := w.retry.NextBackOff()
		w.next = now.Add(wait)
		if !w.failing {
			w.failing, w.failedAt = true, now
			r.telemetry.checkpointWriteFailing(true)
			r.set.Logger.Error("could not write the checkpoint",
				zap.String("org", r.org.Host), zap.Error(err),
				zap.String("then", "the org goes on collecting and nothing is delivered twice while it runs, and the write is retried with backoff, but a restart before it succeeds repeats every event since the last checkpoint written; its state is storage_failed until then"),
				zap.String("fix", "free space on the storage's volume, or make it writable by the collector's user"),
				w.lastWrittenField(), zap.Stringer("retry_in", wait))
			return
		}
		r.set.Logger.Debug("the checkpoint still cannot be written", zap.String("org", r.org.Host), zap.Error(err),
			zap.Int("failed_writes", w.attempts), zap.Stringer("retry_in", wait))
	default:
		w.unwritten, w.lastWritten = false, p.cur.Written
		if w.failing {
			r.set.Logger.Info("the checkpoint is written again", zap.String("then", "a restart now resumes from the newest place"),
				zap.String("org", r.org.Host), zap.Stringer("failed_for", now.Sub(w.failedAt).Round(time.Millisecond)),
				zap.Int("failed_writes", w.attempts))
			r.telemetry.checkpointWriteFailing(false)
			w.failing, w.attempts = false, 0
			w.retry.Reset()
		}
	}
}

// checkpointAtStop tries a write that failed once more as the receiver stops, before the storage closes, and
// says so if it fails again: the next start reads from the last checkpoint written.
func (p *poller) checkpointAtStop(ctx context.Context) {
	p.checkpoint(ctx, true)
	if w := &p.writes; w.failing && w.unwritten {
		p.r.set.Logger.Warn("stopping with the checkpoint not written",
			zap.String("then", "the next start repeats the events delivered since the last checkpoint written"),
			zap.String("org", p.r.org.Host), zap.Int("failed_writes", w.attempts), w.lastWrittenField())
	}
}

// lastWrittenField is when the last checkpoint was written, for a log line: "never" before the first.
func (w *checkpointWrites) lastWrittenField() zap.Field {
	if w.lastWritten.IsZero() {
		return zap.String("last_written", "never")
	}
	return zap.Time("last_written", w.lastWritten)
}
