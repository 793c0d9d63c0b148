package receiver

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

func consumererrorPermanent() error {
	return consumererror.NewPermanent(errors.New("the backend rejects these records"))
}

func TestCursorDeliveredMovesToNewestPublished(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	now := t0.Add(time.Minute)
	c := &cursor{Since: t0.Add(-time.Hour), recent: newRecent()}
	future := c.delivered("next-1", []mapping.Event{
		{UUID: "a", Published: t0},
		{UUID: "b", Published: t0.Add(time.Millisecond)},
		{UUID: "late", Published: t0.Add(-time.Hour)},
		{UUID: "bad"}, // a `published` that did not parse
		{UUID: "skewed", Published: now.Add(maxClockSkew - time.Second)},
		{UUID: "2250", Published: time.Date(2250, 6, 1, 0, 0, 0, 0, time.UTC)},
	}, now)
	assert.Equal(t, "next-1", c.Next)
	assert.Equal(t, 1, future, "the event stamped in 2250 is counted")
	assert.Equal(t, now.Add(maxClockSkew-time.Second), c.LastPublished,
		"a clock within the allowed skew moves the cursor; one beyond it does not")
	assert.Equal(t, now, c.resumeSince(now), "a new polling query never starts ahead of the receiver's clock")
	assert.Equal(t, c.LastPublished, c.resumeSince(now.Add(time.Hour)))
}

func TestCursorResumeSinceWithoutEvents(t *testing.T) {
	since := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c := &cursor{Since: since}
	assert.Equal(t, since, c.resumeSince(since.Add(time.Hour)))
}

func TestUnmarshalCursorRejectsBadContents(t *testing.T) {
	for name, raw := range map[string]string{
		"not JSON":          "\x00\x01garbage",
		"wrong version":     `{"version":99,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100}`,
		"version 1":         `{"version":1,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"boundary_uuids":["00000000-0000-4000-8000-000000000007"]}`,
		"no org":            `{"version":2,"since":"2026-11-24T10:00:00Z","page_size":100}`,
		"no page size":      `{"version":2,"org":"a","since":"2026-11-24T10:00:00Z"}`,
		"page size too big": `{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":1001}`,
		"a JSON array":      `[1,2]`,
		"recent cut short":  `{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"recent":"AAEC"}`,
		"recent not base64": `{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":100,"recent":"!!"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := unmarshalCursor([]byte(raw))
			assert.Error(t, err)
		})
	}
}

func TestCursorRoundTripKeepsRecentIDs(t *testing.T) {
	c := &cursor{Org: "a", Since: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), PageSize: 100, recent: newRecent()}
	c.recent.add(idOf("00000000-0000-4000-8000-000000000001"))
	c.recent.add(idOf("not-a-uuid"))
	back, err := unmarshalCursor(mustMarshal(t, c))
	require.NoError(t, err)
	assert.True(t, back.recent.has(idOf("00000000-0000-4000-8000-000000000001")))
	assert.True(t, back.recent.has(idOf("not-a-uuid")))
	assert.False(t, back.recent.has(idOf("00000000-0000-4000-8000-000000000002")))
}

// The checkpoint's format on disk, version 2, is read and written byte for byte as the first release did.
func TestCheckpointFormatVersion2(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c := &cursor{Org: "example.okta.com", Next: "https://example.okta.com/api/v1/logs?after=1_2", Since: t0, LastPublished: t0.Add(time.Hour),
		Filter: `eventType sw "user."`, Query: "login", PageSize: 1000, Written: t0.Add(2 * time.Hour), recent: newRecent()}
	c.recent.add(idOf("00000000-0000-4000-8000-000000000001"))
	c.recent.add(idOf("not-a-uuid"))
	const stored = `{"version":2,"org":"example.okta.com","next":"https://example.okta.com/api/v1/logs?after=1_2","since":"2026-11-24T10:00:00Z","last_published":"2026-11-24T11:00:00Z","recent":"AAAAAAAAQACAAAAAAAAAASGEoyo7rmrXVtdF7IZ4rWo=","filter":"eventType sw \"user.\"","query":"login","page_size":1000,"written":"2026-11-24T12:00:00Z"}`
	before := *c
	assert.Equal(t, stored, string(mustMarshal(t, c))) //nolint:testifylint // the bytes stored, not only their JSON meaning
	assert.Equal(t, before, *c, "encoding leaves the cursor as it is")

	back, err := unmarshalCursor([]byte(stored))
	require.NoError(t, err)
	assert.Equal(t, c.recent.bytes(), back.recent.bytes())
	back.recent = c.recent
	assert.Equal(t, c, back)

	minimal := &cursor{Org: "a", Since: t0, PageSize: 1, recent: newRecent()}
	assert.Equal(t, `{"version":2,"org":"a","since":"2026-11-24T10:00:00Z","page_size":1,"written":"0001-01-01T00:00:00Z"}`, string(mustMarshal(t, minimal))) //nolint:testifylint // the bytes stored
}

func TestStoredCheckpointContents(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	cfg.Filter = `eventType eq "user.session.start"`
	want := o.addEvents(t, 120, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	r := start(t, cfg, host, sink)
	waitForCount(t, sink, len(want))
	r.stop(t)

	cur := storedCursor(t, host, id)
	assert.Equal(t, o.url.Host, cur.Org)
	assert.Contains(t, cur.Next, "after=", "the next link of the last page delivered")
	assert.True(t, cur.recent.has(idOf(want[len(want)-1])), "the delivered events are remembered")
	assert.Len(t, cur.recent.ring, len(want))
	assert.Equal(t, cfg.Filter, cur.Filter)
	assert.Equal(t, 100, cur.PageSize)
	assert.NotContains(t, string(mustMarshal(t, cur)), "test-token", "the token is never stored")
}

func mustMarshal(t *testing.T, c *cursor) []byte {
	b, err := c.marshal()
	require.NoError(t, err)
	return b
}

func TestIgnoresCheckpointOfAnotherOrg(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	other := &cursor{Org: "other.okta.com", Next: "https://other.okta.com/api/v1/logs?after=1_1", Since: time.Now(), PageSize: 100}
	putCheckpoint(t, host, id, mustMarshal(t, other))

	want := o.addEvents(t, 10, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	r := start(t, cfg, host, sink)
	waitForCount(t, sink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	assert.NotEmpty(t, r.logs.FilterMessageSnippet("belongs to another org").All())
	assert.Equal(t, o.url.Host, storedCursor(t, host, id).Org, "the foreign checkpoint was replaced")
	assert.Empty(t, o.sim.Stats().Authorization["other.okta.com"], "nothing was sent to the other org")
}

func TestReplacesUnreadableCheckpoint(t *testing.T) {
	for name, stored := range map[string]string{
		"not JSON": "{not json",
		// 0.1.0 is the first release: a version 1 checkpoint was never written by one.
		"version 1": `{"version":1,"org":"ORG","since":"2026-11-24T10:00:00Z","page_size":100,"boundary_uuids":["00000000-0000-4000-8000-000000000007"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			o := newOrg(t, oktasim.Options{})
			host, id := storageHost(t)
			cfg := testConfig(o)
			cfg.Storage = id
			putCheckpoint(t, host, id, []byte(strings.ReplaceAll(stored, "ORG", o.url.Host)))

			want := o.addEvents(t, 10, time.Now().Add(-time.Minute))
			sink := new(consumertest.LogsSink)
			r := start(t, cfg, host, sink)
			waitForCount(t, sink, len(want))
			r.stop(t)
			assert.Equal(t, want, uids(sink))
			read := r.logs.FilterMessageSnippet("the stored checkpoint cannot be read").All()
			require.NotEmpty(t, read)
			assert.Contains(t, read[0].ContextMap()["then"], "it is replaced")
			assert.True(t, storedCursor(t, host, id).recent.has(idOf(want[len(want)-1])))
		})
	}
}

