package oktasim

import (
	"context"
	"errors"
	"sort"
	"time"
)

// AddBacklog adds n generated events with published times spread at random over [from, to].
// They are already persisted: each one's persistence time is its published time plus up to 2 s
// of ingest lag (never after now), so a polling query with since inside the backlog returns the
// part after since, as Okta would. Add a backlog before clients start polling: events persisted
// in the past are behind any cursor that already passed them.
func (s *Sim) AddBacklog(n int, from, to time.Time) error {
	if n < 0 || to.Before(from) {
		return errors.New("oktasim: AddBacklog needs n >= 0 and from <= to")
	}
	now := s.now()
	span := to.Sub(from)
	times := make([]time.Time, n)
	for i := range times {
		times[i] = from.Add(time.Duration(s.gen.float() * float64(span))).Truncate(time.Millisecond)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	evs := make([]*event, n)
	persisted := make([]time.Time, n)
	for i, t := range times {
		e, err := parseEvent(s.gen.Event(t))
		if err != nil {
			return err // a generator bug
		}
		evs[i] = e
		persisted[i] = t.Add(time.Duration(s.gen.float() * float64(2*time.Second)))
		if persisted[i].After(now) {
			persisted[i] = now
		}
	}
	return s.store.add(evs, persisted)
}

// StartStream keeps adding generated events at about perSecond (real time) until ctx is done;
// the returned channel is closed when it has stopped. Events are published up to 1 s before the
// simulator clock's now, except a lateFraction of them, published up to maxLateness earlier:
// events Okta stored late, which a polling query still returns but a bounded query over their
// published window may already have missed.
func (s *Sim) StartStream(ctx context.Context, perSecond, lateFraction float64, maxLateness time.Duration) <-chan struct{} {
	done := make(chan struct{})
	if perSecond <= 0 {
		close(done)
		return done
	}
	interval := max(10*time.Millisecond, time.Duration(float64(time.Second)/perSecond))
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		start, added := time.Now(), 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			due := int(time.Since(start).Seconds()*perSecond) - added
			for range due {
				now := s.now()
				lag := time.Duration(s.gen.float() * float64(time.Second))
				if maxLateness > 0 && s.gen.float() < lateFraction {
					lag = time.Duration(s.gen.float() * float64(maxLateness))
				}
				_ = s.Add(s.gen.Event(now.Add(-lag))) // a fresh uuid cannot collide
				added++
			}
		}
	}()
	return done
}
