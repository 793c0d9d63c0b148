package receiver

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/datableio/oktareceiver/internal/metadata"
)

func TestIDOf(t *testing.T) {
	assert.Equal(t, eventID{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 0xff},
		idOf("12345678-9abc-def0-0001-0203040506ff"))
	assert.Equal(t, idOf("12345678-9ABC-DEF0-0001-0203040506FF"), idOf("12345678-9abc-def0-0001-0203040506ff"), "one uuid, either case")
	for _, notUUID := range []string{"", "x", "12345678-9abc-def0-0001-0203040506f", "12345678-9abc-def0-0001-0203040506fg", "123456789-abc-def0-0001-0203040506ff", "1234567x-9abc-def0-0001-0203040506ff",
		"123456789abcdef000010203040506ff", "{12345678-9abc-def0-0001-0203040506ff}", "urn:uuid:12345678-9abc-def0-0001-0203040506ff"} {
		sum := sha256.Sum256([]byte(notUUID))
		assert.Equal(t, eventID(sum[:16]), idOf(notUUID), "anything but the canonical form is hashed: %q", notUUID)
	}
	assert.NotEqual(t, idOf("a"), idOf("b"))
}

func TestRecentForgetsTheOldestWhenFull(t *testing.T) {
	r := newRecent()
	id := func(i int) eventID { return idOf(fmt.Sprintf("event-%d", i)) }
	for i := range recentSize + 10 {
		r.add(id(i))
	}
	r.add(id(recentSize + 9)) // again: held once
	assert.Len(t, r.ring, recentSize)
	assert.Equal(t, recentSize, held(r))
	for i := range 10 {
		assert.False(t, r.has(id(i)), "the oldest are forgotten")
	}
	assert.True(t, r.has(id(10)))
	assert.True(t, r.has(id(recentSize+9)))

	back, err := recentFrom(r.bytes())
	require.NoError(t, err)
	assert.Equal(t, r.bytes(), back.bytes())
	for i := 10; i < recentSize+10; i++ {
		assert.True(t, back.has(id(i)))
	}
	back.add(id(recentSize + 10))
	assert.False(t, back.has(id(10)), "the order survives the checkpoint: the oldest goes first")
}

// held counts the ids the index finds.
func held(r *recent) int {
	n := 0
	for _, at := range r.index {
		if at != 0 {
			n++
		}
	}
	return n
}

func TestRecentIndexAgreesWithTheLastIDsThroughManyTurnsOfTheRing(t *testing.T) {
	r := newRecent()
	id := func(i int) eventID { return idOf(fmt.Sprintf("event-%d", i)) }
	const total = 5*recentSize + 123
	for i := range total {
		r.add(id(i))
		if i%997 == 0 || i == total-1 {
			for back := range min(i+1, recentSize+50) {
				want := back < recentSize
				require.Equal(t, want, r.has(id(i-back)), "after %d ids, the id %d back", i+1, back)
			}
			require.Equal(t, min(i+1, recentSize), held(r), "one slot an id")
		}
	}
}

func TestRecentFindsIDsThatShareAHome(t *testing.T) {
	r := newRecent()
	// Ids whose homes fall on a few slots: long probe runs that wrap around the table's end, and
	// removals from their middle as the ring turns.
	var same []eventID
	for i := 0; len(same) < recentSize+500; i++ {
		e := idOf(fmt.Sprintf("crowd-%d", i))
		if h := r.home(e); h < 32 || h >= recentSlots-32 {
			same = append(same, e)
		}
	}
	for n, e := range same {
		r.add(e)
		if n%1009 == 0 || n == len(same)-1 {
			for back := range min(n+1, recentSize+10) {
				require.Equal(t, back < recentSize, r.has(same[n-back]), "after %d, the id %d back", n+1, back)
			}
		}
	}
}

func TestDropDeliveredForgetsThePreviousPagesIDs(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint, cfg.APIToken = "example.okta.com", "test-token"
	rcv, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop(), testShared(t))
	require.NoError(t, err)
	p := rcv.newPoller(&cursor{recent: newRecent()})
	now := time.Now()
	a, rawA := event(now)
	b, rawB := event(now)
	mapped := func(raws ...[]byte) *page {
		logs, events, _, err := rcv.mapper.MapPage("["+string(bytes.Join(raws, []byte(",")))+"]", now)
		require.NoError(t, err)
		return &page{logs: logs, events: events}
	}
	first := mapped(rawA, rawB, rawA)
	assert.Equal(t, []eventID{idOf(a), idOf(b)}, p.dropDelivered(first), "an event repeated within its page is dropped")
	assert.Equal(t, 2, first.logs.LogRecordCount())
	// The first page was not delivered (its ids were not remembered): the next page's events are its own.
	second := mapped(rawB, rawA)
	assert.Equal(t, []eventID{idOf(b), idOf(a)}, p.dropDelivered(second), "the set of a page's ids starts empty for every page")
	assert.Equal(t, 2, second.logs.LogRecordCount())
}
