package receiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newGate(size int) *gate {
	g := &gate{asks: map[int]int{}}
	g.ask(size)
	return g
}

func waiting(g *gate) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiting)
}

func TestGateHandsOutPlacesInTurn(t *testing.T) {
	g := newGate(1)
	require.True(t, g.acquire(context.Background()))
	order := make(chan int, 3)
	for i := range 3 {
		go func() {
			if g.acquire(context.Background()) {
				order <- i
				g.release()
			}
		}()
		require.Eventually(t, func() bool { return waiting(g) == i+1 }, time.Second, time.Millisecond)
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
	require.Eventually(t, func() bool { return waiting(g) == 1 }, time.Second, time.Millisecond)
	cancel()
	assert.False(t, <-done, "a shutdown does not wait for a place")
	assert.Zero(t, waiting(g))
	g.release()
	assert.True(t, g.acquire(context.Background()), "the place is free again")
}

func TestGateSizeIsTheLargestAskOfTheRunningReceivers(t *testing.T) {
	g := newGate(1)
	require.True(t, g.acquire(context.Background()))
	done := make(chan bool)
	go func() { done <- g.acquire(context.Background()) }()
	require.Eventually(t, func() bool { return waiting(g) == 1 }, time.Second, time.Millisecond)
	g.ask(2)
	assert.True(t, <-done, "a receiver asking for more lets a waiting one in")
	assert.Equal(t, 2, g.size)

	g.withdraw(2) // that receiver stops: back to the one that asked for 1
	assert.Equal(t, 1, g.size)
	go func() { done <- g.acquire(context.Background()) }()
	require.Eventually(t, func() bool { return waiting(g) == 1 }, time.Second, time.Millisecond)
	g.release()
	assert.Equal(t, 1, waiting(g), "two places held, one now allowed: a place given back frees none")
	g.release()
	assert.True(t, <-done)
	g.withdraw(1)
	assert.Zero(t, g.size)
	assert.Empty(t, g.asks)
}
