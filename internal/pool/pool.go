// Package pool is the memory that every okta receiver of a collector shares for the pages it reads, maps
// and hands to its pipeline, so that the memory in the receivers' hands is bounded by the pool's capacity,
// not by the number of orgs, while one org's trouble (a slow upstream, a blocked pipeline) holds no other
// org back for long.
//
// # Model
//
// Each page holds a Lease from the moment its request is sent until its pipeline has answered (or the
// page was given back). A receiver takes one lease at a time.
//
// What memory is counted: while the answer arrives, the larger of the request's ticket (what it reserved:
// the page its org expects, at least MinTicket, at most the capacity) and the bytes the body has taken so
// far; once the answer is in, Weight times its bytes (the text and the records that share it), plus what
// the receiver charges on top (Charge); nothing once the lease is released. Every lease's count is in Pool's
// used, and in the receiver's gauge (Request.Held).
//
// Who is served first: a request or a growth that fits is served at once when nobody waits; otherwise it
// waits in a queue ordered by kind, first come first served within a kind: (1) a page to be mapped, which
// goes to its pipeline and gives everything back, (2) an answer that grew beyond its ticket, (3) new
// requests of orgs whose pipelines accept their pages, (4) new requests of suspect orgs, whose last page was
// given back because their pipeline held it.
//
// When memory is asked back: only while someone waits, by the first in line, every ReclaimEvery. The ticket
// of an answer still arriving after TicketFor is cut to what has arrived: a slow upstream holds only the
// bytes it brought. A page in its pipeline's hands for longer than its grace (EvictAfter, or SuspectGrace
// for a suspect org's page) is asked back, the longest held first, until what they hold covers the first
// wait; the receiver cancels its call to the pipeline, drops the page (not checkpointed) and reads it again.
// A pipeline that was slow but working may already have sent it: the page then comes twice (the receiver
// counts every page given back during a call to its pipeline). When only suspect orgs wait, a page of an
// org that is not suspect is asked back only after StuckAfter: an org whose own backend is down does not
// take memory from a pipeline that is merely slow.
//
// Admission: a new request is admitted only within the capacity, counting the answers already admitted and
// still arriving as if they held at least their floor (their ticket divided by Weight: the answer's
// expected bytes), so that many slow answers cannot together bring more than the pool holds.
//
// The worst case: answers still arriving take at most ArrivingBound capacities, beyond that only one of
// them grows, and only when nothing else could move; a page to be mapped is given what it needs beyond the
// capacity only when no other page being mapped or in a pipeline's hands would give memory back, so at most
// one page at a time is beyond the capacity. Used memory therefore stays within ArrivingBound × capacity
// plus one page (its answer, at most max_response_body_size, times Weight). The pool never deadlocks: when
// every holder waits, the first in line is served beyond the capacity.
//
// How long an org waits: one whose pipeline accepts its pages waits for memory at most about as long as the
// slowest answer before it takes to arrive (its client's timeout), plus twice EvictAfter and TicketFor (the
// pages and tickets asked back for it), plus a few ReclaimEvery. TestPoolModel checks that bound, the
// counts, the queue's order, the worst case and that nothing is stuck, after every step of thousands of
// random schedules.
//
// What costs what: with nobody waiting, a lease is a few short critical sections per page (admit, each
// growth of the body, mapping, release), none per byte; the receiver watches for its page being asked back
// only through a cancel function the pool calls (no goroutine).
package pool // import "github.com/datableio/oktareceiver/internal/pool"

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The pool's timing. TicketFor and EvictAfter bound how long a healthy org waits behind others: at most
// about EvictAfter + ReclaimEvery behind pages in blocked pipelines (each page admitted after another was
// given back has its own EvictAfter), TicketFor + ReclaimEvery behind slow answers' tickets (and otherwise
// until those answers are in, which their client's timeout bounds).
const (
	// TicketFor is how long a request's ticket holds in full once admitted; after that, while others wait, an
	// answer still arriving holds only its bytes. Long enough for a healthy answer to arrive within it.
	TicketFor = time.Second
	// ArrivingBound is how far, in capacities, answers still arriving may take the pool when only they hold
	// memory besides those who wait: a slow upstream holds no other org back, yet many answers arriving at
	// once (many orgs, busy CPUs) cannot grow without bound.
	ArrivingBound = 2
	// EvictAfter is how long a page may wait for its pipeline before it is asked back while other orgs wait.
	// Short, because orgs whose pipelines block at once are asked back one after another.
	EvictAfter = 3 * time.Second
	// SuspectGrace is EvictAfter for an org whose pipeline held its last page back: shorter, so that the
	// others wait little for it, but long enough for a pipeline that has recovered to take the page.
	SuspectGrace = time.Second
	// StuckAfter is how long a page of an org that is not suspect may stay in its pipeline's hands before a
	// suspect org may ask it back: so that an org that has recovered does not wait for ever on another org
	// whose backend has just gone down, while a pipeline that is merely slow keeps its page.
	StuckAfter = 10 * EvictAfter
	// ReclaimEvery is how often the first in line looks for memory to ask back.
	ReclaimEvery = 200 * time.Millisecond
)

