package receiver

import (
	"crypto/sha256"
	"errors"

	"github.com/google/uuid"
)

// recentSize is how many of the last delivered events the receiver remembers, by uuid, to deliver none of
// them again: four full pages. A proxy that replays a page, or a new polling query that returns events Okta
// stored late and the receiver already delivered, repeats far fewer. Each costs 16 bytes in the checkpoint
// (64 KiB in all, about 87 KB as the checkpoint's base64) and about 50 bytes of memory (about 200 KiB per receiver).
const recentSize = 4096

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

// recent is the ring of the last recentSize delivered event ids, with a set to look them up.
type recent struct {
	ring []eventID // oldest first once full; next is where the next id goes
	next int
	set  map[eventID]struct{}
}

func newRecent() *recent {
	return &recent{ring: make([]eventID, 0, recentSize), set: make(map[eventID]struct{}, recentSize)}
}

func (r *recent) has(id eventID) bool {
	_, ok := r.set[id]
	return ok
}

// add remembers id, forgetting the oldest once the ring is full. An id already held is not added twice.
func (r *recent) add(id eventID) {
	if r.has(id) {
		return
	}
	if len(r.ring) < recentSize {
		r.ring = append(r.ring, id)
		r.set[id] = struct{}{}
		return
	}
	delete(r.set, r.ring[r.next])
	r.ring[r.next] = id
	r.set[id] = struct{}{}
	r.next = (r.next + 1) % recentSize
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
