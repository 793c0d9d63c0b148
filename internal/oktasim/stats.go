package oktasim

import (
	"maps"
	"sync"
)

// Stats describe the traffic the simulator has seen, for assertions in tests (Sim.Stats) and
// for the end-to-end test (GET /sim/stats).
type Stats struct {
	// Requests counts /api/v1/logs requests (and any other non-admin path).
	Requests int `json:"requests"`
	// Responses counts answers by HTTP status.
	Responses map[int]int `json:"responses"`
	// RateLimited counts 429s for an exhausted window (forced 429 faults are not included).
	RateLimited int `json:"rateLimited"`
	// ConcurrencyLimited counts 429s for too many requests in flight.
	ConcurrencyLimited int `json:"concurrencyLimited"`
	// InFlight is the number of requests being served now; MaxInFlight the most ever at once.
	InFlight    int `json:"inFlight"`
	MaxInFlight int `json:"maxInFlight"`
	// Windows are the rate-limit windows so far, oldest first (tracked even with no limit).
	Windows []WindowStats `json:"windows"`
	// MaxPerWindow is the most requests any window saw.
	MaxPerWindow int `json:"maxPerWindow"`
	// Faults counts the faults injected, by kind.
	Faults map[FaultKind]int `json:"faults"`
	// Authorization counts requests by Host header, then by Authorization header ("" when the
	// request had none), to prove a credential never went to a foreign host.
	Authorization map[string]map[string]int `json:"authorization"`
}

// counters are the Stats fields kept outside the limiter.
type counters struct {
	mu                 sync.Mutex
	requests           int
	responses          map[int]int
	rateLimited        int
	concurrencyLimited int
	faults             map[FaultKind]int
	auth               map[string]map[string]int
}

func (c *counters) request(host, authorization string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests++
	if c.auth == nil {
		c.auth = make(map[string]map[string]int)
	}
	if c.auth[host] == nil {
		c.auth[host] = make(map[string]int)
	}
	c.auth[host][authorization]++
}

func (c *counters) response(status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.responses == nil {
		c.responses = make(map[int]int)
	}
	c.responses[status]++
}

func (c *counters) fault(k FaultKind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.faults == nil {
		c.faults = make(map[FaultKind]int)
	}
	c.faults[k]++
}

func (c *counters) limited(concurrency bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if concurrency {
		c.concurrencyLimited++
	} else {
		c.rateLimited++
	}
}

// Stats returns a snapshot of the traffic counters.
func (s *Sim) Stats() Stats {
	c := &s.counters
	c.mu.Lock()
	st := Stats{
		Requests:           c.requests,
		Responses:          maps.Clone(c.responses),
		RateLimited:        c.rateLimited,
		ConcurrencyLimited: c.concurrencyLimited,
		Faults:             maps.Clone(c.faults),
		Authorization:      make(map[string]map[string]int, len(c.auth)),
	}
	for h, m := range c.auth {
		st.Authorization[h] = maps.Clone(m)
	}
	c.mu.Unlock()
	if st.Responses == nil {
		st.Responses = map[int]int{}
	}
	if st.Faults == nil {
		st.Faults = map[FaultKind]int{}
	}

	l := s.limiter
	l.mu.Lock()
	st.InFlight, st.MaxInFlight = l.inFlight, l.maxInFlight
	st.Windows = append([]WindowStats{}, l.windows...)
	l.mu.Unlock()
	for _, w := range st.Windows {
		st.MaxPerWindow = max(st.MaxPerWindow, w.Requests)
	}
	return st
}
