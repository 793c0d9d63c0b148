package pool

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// testPool is a pool of capacity bytes with tickets of ticket bytes, on a clock the test moves.
func testPool(t *testing.T, capacity, ticket int64) (*Pool, *oktasim.Clock) {
	t.Helper()
	clock := oktasim.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	p := New(Options{Now: clock.Now, MinTicket: ticket, Weight: pageWeight})
	p.Ask(capacity)
	return p, clock
}

func queued(p *Pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

func used(p *Pool) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// admitNow admits a request of an org that is not suspect, with the least ticket, waiting as long as it takes.
func admitNow(t *testing.T, p *Pool, owner string) *Lease {
	t.Helper()
	return admitNowAs(t, p, owner, false, 0)
}

// admitNowAs is admitNow for an org that is suspect or not, with a ticket for the page it expects.
func admitNowAs(t *testing.T, p *Pool, owner string, suspect bool, ticket int64) *Lease {
	t.Helper()
	l, err := p.Admit(context.Background(), Request{Owner: owner, Suspect: suspect, Expect: ticket})
	require.NoError(t, err)
	return l
}

// admitAsync admits a request in the background; the lease arrives on the channel.
func admitAsync(ctx context.Context, p *Pool, owner string) <-chan *Lease {
	return admitAsyncAs(ctx, p, owner, false)
}

// admitAsyncAs is admitAsync for an org that is suspect or not.
func admitAsyncAs(ctx context.Context, p *Pool, owner string, suspect bool) <-chan *Lease {
	got := make(chan *Lease, 1)
	go func() {
		l, err := p.Admit(ctx, Request{Owner: owner, Suspect: suspect})
		if err == nil {
			got <- l
		}
		close(got)
	}()
	return got
}

func TestPoolServesInTurnAndCountsWhatIsHeld(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	a := admitNow(t, p, "okta/a")
	b := admitNow(t, p, "okta/b")
	assert.Equal(t, int64(80), used(p), "each request holds its ticket")

	third := admitAsync(context.Background(), p, "okta/c")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	fourth := admitAsync(context.Background(), p, "okta/d")
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)

	a.Release()
	c := <-third
	require.NotNil(t, c, "the first to wait is served first")
	assert.Equal(t, 1, queued(p), "the second still waits: no room")
	b.Release()
	d := <-fourth
	require.NotNil(t, d)
	c.Release()
	d.Release()
	assert.Zero(t, used(p), "everything is given back")
}

func TestPoolChargesBytesAsTheyArriveAndAPageByItsWeight(t *testing.T) {
	p, _ := testPool(t, 10<<20, 1000)
	var held atomic.Int64
	l, err := p.Admit(context.Background(), Request{Owner: "okta/a", Held: &held})
	require.NoError(t, err)
	require.NoError(t, l.Charge(context.Background(), 600))
	assert.Equal(t, int64(1000), held.Load(), "within its ticket the answer holds the ticket")
	require.NoError(t, l.Charge(context.Background(), 900))
	assert.Equal(t, int64(1500), held.Load(), "beyond it, the bytes that arrived")
	require.NoError(t, l.Mapping(context.Background(), 1500))
	assert.Equal(t, int64(1500*pageWeight), held.Load(), "a mapped page counts its text and its records")
	l.Release()
	assert.Zero(t, held.Load())
	assert.Zero(t, used(p))
}

func TestPoolGivesAPageLargerThanItsCapacityWhenNothingElseWouldGiveBack(t *testing.T) {
	p, _ := testPool(t, 100, 50)
	l := admitNow(t, p, "okta/a")
	done := make(chan error, 1)
	go func() { done <- l.Mapping(context.Background(), 100) }() // 1000 bytes once mapped
	select {
	case err := <-done:
		require.NoError(t, err, "no deadlock on a page larger than the pool")
	case <-time.After(5 * time.Second):
		t.Fatal("a page larger than the pool waits for ever")
	}
	assert.Equal(t, int64(1000), used(p))
	l.Release()
}

func TestPoolTakesTheTicketBackFromASlowAnswer(t *testing.T) {
	p, clock := testPool(t, 100, 80)
	slow := admitNow(t, p, "okta/slow")
	require.NoError(t, slow.Charge(context.Background(), 5)) // a few bytes arrived, the rest dribbles in
	healthy := admitAsync(context.Background(), p, "okta/healthy")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(TicketFor)
	select {
	case l := <-healthy:
		require.NotNil(t, l)
		assert.Equal(t, int64(85), used(p), "the slow answer holds only what arrived")
		l.Release()
	case <-time.After(5 * time.Second):
		t.Fatal("a slow answer holds its whole ticket while others wait")
	}
	slow.Release()
}

