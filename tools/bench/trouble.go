package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The kinds of trouble an org of a multi-org run can be given.
const (
	// TroubleSlow: the org sends each answer's headers at once and its body over DribbleOver.
	TroubleSlow = "slow"
	// TroubleBlocked: the org's receiver is in a pipeline of its own whose backend refuses every export
	// (503), with no sending queue: the pipeline holds the page it was given.
	TroubleBlocked = "blocked"
	// TroubleRateLimited: the org allows TroubledRateLimit System Log requests per rate-limit window.
	TroubleRateLimited = "ratelimited"
	// TroubleBroken: the org's receiver has a token the org refuses.
	TroubleBroken = "broken"
)

// TroubleKinds lists the kinds, in the order orgs are given them.
var TroubleKinds = []string{TroubleSlow, TroubleBlocked, TroubleRateLimited, TroubleBroken}

const (
	// DribbleOver is how long a slow org takes to send an answer's body.
	DribbleOver = 40 * time.Second
	// dribblePieces is how many writes a slow org's body is sent in.
	dribblePieces = 40
	// TroubledRateLimit is a rate-limited org's System Log requests per window.
	TroubledRateLimit = 2
)

// Troubles is how many orgs have each kind of trouble.
type Troubles map[string]int

// ParseTroubles reads "kind=n,kind=n" (e.g. "slow=2,blocked=2,ratelimited=2,broken=2"); "" is none.
func ParseTroubles(s string) (Troubles, error) {
	t := Troubles{}
	if s == "" {
		return t, nil
	}
	for _, part := range strings.Split(s, ",") {
		kind, count, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(count)
		switch {
		case !ok || err != nil || n < 0:
			return nil, fmt.Errorf("%q is not kind=count (e.g. slow=2)", part)
		case !slices.Contains(TroubleKinds, kind):
			return nil, fmt.Errorf("unknown trouble %q: one of %s", kind, strings.Join(TroubleKinds, ", "))
		case t[kind] != 0:
			return nil, fmt.Errorf("trouble %q given twice", kind)
		}
		if n > 0 {
			t[kind] = n
		}
	}
	return t, nil
}

// Total is the number of troubled orgs.
func (t Troubles) Total() int {
	n := 0
	for _, c := range t {
		n += c
	}
	return n
}

// String is the troubles as ParseTroubles reads them, in TroubleKinds' order; "none" when there are none.
func (t Troubles) String() string {
	var parts []string
	for _, k := range TroubleKinds {
		if t[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, t[k]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// Assign gives each of n orgs its trouble ("" for a healthy org): the first orgs the kinds in TroubleKinds'
// order, the rest none.
func (t Troubles) Assign(n int) []string {
	out := make([]string, n)
	i := 0
	for _, k := range TroubleKinds {
		for range t[k] {
			if i < n {
				out[i] = k
			}
			i++
		}
	}
	return out
}

// dribble answers /api/ requests as next does, but sends the body in dribblePieces writes over `over`,
// after the status and headers, as a congested link or a slow proxy would.
type dribble struct {
	next http.Handler
	over time.Duration
}

func (d dribble) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		d.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	d.next.ServeHTTP(rec, r)
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	body := rec.Body.Bytes()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	flush()
	tick := time.NewTicker(d.over / dribblePieces)
	defer tick.Stop()
	for i := range dribblePieces {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		if _, err := w.Write(body[i*len(body)/dribblePieces : (i+1)*len(body)/dribblePieces]); err != nil {
			return
		}
		flush()
	}
}

// UIDLatency records, for each record published since From, the time from its publication (its
// Timestamp) to its first arrival, by its log.record.uid, so that the lags can be read for some orgs'
// events only.
type UIDLatency struct {
	mu   sync.Mutex
	from time.Time
	lag  map[string]time.Duration
}

// NewUIDLatency returns a recorder that measures nothing until From is set.
func NewUIDLatency() *UIDLatency { return &UIDLatency{lag: make(map[string]time.Duration)} }

// From sets the earliest published time measured.
func (l *UIDLatency) From(t time.Time) {
	l.mu.Lock()
	l.from = t
	l.mu.Unlock()
}

// Add records the records of one export request that arrived at now: their uids and published times.
func (l *UIDLatency) Add(now time.Time, uids []string, published []time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.from.IsZero() {
		return
	}
	for i, u := range uids {
		if i >= len(published) || published[i].Before(l.from) {
			continue
		}
		if _, seen := l.lag[u]; !seen {
			l.lag[u] = now.Sub(published[i])
		}
	}
}

// Of returns the lags of the given uids that were measured, sorted.
func (l *UIDLatency) Of(uids []string) []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	for _, u := range uids {
		if d, ok := l.lag[u]; ok {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// LagFigures sum up the lags of live events.
type LagFigures struct {
	Measured      int
	P50, P99, Max time.Duration
}

// lagFigures sums up sorted lags.
func lagFigures(sorted []time.Duration) LagFigures {
	if len(sorted) == 0 {
		return LagFigures{}
	}
	at := func(p float64) time.Duration {
		i := int(float64(len(sorted))*p+0.999999) - 1
		return sorted[max(0, min(i, len(sorted)-1))]
	}
	return LagFigures{Measured: len(sorted), P50: at(0.5), P99: at(0.99), Max: sorted[len(sorted)-1]}
}
