package receiver

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

// pageShare is one page's worth of memory: a full page of large events once mapped. The memory every okta
// receiver of the collector holds together is pages_in_flight × pageShare. A variable only so that tests
// can scale the pool down to pages of a few events.
var pageShare int64 = 32 << 20

// defaultTicket is the least a request holds from the moment it is sent until its answer has arrived or
// ticketFor has passed, whichever is first: it bounds how many answers arrive at once, while a slow answer
// holds only the bytes it brought.
const defaultTicket = 1 << 20

const (
	// pageWeight is what a page is counted per byte of its text while it is mapped: at least what
	// mapping.PageCost allows per byte (6), so that a page whose events are few is never counted short;
	// once mapped, a page of many events is counted up to mapping.PageCost.
	pageWeight = 10
	ticketFor  = time.Second
	// arrivingBound is how far, in capacities, answers still arriving may take the pool when only they hold
	// memory besides those who wait: a slow upstream holds no other org back, yet many answers arriving at
	// once (many orgs, busy CPUs) cannot grow without bound. The worst case is this many capacities plus
	// one page (its answer and its records).
	arrivingBound = 2
	// evictAfter is how long a page may wait for its pipeline before it gives its memory back when other
	// orgs wait for memory: it is dropped, not checkpointed, and read again after a backoff (Okta keeps it).
	// Short, because orgs whose pipelines block at once are asked back one after another (each page
	// admitted after another was given back has its own evictAfter). The call to the pipeline is cancelled:
	// a pipeline that is slow but working may have sent the page already, and the page read again then
	// repeats it (seen once, for one page, at 1,000 orgs on 2 busy CPUs).
	evictAfter = 3 * time.Second
	// suspectGrace is evictAfter for an org whose pipeline held its last page back: shorter, so that the
	// others wait little for it, but long enough for a pipeline that has recovered to take the page.
	suspectGrace = time.Second
	// stuckAfter is how long a page may stay in its pipeline's hands before it is asked back for an org
	// whose own pipeline held its last page back (a suspect org): such an org takes memory back from a
	// pipeline that may just be slow only once that pipeline has held a page this long, so that an org that
	// has recovered does not wait for ever on another org whose backend has just gone down.
	stuckAfter = 10 * evictAfter
	// reclaimEvery is how often a waiting org looks for memory to reclaim: tickets of slow answers, pages
	// held too long by their pipelines.
	reclaimEvery = 200 * time.Millisecond
)

// memory is the collector-wide pool every okta receiver draws on for the pages it reads, maps and hands
// to its pipeline. Memory is counted as it is really held: the bytes of an answer as they arrive, a page
// at pageWeight times its text once it is mapped. An org never waits for another org's slow upstream
// (a slow answer holds only what has arrived), nor for long on another org's pipeline (a page held by its
// pipeline past evictAfter is given back when others wait), and orgs are served in the order they asked.
var memory = newPool(time.Now, defaultTicket)

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

// pool counts the memory held by leases against a capacity, the largest that a running receiver asked for.
type pool struct {
	mu sync.Mutex
	// minTicket is the least a request's ticket holds.
	minTicket int64
	now       func() time.Time
	asks      map[int64]int // capacity asked → receivers asking it
	capacity  int64
	used      int64
	// short is what the answers of admitted requests still arriving are expected to bring beyond what
	// they hold: the sum of the leases' short, kept as they change (see account).
	short  int64
	queue  []*want
	leases map[*lease]struct{}
}

// want is a lease waiting for more memory.
type want struct {
	l     *lease
	n     int64
	ready chan struct{}
	// admission is a request's ticket, before it is sent: only ever given within the capacity.
	admission bool
}

func newPool(now func() time.Time, minTicket int64) *pool {
	return &pool{now: now, minTicket: minTicket, asks: map[int64]int{}, leases: map[*lease]struct{}{}}
}

// ask registers a running receiver's wish for a capacity of n bytes; withdraw takes it back at shutdown.
func (p *pool) ask(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asks[n]++
	p.resize()
}

func (p *pool) withdraw(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asks[n]--; p.asks[n] <= 0 {
		delete(p.asks, n)
	}
	p.resize()
}

// resize sets the capacity to the largest ask; p.mu is held. A smaller capacity takes effect as memory is
// given back.
func (p *pool) resize() {
	p.capacity = 0
	for n := range p.asks {
		p.capacity = max(p.capacity, n)
	}
	p.wake()
}

// lease is one page's memory, from the request to the pipeline's answer.
type lease struct {
	p     *pool
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
	// evicted is closed when the pool asks for the memory back.
	evicted     chan struct{}
	evictedOnce bool
	// heldNow is held, readable without the pool's lock (the receiver's memory gauge).
	heldNow *atomic.Int64
	// waited adds up the time spent waiting for memory.
	waited time.Duration
	notice waitNotice
	// suspect is a lease of an org whose last page was given back because its pipeline held it: its request
	// waits behind the others' requests, and its page is asked back after suspectGrace, not evictAfter.
	suspect bool
}

