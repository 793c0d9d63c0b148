package bench

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

func TestBacklogChunksAreReproducibleAndInOrder(t *testing.T) {
	now := time.Now()
	b := backlogSpec{n: 2100, from: now.Add(-48 * time.Hour), to: now, seed: 7}
	if b.chunks() != 3 {
		t.Fatalf("chunks = %d", b.chunks())
	}
	last := b.chunk(2)
	if len(last) != 100 {
		t.Fatalf("last chunk has %d events", len(last))
	}
	if again := b.chunk(2); !slices.EqualFunc(last, again, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("a chunk differs between two generations")
	}
	lo, hi := b.slice(2)
	var prev time.Time
	for _, raw := range last {
		var ev struct{ Published time.Time }
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Published.Before(lo.Truncate(time.Millisecond)) || ev.Published.After(hi) || ev.Published.Before(prev) {
			t.Fatalf("published %s outside [%s, %s] or before %s", ev.Published, lo, hi, prev)
		}
		prev = ev.Published
	}
}

func TestAddBacklogStoresEveryEventOnce(t *testing.T) {
	clk := &clock{}
	sim, err := oktasim.New(oktasim.Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var progress []int
	b := backlogSpec{n: 1200, from: now.Add(-48 * time.Hour), to: now, seed: 1}
	if err := addBacklog(context.Background(), sim, clk, b, func(added, _ int) { progress = append(progress, added) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(progress, []int{1000, 1200}) {
		t.Errorf("progress %v", progress)
	}
	if got := len(sim.Ledger()); got != 1200 {
		t.Errorf("the org holds %d events, want 2100", got)
	}
	if d := time.Since(clk.now()); d < 0 || d > time.Minute {
		t.Errorf("the clock was not released: %s", clk.now())
	}
}

func TestAddBacklogStopsWithItsContext(t *testing.T) {
	clk := &clock{}
	sim, err := oktasim.New(oktasim.Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	now := time.Now()
	err = addBacklog(ctx, sim, clk, backlogSpec{n: 50 * chunkSize, from: now.Add(-time.Hour), to: now}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
