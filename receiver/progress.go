package receiver

import (
	"time"

	"go.uber.org/zap"
)

// progressEvery is how often a line reports progress while the receiver catches up a backlog.
const progressEvery = 30 * time.Second

// progress tells a person reading the log how a backlog is going: a line about every 30 s while pages come
// back full, one line when the receiver has caught up, then quiet.
type progress struct {
	logger *zap.Logger
	every  time.Duration

	catchingUp bool
	// since the backlog began: when, the newest `published` then, and the events delivered
	start       time.Time
	startNewest time.Time
	events      int
	lastLine    time.Time
}

// page takes a delivered page: how many events it held, whether it was full, and the newest `published`
// delivered so far.
func (p *progress) page(now time.Time, n int, full bool, newest time.Time) {
	if full && !p.catchingUp {
		p.catchingUp = true
		p.start, p.startNewest, p.events, p.lastLine = now, newest, 0, now
	}
	if !p.catchingUp {
		return
	}
	p.events += n
	if !full {
		p.catchingUp = false
		p.logger.Info("caught up with the org's System Log", zap.Int("events", p.events),
			zap.Stringer("took", now.Sub(p.start).Round(time.Second)), zap.Time("published_reached", newest))
		return
	}
	if now.Sub(p.lastLine) < p.every {
		return
	}
	p.lastLine = now
	behind := now.Sub(newest).Round(time.Second)
	fields := []zap.Field{zap.Int("events", p.events), zap.Time("published_reached", newest), zap.Stringer("behind", behind)}
	// The receiver moves through the log's time this much faster than the clock; the lag shrinks at rate-1.
	if rate := float64(newest.Sub(p.startNewest)) / float64(now.Sub(p.start)); rate > 1 {
		fields = append(fields, zap.Stringer("catch_up_in", time.Duration(float64(behind)/(rate-1)).Round(time.Second)))
	}
	p.logger.Info("catching up a backlog of the org's System Log", fields...)
}
