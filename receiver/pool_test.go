package receiver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// testPool is a pool of capacity bytes with tickets of ticket bytes, on a clock the test moves.
func testPool(t *testing.T, capacity, ticket int64) (*pool, *oktasim.Clock) {
	t.Helper()
	clock := oktasim.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	p := newPool(clock.Now, ticket)
	p.ask(capacity)
	return p, clock
}

func queued(p *pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

func used(p *pool) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// dump describes the pool's queue and leases, for a failing test's output.
func (p *pool) dump() string {
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

// admitNow admits a request of an org that is not suspect, with the least ticket, waiting as long as it takes.
func admitNow(t *testing.T, p *pool, owner string) *lease {
	t.Helper()
	return admitNowAs(t, p, owner, false, 0)
}

// admitNowAs is admitNow for an org that is suspect or not, with a ticket for the page it expects.
func admitNowAs(t *testing.T, p *pool, owner string, suspect bool, ticket int64) *lease {
	t.Helper()
	l, err := p.admit(context.Background(), owner, nil, waitNotice{}, suspect, ticket)
	require.NoError(t, err)
	return l
}

// admitAsync admits a request in the background; the lease arrives on the channel.
func admitAsync(ctx context.Context, p *pool, owner string) <-chan *lease {
	return admitAsyncAs(ctx, p, owner, false)
}

// admitAsyncAs is admitAsync for an org that is suspect or not.
func admitAsyncAs(ctx context.Context, p *pool, owner string, suspect bool) <-chan *lease {
	got := make(chan *lease, 1)
	go func() {
		l, err := p.admit(ctx, owner, nil, waitNotice{}, suspect, 0)
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

	a.release()
	c := <-third
	require.NotNil(t, c, "the first to wait is served first")
	assert.Equal(t, 1, queued(p), "the second still waits: no room")
	b.release()
	d := <-fourth
	require.NotNil(t, d)
	c.release()
	d.release()
	assert.Zero(t, used(p), "everything is given back")
}

func TestPoolChargesBytesAsTheyArriveAndAPageByItsWeight(t *testing.T) {
	p, _ := testPool(t, 10<<20, 1000)
	var held atomic.Int64
	l, err := p.admit(context.Background(), "okta/a", &held, waitNotice{}, false, 0)
	require.NoError(t, err)
	require.NoError(t, l.charge(context.Background(), 600))
	assert.Equal(t, int64(1000), held.Load(), "within its ticket the answer holds the ticket")
	require.NoError(t, l.charge(context.Background(), 900))
	assert.Equal(t, int64(1500), held.Load(), "beyond it, the bytes that arrived")
	require.NoError(t, l.mapping(context.Background(), 1500))
	assert.Equal(t, int64(1500*pageWeight), held.Load(), "a mapped page counts its text and its records")
	l.release()
	assert.Zero(t, held.Load())
	assert.Zero(t, used(p))
}

func TestPoolGivesAPageLargerThanItsCapacityWhenNothingElseWouldGiveBack(t *testing.T) {
	p, _ := testPool(t, 100, 50)
	l := admitNow(t, p, "okta/a")
	done := make(chan error, 1)
	go func() { done <- l.mapping(context.Background(), 100) }() // 1000 bytes once mapped
	select {
	case err := <-done:
		require.NoError(t, err, "no deadlock on a page larger than the pool")
	case <-time.After(5 * time.Second):
		t.Fatal("a page larger than the pool waits for ever")
	}
	assert.Equal(t, int64(1000), used(p))
	l.release()
}

func TestPoolTakesTheTicketBackFromASlowAnswer(t *testing.T) {
	p, clock := testPool(t, 100, 80)
	slow := admitNow(t, p, "okta/slow")
	require.NoError(t, slow.charge(context.Background(), 5)) // a few bytes arrived, the rest dribbles in
	healthy := admitAsync(context.Background(), p, "okta/healthy")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(ticketFor)
	select {
	case l := <-healthy:
		require.NotNil(t, l)
		assert.Equal(t, int64(85), used(p), "the slow answer holds only what arrived")
		l.release()
	case <-time.After(5 * time.Second):
		t.Fatal("a slow answer holds its whole ticket while others wait")
	}
	slow.release()
}

func TestPoolAsksForAPageBackOnlyWhenItsPipelineHeldItTooLongAndOthersWait(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	blocked := admitNow(t, p, "okta/blocked")
	require.NoError(t, blocked.mapping(context.Background(), 8)) // 80 bytes
	blocked.delivering()
	clock.Advance(evictAfter)
	p.mu.Lock()
	p.reclaim()
	p.mu.Unlock()
	assert.False(t, isEvicted(blocked), "nobody waits: a slow pipeline keeps its page")

	healthy := admitAsync(context.Background(), p, "okta/healthy")
	require.Eventually(t, func() bool { return isEvicted(blocked) }, 5*time.Second, time.Millisecond,
		"an org waits: the page held past evictAfter is asked back")
	blocked.release()
	require.NotNil(t, <-healthy)
}

func TestPoolDoesNotEvictAPageBeforeItsTime(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	busy := admitNow(t, p, "okta/busy")
	require.NoError(t, busy.mapping(context.Background(), 8))
	busy.delivering()
	ctx, cancel := context.WithTimeout(context.Background(), 3*reclaimEvery)
	defer cancel()
	_, err := p.admit(ctx, "okta/other", nil, waitNotice{}, false, 0)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the wait ends with its context")
	assert.False(t, isEvicted(busy), "a page its pipeline took a moment ago is not asked back")
	assert.Zero(t, queued(p), "an abandoned wait leaves the queue")
	busy.release()
	assert.Zero(t, used(p))
}

func TestPoolSaysWhomAnOrgWaitsFor(t *testing.T) {
	p, clock := testPool(t, 100, 60)
	big := admitNow(t, p, "okta/big")
	require.NoError(t, big.mapping(context.Background(), 6)) // 60 bytes in its pipeline
	big.delivering()
	said := make(chan []holder, 1)
	go func() {
		l, err := p.admit(context.Background(), "okta/small", nil, waitNotice{after: time.Second, say: func(_ time.Duration, by []holder) { said <- by }}, false, 0)
		if err == nil {
			l.release()
		}
	}()
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(2 * time.Second)
	by := <-said
	require.Len(t, by, 1)
	assert.Equal(t, "okta/big", by[0].Receiver)
	assert.Equal(t, "okta/big (0.0 MB, in its pipeline)", describeHolders(by))
	big.release()
}

func TestPoolCapacityIsTheLargestAskOfTheRunningReceivers(t *testing.T) {
	p := newPool(time.Now, defaultTicket)
	p.ask(100)
	p.ask(300)
	p.ask(100)
	assert.Equal(t, int64(300), p.capacity)
	p.withdraw(300)
	assert.Equal(t, int64(100), p.capacity, "a reload that lowers pages_in_flight lowers the pool")
	p.withdraw(100)
	p.withdraw(100)
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
	first.release()
	h := <-healthy
	require.NotNil(t, h, "an org whose pipeline keeps pages back waits behind the others")
	require.NoError(t, h.mapping(context.Background(), 1))
	h.release()
	s := <-suspect
	require.NoError(t, s.mapping(context.Background(), 6))
	s.delivering()
	other := admitAsync(context.Background(), p, "okta/other")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	assert.False(t, isEvicted(s), "a recovered pipeline has time to take the page")
	clock.Advance(suspectGrace)
	require.Eventually(t, func() bool { return isEvicted(s) }, 5*time.Second, time.Millisecond,
		"then its page is asked back, before evictAfter")
	s.release()
	require.NotNil(t, <-other)
}

func TestPoolNeverDeadlocksWhenEveryHolderWaits(t *testing.T) {
	p, _ := testPool(t, 100, 50)
	a := admitNow(t, p, "okta/a")
	b := admitNow(t, p, "okta/b")
	done := make(chan error, 2)
	go func() { done <- a.mapping(context.Background(), 8) }()
	go func() { done <- b.mapping(context.Background(), 8) }()
	select {
	case err := <-done:
		require.NoError(t, err, "both pages wait for the other's memory: the first is served beyond capacity")
	case <-time.After(5 * time.Second):
		t.Fatal("every holder waits for more and nobody is served")
	}
	a.release()
	b.release()
	require.NoError(t, <-done)
}

func TestPoolTakesNoPageBackForAnOrgWhosePipelineHoldsItsOwnBackUntilThatPipelineIsStuck(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	slow := admitNow(t, p, "okta/slow-pipeline")
	require.NoError(t, slow.mapping(context.Background(), 8))
	slow.delivering()
	clock.Advance(evictAfter)
	ctx, cancel := context.WithTimeout(context.Background(), 3*reclaimEvery)
	defer cancel()
	_, err := p.admit(ctx, "okta/blocked", nil, waitNotice{}, true, 0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, isEvicted(slow), "a page is not taken from a slow pipeline for an org that holds its own pages back")

	clock.Advance(stuckAfter - evictAfter) // the pipeline has now held the page for stuckAfter
	recovered := admitAsyncAs(context.Background(), p, "okta/recovered", true)
	require.Eventually(t, func() bool { return isEvicted(slow) }, 5*time.Second, time.Millisecond,
		"a pipeline that has held a page for stuckAfter is stuck, not slow: an org whose own backend has come back does not wait on it for ever")
	slow.release()
	(<-recovered).release()
}

func TestPoolReservesAnOrgsExpectedPageSoItIsNotHeldUpHalfway(t *testing.T) {
	p, _ := testPool(t, 1000, 10)
	l := admitNowAs(t, p, "okta/backlog", false, 800)
	assert.Equal(t, int64(800), used(p), "the request reserves the page it expects")
	other := <-admitAsync(context.Background(), p, "okta/other") // 10 fits beside it
	require.NotNil(t, other)
	other.release()
	require.NoError(t, l.charge(context.Background(), 70))
	done := make(chan error, 1)
	go func() { done <- l.mapping(context.Background(), 70) }() // 700 once mapped: within what it reserved
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a page within its reservation waits to be mapped")
	}
	l.release()
	big := admitNowAs(t, p, "okta/big", false, 5000)
	assert.Equal(t, int64(1000), used(p), "a reservation is at most the capacity")
	big.release()
}

func TestPoolNeverWaitsOnAnAnswerStillArriving(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	slow := admitNow(t, p, "okta/slow")
	require.NoError(t, slow.charge(context.Background(), 40)) // its answer arrives, slowly, and is not done
	healthy := admitNow(t, p, "okta/healthy")
	done := make(chan error, 1)
	go func() { done <- healthy.mapping(context.Background(), 8) }() // 80: beyond what is left
	select {
	case err := <-done:
		require.NoError(t, err, "a page is mapped beyond the capacity rather than wait for a slow upstream")
	case <-time.After(5 * time.Second):
		t.Fatal("a page waits for an answer that is still arriving")
	}
	healthy.release()
	slow.release()
}

func TestPoolBoundsWhatAnswersStillArrivingTakeBeyondItsCapacity(t *testing.T) {
	p, _ := testPool(t, 100, 10)
	readers := make([]*lease, 9)
	for i := range readers {
		var err error
		readers[i], err = p.admit(context.Background(), "okta/r", nil, waitNotice{}, false, 0)
		require.NoError(t, err)
		require.NoError(t, readers[i].charge(context.Background(), 10))
	}
	growing := admitNow(t, p, "okta/growing")
	require.Equal(t, int64(100), used(p))
	done := make(chan error, 1)
	go func() { done <- growing.charge(context.Background(), 100) }() // 90 more: 190
	require.NoError(t, <-done, "an answer grows beyond the capacity rather than wait for answers still arriving")
	go func() { done <- growing.charge(context.Background(), 20) }() // 20 more: 210, beyond twice the capacity
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	assert.Equal(t, int64(190), used(p), "beyond twice the capacity an answer waits, even for answers still arriving")
	readers[0].release()
	require.NoError(t, <-done, "served once it fits within twice the capacity")
	assert.Equal(t, int64(200), used(p))
	for _, r := range readers[1:] {
		r.release()
	}
	growing.release()
	assert.Zero(t, used(p))
}

func TestPoolMapsAWaitingPageBeforeAnAnswerGrowsFurther(t *testing.T) {
	p, _ := testPool(t, 100, 10)
	ctx := context.Background()
	delivering := admitNow(t, p, "okta/delivering")
	require.NoError(t, delivering.charge(ctx, 10))
	require.NoError(t, delivering.mapping(ctx, 5)) // 50
	delivering.delivering()
	reader := admitNow(t, p, "okta/reader")
	require.NoError(t, reader.charge(ctx, 40))
	mapped := admitNow(t, p, "okta/mapped")
	require.NoError(t, mapped.charge(ctx, 10))
	require.Equal(t, int64(100), used(p))

	grown, isMapped := make(chan error, 1), make(chan error, 1)
	go func() { grown <- reader.charge(ctx, 200) }() // its answer goes on arriving: 200 more
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	go func() { isMapped <- mapped.mapping(ctx, 20) }() // 200 in all once mapped: 190 more
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)

	delivering.release() // everyone left waits for more, far beyond the capacity
	select {
	case err := <-isMapped:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the page to be mapped waits behind an answer that grows: it should be served first, though it asked later, since it gives everything back")
	}
	assert.Equal(t, 1, queued(p), "the answer waits while the page is mapped and delivered")
	assert.Equal(t, int64(240), used(p))
	mapped.delivering()
	mapped.release()
	require.NoError(t, <-grown, "then the answer, alone, grows as far as it needs")
	assert.Equal(t, int64(240), used(p))
	reader.release()
	assert.Zero(t, used(p))
}

func TestPoolAdmitsAsIfSlowAnswersHeldWhatTheyExpect(t *testing.T) {
	p, clock := testPool(t, 1000, 10)
	ctx := context.Background()
	admitted := make(chan *lease, 20)
	ask := func() {
		go func() {
			l, err := p.admit(ctx, "okta/slow", nil, waitNotice{}, false, 1000) // a page of 1000 expected: 100 of text
			if err == nil {
				admitted <- l
			}
		}()
	}
	var slow []*lease
	ask()
	slow = append(slow, <-admitted)
	for range 9 { // each answer is slow to arrive: its ticket is given back, and the next request goes
		ask()
		require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
		clock.Advance(ticketFor)
		select {
		case l := <-admitted:
			slow = append(slow, l)
		case <-time.After(5 * time.Second):
			t.Fatalf("request %d waits, with %d slow answers arriving", len(slow)+1, len(slow))
		}
	}
	ask()
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	clock.Advance(ticketFor)
	select {
	case <-admitted:
		t.Fatal("an eleventh request goes while ten answers of 100 each may still arrive in a pool of 1000")
	case <-time.After(300 * time.Millisecond):
	}
	slow[0].release()
	select {
	case l := <-admitted:
		l.release()
	case <-time.After(5 * time.Second):
		t.Fatal("the request waits after an answer was done")
	}
	for _, l := range slow[1:] {
		l.release()
	}
	assert.Zero(t, used(p))
}

func TestPoolCountsNoFloorForRequestsStillWaiting(t *testing.T) {
	p, _ := testPool(t, 1000, 10)
	ctx := context.Background()
	first := admitNowAs(t, p, "okta/first", false, 1000)
	admitted := make(chan *lease, 20)
	for range 20 { // many orgs ask at once, each for a page of 1000 (100 of text)
		go func() {
			if l, err := p.admit(ctx, "okta/next", nil, waitNotice{}, false, 1000); err == nil {
				admitted <- l
			}
		}()
	}
	require.Eventually(t, func() bool { return queued(p) == 20 }, time.Second, time.Millisecond)
	first.release()
	select {
	case l := <-admitted:
		l.release()
	case <-time.After(5 * time.Second):
		t.Fatal("requests that wait for their turn count their floors against each other: nobody goes")
	}
	for range 19 {
		select {
		case l := <-admitted:
			l.release()
		case <-time.After(5 * time.Second):
			t.Fatal("a request waits for ever")
		}
	}
	assert.Zero(t, used(p))
}

func TestPoolServesAPageThatHoldsMemoryBeforeANewRequest(t *testing.T) {
	p, _ := testPool(t, 100, 30)
	reader := admitNow(t, p, "okta/slow")
	require.NoError(t, reader.charge(context.Background(), 30)) // an answer still arriving
	page := admitNow(t, p, "okta/a")
	holder := admitNow(t, p, "okta/b")
	require.NoError(t, holder.mapping(context.Background(), 3))
	holder.delivering() // 30 in a pipeline: the pool is at 90
	newRequest := admitAsync(context.Background(), p, "okta/c")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)
	mapped := make(chan error, 1)
	go func() { mapped <- page.mapping(context.Background(), 6) }() // needs 30 more
	require.Eventually(t, func() bool { return queued(p) == 2 }, time.Second, time.Millisecond)
	holder.release()
	select {
	case err := <-mapped:
		require.NoError(t, err, "the page that holds memory goes first")
	case <-time.After(5 * time.Second):
		t.Fatal("a new request that cannot be given its ticket holds up a page being mapped")
	}
	page.release()
	reader.release()
	require.NotNil(t, <-newRequest)
}

