package receiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGateHandsOutPlacesInTurn(t *testing.T) {
	g := newGate(1)
	require.True(t, g.acquire(context.Background()))
	order := make(chan int, 3)
	for i := range 3 {
		queued := make(chan struct{})
		go func() {
			go close(queued)
			if g.acquire(context.Background()) {
				order <- i
				g.release()
			}
		}()
		<-queued
		require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.waiting) == i+1 }, time.Second, time.Millisecond)
	}
	g.release()
	assert.Equal(t, []int{0, 1, 2}, []int{<-order, <-order, <-order}, "first come, first served: no org starves")
	assert.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.held == 0 }, time.Second, time.Millisecond,
		"every place is given back")
}

func TestGateWaitEndsWithContext(t *testing.T) {
	g := newGate(1)
	require.True(t, g.acquire(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() { done <- g.acquire(ctx) }()
	require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.waiting) == 1 }, time.Second, time.Millisecond)
	cancel()
	assert.False(t, <-done, "a shutdown does not wait for a place")
	assert.Empty(t, g.waiting)
	g.release()
	assert.True(t, g.acquire(context.Background()), "the place is free again")
}

func TestGateGrowsToTheLargestAsked(t *testing.T) {
	g := newGate(1)
	require.True(t, g.acquire(context.Background()))
	done := make(chan bool)
	go func() { done <- g.acquire(context.Background()) }()
	require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.waiting) == 1 }, time.Second, time.Millisecond)
	g.atLeast(2)
	assert.True(t, <-done, "growing the gate lets a waiting receiver in")
	g.atLeast(1)
	assert.Equal(t, 2, g.size, "it never shrinks")
}
