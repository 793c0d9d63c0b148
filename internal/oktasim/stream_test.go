package oktasim

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestStartStream(t *testing.T) {
	f := newFixture(t, Options{Seed: 4})
	ctx, cancel := context.WithCancel(context.Background())
	done := f.sim.StartStream(ctx, 1000, 0.3, 10*time.Minute)
	eventually(t, 5*time.Second, func() bool { return len(f.sim.Ledger()) >= 40 }, "stream added only %d events", len(f.sim.Ledger()))
	cancel()
	<-done
	n := len(f.sim.Ledger())
	// done is closed once the stream's goroutine has returned: no event may come after it.
	if len(f.sim.Ledger()) != n {
		t.Fatal("stream kept adding after its context ended")
	}

	f.sim.store.mu.RLock()
	events := slices.Clone(f.sim.store.events)
	f.sim.store.mu.RUnlock()
	late, onTime := 0, 0
	for _, e := range events {
		switch lag := e.persisted.Sub(e.published); {
		case lag < -time.Millisecond || lag > 10*time.Minute:
			t.Fatalf("event published %v persisted %v", e.published, e.persisted)
		case lag > time.Second:
			late++
		default:
			onTime++
		}
	}
	if late == 0 || onTime == 0 || late > onTime {
		t.Fatalf("late %d, on time %d: want about 30%% late", late, onTime)
	}

	// perSecond 0: nothing runs.
	select {
	case <-f.sim.StartStream(context.Background(), 0, 0, 0):
	default:
		t.Fatal("a stream of 0 events per second did not stop at once")
	}
}
