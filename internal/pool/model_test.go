package pool

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

var modelSeed = flag.Int64("pool.seed", -1, "run only the model schedule of this seed (printed by a failure)")

// The pool's model, checked on thousands of seeded random schedules: many orgs whose answers come fast,
// slowly, a little at a time or larger than the pool, whose pipelines accept, are slow, refuse, block or
// recover, and which stop and start again, on a fake clock. The pool is driven as the receivers drive it
// (admission, the body's growth, mapping, delivery, release) but without goroutines: a step asks, a later
// step sees whether it was served, and the first in line reclaims every ReclaimEvery as its wait would.
// After every step: the counts are exact, the queue is in its order, used memory stays within the stated
// worst case, nothing is stuck (someone who waits always has someone who does not and will give memory
// back), and no org whose pipeline accepts its pages waits for its turn longer than maxHealthyWait.
func TestPoolModel(t *testing.T) {
	schedules, first := int64(2000), int64(0)
	if testing.Short() {
		schedules = 300
	}
	if *modelSeed >= 0 {
		schedules, first = 1, *modelSeed
	}
	var worst time.Duration
	for seed := first; seed < first+schedules; seed++ {
		m := newModel(seed)
		if err := m.run(); err != nil {
			t.Fatalf("seed %d (go test -run TestPoolModel ./internal/pool/ -pool.seed %d): %v\n%s", seed, seed, err, m.p)
		}
		worst = max(worst, m.worstHealthyWait)
	}
	t.Logf("%d schedules; the longest wait of an org whose pipeline accepts: %s (bound %s)", schedules, worst, maxHealthyWait)
}

const (
	// answerMax is the longest an answer takes to arrive (the HTTP client's timeout cuts it there).
	answerMax = 20 * time.Second
	// maxHealthyWait bounds how long an org that is not suspect waits to be admitted: the answers before it
	// finish within answerMax, a page blocked in its pipeline is asked back EvictAfter after it got there
	// (and the pages admitted after it was asked back each have their own EvictAfter), and the first in
	// line looks every ReclaimEvery.
	maxHealthyWait = answerMax + 2*EvictAfter + 2*TicketFor + 4*ReclaimEvery
	modelWeight    = 10
)

type pipeMode int

const (
	pipeAccepts  pipeMode = iota
	pipeSlow              // accepts after up to 5 s: longer than EvictAfter, so it is asked back while working
	pipeRefuses           // refuses until asked back
	pipeBlocked           // never returns until asked back
	pipeRecovers          // blocked until recoverAt, then accepts
)

type answerMode int

const (
	answerFast answerMode = iota
	answerSlow
	answerDribbles
	answerOversized
)

type orgState int

const (
	orgIdle orgState = iota
	orgAdmitting
	orgReading
	orgGrowing
	orgMapping
	orgDelivering
	orgStopped
)

type modelOrg struct {
	name      string
	state     orgState
	l         *Lease
	w         *want
	next      time.Time
	answer    answerMode
	pipe      pipeMode
	recoverAt time.Time
	suspect   bool
	expect    int64
	// the answer being read: its chunks still to come, its size, when it began.
	chunks      []int64
	body        int64
	answerStart time.Time
	waitSince   time.Time
}

type model struct {
	seed     int64
	rnd      *rand.Rand
	clock    *oktasim.Clock
	p        *Pool
	capacity int64
	orgs     []*modelOrg
	// anchor keeps a capacity while every org is stopped: the collector's other receivers.
	maxBody          int64
	worstHealthyWait time.Duration
}

func newModel(seed int64) *model {
	rnd := rand.New(rand.NewPCG(uint64(seed), 0x706f6f6c))
	clock := oktasim.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	capacity := int64(1000 + rnd.IntN(9000))
	m := &model{seed: seed, rnd: rnd, clock: clock, capacity: capacity,
		p: New(Options{Now: clock.Now, MinTicket: int64(10 + rnd.IntN(100)), Weight: modelWeight})}
	m.p.Ask(capacity)
	for i := range 2 + rnd.IntN(11) {
		o := &modelOrg{name: fmt.Sprintf("okta/%d", i), answer: answerMode(rnd.IntN(4)), pipe: pipeMode(rnd.IntN(5)),
			expect: capacity, next: clock.Now()}
		o.recoverAt = clock.Now().Add(time.Duration(rnd.IntN(60)) * time.Second)
		m.orgs = append(m.orgs, o)
		m.p.Ask(capacity)
	}
	return m
}