func TestPoolLetsSuspectOrgsTakeMemoryBackOnlyFromEachOther(t *testing.T) {
	p, clock := testPool(t, 100, 40)
	blocked := admitNowAs(t, p, "okta/blocked", true, 0)
	require.NoError(t, blocked.mapping(context.Background(), 8))
	blocked.delivering()
	clock.Advance(suspectGrace)
	recovered := admitAsync(context.Background(), p, "okta/recovered") // not suspect: any page past its grace
	require.Eventually(t, func() bool { return isEvicted(blocked) }, 5*time.Second, time.Millisecond)
	blocked.release()
	l := <-recovered
	require.NotNil(t, l)
	l.release()

	again := admitNowAs(t, p, "okta/blocked", true, 0)
	require.NoError(t, again.mapping(context.Background(), 8))
	again.delivering()
	clock.Advance(suspectGrace)
	other := admitAsyncAs(context.Background(), p, "okta/also-blocked", true)
	require.Eventually(t, func() bool { return isEvicted(again) }, 5*time.Second, time.Millisecond,
		"a suspect org may take memory back from another suspect org's page")
	again.release()
	(<-other).release()
}

func TestPoolMapsASuspectOrgsPageBeforeANewRequest(t *testing.T) {
	p, _ := testPool(t, 100, 40)
	ctx := context.Background()
	suspect := admitNowAs(t, p, "okta/blocked", true, 0)
	reader := admitNow(t, p, "okta/reader") // 80 held: no room for another ticket
	newRequest := admitAsync(ctx, p, "okta/healthy")
	require.Eventually(t, func() bool { return queued(p) == 1 }, time.Second, time.Millisecond)

	mapped := make(chan error, 1)
	go func() { mapped <- suspect.mapping(ctx, 5) }() // 10 more: within the capacity
	select {
	case err := <-mapped:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a suspect org's page to be mapped waits behind a new request that waits for the memory the page would give back")
	}
	assert.Equal(t, int64(90), used(p))
	suspect.delivering()
	suspect.release()
	require.NotNil(t, <-newRequest, "the page, delivered, gives the new request its room")
	reader.release()
}

