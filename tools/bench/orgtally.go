package bench

import (
	"sync"
	"time"
)

// OrgTally follows a multi-org run at the end of the pipeline, by each record's log.record.uid:
// how many times each uid arrived, and, for every org, the delivery of its backlog (the events it
// held when the collector started): when it caught up, and the longest time it went without
// delivering any of its backlog while some was left. Each org's ledger is checked against the
// arrivals at the end (Figures).
type OrgTally struct {
	mu      sync.Mutex
	seen    map[string]int // uid → times it arrived
	pending map[string]int // uid of a backlog event not delivered yet → its org
	orgs    []orgProgress
	left    int
	doneAt  time.Time
	// onCaughtUp is called once, outside the lock, when the last backlog event arrives.
	onCaughtUp func(now time.Time)
}

type orgProgress struct {
	backlog    int
	left       int
	last       time.Time // the start, then the latest arrival of the org's backlog
	longestGap time.Duration
	caughtUp   time.Time
}

// NewOrgTally follows the orgs whose backlogs (the uids each held at start) are given; the gaps
// are counted from start. onCaughtUp, when not nil, is called once, when every backlog is in.
func NewOrgTally(start time.Time, backlogs [][]string, onCaughtUp func(now time.Time)) *OrgTally {
	t := &OrgTally{seen: make(map[string]int), pending: make(map[string]int), orgs: make([]orgProgress, len(backlogs)), onCaughtUp: onCaughtUp}
	for i, uids := range backlogs {
		t.orgs[i] = orgProgress{backlog: len(uids), last: start}
		for _, u := range uids {
			if _, dup := t.pending[u]; !dup {
				t.pending[u] = i
				t.orgs[i].left++
				t.left++
			}
		}
		if t.orgs[i].left == 0 {
			t.orgs[i].caughtUp = start
		}
	}
	if t.left == 0 {
		t.doneAt = start
	}
	return t
}

// Add counts the records of one export request that arrived at now, by their uids.
func (t *OrgTally) Add(now time.Time, uids []string) {
	t.mu.Lock()
	wasLeft := t.left
	for _, u := range uids {
		t.seen[u]++
		org, ok := t.pending[u]
		if !ok {
			continue
		}
		delete(t.pending, u)
		p := &t.orgs[org]
		p.longestGap = max(p.longestGap, now.Sub(p.last))
		p.last = now
		p.left--
		if p.left == 0 {
			p.caughtUp = now
		}
		t.left--
	}
	done := wasLeft > 0 && t.left == 0
	if done {
		t.doneAt = now
	}
	t.mu.Unlock()
	if done && t.onCaughtUp != nil {
		t.onCaughtUp(now)
	}
}

// Left is the number of backlog events, over all orgs, not delivered yet.
func (t *OrgTally) Left() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.left
}

// CaughtUp returns when the last backlog event arrived; zero while some are left.
func (t *OrgTally) CaughtUp() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.doneAt
}

// OrgsCaughtUp is the number of orgs whose whole backlog arrived.
func (t *OrgTally) OrgsCaughtUp() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, p := range t.orgs {
		if p.left == 0 {
			n++
		}
	}
	return n
}

// Missing is the number of the ledgers' uids (each org's, in the orgs' order) that never arrived.
func (t *OrgTally) Missing(ledgers [][]string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, uids := range ledgers {
		for _, u := range uids {
			if t.seen[u] == 0 {
				n++
			}
		}
	}
	return n
}

// OrgFigures are one org's delivery in a multi-org run.
type OrgFigures struct {
	Backlog    int // events the org held when the collector started
	Ledger     int // events it held at the end (the backlog and the live stream)
	Delivered  int // distinct ledger events that arrived
	Missing    int // ledger events that never arrived
	Duplicates int // arrivals of ledger events beyond the first
	// CaughtUp is when the last of the backlog arrived; zero when it never did.
	CaughtUp time.Time
	// LongestGap is the longest time without an arrival from the backlog while some was left:
	// from the start to the first, between two, and, when the org never caught up, from the
	// last to the end.
	LongestGap time.Duration
}

// Figures checks each org's ledger (its uids at the end, in the orgs' order) against the
// arrivals, and returns every org's figures and the distinct uids that arrived but belong to no
// ledger. end closes the gap of an org that never caught up.
func (t *OrgTally) Figures(ledgers [][]string, end time.Time) (orgs []OrgFigures, unknown int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	orgs = make([]OrgFigures, len(t.orgs))
	inLedger := 0
	for i, p := range t.orgs {
		f := OrgFigures{Backlog: p.backlog, CaughtUp: p.caughtUp, LongestGap: p.longestGap}
		if p.left > 0 {
			f.LongestGap = max(f.LongestGap, end.Sub(p.last))
		}
		if i < len(ledgers) {
			f.Ledger = len(ledgers[i])
			for _, u := range ledgers[i] {
				if n := t.seen[u]; n > 0 {
					f.Delivered++
					f.Duplicates += n - 1
					inLedger++
				} else {
					f.Missing++
				}
			}
		}
		orgs[i] = f
	}
	return orgs, max(0, len(t.seen)-inLedger)
}