// waitNotice is told, once per wait, when a wait for memory has lasted longer than after, with the
// receivers that hold the most memory.
type waitNotice struct {
	after time.Duration
	say   func(waited time.Duration, by []holder)
}

// admit waits in turn until the pool can give a request its ticket, then returns the lease the request's
// page will be counted on. heldNow, when not nil, follows what the lease holds. It fails only when ctx ends.
//
// ticket is what the request reserves for its page: the org's estimate of the memory its next page takes
// (see poller.expect), at least readTicket and at most the capacity. A page that fits its ticket is read
// and mapped without waiting again, so a request that was admitted is not held up halfway.
func (p *pool) admit(ctx context.Context, owner string, heldNow *atomic.Int64, notice waitNotice, suspect bool, ticket int64) (*lease, error) {
	l := &lease{p: p, owner: owner, evicted: make(chan struct{}), heldNow: heldNow, notice: notice, suspect: suspect}
	p.mu.Lock()
	l.since = p.now()
	p.leases[l] = struct{}{}
	ticket = max(p.minTicket, min(ticket, p.capacity))
	l.ticket = ticket
	l.floor = ticket / pageWeight
	p.mu.Unlock()
	if err := l.take(ctx, ticket, true); err != nil {
		l.release()
		return nil, err
	}
	p.mu.Lock()
	l.since = p.now() // the ticket's time starts when it is given
	p.mu.Unlock()
	return l, nil
}

// charge counts n more bytes of the answer, waiting in turn when the pool is full.
func (l *lease) charge(ctx context.Context, n int64) error {
	l.p.mu.Lock()
	l.charged += n
	more := max(l.ticket, l.charged) - l.held
	l.p.mu.Unlock()
	if more <= 0 {
		return nil
	}
	return l.take(ctx, more, false)
}

// mapping counts the page at pageWeight times its text, bodyLen bytes, for the time it is mapped and
// delivered; what the ticket held beyond that is given back.
func (l *lease) mapping(ctx context.Context, bodyLen int) error {
	l.p.mu.Lock()
	l.ticket, l.charged = 0, int64(bodyLen)*pageWeight
	l.setState(leaseMapping)
	more := l.charged - l.held
	l.p.mu.Unlock()
	if more <= 0 {
		l.trim()
		return nil
	}
	return l.take(ctx, more, false)
}

// delivering marks the page as in the pipeline's hands: from now on it may be evicted.
func (l *lease) delivering() {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.setState(leaseDelivering)
}

// setState changes the state and restarts its clock; p.mu is held.
func (l *lease) setState(s leaseState) {
	l.state, l.since = s, l.p.now()
	l.p.account(l)
}

// grace is how long the lease's page may stay in its pipeline's hands while others wait.
func (l *lease) grace() time.Duration {
	if l.suspect {
		return suspectGrace
	}
	return evictAfter
}

// evictions is closed when the pool asks for the page's memory back.
func (l *lease) evictions() <-chan struct{} { return l.evicted }

// trim gives back what the lease holds beyond its ticket and charge.
func (l *lease) trim() {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.p.shrink(l, max(l.ticket, l.charged))
}

// release gives everything back; a wait of the lease still under way ends. It may be called more than once.
func (l *lease) release() {
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
	p.shrink(l, 0)
	p.account(l)
	p.wake()
}

// shrink lowers what l holds to n; p.mu is held.
func (p *pool) shrink(l *lease, n int64) {
	if l.held <= n {
		return
	}
	p.used -= l.held - n
	l.held = n
	p.account(l)
	l.publish()
	p.wake()
}

func (l *lease) publish() {
	if l.heldNow != nil {
		l.heldNow.Store(l.held)
	}
}

