package bench

import (
	"math"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

func TestAnalyzeRate(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cycle := 12 * time.Second
	// Four windows: the receiver makes its 30 requests at the start of each, the last is cut off.
	var windows []oktasim.WindowStats
	var counts []CountSample
	delivered := 0
	for i, n := range []int{30, 30, 30, 7} {
		start := t0.Add(time.Duration(i) * cycle)
		windows = append(windows, oktasim.WindowStats{Start: start, Requests: n})
		for j := range n {
			delivered += 1000
			counts = append(counts, CountSample{At: start.Add(time.Duration(j+1) * 50 * time.Millisecond), Records: delivered})
		}
	}
	f := AnalyzeRate(RateInput{Limit: 60, Window: 10 * time.Second, Budget: 0.5, PageSize: 1000,
		Windows: windows, Requests: 97, Delivered: delivered, Counts: counts})
	if f.Full != 2 || f.MeanFull != 30 || f.BudgetUsed != 1 {
		t.Errorf("full %d, mean %v, budget used %v; want 2, 30, 1", f.Full, f.MeanFull, f.BudgetUsed)
	}
	if f.FullPage != 1 || f.RequestsFull != 60 || f.EventsFull != 60000 {
		t.Errorf("full page %v (%d events, %d requests), want 1 (60000, 60)", f.FullPage, f.EventsFull, f.RequestsFull)
	}
	if math.Abs(f.FullPageAll-97000.0/97000) > 1e-9 {
		t.Errorf("full page over the run %v", f.FullPageAll)
	}
	if f.Cycle != cycle {
		t.Errorf("cycle %s, want %s", f.Cycle, cycle)
	}
	// 60 000 events in 24 s of full windows: 150 000 a minute; ideal 30 000 per 10 s window: 180 000.
	if math.Abs(f.EventsPerMin-150000) > 1 || f.IdealPerMin != 180000 {
		t.Errorf("events/min %v (ideal %v), want 150000 (180000)", f.EventsPerMin, f.IdealPerMin)
	}
	if got := f.PerWindow(); len(got) != 4 || got[3] != 7 {
		t.Errorf("PerWindow = %v", got)
	}
}

func TestAnalyzeRateWithoutFullWindows(t *testing.T) {
	t0 := time.Now()
	f := AnalyzeRate(RateInput{Limit: 60, Window: time.Minute, Budget: 0.5, PageSize: 1000,
		Windows:  []oktasim.WindowStats{{Start: t0, Requests: 30}, {Start: t0.Add(time.Minute), Requests: 31, Limited: 1}},
		Requests: 61, Delivered: 50000})
	if f.Full != 0 || !math.IsNaN(f.MeanFull) || !math.IsNaN(f.BudgetUsed) || !math.IsNaN(f.EventsPerMin) {
		t.Errorf("figures without a full window: %+v", f)
	}
	if f.Limited != 1 || math.Abs(f.FullPageAll-50000.0/61000) > 1e-9 || !math.IsNaN(f.FullPage) || f.IdealPerMin != 30000 {
		t.Errorf("limited %d, full page %v (run %v), ideal %v", f.Limited, f.FullPage, f.FullPageAll, f.IdealPerMin)
	}
}