// Options are a pool's fixed parameters.
type Options struct {
	// Now is the pool's clock (time.Now when nil): tests move it.
	Now func() time.Time
	// MinTicket is the least a request holds from the moment it is sent until its answer has arrived or
	// TicketFor has passed, whichever is first: it bounds how many answers arrive at once, while a slow
	// answer holds only the bytes it brought.
	MinTicket int64
	// Weight is what a page in hand costs per byte of its answer, once mapped.
	Weight int64
}

// Request is what a request asks of the pool.
type Request struct {
	// Owner names the receiver, in the lines that say whom an org waits for.
	Owner string
	// Held, when not nil, follows what the lease holds.
	Held *atomic.Int64
	// Notice is told when the wait for admission is long.
	Notice Notice
	// Suspect is set for an org whose last page was given back because its pipeline held it: its request
	// waits behind the others', and its page is asked back after SuspectGrace, not EvictAfter.
	Suspect bool
	// Expect is the memory the org expects its page to take: the request reserves it (at least MinTicket,
	// at most the capacity), so that a page that fits is read and mapped without waiting again.
	Expect int64
}

// leaseState is what a lease's memory is for.
type leaseState int

const (
	// leaseReading: Okta's answer is arriving.
	leaseReading leaseState = iota
	// leaseMapping: the page is being turned into records.
	leaseMapping
	// leaseDelivering: the page is in the pipeline's hands, or waiting to be handed to it again.
	leaseDelivering
)

// Pool counts the memory held by leases against a capacity, the largest that a running receiver asked for.
type Pool struct {
	mu        sync.Mutex
	minTicket int64
	weight    int64
	now       func() time.Time
	asks      map[int64]int // capacity asked → receivers asking it
	capacity  int64
	used      int64
	// short is what the answers of admitted requests still arriving are expected to bring beyond what
	// they hold: the sum of the leases' short, kept as they change (see account).
	short  int64
	queue  []*want
	leases map[*Lease]struct{}
	// leased numbers the leases in the order they were made, to order leases held since the same instant.
	leased uint64
	// over is the one answer still arriving that was given memory beyond ArrivingBound capacities (every
	// other answer waited), until it is mapped or released: no other answer goes beyond meanwhile, so that
	// answers served in turn while all wait cannot together grow without bound.
	over *Lease
}

// want is a lease waiting for more memory.
type want struct {
	l     *Lease
	n     int64
	ready chan struct{}
	// admission is a request's ticket, before it is sent: only ever given within the capacity.
	admission bool
	start     time.Time
}

// New returns an empty pool, of capacity 0 until a receiver asks for one.
func New(o Options) *Pool {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Pool{now: o.Now, minTicket: max(o.MinTicket, 1), weight: max(o.Weight, 1), asks: map[int64]int{}, leases: map[*Lease]struct{}{}}
}

// Ask registers a running receiver's wish for a capacity of n bytes: the capacity is the largest wish.
func (p *Pool) Ask(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asks[n]++
	p.resize()
}

// Withdraw takes back a wish Ask registered.
func (p *Pool) Withdraw(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asks[n]--; p.asks[n] <= 0 {
		delete(p.asks, n)
	}
	p.resize()
}

// resize sets the capacity to the largest ask; p.mu is held. A smaller capacity takes effect as memory is
// given back.
func (p *Pool) resize() {
	p.capacity = 0
	for n := range p.asks {
		p.capacity = max(p.capacity, n)
	}
	p.wake()
}

