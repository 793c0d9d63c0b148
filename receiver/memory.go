package receiver

import (
	"time"

	"github.com/datableio/oktareceiver/internal/pool"
)

// What a page costs the pool (package pool holds the model: who is served, when memory is asked back).
const (
	// pageShare is one page's worth of memory: a full page of large events once mapped. The memory every
	// okta receiver of the collector holds together is pages_in_flight × pageShare.
	pageShare int64 = 32 << 20
	// defaultTicket is the least a request holds until its answer has arrived (pool.Options.MinTicket).
	defaultTicket = 1 << 20
	// pageWeight is what a page is counted per byte of its text while it is mapped: at least what
	// mapping.PageCost allows per byte (6), so that a page whose events are few is never counted short;
	// once mapped, a page of many events is counted up to mapping.PageCost.
	pageWeight = 10
	// firstExpect is what an org's first request reserves, before it knows how large its pages are: a full
	// page of 2.4 MB of text, once mapped. Its tenth, the answer it expects, is what the pool counts for the
	// request until the answer has arrived, so that the first requests of many orgs starting at once do not
	// bring more answers than the pool holds.
	firstExpect = 24 << 20
)

// shared is what every okta receiver of one collector shares: the memory pool and the stop clock. The
// factory makes one, and every receiver it creates uses it (a collector makes its factories again on every
// reload, once the previous generation's receivers are all stopped).
type shared struct {
	memory *pool.Pool
	stops  *stopClock
	// pageShare is pageShare, smaller in tests that scale the pool down to pages of a few events.
	pageShare int64
}

func newShared() *shared {
	return &shared{
		memory:    pool.New(pool.Options{Now: time.Now, MinTicket: defaultTicket, Weight: pageWeight}),
		stops:     newStopClock(time.Now),
		pageShare: pageShare,
	}
}
