package receiver

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	assert.Len(t, r.set, recentSize)
	for i := range 10 {
		assert.False(t, r.has(id(i)), "the oldest are forgotten")
	}
	assert.True(t, r.has(id(10)))
	assert.True(t, r.has(id(recentSize+9)))

	back, err := recentFrom(r.bytes())
	require.NoError(t, err)
	assert.Equal(t, r.set, back.set)
	back.add(id(recentSize + 10))
	assert.False(t, back.has(id(10)), "the order survives the checkpoint: the oldest goes first")
}
