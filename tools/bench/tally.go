package bench

import (
	"sync"
	"time"
)

// Tally counts the log records that reached the end of the pipeline and signals when a target is
// reached. Given the records' log.record.uid values it also counts distinct and repeated events;
// then the target applies to distinct events.
type Tally struct {
	mu       sync.Mutex
	target   int
	done     chan struct{}
	uids     map[string]struct{}
	records  int
	repeated int
	first    time.Time
	last     time.Time
	doneAt   time.Time
	samples  []CountSample
}

// CountSample is the number of records counted at a time.
type CountSample struct {
	At      time.Time
	Records int
}

// TallySnapshot is what a Tally counted so far.
type TallySnapshot struct {
	Records  int
	Distinct int // -1 when the records carried no uids (the debug exporter)
	Repeated int
	First    time.Time // the first record's arrival
	Last     time.Time // the latest record's arrival
	DoneAt   time.Time // when the target was reached; zero before
}

// NewTally returns a tally whose Done channel closes when target events were counted (never when
// target is 0).
func NewTally(target int) *Tally {
	return &Tally{target: target, done: make(chan struct{})}
}

// Done is closed once the target is reached.
func (t *Tally) Done() <-chan struct{} { return t.done }

// Add counts n records that arrived at now. uids, when not nil, are their log.record.uid values.
func (t *Tally) Add(now time.Time, n int, uids []string) {
	if n == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if uids != nil && t.uids == nil {
		t.uids = make(map[string]struct{}, t.target)
	}
	for _, u := range uids {
		if _, seen := t.uids[u]; seen {
			t.repeated++
		} else {
			t.uids[u] = struct{}{}
		}
	}
	t.records += n
	if t.first.IsZero() {
		t.first = now
	}
	t.last = now
	t.samples = append(t.samples, CountSample{At: now, Records: t.records})
	got := t.records
	if t.uids != nil {
		got = len(t.uids)
	}
	if t.target > 0 && got >= t.target && t.doneAt.IsZero() {
		t.doneAt = now
		close(t.done)
	}
}

// Snapshot returns the counts so far.
func (t *Tally) Snapshot() TallySnapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := TallySnapshot{Records: t.records, Distinct: -1, Repeated: t.repeated, First: t.first, Last: t.last, DoneAt: t.doneAt}
	if t.uids != nil {
		s.Distinct = len(t.uids)
	}
	return s
}

// Has reports whether a record with this log.record.uid was counted.
func (t *Tally) Has(uid string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.uids[uid]
	return ok
}

// Samples returns the running record count after each arrival, oldest first.
func (t *Tally) Samples() []CountSample {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]CountSample(nil), t.samples...)
}

// countAt is the record count at time at: the latest sample not after it (0 before the first).
func countAt(samples []CountSample, at time.Time) int {
	n := 0
	for _, s := range samples {
		if s.At.After(at) {
			break
		}
		n = s.Records
	}
	return n
}
