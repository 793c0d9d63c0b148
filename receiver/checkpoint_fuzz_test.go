package receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzUnmarshalCursor feeds the checkpoint decoder whatever storage may hold (a damaged file, another
// build's format, or a checkpoint written by someone who can write the org's storage): it returns either a
// cursor that keeps every invariant the receiver relies on, or an error that says what is wrong, on one
// line; it never panics. A cursor it returns is read back the same once written again.
func FuzzUnmarshalCursor(f *testing.F) {
	c := &cursor{
		Org: "example.okta.com", Next: "https://example.okta.com/api/v1/logs?after=1&limit=1000",
		Since: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), LastPublished: time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC),
		Filter: `eventType sw "user."`, Query: "login", PageSize: 1000, Written: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC),
		recent: newRecent(),
	}
	c.recent.add(idOf("00000000-0000-4000-8000-000000000001"))
	c.recent.add(idOf("not-a-uuid"))
	valid, err := c.marshal()
	require.NoError(f, err)
	for _, seed := range []string{
		string(valid),
		"",
		"null",
		"\x00\x01garbage",
		`[1,2]`,
		`{"version":99,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100}`,
		`{"version":1,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"boundary_uuids":["00000000-0000-4000-8000-000000000007"]}`,
		`{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100}`,
		`{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":-1}`,
		`{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":9223372036854775807}`,
		`{"version":2,"org":"a","since":"0001-01-01T00:00:00Z","page_size":100}`,
		`{"version":2,"org":"a","since":"9999-12-31T23:59:59.999999999+14:00","last_published":"0000-01-01T00:00:00-23:59","page_size":100}`,
		`{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"recent":"AAEC"}`,
		`{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"recent":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`,
		`{"version":2,"org":"a","org":"","since":"2026-11-24T10:00:00Z","page_size":100}`,
		`{"Version":2,"ORG":"a","since":"2026-11-24T10:00:00Z","page_size":1e2}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cur, err := unmarshalCursor(b)
		if err != nil {
			require.Nil(t, cur)
			msg := err.Error()
			assert.NotEmpty(t, msg)
			assert.NotContains(t, msg, "\n", "one line")
			return
		}
		checkCursorInvariants(t, cur)
		again, err := cur.marshal()
		require.NoError(t, err)
		back, err := unmarshalCursor(again)
		require.NoError(t, err, "a cursor read is read again once written: %s", again)
		checkCursorInvariants(t, back)
		assert.Equal(t, cur.Org, back.Org)
		assert.Equal(t, cur.Next, back.Next)
		assert.True(t, cur.Since.Equal(back.Since))
		assert.True(t, cur.LastPublished.Equal(back.LastPublished))
		assert.True(t, cur.Written.Equal(back.Written))
		assert.Equal(t, cur.Filter, back.Filter)
		assert.Equal(t, cur.Query, back.Query)
		assert.Equal(t, cur.PageSize, back.PageSize)
		assert.Equal(t, cur.recent.bytes(), back.recent.bytes())
	})
}

// checkCursorInvariants asserts what the receiver relies on in a cursor read from storage.
func checkCursorInvariants(t *testing.T, cur *cursor) {
	t.Helper()
	require.NotNil(t, cur)
	assert.NotEmpty(t, cur.Org, "an org")
	assert.False(t, cur.Since.IsZero(), "a start time")
	assert.GreaterOrEqual(t, cur.PageSize, 1, "a page size Okta accepts")
	assert.LessOrEqual(t, cur.PageSize, maxPageSize, "a page size Okta accepts")
	require.NotNil(t, cur.recent, "a recent window, empty or not")
	r := cur.recent
	assert.LessOrEqual(t, len(r.ring), recentSize, "the recent window is bounded")
	seen := map[eventID]bool{}
	for _, id := range r.ring {
		assert.False(t, seen[id], "an id held once")
		seen[id] = true
		assert.True(t, r.has(id), "every id held can be found")
	}
	assert.Len(t, r.bytes(), len(r.ring)*16)
}
