package oktasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"
)

// retention is how far back (by published time) Okta returns events.
const retention = 90 * 24 * time.Hour

// event is one stored LogEvent.
type event struct {
	raw       []byte // the JSON object, byte for byte
	uuid      string
	published time.Time
	persisted time.Time // when the org stored it, millisecond precision
	seq       uint64    // insertion order, unique
}

// persistPos is the event's place in polling order.
func (e *event) persistPos() position { return position{ms: e.persisted.UnixMilli(), seq: e.seq} }

// publishPos is the event's place in bounded-query order.
func (e *event) publishPos() position { return position{ms: e.published.UnixMilli(), seq: e.seq} }

// store holds the org's events sorted by (persisted, seq).
type store struct {
	mu     sync.RWMutex
	events []*event
	uuids  map[string]struct{}
	seq    uint64
}

// parseEvent checks that raw is a JSON object with a string uuid and an RFC 3339 published
// time, and returns it as an unstored event. Whitespace around the object is dropped.
func parseEvent(raw []byte) (*event, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return nil, errors.New("oktasim: event is not a JSON object")
	}
	var head struct {
		UUID      *string `json:"uuid"`
		Published *string `json:"published"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("oktasim: event: %w", err)
	}
	if head.UUID == nil || *head.UUID == "" {
		return nil, errors.New("oktasim: event has no uuid")
	}
	if head.Published == nil {
		return nil, fmt.Errorf("oktasim: event %s has no published time", *head.UUID)
	}
	pub, err := parsePublished(*head.Published)
	if err != nil {
		return nil, fmt.Errorf("oktasim: event %s: %w", *head.UUID, err)
	}
	return &event{raw: bytes.Clone(raw), uuid: *head.UUID, published: pub}, nil
}

var rfc3339Loose = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)

// parsePublished reads an RFC 3339 time. Out-of-range fields that Okta's own documentation
// contains (2017-09-31) are normalized like time.Date does rather than rejected.
func parsePublished(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	m := rfc3339Loose.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("published %q is not an RFC 3339 time", s)
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	nsec := 0
	if m[7] != "" {
		frac := (m[7][1:] + "000000000")[:9]
		nsec, _ = strconv.Atoi(frac)
	}
	loc := time.UTC
	if m[8] != "Z" {
		off, err := time.Parse("-07:00", m[8])
		if err != nil {
			return time.Time{}, fmt.Errorf("published %q: bad offset", s)
		}
		_, secs := off.Zone()
		loc = time.FixedZone("", secs)
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], nsec, loc), nil
}

// add stores events with the persistence times given (truncated to milliseconds). It is all or
// nothing: a uuid already held, or repeated in the batch, rejects the whole batch.
func (st *store) add(evs []*event, persisted []time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.uuids == nil {
		st.uuids = make(map[string]struct{})
	}
	seen := make(map[string]struct{}, len(evs))
	for _, e := range evs {
		_, held := st.uuids[e.uuid]
		_, dup := seen[e.uuid]
		if held || dup {
			return fmt.Errorf("oktasim: duplicate event uuid %s", e.uuid)
		}
		seen[e.uuid] = struct{}{}
	}
	for i, e := range evs {
		st.seq++
		e.seq = st.seq
		e.persisted = persisted[i].Truncate(time.Millisecond)
		st.uuids[e.uuid] = struct{}{}
		// Usually an append; a persistence time earlier than the newest stored one (a backlog, or
		// a clock moved backwards) is inserted in order.
		at := sort.Search(len(st.events), func(j int) bool { return st.events[j].persisted.After(e.persisted) })
		st.events = append(st.events, nil)
		copy(st.events[at+1:], st.events[at:])
		st.events[at] = e
	}
	return nil
}

// expired reports whether the event is past retention at now.
func (e *event) expired(now time.Time) bool { return e.published.Before(now.Add(-retention)) }

// ledger returns the uuids of the events within retention, in persistence order.
func (st *store) ledger(now time.Time) []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]string, 0, len(st.events))
	for _, e := range st.events {
		if !e.expired(now) {
			out = append(out, e.uuid)
		}
	}
	return out
}

// poll returns up to limit events strictly after the cursor in persistence order, persisted at or
// before now, within retention and accepted by match.
func (st *store) poll(after position, now time.Time, limit int, match func(*event) bool) []*event {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []*event
	i := sort.Search(len(st.events), func(i int) bool { return after.less(st.events[i].persistPos()) })
	for ; i < len(st.events) && len(out) < limit; i++ {
		e := st.events[i]
		if e.persisted.After(now) {
			break
		}
		if !e.expired(now) && match(e) {
			out = append(out, e)
		}
	}
	return out
}

// bounded returns up to limit events with published in [since, until), persisted at or before
// now, within retention and accepted by match, in published order (reversed when desc), starting
// strictly after the cursor when there is one. more reports whether further events remain.
func (st *store) bounded(since, until, now time.Time, desc bool, after *position, limit int, match func(*event) bool) (page []*event, more bool) {
	st.mu.RLock()
	var cand []*event
	for _, e := range st.events {
		if e.persisted.After(now) {
			break
		}
		if !e.expired(now) && !e.published.Before(since) && e.published.Before(until) {
			cand = append(cand, e)
		}
	}
	st.mu.RUnlock()
	before := func(a, b position) bool { return a.less(b) }
	if desc {
		before = func(a, b position) bool { return b.less(a) }
	}
	sort.Slice(cand, func(i, j int) bool { return before(cand[i].publishPos(), cand[j].publishPos()) })
	i := 0
	if after != nil {
		i = sort.Search(len(cand), func(i int) bool { return before(*after, cand[i].publishPos()) })
	}
	for ; i < len(cand); i++ {
		if !match(cand[i]) {
			continue
		}
		if len(page) == limit {
			return page, true
		}
		page = append(page, cand[i])
	}
	return page, false
}