// Lease is one page's memory, from the request to the pipeline's answer.
type Lease struct {
	p     *Pool
	seq   uint64
	owner string
	// held is what the lease counts in the pool: the larger of its ticket and the bytes charged.
	held    int64
	ticket  int64
	charged int64
	// floor is the answer the request expects, its ticket's share of text: while the answer arrives, new
	// requests are admitted as if it held at least that much, even once its ticket is given back, so that
	// the answers arriving at once stay about within the capacity however slowly they arrive.
	floor int64
	// admitted is set once the request has its ticket: only then does its floor count.
	admitted bool
	// short is what the lease counts in the pool's short: floor - held while its answer arrives.
	short   int64
	state   leaseState
	since   time.Time
	waiting bool
	// evicted is closed when the pool asks for the memory back, and onEvict (when set) called.
	evicted     chan struct{}
	evictedOnce bool
	onEvict     func()
	// heldNow is held, readable without the pool's lock (the receiver's memory gauge).
	heldNow *atomic.Int64
	// waited adds up the time spent waiting for memory.
	waited time.Duration
	notice Notice
	// suspect: see Request.Suspect.
	suspect bool
}

// Notice is told, once per wait, when a wait for memory has lasted longer than After, with the
// receivers that hold the most memory.
type Notice struct {
	After time.Duration
	Say   func(waited time.Duration, by []Holder)
}

// Admit waits in turn until the pool can give a request its ticket, then returns the lease the request's
// page will be counted on. It fails only when ctx ends. A page that fits its ticket (Request.Expect) is read
// and mapped without waiting again, so a request that was admitted is not held up halfway.
func (p *Pool) Admit(ctx context.Context, r Request) (*Lease, error) {
	l, w := p.admission(r)
	if w != nil {
		if err := l.await(ctx, w); err != nil {
			l.Release()
			return nil, err
		}
	}
	l.given()
	return l, nil
}

// admission is Admit without the wait: the lease, and the wait for its ticket, nil when it was given at once.
func (p *Pool) admission(r Request) (*Lease, *want) {
	l := &Lease{p: p, owner: r.Owner, evicted: make(chan struct{}), heldNow: r.Held, notice: r.Notice, suspect: r.Suspect}
	p.mu.Lock()
	p.leased++
	l.seq = p.leased
	l.since = p.now()
	p.leases[l] = struct{}{}
	ticket := max(p.minTicket, min(r.Expect, p.capacity))
	l.ticket = ticket
	l.floor = ticket / p.weight
	p.mu.Unlock()
	return l, l.request(ticket, true)
}

// given starts the clock of a ticket once it is given.
func (l *Lease) given() {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.since = l.p.now()
}

// Expected is the size of the answer the request expects (its floor): what new requests are admitted as if
// it held until it has arrived, whatever it holds.
func (l *Lease) Expected() int64 {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	return l.floor
}

// Charge counts n more bytes of the answer (or of the page, once mapped), waiting in turn when the pool is
// full.
func (l *Lease) Charge(ctx context.Context, n int64) error {
	if w := l.charge(n); w != nil {
		return l.await(ctx, w)
	}
	return nil
}

// charge is Charge without the wait: it returns the wait it joined, nil when there is none.
func (l *Lease) charge(n int64) *want {
	l.p.mu.Lock()
	l.charged += n
	more := max(l.ticket, l.charged) - l.held
	l.p.mu.Unlock()
	if more <= 0 {
		return nil
	}
	return l.request(more, false)
}

// Mapping counts the page at Weight times its answer's bodyLen bytes, for the time it is mapped and
// delivered; what the ticket held beyond that is given back.
func (l *Lease) Mapping(ctx context.Context, bodyLen int) error {
	if w := l.mapping(bodyLen); w != nil {
		return l.await(ctx, w)
	}
	return nil
}

// mapping is Mapping without the wait: it returns the wait it joined, nil when there is none.
func (l *Lease) mapping(bodyLen int) *want {
	l.p.mu.Lock()
	l.ticket, l.charged = 0, int64(bodyLen)*l.p.weight
	l.setState(leaseMapping)
	more := l.charged - l.held
	l.p.mu.Unlock()
	if more <= 0 {
		l.trim()
		return nil
	}
	return l.request(more, false)
}

// Delivering marks the page as in the pipeline's hands: from now on it may be asked back.
func (l *Lease) Delivering() {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.setState(leaseDelivering)
}

