package bench

import (
	"math"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// RateInput is what a rate-limited run observed.
type RateInput struct {
	Limit     int
	Window    time.Duration
	Budget    float64
	PageSize  int
	Windows   []oktasim.WindowStats // the simulator's windows, oldest first
	Requests  int                   // every /api/v1/logs request
	Delivered int                   // events at the end of the pipeline
	Counts    []CountSample         // the running count at the end of the pipeline
}

// RateFigures show how the receiver used the org's rate limit. Figures that need a full window are
// NaN when the run had none.
type RateFigures struct {
	RateInput
	// Full is the number of full windows: every window but the first (the collector starting) and
	// the last (cut off by the stop).
	Full int
	// MeanFull is the mean number of requests in a full window.
	MeanFull float64
	// RequestsFull and EventsFull are the requests of the full windows and the events delivered
	// from the first full window's start to the last window's start.
	RequestsFull, EventsFull int
	// BudgetUsed is MeanFull / (Budget × Limit): 1 when the receiver used exactly its share.
	BudgetUsed float64
	// Limited counts the requests refused with 429 for an exhausted window.
	Limited int
	// FullPage is the events delivered during the full windows / (their requests × PageSize): 1
	// when every request brought a full page.
	FullPage float64
	// FullPageAll is Delivered / (Requests × PageSize) over the whole run, whose last request may
	// be cut off by the stop.
	FullPageAll float64
	// Cycle is the mean time from one window's start to the next over the full windows: the window
	// plus the receiver's wait for the reset.
	Cycle time.Duration
	// EventsPerMin are the events delivered during the full windows, per minute of their cycles.
	EventsPerMin float64
	// IdealPerMin is Budget × Limit × PageSize per window, per minute.
	IdealPerMin float64
}

// AnalyzeRate computes the rate-limit figures of a run.
func AnalyzeRate(in RateInput) RateFigures {
	nan := math.NaN()
	f := RateFigures{RateInput: in, MeanFull: nan, BudgetUsed: nan, EventsPerMin: nan, FullPage: nan, FullPageAll: nan}
	for _, w := range in.Windows {
		f.Limited += w.Limited
	}
	if in.Requests > 0 && in.PageSize > 0 {
		f.FullPageAll = float64(in.Delivered) / float64(in.Requests*in.PageSize)
	}
	if in.Window > 0 {
		f.IdealPerMin = in.Budget * float64(in.Limit) * float64(in.PageSize) * float64(time.Minute) / float64(in.Window)
	}
	n := len(in.Windows)
	if n < 3 {
		return f
	}
	full := in.Windows[1 : n-1]
	f.Full = len(full)
	sum := 0
	for _, w := range full {
		sum += w.Requests
	}
	f.RequestsFull = sum
	f.MeanFull = float64(sum) / float64(f.Full)
	if share := in.Budget * float64(in.Limit); share > 0 {
		f.BudgetUsed = f.MeanFull / share
	}
	from, to := in.Windows[1].Start, in.Windows[n-1].Start
	f.Cycle = to.Sub(from) / time.Duration(f.Full)
	f.EventsFull = countAt(in.Counts, to) - countAt(in.Counts, from)
	if sum > 0 && in.PageSize > 0 {
		f.FullPage = float64(f.EventsFull) / float64(sum*in.PageSize)
	}
	if span := to.Sub(from); span > 0 {
		f.EventsPerMin = float64(f.EventsFull) * float64(time.Minute) / float64(span)
	}
	return f
}

// PerWindow lists the requests of every window, oldest first.
func (f RateFigures) PerWindow() []int {
	out := make([]int, len(f.Windows))
	for i, w := range f.Windows {
		out[i] = w.Requests
	}
	return out
}