func TestChangedFilterResumesFromLastPublishedWithoutLoss(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	// Several events share the last instant: the boundary must skip exactly those already delivered.
	at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	var first []string
	for range 3 {
		u, raw := event(at)
		require.NoError(t, o.sim.Add(raw))
		first = append(first, u)
	}
	sink1 := new(consumertest.LogsSink)
	r1 := start(t, cfg, host, sink1)
	waitForCount(t, sink1, len(first))
	r1.stop(t)

	sameInstant, raw := event(at) // stored after the checkpoint, with the same `published`
	require.NoError(t, o.sim.Add(raw))
	later := o.addEvents(t, 5, time.Now())

	cfg.PageSize = 50
	sink2 := new(consumertest.LogsSink)
	r2 := start(t, cfg, host, sink2)
	waitForCount(t, sink2, 1+len(later))
	o.servedMore(t)
	r2.stop(t)
	assert.Equal(t, append([]string{sameInstant}, later...), uids(sink2))
	assert.NotEmpty(t, r2.logs.FilterMessageSnippet("page_size changed since the checkpoint").All())
	assert.Equal(t, 50, storedCursor(t, host, id).PageSize)
}

func TestResumeFromVeryOldCheckpointStaysWithinOktaLimit(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	host, id := storageHost(t)
	cfg := testConfig(o)
	cfg.Storage = id
	// A checkpoint from a collector stopped 200 days ago whose next link cannot be used any more.
	old := &cursor{Org: o.url.Host, Since: time.Now().Add(-201 * 24 * time.Hour), LastPublished: time.Now().Add(-200 * 24 * time.Hour),
		PageSize: 999}
	putCheckpoint(t, host, id, mustMarshal(t, old))
	want := o.addEvents(t, 10, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	r := start(t, cfg, host, sink)
	waitForCount(t, sink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	assert.NotEmpty(t, r.logs.FilterMessageSnippet("older than Okta accepts").All())
	assert.Zero(t, o.sim.Stats().Responses[400], "no request Okta would reject")
}
