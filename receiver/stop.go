package receiver

import (
	"context"
	"sync"
	"time"
)

// maxStop is the longest a stop of the collector's okta receivers is taken to last: a Kubernetes pod gets
// 30 s between SIGTERM and SIGKILL.
const maxStop = 30 * time.Second

// stopClock is the collector's clock for stopping its okta receivers (one per collector, in shared). The collector stops its receivers one
// after another, on a stop and on every reload; were each to wait its own shutdown_timeout for a blocked
// pipeline, a stop would grow with the number of orgs. So the first receiver to stop starts the clock, and
// every receiver stopped while it runs shares its deadline; the receivers still running stop starting new
// pages at once, so that a healthy org's page in flight has the whole of shutdown_timeout to finish. The
// first receiver to start again (a reload's new generation) ends it; so does maxStop, in case only some
// receivers were stopped.
type stopClock struct {
	mu    sync.Mutex
	now   func() time.Time
	start time.Time
	// stopping is closed while a stop is under way.
	stopping chan struct{}
}

func newStopClock(now func() time.Time) *stopClock {
	return &stopClock{now: now, stopping: make(chan struct{})}
}

// begin is a receiver's Shutdown: it returns the deadline for a receiver with that shutdown_timeout.
func (s *stopClock) begin(timeout time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.start.IsZero() || now.Sub(s.start) > maxStop {
		if !s.start.IsZero() {
			s.stopping = make(chan struct{})
		}
		s.start = now
		close(s.stopping)
	}
	return s.start.Add(timeout)
}

// end is the end of a receiver's Shutdown.
func (s *stopClock) end() {}

// started is a receiver's Start: a stop under way is over.
func (s *stopClock) started() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.start.IsZero() {
		s.start = time.Time{}
		s.stopping = make(chan struct{})
	}
}

// hold keeps a running receiver from starting a new page while a stop is under way, until ctx ends or the
// stop is over; it reports whether the receiver may go on.
func (s *stopClock) hold(ctx context.Context) bool {
	s.mu.Lock()
	stopping, start := s.stopping, s.start
	s.mu.Unlock()
	if ctx.Err() != nil {
		return false
	}
	select {
	case <-stopping:
	default:
		return true
	}
	sleep(ctx, maxStop-s.now().Sub(start))
	return ctx.Err() == nil
}