func TestPoolAsksForAPageBackOnlyWhenItsPipelineHeldItTooLongAndOthersWait(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	blocked := admitNow(t, p, "okta/blocked")
	require.NoError(t, blocked.Mapping(context.Background(), 8)) // 80 bytes
	blocked.Delivering()
	clock.Advance(EvictAfter)
	p.mu.Lock()
	p.reclaim()
	p.mu.Unlock()
	assert.False(t, blocked.WasAskedBack(), "nobody waits: a slow pipeline keeps its page")

	healthy := admitAsync(context.Background(), p, "okta/healthy")
	require.Eventually(t, func() bool { return blocked.WasAskedBack() }, 5*time.Second, time.Millisecond,
		"an org waits: the page held past EvictAfter is asked back")
	blocked.Release()
	require.NotNil(t, <-healthy)
}

func TestPoolDoesNotEvictAPageBeforeItsTime(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	busy := admitNow(t, p, "okta/busy")
	require.NoError(t, busy.Mapping(context.Background(), 8))
	busy.Delivering()
	ctx, cancel := context.WithTimeout(context.Background(), 3*ReclaimEvery)
	defer cancel()
	_, err := p.Admit(ctx, Request{Owner: "okta/other"})
	require.ErrorIs(t, err, context.DeadlineExceeded, "the wait ends with its context")
	assert.False(t, busy.WasAskedBack(), "a page its pipeline took a moment ago is not asked back")
	assert.Zero(t, queued(p), "an abandoned wait leaves the queue")
	busy.Release()
	assert.Zero(t, used(p))
}

func TestPoolSaysWhomAnOrgWaitsFor(t *testing.T) {
	p, clock := testPool(t, 100, 60)
	big := admitNow(t, p, "okta/big")
	require.NoError(t, big.Mapping(context.Background(), 6)) // 60 bytes in its pipeline
	big.Delivering()
	said := make(chan []Holder, 1)
	go func() {
		l, err := p.Admit(context.Background(), Request{Owner: "okta/small", Notice: Notice{After: time.Second, Say: func(_ time.Duration, by []Holder) { said <- by }}})
		if err == nil {
			l.Release()
		}
	}()
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(2 * time.Second)
	by := <-said
	require.Len(t, by, 1)
	assert.Equal(t, "okta/big", by[0].Receiver)
	assert.Equal(t, "okta/big (0.0 MB, in its pipeline)", Describe(by))
	big.Release()
}

func TestPoolCapacityIsTheLargestAskOfTheRunningReceivers(t *testing.T) {
	p := New(Options{MinTicket: 1 << 20, Weight: pageWeight})
	p.Ask(100)
	p.Ask(300)
	p.Ask(100)
	assert.Equal(t, int64(300), p.capacity)
	p.Withdraw(300)
	assert.Equal(t, int64(100), p.capacity, "a reload that lowers pages_in_flight lowers the pool")
	p.Withdraw(100)
	p.Withdraw(100)
	assert.Zero(t, p.capacity)
	assert.Empty(t, p.asks, "nothing is left behind")
}

func TestPoolServesOrgsWhosePipelinesHoldPagesBackLast(t *testing.T) {
	p, clock := testPool(t, 100, 60)
	first := admitNow(t, p, "okta/a")
	suspect := admitAsyncAs(context.Background(), p, "okta/blocked", true)
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	healthy := admitAsync(context.Background(), p, "okta/healthy")
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)
	first.Release()
	h := <-healthy
	require.NotNil(t, h, "an org whose pipeline keeps pages back waits behind the others")
	require.NoError(t, h.Mapping(context.Background(), 1))
	h.Release()
	s := <-suspect
	require.NoError(t, s.Mapping(context.Background(), 6))
	s.Delivering()
	other := admitAsync(context.Background(), p, "okta/other")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	assert.False(t, s.WasAskedBack(), "a recovered pipeline has time to take the page")
	clock.Advance(SuspectGrace)
	require.Eventually(t, func() bool { return s.WasAskedBack() }, 5*time.Second, time.Millisecond,
		"then its page is asked back, before EvictAfter")
	s.Release()
	require.NotNil(t, <-other)
}