// take adds n to what l holds: at once when the pool has room and nobody waits before it, otherwise in
// turn. While it waits it reclaims memory: the tickets of slow answers, and pages that their pipelines
// have held past evictAfter.
func (l *lease) take(ctx context.Context, n int64, admission bool) error {
	p := l.p
	p.mu.Lock()
	if len(p.queue) == 0 && p.fits(l, n, admission) {
		p.grant(l, p.granted(l, n, admission))
		p.mu.Unlock()
		return nil
	}
	w := &want{l: l, n: n, ready: make(chan struct{}), admission: admission}
	p.queue = slices.Insert(p.queue, p.place(w), w)
	l.waiting = true
	start := p.now()
	p.reclaim()
	p.wake() // with this wait, every holder may now be waiting: the first is then served beyond capacity
	p.mu.Unlock()

	tick := time.NewTicker(reclaimEvery)
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
			if !said && l.notice.say != nil && waited > l.notice.after {
				said = true
				l.notice.say(waited, p.holders(l.owner, 3))
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
func (p *pool) place(w *want) int {
	rank := func(x *want) int {
		switch {
		case x.admission && x.l.suspect:
			return 3
		case x.admission:
			return 2
		case x.l.state == leaseReading:
			return 1
		}
		return 0
	}
	at := slices.IndexFunc(p.queue, func(x *want) bool { return rank(x) > rank(w) })
	if at < 0 {
		return len(p.queue)
	}
	return at
}

// fits reports whether n more for l can be given now: within the capacity (always, for a new request's
// ticket, which bounds how many answers arrive at once: it is cut to what is left, see granted), or beyond it
// when no page that is being mapped or is in a pipeline's hands would give memory back soon, the others
// waiting for more or being answers still arriving (which may take as long as their upstream likes). Then a
// page to be mapped is given whatever it takes: it goes to its pipeline and gives everything back, so the
// pool never deadlocks on a page larger than its capacity. An answer still arriving is given up to
// arrivingBound capacities, and beyond that only when nothing else could move (no other answer arriving,
// no page waiting to be mapped), so that answers arriving by the hundred cannot take the pool without
// bound; p.mu is held.
func (p *pool) fits(l *lease, n int64, admission bool) bool {
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
	if l.state != leaseReading || p.used+n <= arrivingBound*p.capacity {
		return true
	}
	return !arriving && !slices.ContainsFunc(p.queue, func(w *want) bool { return w.l.state == leaseMapping })
}

// granted is what a wait for n that fits is given: all of it, except a ticket, which is cut to what the
// pool has left (never below minTicket), so that a request expecting a large page is not kept waiting
// while a smaller one would do; p.mu is held.
func (p *pool) granted(l *lease, n int64, admission bool) int64 {
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
func (p *pool) expected(except *lease) int64 { return p.short - except.short }

// account brings l's share of the pool's short up to date after its held or state changed, or it was
// released: taken out of p.leases (an admission is always followed by its grant, which accounts for it);
// p.mu is held.
func (p *pool) account(l *lease) {
	var short int64
	if _, live := p.leases[l]; live && l.admitted && l.state == leaseReading && l.held < l.floor {
		short = l.floor - l.held
	}
	p.short += short - l.short
	l.short = short
}

func (p *pool) grant(l *lease, n int64) {
	p.used += n
	l.held += n
	p.account(l)
	l.publish()
}

// wake grants the waiting in the order of the queue (see place), as far as memory allows; p.mu is held.
func (p *pool) wake() {
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

// reclaim takes memory back for those who wait: a request whose answer is still arriving after ticketFor
// keeps only the bytes it has; pages held by their pipelines past their grace (evictAfter, suspectGrace)
// are asked back, the longest held first, until what they hold covers the first wait; p.mu is held.
func (p *pool) reclaim() {
	now := p.now()
	var slow []*lease
	for l := range p.leases {
		if l.state == leaseReading && l.ticket > 0 && !l.waiting && now.Sub(l.since) >= ticketFor {
			slow = append(slow, l)
		}
	}
	for _, l := range slow {
		l.ticket = 0
		p.shrink(l, l.charged)
	}
	if len(p.queue) == 0 {
		return
	}
	// When only orgs whose own pipelines hold pages back wait, they may take memory back from each other,
	// but from a pipeline that may just be slow only once it has held its page for stuckAfter.
	onlySuspects := !slices.ContainsFunc(p.queue, func(w *want) bool { return !w.l.suspect })
	need := p.queue[0].n - (p.capacity - p.used)
	var stale []*lease
	for l := range p.leases {
		held := now.Sub(l.since)
		if l.state == leaseDelivering && !l.evictedOnce && held >= l.grace() && (l.suspect || !onlySuspects || held >= stuckAfter) {
			stale = append(stale, l)
		}
	}
	slices.SortFunc(stale, func(a, b *lease) int { return a.since.Compare(b.since) })
	for _, l := range stale {
		if need <= 0 {
			return
		}
		l.evictedOnce = true
		close(l.evicted)
		need -= l.held
	}
}

// holders names the receivers that hold the most memory, with what they hold, for a line that says
// whom an org waits for.
func (p *pool) holders(except string, n int) []holder {
	p.mu.Lock()
	defer p.mu.Unlock()
	by := map[string]*holder{}
	for l := range p.leases {
		if l.owner == except || l.held == 0 {
			continue
		}
		h := by[l.owner]
		if h == nil {
			h = &holder{Receiver: l.owner}
			by[l.owner] = h
		}
		h.Bytes += l.held
		if l.state == leaseDelivering {
			h.InPipeline = true
		}
	}
	out := make([]holder, 0, len(by))
	for _, h := range by {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b holder) int {
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

// describeHolders names the receivers that hold memory, for a log line.
func describeHolders(hs []holder) string {
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

// holder is one receiver's share of the pool.
type holder struct {
	Receiver   string
	Bytes      int64
	InPipeline bool
}

// waitedFor returns and resets the time the lease spent waiting for memory.
func (l *lease) waitedFor() time.Duration {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	d := l.waited
	l.waited = 0
	return d
}