func (m *model) now() time.Time { return m.clock.Now() }

func (m *model) run() error {
	nextReclaim := m.now().Add(ReclaimEvery)
	for step := range 400 {
		m.clock.Advance(time.Duration(10+m.rnd.IntN(290)) * time.Millisecond)
		if !m.now().Before(nextReclaim) { // the first in line's tick
			m.p.mu.Lock()
			if len(m.p.queue) > 0 {
				m.p.reclaim()
				m.p.wake()
			}
			m.p.mu.Unlock()
			nextReclaim = m.now().Add(ReclaimEvery)
		}
		for _, i := range m.rnd.Perm(len(m.orgs)) {
			if err := m.act(m.orgs[i]); err != nil {
				return fmt.Errorf("step %d, %s: %w", step, m.orgs[i].name, err)
			}
			if err := m.check(); err != nil {
				return fmt.Errorf("step %d, after %s: %w", step, m.orgs[i].name, err)
			}
		}
	}
	for _, o := range m.orgs { // everything given back at the end
		if o.l != nil {
			o.l.Release()
		}
		if o.state != orgStopped {
			m.p.Withdraw(m.capacity)
		}
	}
	m.p.Withdraw(m.capacity)
	if !m.p.Idle() {
		return fmt.Errorf("memory left behind once every org stopped")
	}
	return nil
}

// act moves one org on, as its receiver would at this instant.
func (m *model) act(o *modelOrg) error {
	now := m.now()
	if o.state != orgStopped && m.rnd.IntN(400) == 0 { // the receiver is stopped (a reload, receiver_creator)
		if o.l != nil {
			o.l.Release()
			o.l, o.w = nil, nil
		}
		m.p.Withdraw(m.capacity)
		o.state, o.next = orgStopped, now.Add(time.Duration(m.rnd.IntN(5000))*time.Millisecond)
		return nil
	}
	switch o.state {
	case orgStopped:
		if !now.Before(o.next) {
			m.p.Ask(m.capacity)
			o.state, o.suspect = orgIdle, false
		}
	case orgIdle:
		if now.Before(o.next) {
			return nil
		}
		o.l, o.w = m.p.admission(Request{Owner: o.name, Suspect: o.suspect, Expect: o.expect})
		o.state, o.waitSince = orgAdmitting, now
		return m.admitting(o)
	case orgAdmitting:
		return m.admitting(o)
	case orgReading:
		return m.reading(o)
	case orgGrowing:
		if isClosed(o.w.ready) {
			if err := m.served(o); err != nil {
				return err
			}
			o.state = orgReading
			return m.reading(o)
		}
	case orgMapping:
		if isClosed(o.w.ready) {
			if err := m.served(o); err != nil {
				return err
			}
			m.deliver(o)
		}
	case orgDelivering:
		m.delivering(o)
	}
	return nil
}

func (m *model) admitting(o *modelOrg) error {
	if o.w != nil && !isClosed(o.w.ready) {
		return nil
	}
	if o.w != nil {
		if err := m.served(o); err != nil {
			return err
		}
	}
	o.l.given()
	o.state, o.answerStart, o.next = orgReading, m.now(), m.now()
	o.chunks, o.body = m.planAnswer(o)
	return m.reading(o)
}

// served checks the wait of an org that was just served.
func (m *model) served(o *modelOrg) error {
	waited := m.now().Sub(o.waitSince)
	if !o.suspect {
		m.worstHealthyWait = max(m.worstHealthyWait, waited)
		if waited > maxHealthyWait {
			return fmt.Errorf("an org whose pipeline accepts waited %s for memory (bound %s)", waited, maxHealthyWait)
		}
	}
	return nil
}

// planAnswer is the answer's chunks, as the body's buffer grows.
func (m *model) planAnswer(o *modelOrg) ([]int64, int64) {
	pageText := m.capacity / modelWeight // a full page fills the pool once mapped
	var size int64
	var n int
	switch o.answer {
	case answerFast:
		size, n = 1+m.rnd.Int64N(pageText), 1
	case answerSlow:
		size, n = 1+m.rnd.Int64N(pageText), 2+m.rnd.IntN(10)
	case answerDribbles:
		size, n = 1+m.rnd.Int64N(pageText), 5+m.rnd.IntN(15)
	case answerOversized: // larger than the pool once mapped, and now and then larger than it as it arrives
		size, n = pageText+m.rnd.Int64N(3*pageText), 1+m.rnd.IntN(4)
		if m.rnd.IntN(4) == 0 {
			size = m.capacity*ArrivingBound + m.rnd.Int64N(m.capacity)
		}
	}
	m.maxBody = max(m.maxBody, size)
	chunks := make([]int64, n)
	left := size
	for i := range n - 1 {
		chunks[i] = m.rnd.Int64N(left/int64(n-i) + 1)
		left -= chunks[i]
	}
	chunks[n-1] = left
	return chunks, size
}

