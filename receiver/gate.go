package receiver

import (
	"context"
	"sync"
)

// DefaultPagesInFlight is how many pages every okta receiver of a collector may hold at once, together,
// unless a receiver's configuration asks for more.
const DefaultPagesInFlight = 4

// pages is the collector-wide gate: a receiver holds a place from the request for a page until the
// pipeline has accepted (or refused for good) what it read. The memory in the receivers' hands is then
// bounded by the gate's size, not by the number of orgs, while each org still gets its turn: places are
// given in the order they were asked for.
var pages = newGate(DefaultPagesInFlight)

// gate is a counting semaphore that hands out places first come, first served, and whose size can grow.
type gate struct {
	mu      sync.Mutex
	size    int
	held    int
	waiting []chan struct{}
}

func newGate(size int) *gate { return &gate{size: size} }

// atLeast grows the gate to n places; it never shrinks. The largest value any receiver asks for wins.
func (g *gate) atLeast(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n > g.size {
		g.size = n
		g.wake()
	}
}

// acquire waits for a place, in turn, until ctx ends; it reports whether it got one.
func (g *gate) acquire(ctx context.Context) bool {
	g.mu.Lock()
	if len(g.waiting) == 0 && g.held < g.size {
		g.held++
		g.mu.Unlock()
		return true
	}
	ready := make(chan struct{})
	g.waiting = append(g.waiting, ready)
	g.mu.Unlock()
	select {
	case <-ready:
		return true
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		select {
		case <-ready: // given a place as ctx ended: hand it on
			g.held--
			g.wake()
		default:
			for i, w := range g.waiting {
				if w == ready {
					g.waiting = append(g.waiting[:i], g.waiting[i+1:]...)
					break
				}
			}
		}
		return false
	}
}

// release gives a place back.
func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held--
	g.wake()
}

// wake hands free places to the longest waiting; g.mu is held.
func (g *gate) wake() {
	for g.held < g.size && len(g.waiting) > 0 {
		g.held++
		close(g.waiting[0])
		g.waiting = g.waiting[1:]
	}
}