// OnAskedBack has f called when the pool asks for the page's memory back, at once if it has already; nil
// forgets the last f. f is called with the pool's lock held and must not call the pool: it is meant for the
// cancel of a call to the pipeline, which costs nothing while nobody asks.
func (l *Lease) OnAskedBack(f func()) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.onEvict = f
	if l.evictedOnce && f != nil {
		f()
	}
}

// setState changes the state and restarts its clock; p.mu is held.
func (l *Lease) setState(s leaseState) {
	l.state, l.since = s, l.p.now()
	if l.p.over == l && s != leaseReading {
		l.p.over = nil
	}
	l.p.account(l)
}

// grace is how long the lease's page may stay in its pipeline's hands while others wait.
func (l *Lease) grace() time.Duration {
	if l.suspect {
		return SuspectGrace
	}
	return EvictAfter
}

// AskedBack is closed when the pool asks for the page's memory back.
func (l *Lease) AskedBack() <-chan struct{} { return l.evicted }

// WasAskedBack reports whether the pool has asked for the page's memory back.
func (l *Lease) WasAskedBack() bool { return isClosed(l.evicted) }

// trim gives back what the lease holds beyond its ticket and charge.
func (l *Lease) trim() {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.p.shrink(l, max(l.ticket, l.charged))
}

// Release gives everything back; a wait of the lease still under way ends. It may be called more than once.
func (l *Lease) Release() {
	p := l.p
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = slices.DeleteFunc(p.queue, func(w *want) bool {
		if w.l == l {
			close(w.ready)
			return true
		}
		return false
	})
	delete(p.leases, l)
	l.onEvict = nil
	if p.over == l {
		p.over = nil
	}
	p.shrink(l, 0)
	p.account(l)
	p.wake()
}

// shrink lowers what l holds to n; p.mu is held.
func (p *Pool) shrink(l *Lease, n int64) {
	if l.held <= n {
		return
	}
	p.used -= l.held - n
	l.held = n
	p.account(l)
	l.publish()
	p.wake()
}

func (l *Lease) publish() {
	if l.heldNow != nil {
		l.heldNow.Store(l.held)
	}
}

// request adds n to what l holds: at once when the pool has room and nobody waits before it (it returns
// nil), otherwise in turn: it returns the wait it joined (see await).
func (l *Lease) request(n int64, admission bool) *want {
	p := l.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 && p.fits(l, n, admission) {
		p.grant(l, p.granted(l, n, admission))
		return nil
	}
	w := &want{l: l, n: n, ready: make(chan struct{}), admission: admission, start: p.now()}
	p.queue = slices.Insert(p.queue, p.place(w), w)
	l.waiting = true
	p.reclaim()
	p.wake() // with this wait, every holder may now be waiting: the first is then served beyond capacity
	return w
}

// await waits until w is served or ctx ends. While it is first in line it reclaims memory every ReclaimEvery
// for everyone: the tickets of slow answers, and pages that their pipelines have held past their grace.
func (l *Lease) await(ctx context.Context, w *want) error {
	p := l.p
	start := w.start
	tick := time.NewTicker(ReclaimEvery)
	defer tick.Stop()
	defer func() {
		p.mu.Lock()
		l.waiting = false
		l.waited += p.now().Sub(start)
		p.mu.Unlock()
	}()
	said := false
	for {
		select {
		case <-w.ready:
			return nil
		case <-tick.C:
			p.mu.Lock()
			if len(p.queue) > 0 && p.queue[0] == w { // the first in line reclaims for everyone: one scan a tick, however many wait
				p.reclaim()
				p.wake()
			}
			waited := p.now().Sub(start)
			p.mu.Unlock()
			if isClosed(w.ready) {
				return nil
			}
			if !said && l.notice.Say != nil && waited > l.notice.After {
				said = true
				l.notice.Say(waited, p.holders(l.owner, 3))
			}
		case <-ctx.Done():
			p.mu.Lock()
			defer p.mu.Unlock()
			select {
			case <-w.ready: // granted as ctx ended: the lease holds it, release gives it back
			default:
				p.queue = slices.DeleteFunc(p.queue, func(x *want) bool { return x == w })
				p.wake()
			}
			return ctx.Err()
		}
	}
}