func TestPoolNeverDeadlocksWhenEveryHolderWaits(t *testing.T) {
	p, _ := testPool(t, 100, 50)
	a := admitNow(t, p, "okta/a")
	b := admitNow(t, p, "okta/b")
	done := make(chan error, 2)
	go func() { done <- a.Mapping(context.Background(), 8) }()
	go func() { done <- b.Mapping(context.Background(), 8) }()
	select {
	case err := <-done:
		require.NoError(t, err, "both pages wait for the other's memory: the first is served beyond capacity")
	case <-time.After(5 * time.Second):
		t.Fatal("every holder waits for more and nobody is served")
	}
	a.Release()
	b.Release()
	require.NoError(t, <-done)
}

func TestPoolTakesNoPageBackForAnOrgWhosePipelineHoldsItsOwnBackUntilThatPipelineIsStuck(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	slow := admitNow(t, p, "okta/slow-pipeline")
	require.NoError(t, slow.Mapping(context.Background(), 8))
	slow.Delivering()
	clock.Advance(EvictAfter)
	ctx, cancel := context.WithTimeout(context.Background(), 3*ReclaimEvery)
	defer cancel()
	_, err := p.Admit(ctx, Request{Owner: "okta/blocked", Suspect: true})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, slow.WasAskedBack(), "a page is not taken from a slow pipeline for an org that holds its own pages back")

	clock.Advance(StuckAfter - EvictAfter) // the pipeline has now held the page for StuckAfter
	recovered := admitAsyncAs(context.Background(), p, "okta/recovered", true)
	require.Eventually(t, func() bool { return slow.WasAskedBack() }, 5*time.Second, time.Millisecond,
		"a pipeline that has held a page for StuckAfter is stuck, not slow: an org whose own backend has come back does not wait on it for ever")
	slow.Release()
	(<-recovered).Release()
}

func TestPoolReservesAnOrgsExpectedPageSoItIsNotHeldUpHalfway(t *testing.T) {
	p, _ := testPool(t, 1000, 10)
	l := admitNowAs(t, p, "okta/backlog", false, 800)
	assert.Equal(t, int64(800), used(p), "the request reserves the page it expects")
	other := <-admitAsync(context.Background(), p, "okta/other") // 10 fits beside it
	require.NotNil(t, other)
	other.Release()
	require.NoError(t, l.Charge(context.Background(), 70))
	done := make(chan error, 1)
	go func() { done <- l.Mapping(context.Background(), 70) }() // 700 once mapped: within what it reserved
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a page within its reservation waits to be mapped")
	}
	l.Release()
	big := admitNowAs(t, p, "okta/big", false, 5000)
	assert.Equal(t, int64(1000), used(p), "a reservation is at most the capacity")
	big.Release()
}

func TestPoolNeverWaitsOnAnAnswerStillArriving(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	slow := admitNow(t, p, "okta/slow")
	require.NoError(t, slow.Charge(context.Background(), 40)) // its answer arrives, slowly, and is not done
	healthy := admitNow(t, p, "okta/healthy")
	done := make(chan error, 1)
	go func() { done <- healthy.Mapping(context.Background(), 8) }() // 80: beyond what is left
	select {
	case err := <-done:
		require.NoError(t, err, "a page is mapped beyond the capacity rather than wait for a slow upstream")
	case <-time.After(5 * time.Second):
		t.Fatal("a page waits for an answer that is still arriving")
	}
	healthy.Release()
	slow.Release()
}

func TestPoolBoundsWhatAnswersStillArrivingTakeBeyondItsCapacity(t *testing.T) {
	p, _ := testPool(t, 100, 10)
	readers := make([]*Lease, 9)
	for i := range readers {
		var err error
		readers[i], err = p.Admit(context.Background(), Request{Owner: "okta/r"})
		require.NoError(t, err)
		require.NoError(t, readers[i].Charge(context.Background(), 10))
	}
	growing := admitNow(t, p, "okta/growing")
	require.Equal(t, int64(100), used(p))
	done := make(chan error, 1)
	go func() { done <- growing.Charge(context.Background(), 100) }() // 90 more: 190
	require.NoError(t, <-done, "an answer grows beyond the capacity rather than wait for answers still arriving")
	go func() { done <- growing.Charge(context.Background(), 20) }() // 20 more: 210, beyond twice the capacity
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	assert.Equal(t, int64(190), used(p), "beyond twice the capacity an answer waits, even for answers still arriving")
	readers[0].Release()
	require.NoError(t, <-done, "served once it fits within twice the capacity")
	assert.Equal(t, int64(200), used(p))
	for _, r := range readers[1:] {
		r.Release()
	}
	growing.Release()
	assert.Zero(t, used(p))
}

