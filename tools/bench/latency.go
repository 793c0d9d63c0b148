package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// LatencyParams make a latency run: once the receiver has caught up with a small backlog, the
// org persists live events at StreamRate per second for Duration, and the sink measures how long
// each took from its persistence to the end of the pipeline.
type LatencyParams struct {
	Duration     time.Duration
	StreamRate   float64       // events per second
	PollInterval time.Duration // the receiver's poll_interval
}

// Target is the latency the p99 must not exceed: poll_interval + 2 s.
func (lp LatencyParams) Target() time.Duration { return lp.PollInterval + 2*time.Second }

// LatencyRecorder collects, for each record the sink receives, its arrival time minus its
// Timestamp (the event's published time). Records published before From (the backlog) are only
// counted, not measured.
type LatencyRecorder struct {
	mu      sync.Mutex
	from    time.Time
	samples []time.Duration
	older   int
}

// NewLatencyRecorder returns a recorder that measures nothing until From is set.
func NewLatencyRecorder() *LatencyRecorder {
	return &LatencyRecorder{from: time.Unix(math.MaxInt32, 0)}
}

// From sets the earliest published time measured.
func (l *LatencyRecorder) From(t time.Time) {
	l.mu.Lock()
	l.from = t
	l.mu.Unlock()
}

// Add records the records of one export request, published at the given times, that arrived at now.
func (l *LatencyRecorder) Add(now time.Time, published []time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range published {
		if p.Before(l.from) {
			l.older++
			continue
		}
		l.samples = append(l.samples, now.Sub(p))
	}
}

// Len is the number of latencies measured so far.
func (l *LatencyRecorder) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.samples)
}

// Samples returns the latencies measured so far, in arrival order.
func (l *LatencyRecorder) Samples() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.samples)
}

// LatencyFigures are a latency run's results.
type LatencyFigures struct {
	Params   LatencyParams
	Streamed int // events the org persisted during the run
	Measured int // records published during the stream that reached the sink (repeats included)
	P50, P90 time.Duration
	P99, Max time.Duration
}

// Target is poll_interval + 2 s.
func (f LatencyFigures) Target() time.Duration { return f.Params.Target() }

// Missing is the streamed events that did not reach the sink (0 when repeats make up for them:
// the tally's distinct count tells).
func (f LatencyFigures) Missing() int { return max(0, f.Streamed-f.Measured) }

// Pass says whether every streamed event arrived and the p99 latency is within the target.
func (f LatencyFigures) Pass() bool {
	return f.Streamed > 0 && f.Missing() == 0 && f.P99 <= f.Target()
}

// AnalyzeLatency computes the figures from the latencies measured.
func AnalyzeLatency(p LatencyParams, streamed int, samples []time.Duration) LatencyFigures {
	s := slices.Clone(samples)
	slices.Sort(s)
	f := LatencyFigures{Params: p, Streamed: streamed, Measured: len(s)}
	f.P50, f.P90, f.P99 = Percentile(s, 50), Percentile(s, 90), Percentile(s, 99)
	if len(s) > 0 {
		f.Max = s[len(s)-1]
	}
	return f
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted: the smallest value
// that at least p % of the values do not exceed. It is 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// streamSeed seeds the live events' generator: another sequence than the backlog's, whose
// generators are seeded with seed<<32 | chunk.
const streamSeed = 0x73747265616d0000

// stream persists generated events in the org at perSecond until ctx ends, each published at
// the simulator's now and persisted at that same instant (oktasim's StartStream publishes live
// events up to 1 s before they are persisted, which would count as latency here). It returns
// the number of events added once ctx has ended.
func stream(ctx context.Context, sim *oktasim.Sim, seed uint64, perSecond float64) int {
	gen := oktasim.NewGenerator(seed)
	tick := time.NewTicker(max(10*time.Millisecond, time.Duration(float64(time.Second)/perSecond)))
	defer tick.Stop()
	start, added := time.Now(), 0
	for {
		select {
		case <-ctx.Done():
			return added
		case <-tick.C:
		}
		for range int(time.Since(start).Seconds()*perSecond) - added {
			// Add persists at the simulator's now, which follows this one by microseconds; the
			// published time is written in milliseconds, truncated: a latency measured from it
			// is at most 1 ms long.
			if sim.Add(gen.Event(time.Now())) == nil {
				added++
			}
		}
	}
}

// waitLatency is a latency run after the collector's start: wait for the backlog to be delivered
// (the receiver has caught up), stream live events for the duration, then wait up to
// poll_interval + 10 s for the last of them to reach the sink.
func waitLatency(ctx context.Context, p Params, col *Collector, s *setup, org *Org) (streamed int, err error) {
	lp := p.Latency
	exited := func() error { return fmt.Errorf("the collector exited before the run was over (%v)", col.waitErr) } //nolint:errorlint // waitErr may be nil
	caughtUp := time.NewTimer(p.Timeout)
	defer caughtUp.Stop()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-col.Exited():
		return 0, exited()
	case <-caughtUp.C:
		return 0, fmt.Errorf("the receiver did not deliver the backlog of %d events within %s", p.Events, p.Timeout)
	case <-s.tally.Done():
	}
	if p.Progress != nil {
		fmt.Fprintf(p.Progress, "oktabench: caught up after %.1f s; streaming %g events/s for %s\n",
			time.Since(col.Started).Seconds(), lp.StreamRate, lp.Duration)
	}
	s.latency.From(time.Now().Add(-time.Millisecond)) // published times are truncated to ms
	streamCtx, stop := context.WithTimeout(ctx, lp.Duration)
	defer stop()
	done := make(chan int, 1)
	go func() { done <- stream(streamCtx, org.Sim, streamSeed, lp.StreamRate) }()
	select {
	case <-col.Exited():
		stop()
		<-done
		return 0, exited()
	case streamed = <-done:
	}
	if err := ctx.Err(); err != nil {
		return streamed, err
	}
	drain := time.NewTimer(lp.PollInterval + 10*time.Second)
	defer drain.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return streamed, ctx.Err()
		case <-col.Exited():
			return streamed, exited()
		case <-drain.C:
			return streamed, nil
		case <-tick.C:
			if s.latency.Len() >= streamed {
				return streamed, nil
			}
		}
	}
}