func (m *model) reading(o *modelOrg) error {
	now := m.now()
	if now.Sub(o.answerStart) > answerMax { // the client's timeout: the request failed, try again
		o.l.Release()
		o.l, o.w = nil, nil
		o.state, o.next = orgIdle, now.Add(time.Second)
		return nil
	}
	if now.Before(o.next) {
		return nil
	}
	if len(o.chunks) == 0 {
		o.state, o.waitSince = orgMapping, now
		if o.w = o.l.mapping(int(o.body)); o.w == nil {
			m.deliver(o)
		}
		return nil
	}
	c := o.chunks[0]
	o.chunks = o.chunks[1:]
	switch o.answer {
	case answerSlow:
		o.next = now.Add(200 * time.Millisecond)
	case answerDribbles:
		o.next = now.Add(time.Duration(500+m.rnd.IntN(1500)) * time.Millisecond)
	}
	if o.w = o.l.charge(c); o.w != nil {
		o.state, o.waitSince = orgGrowing, now
	}
	return nil
}

func (m *model) deliver(o *modelOrg) {
	o.l.Delivering()
	o.state = orgDelivering
	switch o.pipe {
	case pipeAccepts:
		o.next = m.now().Add(time.Duration(m.rnd.IntN(50)) * time.Millisecond)
	case pipeSlow:
		o.next = m.now().Add(time.Duration(m.rnd.IntN(5000)) * time.Millisecond)
	case pipeRecovers:
		o.next = o.recoverAt
	default:
		o.next = m.now().Add(1000 * time.Hour)
	}
}

func (m *model) delivering(o *modelOrg) {
	now := m.now()
	switch {
	case o.l.WasAskedBack():
		o.l.Release()
		o.l, o.w = nil, nil
		o.suspect = true
		o.state, o.next = orgIdle, now.Add(time.Duration(500+m.rnd.IntN(2000))*time.Millisecond)
	case !now.Before(o.next):
		o.l.Release()
		o.l, o.w = nil, nil
		o.suspect = false
		o.expect = o.body * modelWeight
		o.state, o.next = orgIdle, now
		if o.body < m.capacity/modelWeight/2 { // a page that was not full: poll_interval
			o.next = now.Add(time.Second)
		}
		if m.rnd.IntN(20) == 0 { // its backend changes
			o.pipe = pipeMode(m.rnd.IntN(5))
			o.recoverAt = now.Add(time.Duration(m.rnd.IntN(30)) * time.Second)
		}
	}
}

// check asserts the pool's invariants.
func (m *model) check() error {
	p := m.p
	p.mu.Lock()
	defer p.mu.Unlock()
	var held, short int64
	for l := range p.leases {
		if l.held < 0 {
			return fmt.Errorf("a lease holds %d", l.held)
		}
		held += l.held
		if l.admitted && l.state == leaseReading && l.held < l.floor {
			short += l.floor - l.held
		}
	}
	if held != p.used {
		return fmt.Errorf("used %d, the leases hold %d", p.used, held)
	}
	if short != p.short {
		return fmt.Errorf("short %d, the leases are short of %d", p.short, short)
	}
	if bound := ArrivingBound*p.capacity + modelWeight*m.maxBody; p.capacity > 0 && p.used > bound {
		return fmt.Errorf("used %d beyond the worst case %d (%d × capacity %d + one page of %d)", p.used, bound, ArrivingBound, p.capacity, modelWeight*m.maxBody)
	}
	if !slices.IsSortedFunc(p.queue, func(a, b *want) int { return wantRank(a) - wantRank(b) }) {
		return fmt.Errorf("the queue is out of order")
	}
	if len(p.queue) == 0 {
		return nil
	}
	for l := range p.leases {
		if l.held > 0 && !l.waiting {
			return nil
		}
	}
	return fmt.Errorf("stuck: %d wait and every lease that holds memory waits too", len(p.queue))
}
