package receiver

import (
	"crypto/sha256"
	"errors"
	"hash/maphash"
	"sync"

	"github.com/google/uuid"
)

// recentSize is how many of the last delivered events the receiver remembers, by uuid, to deliver none of
// them again: four full pages. A proxy that replays a page, or a new polling query that returns events Okta
// stored late and the receiver already delivered, repeats far fewer. Each costs 16 bytes in the checkpoint
// (64 KiB in all, about 87 KB as the checkpoint's base64) and 20 bytes of memory (80 KiB per receiver once
// full: the ids and an index of two bytes a slot at half load).
const recentSize = 4096

// recentSlots is the size of recent's index, a power of two at least twice recentSize.
const recentSlots = 2 * recentSize

// eventID is an event's uuid as 16 bytes: the uuid itself when it is one, else the first 16 bytes of the
// SHA-256 of the text, so that whatever an upstream sends as a uuid is remembered in the same space.
type eventID [16]byte

func idOf(id string) eventID {
	// Only the canonical 8-4-4-4-12 form is read as a uuid (uuid.Parse also reads other forms).
	if len(id) == 36 {
		if u, err := uuid.Parse(id); err == nil {
			return eventID(u)
		}
	}
	sum := sha256.Sum256([]byte(id))
	return eventID(sum[:16])
}

// recent is the ring of the last recentSize delivered event ids, with an index to look them up: an open
// addressing table of ring positions (plus one; 0 is a free slot), probed linearly from the slot of the id's
// hash. A map of the ids would take about 200 KiB a receiver, which a collector of a thousand orgs feels.
type recent struct {
	ring  []eventID // oldest first once full; next is where the next id goes
	next  int
	index []uint16 // recentSlots slots, made with the first id
}

// recentSeed keys the hash of the index, so that ids an upstream chooses cannot pile up in one place.
var recentSeed = maphash.MakeSeed()

func newRecent() *recent { return &recent{} }

func (r *recent) home(id eventID) int {
	return int(maphash.Comparable(recentSeed, id) & (recentSlots - 1))
}

// find returns the slot that holds id, or -1.
func (r *recent) find(id eventID) int {
	if r.index == nil {
		return -1
	}
	for i := r.home(id); ; i = (i + 1) & (recentSlots - 1) {
		switch at := r.index[i]; {
		case at == 0:
			return -1
		case r.ring[at-1] == id:
			return i
		}
	}
}

func (r *recent) has(id eventID) bool { return r.find(id) >= 0 }

// add remembers id, forgetting the oldest once the ring is full. An id already held is not added twice.
func (r *recent) add(id eventID) {
	if r.has(id) {
		return
	}
	if r.index == nil {
		r.index = make([]uint16, recentSlots)
	}
	pos := len(r.ring)
	if pos < recentSize {
		r.ring = append(r.ring, id)
	} else {
		pos = r.next
		r.free(r.find(r.ring[pos]))
		r.ring[pos] = id
		r.next = (r.next + 1) % recentSize
	}
	i := r.home(id)
	for r.index[i] != 0 {
		i = (i + 1) & (recentSlots - 1)
	}
	r.index[i] = uint16(pos + 1)
}

// free empties slot i, moving back the entries after it that could not sit in their own slot, so that
// every id stays reachable from its home by linear probing.
func (r *recent) free(i int) {
	for {
		r.index[i] = 0
		j := i
		for {
			j = (j + 1) & (recentSlots - 1)
			if r.index[j] == 0 {
				return
			}
			// The entry at j stays if its home lies cyclically in (i, j].
			k := r.home(r.ring[r.index[j]-1])
			if (i < j && i < k && k <= j) || (i > j && (i < k || k <= j)) {
				continue
			}
			break
		}
		r.index[i] = r.index[j]
		i = j
	}
}

// bytes returns the ids oldest first, 16 bytes each.
func (r *recent) bytes() []byte {
	if r == nil {
		return nil
	}
	b := make([]byte, 0, len(r.ring)*16)
	for i := range r.ring {
		id := r.ring[(r.next+i)%len(r.ring)]
		b = append(b, id[:]...)
	}
	return b
}

// recentFrom reads what bytes returned.
func recentFrom(b []byte) (*recent, error) {
	if len(b)%16 != 0 {
		return nil, errors.New("recent event ids: not a whole number of 16-byte ids")
	}
	r := newRecent()
	for i := 0; i+16 <= len(b); i += 16 {
		r.add(eventID(b[i : i+16]))
	}
	return r, nil
}

// pageIDs holds the sets of a page's own ids that dropDelivered fills to find an event repeated within its
// page: made once and reused, page after page, by every receiver of the collector (a set of a full page's
// ids is about 50 KiB), rather than made for every page or kept by each receiver.
var pageIDs = sync.Pool{New: func() any { return make(map[eventID]struct{}, maxPageSize) }}
