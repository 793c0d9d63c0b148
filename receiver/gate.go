package receiver

import (
	"context"
	"sync"
)

// DefaultPagesInFlight is how many pages every okta receiver of a collector may hold at once, together,
// unless a receiver's configuration says otherwise: one page being mapped or exported per CPU of a small
// machine, which keeps every core busy while many orgs catch up.
const DefaultPagesInFlight = 2

// pages is the collector-wide gate: a receiver holds a place from the moment Okta's answer begins to arrive
// until the pipeline has accepted (or refused for good) what it read. The memory in the receivers' hands is
// then bounded by the gate's size, not by the number of orgs, while each org still gets its turn: places
// are given in the order they were asked for.
var pages = &gate{asks: map[int]int{}}

// gate is a counting semaphore that hands out places first come, first served. Its size is the largest
// that a running receiver asked for: it follows the receivers as they start and stop (a reload that lowers
// pages_in_flight lowers it).
type gate struct {
	mu      sync.Mutex
	asks    map[int]int // size asked → receivers asking it
	size    int
	held    int
	waiting []chan struct{}
}

// ask registers a running receiver's wish for n places; withdraw takes it back at shutdown.
func (g *gate) ask(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asks[n]++
	g.resize()
}

func (g *gate) withdraw(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.asks[n]--; g.asks[n] <= 0 {
		delete(g.asks, n)
	}
	g.resize()
}

// resize sets the size to the largest ask and hands out what that frees; g.mu is held. A smaller size
// takes effect as places are given back.
func (g *gate) resize() {
	g.size = 0
	for n := range g.asks {
		g.size = max(g.size, n)
	}
	g.wake()
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
