package oktasim

import (
	"time"
)

// Sim is a simulated Okta org serving the System Log API. It is an http.Handler and is safe for
// concurrent use.
type Sim struct {
	opts     Options
	store    store
	limiter  *limiter
	faults   *faultState
	gen      *Generator
	counters counters
	// last is the last page served, for FaultReplay.
	last lastPage
}

// New returns a simulator with no events. It fails only on invalid options.
func New(opts Options) (*Sim, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	return &Sim{
		opts:    opts,
		limiter: &limiter{limit: opts.RateLimit, window: opts.RateWindow, maxConcurrent: opts.MaxConcurrent},
		faults:  newFaultState(opts.Faults, opts.Seed),
		gen:     NewGenerator(opts.Seed),
	}, nil
}

// now reads the simulator clock.
func (s *Sim) now() time.Time { return s.opts.Now() }

// Add stores raw event JSON objects, persisted now (the simulator clock). Each must be a JSON
// object with a uuid not held yet and an RFC 3339 published time; otherwise nothing is stored
// and Add returns the error. An event whose published time is older than now is an event Okta
// stored late. The bytes are served as given (surrounding whitespace dropped).
func (s *Sim) Add(events ...[]byte) error {
	evs := make([]*event, len(events))
	persisted := make([]time.Time, len(events))
	now := s.now()
	for i, raw := range events {
		e, err := parseEvent(raw)
		if err != nil {
			return err
		}
		evs[i], persisted[i] = e, now
	}
	return s.store.add(evs, persisted)
}

// Ledger returns the uuids of every event the org holds within retention, in persistence order:
// what a client that follows the polling query from far enough back must eventually receive.
func (s *Sim) Ledger() []string { return s.store.ledger(s.now()) }

// SetFaults replaces the faults to inject, including the queue of forced ones (Faults.Next).
func (s *Sim) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.faults.set(f)
	return nil
}

// Faults returns the current fault settings; Next holds the forced faults still queued.
func (s *Sim) Faults() Faults { return s.faults.get() }

// ForceNext queues fault k for the next n /api/v1/logs requests (after faults already queued).
func (s *Sim) ForceNext(n int, k FaultKind) { s.faults.force(n, k) }
