package oktasim

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// FaultKind names a misbehaviour the simulator can inject into a /api/v1/logs answer.
type FaultKind string

// The faults. Each applies to one request.
const (
	// Fault500 answers 500 with Okta's E0000009 body ("The request timed out").
	Fault500 FaultKind = "500"
	// Fault503HTML answers 503 with an HTML page, as a load balancer does.
	Fault503HTML FaultKind = "503-html"
	// FaultTruncate answers 200 with the full Content-Length, then cuts the body off mid-array
	// and closes the connection.
	FaultTruncate FaultKind = "truncate"
	// FaultSlow waits Faults.SlowDelay (or until the client gives up) before answering normally.
	FaultSlow FaultKind = "slow"
	// FaultHTML200 answers 200 with an HTML page from a proxy (a captive portal or login page).
	FaultHTML200 FaultKind = "html-200"
	// FaultHTML502 answers 502 with an HTML page from a proxy.
	FaultHTML502 FaultKind = "html-502"
	// FaultForeignNext answers normally but points the next link at Faults.ForeignNextHost.
	FaultForeignNext FaultKind = "foreign-next"
	// Fault401 answers 401 E0000011, whatever the credentials.
	Fault401 FaultKind = "401"
	// Fault403 answers 403 E0000006.
	Fault403 FaultKind = "403"
	// FaultNetworkZone answers 403 as Okta refuses a credential used from outside the network zones it is
	// restricted to, naming the address it saw (Faults.NetworkZoneAddress).
	FaultNetworkZone FaultKind = "network-zone"
	// Fault400 answers 400 E0000001.
	Fault400 FaultKind = "400"
	// Fault429 answers 429 E0000047 with X-Rate-Limit-Remaining 0.
	Fault429 FaultKind = "429"
	// FaultNotArray answers 200 with a JSON object instead of the event array.
	FaultNotArray FaultKind = "not-array"
	// FaultReplay answers, as a caching proxy gone wrong would, with the last page the simulator served and
	// a next link equal to the URL asked for (a normal answer when nothing was served yet).
	FaultReplay FaultKind = "replay"
)

// FaultKinds lists every fault, in the fixed order probabilities are drawn in.
var FaultKinds = []FaultKind{Fault500, Fault503HTML, FaultTruncate, FaultSlow, FaultHTML200, FaultHTML502,
	FaultForeignNext, Fault401, Fault403, FaultNetworkZone, Fault400, Fault429, FaultNotArray, FaultReplay}

// DefaultForeignHost is where FaultForeignNext points when Faults.ForeignNextHost is empty.
const DefaultForeignHost = "evil.example.com"

// DefaultSlowDelay is FaultSlow's delay when Faults.SlowDelay is 0.
const DefaultSlowDelay = 2 * time.Second

// Faults say which faults to inject. JSON-encodable, for POST /sim/faults.
type Faults struct {
	// Prob is the probability (0..1) that a request gets each fault. One draw per request
	// picks at most one fault; the probabilities must sum to at most 1.
	Prob map[FaultKind]float64 `json:"prob,omitempty"`
	// Next are faults forced on the next requests, one per request in order, before any
	// probability is drawn.
	Next []FaultKind `json:"next,omitempty"`
	// SlowDelay is FaultSlow's delay (default DefaultSlowDelay).
	SlowDelay time.Duration `json:"slowDelay,omitempty"`
	// ForeignNextHost is the host[:port] FaultForeignNext puts in next links (default
	// DefaultForeignHost). Point it at another name of the simulator (e.g. "localhost:PORT"
	// when the org is "127.0.0.1:PORT") to see in Stats whether a client sent credentials there.
	ForeignNextHost string `json:"foreignNextHost,omitempty"`
	// NetworkZoneAddress is the address FaultNetworkZone says the request came from (default
	// DefaultNetworkZoneAddress).
	NetworkZoneAddress string `json:"networkZoneAddress,omitempty"`
}

// DefaultNetworkZoneAddress is the address FaultNetworkZone names when Faults.NetworkZoneAddress is empty.
const DefaultNetworkZoneAddress = "203.0.113.7"

func (f Faults) validate() error {
	known := make(map[FaultKind]bool, len(FaultKinds))
	for _, k := range FaultKinds {
		known[k] = true
	}
	sum := 0.0
	for k, p := range f.Prob {
		if !known[k] {
			return fmt.Errorf("oktasim: unknown fault %q", k)
		}
		if p < 0 || p > 1 {
			return fmt.Errorf("oktasim: fault %q probability %v is not in [0,1]", k, p)
		}
		sum += p
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("oktasim: fault probabilities sum to %v, more than 1", sum)
	}
	for _, k := range f.Next {
		if !known[k] {
			return fmt.Errorf("oktasim: unknown fault %q", k)
		}
	}
	if f.SlowDelay < 0 {
		return fmt.Errorf("oktasim: negative SlowDelay")
	}
	return nil
}

// faultState is the runtime fault configuration with its seeded random source.
type faultState struct {
	mu     sync.Mutex
	faults Faults
	queue  []FaultKind
	rng    *rand.Rand
}

func newFaultState(f Faults, seed uint64) *faultState {
	fs := &faultState{rng: rand.New(rand.NewPCG(seed, 0x6661756c7473))}
	fs.set(f)
	return fs
}

func (fs *faultState) set(f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = f
	fs.queue = append([]FaultKind(nil), f.Next...)
}

func (fs *faultState) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.faults
	f.Next = append([]FaultKind(nil), fs.queue...)
	return f
}

func (fs *faultState) force(n int, k FaultKind) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for range n {
		fs.queue = append(fs.queue, k)
	}
}

// draw picks the fault for one request ("" for none) and returns the settings it needs.
func (fs *faultState) draw() (kind FaultKind, slowDelay time.Duration, foreignHost, zoneAddress string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	slowDelay, foreignHost, zoneAddress = fs.faults.SlowDelay, fs.faults.ForeignNextHost, fs.faults.NetworkZoneAddress
	if zoneAddress == "" {
		zoneAddress = DefaultNetworkZoneAddress
	}
	if slowDelay == 0 {
		slowDelay = DefaultSlowDelay
	}
	if foreignHost == "" {
		foreignHost = DefaultForeignHost
	}
	if len(fs.queue) > 0 {
		kind, fs.queue = fs.queue[0], fs.queue[1:]
		return kind, slowDelay, foreignHost, zoneAddress
	}
	if len(fs.faults.Prob) == 0 {
		return "", slowDelay, foreignHost, zoneAddress
	}
	r, acc := fs.rng.Float64(), 0.0
	for _, k := range FaultKinds {
		acc += fs.faults.Prob[k]
		if r < acc {
			return k, slowDelay, foreignHost, zoneAddress
		}
	}
	return "", slowDelay, foreignHost, zoneAddress
}
