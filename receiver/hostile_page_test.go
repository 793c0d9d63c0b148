package receiver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An answer with more events than Okta puts in a page is refused whole: nothing is delivered, the org's
// state says why, and the same request is asked again only after the longest backoff, not in a loop that
// spends the org's rate limit. A page of as many events as Okta sends is delivered.
func TestStepPageWithMoreEventsThanOktaSendsIsRefused(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	events := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = okEvent(i, t0)
		}
		return out
	}
	s := newStepper(t,
		answer{events: events(1001), next: "/api/v1/logs?after=A"},
		answer{events: events(1000), next: "/api/v1/logs?after=B"})
	wait := s.step(t)
	assert.Zero(t, s.sink.LogRecordCount(), "nothing of the refused page is delivered")
	assert.GreaterOrEqual(t, wait, s.r.cfg.BackOff.MaxInterval, "asked again only after the longest backoff")
	st := s.r.telemetry.state.Load()
	assert.Equal(t, orgState{name: statePageRefused, errType: "too_many_events"}, *st)
	logged := s.logs.FilterMessageSnippet("more events than Okta sends").All()
	require.NotEmpty(t, logged)
	assert.Contains(t, fmt.Sprint(logged[0].ContextMap()["fix"]), "check `endpoint` and `proxy_url`")

	s.step(t)
	assert.Equal(t, 1000, s.sink.LogRecordCount())
	assert.Equal(t, s.org.request(0).String(), s.org.request(1).String(), "the refused page's request is asked again: its cursor did not move")
}

// An event holding a value too large to be worth exploding (a long array of small numbers, as a hostile
// upstream could send) is delivered whole: that value is one JSON string in the body.
func TestStepEventWithAHugeValueIsDeliveredWhole(t *testing.T) {
	huge := "[" + strings.TrimSuffix(strings.Repeat("0,", 200_000), ",") + "]"
	ev := strings.TrimSuffix(okEvent(1, time.Now().Add(-time.Hour)), "}") + `,"debugContext":{"debugData":{"x":` + huge + `}}}`
	s := newStepper(t, answer{events: []string{ev}, next: "/api/v1/logs?after=A"})
	s.step(t)
	require.Equal(t, 1, s.sink.LogRecordCount())
	body := s.sink.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Body().Map()
	dc, _ := body.Get("debugContext")
	data, _ := dc.Map().Get("debugData")
	x, _ := data.Map().Get("x")
	assert.Equal(t, huge, x.Str())
}