// place is where a wait joins the queue: first what requests already admitted need (a page to be mapped,
// which goes to its pipeline and gives everything back, then an answer that grew), whatever their org;
// then new requests, those of orgs that are not suspect before those that are; each after those of its
// kind that came first; p.mu is held. A suspect org's page to be mapped must not wait behind a new request:
// that request may be waiting for exactly the memory the page gives back once delivered (or evicted).
func (p *Pool) place(w *want) int {
	rank := wantRank
	at := slices.IndexFunc(p.queue, func(x *want) bool { return rank(x) > rank(w) })
	if at < 0 {
		return len(p.queue)
	}
	return at
}

// wantRank is a wait's place in the queue's order (see place): a page to be mapped, the answer beyond the
// bound (over), the other answers, new requests, new requests of suspect orgs.
func wantRank(x *want) int {
	switch {
	case x.admission && x.l.suspect:
		return 4
	case x.admission:
		return 3
	case x.l.state == leaseReading && x.l.p.over == x.l:
		return 1
	case x.l.state == leaseReading:
		return 2
	}
	return 0
}

// fits reports whether n more for l can be given now: within the capacity (always, for a new request's
// ticket, which bounds how many answers arrive at once: it is cut to what is left, see granted), or beyond it
// when no page that is being mapped or is in a pipeline's hands would give memory back soon, the others
// waiting for more or being answers still arriving (which may take as long as their upstream likes). Then a
// page to be mapped is given whatever it takes: it goes to its pipeline and gives everything back, so the
// pool never deadlocks on a page larger than its capacity. An answer still arriving is given up to
// ArrivingBound capacities, and beyond that only when nothing else could move (no other answer arriving,
// no page waiting to be mapped), and then only for one answer at a time (over), so that answers arriving by
// the hundred cannot take the pool without bound; p.mu is held.
func (p *Pool) fits(l *Lease, n int64, admission bool) bool {
	if admission {
		expected := p.expected(l)
		return p.used+expected == 0 || p.used+expected+p.minTicket <= p.capacity
	}
	if p.used+n <= p.capacity {
		return true
	}
	arriving := false
	for o := range p.leases {
		if o == l || o.held == 0 || o.waiting {
			continue
		}
		if o.state != leaseReading {
			return false
		}
		arriving = true
	}
	if l.state != leaseReading || p.used+n <= ArrivingBound*p.capacity {
		return true
	}
	return (p.over == nil || p.over == l) && !arriving && !slices.ContainsFunc(p.queue, func(w *want) bool { return w.l.state == leaseMapping })
}

// granted is what a wait for n that fits is given: all of it, except a ticket, which is cut to what the
// pool has left (never below minTicket), so that a request expecting a large page is not kept waiting
// while a smaller one would do; p.mu is held.
func (p *Pool) granted(l *Lease, n int64, admission bool) int64 {
	if !admission {
		return n
	}
	l.admitted = true
	if left := p.capacity - p.used - p.expected(l); n > left {
		n = max(left, p.minTicket)
		l.ticket = n
	}
	return n
}

// expected is what the answers of admitted requests still arriving, but except's, are expected to bring
// beyond what they hold: their floors; p.mu is held.
func (p *Pool) expected(except *Lease) int64 { return p.short - except.short }

// account brings l's share of the pool's short up to date after its held or state changed, or it was
// released: taken out of p.leases (an admission is always followed by its grant, which accounts for it);
// p.mu is held.
func (p *Pool) account(l *Lease) {
	var short int64
	if _, live := p.leases[l]; live && l.admitted && l.state == leaseReading && l.held < l.floor {
		short = l.floor - l.held
	}
	p.short += short - l.short
	l.short = short
}

func (p *Pool) grant(l *Lease, n int64) {
	p.used += n
	l.held += n
	if l.state == leaseReading && p.used > ArrivingBound*p.capacity {
		p.over = l
	}
	p.account(l)
	l.publish()
}

// wake grants the waiting in the order of the queue (see place), as far as memory allows; p.mu is held.
func (p *Pool) wake() {
	for len(p.queue) > 0 {
		w := p.queue[0]
		w.l.waiting = false // a lease is not counted as waiting when its own turn is decided
		ok := p.fits(w.l, w.n, w.admission)
		w.l.waiting = true
		if !ok {
			return
		}
		w.l.waiting = false
		p.grant(w.l, p.granted(w.l, w.n, w.admission))
		p.queue = p.queue[1:]
		close(w.ready)
	}
}