func TestPoolMapsAWaitingPageBeforeAnAnswerGrowsFurther(t *testing.T) {
	p, _ := testPool(t, 100, 10)
	ctx := context.Background()
	delivering := admitNow(t, p, "okta/delivering")
	require.NoError(t, delivering.Charge(ctx, 10))
	require.NoError(t, delivering.Mapping(ctx, 5)) // 50
	delivering.Delivering()
	reader := admitNow(t, p, "okta/reader")
	require.NoError(t, reader.Charge(ctx, 40))
	mapped := admitNow(t, p, "okta/mapped")
	require.NoError(t, mapped.Charge(ctx, 10))
	require.Equal(t, int64(100), used(p))

	grown, isMapped := make(chan error, 1), make(chan error, 1)
	go func() { grown <- reader.Charge(ctx, 200) }() // its answer goes on arriving: 200 more
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	go func() { isMapped <- mapped.Mapping(ctx, 20) }() // 200 in all once mapped: 190 more
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)

	delivering.Release() // everyone left waits for more, far beyond the capacity
	select {
	case err := <-isMapped:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the page to be mapped waits behind an answer that grows: it should be served first, though it asked later, since it gives everything back")
	}
	assert.Equal(t, 1, queued(p), "the answer waits while the page is mapped and delivered")
	assert.Equal(t, int64(240), used(p))
	mapped.Delivering()
	mapped.Release()
	require.NoError(t, <-grown, "then the answer, alone, grows as far as it needs")
	assert.Equal(t, int64(240), used(p))
	reader.Release()
	assert.Zero(t, used(p))
}

func TestPoolAdmitsAsIfSlowAnswersHeldWhatTheyExpect(t *testing.T) {
	p, clock := testPool(t, 1000, 10)
	ctx := context.Background()
	admitted := make(chan *Lease, 20)
	ask := func() {
		go func() {
			l, err := p.Admit(ctx, Request{Owner: "okta/slow", Expect: 1000}) // a page of 1000 expected: 100 of text
			if err == nil {
				admitted <- l
			}
		}()
	}
	var slow []*Lease
	ask()
	slow = append(slow, <-admitted)
	for range 9 { // each answer is slow to arrive: its ticket is given back, and the next request goes
		ask()
		require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
		clock.Advance(TicketFor)
		select {
		case l := <-admitted:
			slow = append(slow, l)
		case <-time.After(5 * time.Second):
			t.Fatalf("request %d waits, with %d slow answers arriving", len(slow)+1, len(slow))
		}
	}
	ask()
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(TicketFor)
	select {
	case <-admitted:
		t.Fatal("an eleventh request goes while ten answers of 100 each may still arrive in a pool of 1000")
	case <-time.After(300 * time.Millisecond):
	}
	slow[0].Release()
	select {
	case l := <-admitted:
		l.Release()
	case <-time.After(5 * time.Second):
		t.Fatal("the request waits after an answer was done")
	}
	for _, l := range slow[1:] {
		l.Release()
	}
	assert.Zero(t, used(p))
}

func TestPoolCountsNoFloorForRequestsStillWaiting(t *testing.T) {
	p, _ := testPool(t, 1000, 10)
	ctx := context.Background()
	first := admitNowAs(t, p, "okta/first", false, 1000)
	admitted := make(chan *Lease, 20)
	for range 20 { // many orgs ask at once, each for a page of 1000 (100 of text)
		go func() {
			if l, err := p.Admit(ctx, Request{Owner: "okta/next", Expect: 1000}); err == nil {
				admitted <- l
			}
		}()
	}
	require.Eventually(t, func() bool { return queued(p) == 20 }, time.Second, time.Millisecond)
	first.Release()
	select {
	case l := <-admitted:
		l.Release()
	case <-time.After(5 * time.Second):
		t.Fatal("requests that wait for their turn count their floors against each other: nobody goes")
	}
	for range 19 {
		select {
		case l := <-admitted:
			l.Release()
		case <-time.After(5 * time.Second):
			t.Fatal("a request waits for ever")
		}
	}
	assert.Zero(t, used(p))
}

