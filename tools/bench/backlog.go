package bench

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// chunkSize is the number of events generated, and stored, at a time.
const chunkSize = 1000

// backlogSpec is a backlog of n events published over [from, to].
type backlogSpec struct {
	n        int
	from, to time.Time
	seed     uint64
}

// chunks is the number of chunks of the backlog.
func (b backlogSpec) chunks() int { return (b.n + chunkSize - 1) / chunkSize }

// slice is the part of the span chunk i's events are published in.
func (b backlogSpec) slice(i int) (lo, hi time.Time) {
	c, span := float64(b.chunks()), float64(b.to.Sub(b.from))
	return b.from.Add(time.Duration(span * float64(i) / c)), b.from.Add(time.Duration(span * float64(i+1) / c))
}

// chunk generates chunk i: its share of the events, published at random within its slice of the
// span, in published order. It depends only on the seed and i, so a backlog is reproducible
// however the chunks are spread over goroutines.
func (b backlogSpec) chunk(i int) [][]byte {
	n := min(chunkSize, b.n-i*chunkSize)
	lo, hi := b.slice(i)
	rng := rand.New(rand.NewPCG(b.seed, uint64(i)))
	times := make([]time.Time, n)
	for j := range times {
		times[j] = lo.Add(time.Duration(rng.Int64N(int64(hi.Sub(lo)) + 1))).Truncate(time.Millisecond)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	gen := oktasim.NewGenerator(b.seed<<32 | uint64(i))
	out := make([][]byte, n)
	for j, t := range times {
		out[j] = gen.Event(t)
	}
	return out
}

// addBacklog generates the backlog on every CPU and stores it chunk by chunk, oldest first. The
// simulator stores events "now", so its clock is pinned for each chunk to the chunk's newest
// published time plus up to 2 s of ingest lag: the org then holds events persisted over the span,
// as Okta would, and a polling query from before the span returns all of them in order.
// (Sim.AddBacklog makes the same org, on one CPU.)
func addBacklog(ctx context.Context, sim *oktasim.Sim, clk *clock, b backlogSpec, progress func(added, total int)) error {
	c := b.chunks()
	results := make([]chan [][]byte, c)
	for i := range results {
		results[i] = make(chan [][]byte, 1)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var next atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for range runtime.NumCPU() {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= c {
					return
				}
				select {
				case <-stop:
					return
				default:
				}
				select {
				case results[i] <- b.chunk(i):
				case <-stop:
					return
				}
			}
		})
	}
	defer clk.release()
	lag := rand.New(rand.NewPCG(b.seed, 0x6c6167))
	added := 0
	for i := range c {
		var evs [][]byte
		select {
		case evs = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		_, hi := b.slice(i)
		persisted := hi.Add(time.Duration(lag.Int64N(int64(2 * time.Second))))
		if now := time.Now(); persisted.After(now) {
			persisted = now
		}
		clk.pin(persisted)
		if err := sim.Add(evs...); err != nil {
			return err
		}
		added += len(evs)
		if progress != nil {
			progress(added, b.n)
		}
	}
	return nil
}