// reclaim takes memory back for those who wait: a request whose answer is still arriving after TicketFor
// keeps only the bytes it has; pages held by their pipelines past their grace (EvictAfter, SuspectGrace)
// are asked back, the longest held first, until what they hold covers the first wait; p.mu is held.
func (p *Pool) reclaim() {
	now := p.now()
	var slow []*Lease
	for l := range p.leases {
		if l.state == leaseReading && l.ticket > 0 && !l.waiting && now.Sub(l.since) >= TicketFor {
			slow = append(slow, l)
		}
	}
	slices.SortFunc(slow, func(a, b *Lease) int { return cmp.Compare(a.seq, b.seq) }) // the same schedule, the same pool
	for _, l := range slow {
		l.ticket = 0
		p.shrink(l, l.charged)
	}
	if len(p.queue) == 0 {
		return
	}
	// When only orgs whose own pipelines hold pages back wait, they may take memory back from each other,
	// but from a pipeline that may just be slow only once it has held its page for StuckAfter.
	onlySuspects := !slices.ContainsFunc(p.queue, func(w *want) bool { return !w.l.suspect })
	need := p.queue[0].n - (p.capacity - p.used)
	var stale []*Lease
	for l := range p.leases {
		held := now.Sub(l.since)
		if l.state == leaseDelivering && !l.evictedOnce && held >= l.grace() && (l.suspect || !onlySuspects || held >= StuckAfter) {
			stale = append(stale, l)
		}
	}
	slices.SortFunc(stale, func(a, b *Lease) int {
		if c := a.since.Compare(b.since); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, l := range stale {
		if need <= 0 {
			return
		}
		l.evictedOnce = true
		close(l.evicted)
		if l.onEvict != nil {
			l.onEvict()
		}
		need -= l.held
	}
}

// holders names the receivers that hold the most memory, with what they hold, for a line that says
// whom an org waits for.
func (p *Pool) holders(except string, n int) []Holder {
	p.mu.Lock()
	defer p.mu.Unlock()
	by := map[string]*Holder{}
	for l := range p.leases {
		if l.owner == except || l.held == 0 {
			continue
		}
		h := by[l.owner]
		if h == nil {
			h = &Holder{Receiver: l.owner}
			by[l.owner] = h
		}
		h.Bytes += l.held
		if l.state == leaseDelivering {
			h.InPipeline = true
		}
	}
	out := make([]Holder, 0, len(by))
	for _, h := range by {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b Holder) int {
		if c := cmp.Compare(b.Bytes, a.Bytes); c != 0 {
			return c
		}
		return strings.Compare(a.Receiver, b.Receiver)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Describe names the receivers that hold memory, for a log line.
func Describe(hs []Holder) string {
	if len(hs) == 0 {
		return "nobody now: memory was given back as the line was written"
	}
	parts := make([]string, len(hs))
	for i, h := range hs {
		where := "reading or mapping"
		if h.InPipeline {
			where = "in its pipeline"
		}
		parts[i] = fmt.Sprintf("%s (%.1f MB, %s)", h.Receiver, float64(h.Bytes)/1e6, where)
	}
	return strings.Join(parts, ", ")
}

// Holder is one receiver's share of the pool.
type Holder struct {
	Receiver   string
	Bytes      int64
	InPipeline bool
}

// WaitedFor returns and resets the time the lease spent waiting for memory.
func (l *Lease) WaitedFor() time.Duration {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	d := l.waited
	l.waited = 0
	return d
}

// String describes the pool's capacity, queue and leases, for a failing test's output.
func (p *Pool) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "cap=%d used=%d queue=%d\n", p.capacity, p.used, len(p.queue))
	for _, w := range p.queue {
		fmt.Fprintf(&b, "  want %s n=%d adm=%v state=%d held=%d\n", w.l.owner, w.n, w.admission, w.l.state, w.l.held)
	}
	for l := range p.leases {
		fmt.Fprintf(&b, "  lease %s held=%d ticket=%d charged=%d floor=%d adm=%v state=%d waiting=%v suspect=%v evicted=%v since=%s\n",
			l.owner, l.held, l.ticket, l.charged, l.floor, l.admitted, l.state, l.waiting, l.suspect, l.evictedOnce, p.now().Sub(l.since))
	}
	return b.String()
}

// Idle reports whether no receiver asks for a capacity and no lease is held: nothing is left behind.
func (p *Pool) Idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.asks) == 0 && len(p.leases) == 0 && p.used == 0
}