func TestPoolServesAPageThatHoldsMemoryBeforeANewRequest(t *testing.T) {
	p, _ := testPool(t, 100, 30)
	reader := admitNow(t, p, "okta/slow")
	require.NoError(t, reader.Charge(context.Background(), 30)) // an answer still arriving
	page := admitNow(t, p, "okta/a")
	holder := admitNow(t, p, "okta/b")
	require.NoError(t, holder.Mapping(context.Background(), 3))
	holder.Delivering() // 30 in a pipeline: the pool is at 90
	newRequest := admitAsync(context.Background(), p, "okta/c")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	mapped := make(chan error, 1)
	go func() { mapped <- page.Mapping(context.Background(), 6) }() // needs 30 more
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)
	holder.Release()
	select {
	case err := <-mapped:
		require.NoError(t, err, "the page that holds memory goes first")
	case <-time.After(5 * time.Second):
		t.Fatal("a new request that cannot be given its ticket holds up a page being mapped")
	}
	page.Release()
	reader.Release()
	require.NotNil(t, <-newRequest)
}

func TestPoolLetsSuspectOrgsTakeMemoryBackOnlyFromEachOther(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	blocked := admitNowAs(t, p, "okta/blocked", true, 0)
	require.NoError(t, blocked.Mapping(context.Background(), 8))
	blocked.Delivering()
	clock.Advance(SuspectGrace)
	recovered := admitAsync(context.Background(), p, "okta/recovered") // not suspect: any page past its grace
	require.Eventually(t, func() bool { return blocked.WasAskedBack() }, 5*time.Second, time.Millisecond)
	blocked.Release()
	l := <-recovered
	require.NotNil(t, l)
	l.Release()

	again := admitNowAs(t, p, "okta/blocked", true, 0)
	require.NoError(t, again.Mapping(context.Background(), 8))
	again.Delivering()
	clock.Advance(SuspectGrace)
	other := admitAsyncAs(context.Background(), p, "okta/also-blocked", true)
	require.Eventually(t, func() bool { return again.WasAskedBack() }, 5*time.Second, time.Millisecond,
		"a suspect org may take memory back from another suspect org's page")
	again.Release()
	(<-other).Release()
}

func TestPoolMapsASuspectOrgsPageBeforeANewRequest(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	ctx := context.Background()
	suspect := admitNowAs(t, p, "okta/blocked", true, 0)
	reader := admitNow(t, p, "okta/reader") // 80 held: no room for another ticket
	newRequest := admitAsync(ctx, p, "okta/healthy")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)

	mapped := make(chan error, 1)
	go func() { mapped <- suspect.Mapping(ctx, 5) }() // 10 more: within the capacity
	select {
	case err := <-mapped:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a suspect org's page to be mapped waits behind a new request that waits for the memory the page would give back")
	}
	assert.Equal(t, int64(90), used(p))
	suspect.Delivering()
	suspect.Release()
	require.NotNil(t, <-newRequest, "the page, delivered, gives the new request its room")
	reader.Release()
}

// shortByWalk is the pool's short summed lease by lease, as account keeps it.
func shortByWalk(p *Pool) (walked, kept int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.leases {
		if l.admitted && l.state == leaseReading && l.held < l.floor {
			walked += l.floor - l.held
		}
	}
	return walked, p.short
}

func TestPoolKeepsWhatAnswersStillArrivingAreShortThroughEveryChange(t *testing.T) {
	p, clock := testPool(t, 1<<40, 1000)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	var live []*Lease
	for step := range 5000 {
		var what string
		switch op := rnd.IntN(8); {
		case op == 0 || len(live) == 0:
			what = "admit"
			l, err := p.Admit(ctx, Request{Owner: "okta/x", Suspect: rnd.IntN(4) == 0, Expect: int64(rnd.IntN(100_000))})
			require.NoError(t, err)
			live = append(live, l)
		default:
			i := rnd.IntN(len(live))
			l := live[i]
			switch op {
			case 1, 2:
				what = "charge"
				require.NoError(t, l.Charge(ctx, int64(rnd.IntN(20_000))))
			case 3:
				what = "mapping"
				require.NoError(t, l.Mapping(ctx, rnd.IntN(10_000)))
			case 4:
				what = "delivering"
				l.Delivering()
			case 5:
				what = "trim"
				l.trim()
			case 6:
				what = "reclaim"
				clock.Advance(TicketFor)
				p.mu.Lock()
				p.reclaim()
				p.mu.Unlock()
			case 7:
				what = "release"
				l.Release()
				live = slices.Delete(live, i, i+1)
			}
		}
		walked, kept := shortByWalk(p)
		require.Equal(t, walked, kept, "step %d (%s): the short kept differs from the leases'", step, what)
	}
	for _, l := range live {
		l.Release()
	}
	assert.Zero(t, p.short, "nothing is short once every lease is released")
	assert.Zero(t, used(p))
}

// pageWeight is the tests' Weight: what the receiver counts a page in hand at, per byte of its answer.
const pageWeight = 10