// shortByWalk is the pool's short summed lease by lease, as account keeps it.
func shortByWalk(p *pool) (walked, kept int64) {
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
	var live []*lease
	for step := range 5000 {
		var what string
		switch op := rnd.IntN(8); {
		case op == 0 || len(live) == 0:
			what = "admit"
			l, err := p.admit(ctx, "okta/x", nil, waitNotice{}, rnd.IntN(4) == 0, int64(rnd.IntN(100_000)))
			require.NoError(t, err)
			live = append(live, l)
		default:
			i := rnd.IntN(len(live))
			l := live[i]
			switch op {
			case 1, 2:
				what = "charge"
				require.NoError(t, l.charge(ctx, int64(rnd.IntN(20_000))))
			case 3:
				what = "mapping"
				require.NoError(t, l.mapping(ctx, rnd.IntN(10_000)))
			case 4:
				what = "delivering"
				l.delivering()
			case 5:
				what = "trim"
				l.trim()
			case 6:
				what = "reclaim"
				clock.Advance(ticketFor)
				p.mu.Lock()
				p.reclaim()
				p.mu.Unlock()
			case 7:
				what = "release"
				l.release()
				live = slices.Delete(live, i, i+1)
			}
		}
		walked, kept := shortByWalk(p)
		require.Equal(t, walked, kept, "step %d (%s): the short kept differs from the leases'", step, what)
	}
	for _, l := range live {
		l.release()
	}
	assert.Zero(t, p.short, "nothing is short once every lease is released")
	assert.Zero(t, used(p))
}
