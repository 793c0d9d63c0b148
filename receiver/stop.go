package receiver

import (
	"context"
	"sync"
	"time"
)

// stopGap is how soon after one receiver's Shutdown has returned the next must begin for both to be one
// stop: the collector stops (and, on a reload, restarts) its receivers one after another, at once.
const stopGap = time.Second

// stopClock is the clock of a stop of the collector's okta receivers (one per collector, in shared). Were
// each receiver to wait its own shutdown_timeout for a blocked pipeline, a stop of the collector would grow
// with the number of orgs. So the receivers whose Shutdowns follow one another (each begun within stopGap of
// the last one's end, or while one is under way) share the deadline of the first. Once a second receiver
// has begun to stop, the stop is the collector's (or a reload's): the receivers still running start no new
// page until it is over, so that a page in flight has the rest of shutdown_timeout to finish. A receiver
// stopped alone (as receiver_creator does) pauses nobody. The stop is over stopGap after the last Shutdown
// returned, or as soon as a receiver starts (a reload's new generation).
type stopClock struct {
	mu  sync.Mutex
	now func() time.Time
	// start is when the stop under way began; zero when none is.
	start time.Time
	// began counts the Shutdowns begun in it; active those not returned yet.
	began, active int
	// lastEnd is when the last Shutdown returned.
	lastEnd time.Time
	// changed is closed, and made again, on every change.
	changed chan struct{}
}

func newStopClock(now func() time.Time) *stopClock {
	return &stopClock{now: now, changed: make(chan struct{})}
}

// underWay reports whether a stop is under way at now; s.mu is held.
func (s *stopClock) underWay(now time.Time) bool {
	return !s.start.IsZero() && (s.active > 0 || now.Sub(s.lastEnd) < stopGap)
}

// signal wakes every hold; s.mu is held.
func (s *stopClock) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// begin is the start of a receiver's Shutdown: it returns the deadline for a receiver with that
// shutdown_timeout. Every begin is followed by an end.
func (s *stopClock) begin(timeout time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.underWay(now) {
		s.start, s.began = now, 0
	}
	s.began++
	s.active++
	s.signal()
	return s.start.Add(timeout)
}

// end is the end of a receiver's Shutdown.
func (s *stopClock) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	s.lastEnd = s.now()
	s.signal()
}

// started is a receiver's Start: a stop under way is over.
func (s *stopClock) started() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.start, s.began = time.Time{}, 0
	s.signal()
}

// hold keeps a running receiver from starting a new page while the collector stops (a stop of more than one
// receiver is under way), until ctx ends or the stop is over; it reports whether the receiver may go on.
func (s *stopClock) hold(ctx context.Context) bool {
	for {
		s.mu.Lock()
		now := s.now()
		pause := s.underWay(now) && s.began >= 2
		changed, wait := s.changed, time.Duration(-1)
		if s.active == 0 {
			wait = s.lastEnd.Add(stopGap).Sub(now) // the stop is over then, unless another Shutdown begins
		}
		s.mu.Unlock()
		if ctx.Err() != nil {
			return false
		}
		if !pause {
			return true
		}
		var over <-chan time.Time
		var t *time.Timer
		if wait >= 0 {
			t = time.NewTimer(wait)
			over = t.C
		}
		select {
		case <-ctx.Done():
		case <-changed:
		case <-over:
		}
		if t != nil {
			t.Stop()
		}
	}
}
