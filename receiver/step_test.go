package receiver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/metadata"
)

// answer is one scripted answer of an Okta org (or of whatever stands in front of it).
type answer struct {
	status int
	header map[string]string
	events []string // each a whole JSON event
	// next is the rel="next" link: "" for none, "self" for the URL that was asked for, else a path and query.
	next string
}

// script is an org that gives its answers in order, the last one again once they run out, and records
// the URLs it was asked for.
type script struct {
	mu       sync.Mutex
	answers  []answer
	requests []*url.URL
}

func (s *script) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	a := s.answers[min(len(s.requests), len(s.answers)-1)]
	s.requests = append(s.requests, req.URL)
	s.mu.Unlock()
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	switch a.next {
	case "":
	case "self":
		w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, req.Host, req.URL.RequestURI()))
	default:
		w.Header().Add("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, req.Host, a.next))
	}
	w.Header().Set("Content-Type", "application/json")
	status := a.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if status == http.StatusOK {
		fmt.Fprintf(w, "[%s]", strings.Join(a.events, ","))
		return
	}
	fmt.Fprint(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)
}

func (s *script) request(i int) *url.URL {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[i]
}

// stepper is a prepared receiver whose poll steps a test calls one at a time: no goroutine, no sleep.
type stepper struct {
	*poller
	sink *consumertest.LogsSink
	logs *observer.ObservedLogs
	org  *script
}

func newStepper(t *testing.T, answers ...answer) *stepper {
	t.Helper()
	return newStepperWith(t, func(*Config) {}, answers...)
}

func newStepperWith(t *testing.T, change func(*Config), answers ...answer) *stepper {
	t.Helper()
	upstream := &script{answers: answers}
	srv := httptest.NewServer(upstream)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	cfg := testConfig(&org{url: u})
	change(cfg)
	core, logs := observer.New(zap.DebugLevel)
	set := receivertest.NewNopSettings(metadata.Type)
	set.ID = component.NewID(metadata.Type)
	set.Logger = zap.New(core)
	sink := new(consumertest.LogsSink)
	r, err := newReceiver(set, cfg, sink, testShared(t))
	require.NoError(t, err)
	require.NoError(t, r.instrument(componenttest.NewNopHost()))
	require.NoError(t, r.prepare(context.Background(), componenttest.NewNopHost(), nil))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return &stepper{poller: r.newPoller(r.loadCursor(context.Background())), sink: sink, logs: logs, org: upstream}
}

func (s *stepper) step(t *testing.T) time.Duration {
	t.Helper()
	wait, ok := s.poller.step(context.Background(), context.Background())
	require.True(t, ok)
	return wait
}

// okEvent is a System Log event with uuid number n, published at p.
func okEvent(n int, p time.Time) string {
	return fmt.Sprintf(`{"uuid":"00000000-0000-4000-8000-%012d","published":%q,"eventType":"user.session.start","version":"0","severity":"INFO"}`,
		n, p.UTC().Format("2006-01-02T15:04:05.000Z"))
}

func okUID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

func TestStepFuturePublishedNeverMovesTheResumeTime(t *testing.T) {
	now := time.Now()
	s := newStepper(t,
		answer{events: []string{okEvent(1, now.Add(-time.Minute)), okEvent(2, time.Date(2250, 6, 1, 0, 0, 0, 0, time.UTC))}},
		answer{events: []string{okEvent(3, now)}},
	)
	assert.Equal(t, s.r.cfg.PollInterval, s.step(t), "a page without a next link is not full")
	assert.Equal(t, []string{okUID(1), okUID(2)}, uids(s.sink), "the event stamped in 2250 is still delivered")
	assert.Len(t, s.logs.FilterMessageSnippet("ahead of this collector's clock").All(), 1)
	assert.WithinDuration(t, now.Add(-time.Minute), s.cur.LastPublished, time.Second)

	s.step(t)
	since, err := time.Parse(time.RFC3339, s.org.request(1).Query().Get("since"))
	require.NoError(t, err)
	assert.False(t, since.After(time.Now()), "the next polling query starts no later than now: %s", since)
	assert.Equal(t, []string{okUID(1), okUID(2), okUID(3)}, uids(s.sink))
}

func TestStepRateLimitHeadersThatMakeNoSense(t *testing.T) {
	date := time.Now().UTC().Truncate(time.Second)
	headers := func(remaining int, reset time.Time, extra ...string) map[string]string {
		h := map[string]string{
			"Date":                   date.Format(http.TimeFormat),
			"X-Rate-Limit-Limit":     "100",
			"X-Rate-Limit-Remaining": strconv.Itoa(remaining),
			"X-Rate-Limit-Reset":     strconv.FormatInt(reset.Unix(), 10),
		}
		for i := 0; i+1 < len(extra); i += 2 {
			h[extra[i]] = extra[i+1]
		}
		return h
	}
	page := []string{okEvent(1, date.Add(-time.Minute))}
	tests := []struct {
		name     string
		first    answer
		min, max time.Duration // the wait before the request after the first answer
	}{
		{"budget spent, reset in 30 s", answer{header: headers(0, date.Add(30*time.Second)), events: page}, 31 * time.Second, 31 * time.Second},
		{"budget spent, reset a day away", answer{header: headers(0, date.Add(24*time.Hour)), events: page}, time.Minute, time.Minute},
		{"budget spent, reset in the year 3000", answer{header: headers(0, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)), events: page}, time.Minute, time.Minute},
		{"budget spent, reset in the past", answer{header: headers(0, date.Add(-time.Hour)), events: page}, time.Minute, time.Minute},
		{"429 with Retry-After 20", answer{status: http.StatusTooManyRequests, header: headers(0, date.Add(2*time.Second), "Retry-After", "20")}, 20 * time.Second, 21 * time.Second},
		{"429 with a reset ten years away", answer{status: http.StatusTooManyRequests, header: headers(0, date.Add(10*365*24*time.Hour))}, time.Minute, time.Minute + time.Second},
		{"429 with Retry-After of a week", answer{status: http.StatusTooManyRequests, header: headers(0, date.Add(time.Second), "Retry-After", "604800")}, 2 * time.Minute, 2*time.Minute + time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStepper(t, tt.first, answer{events: page})
			wait := s.step(t)
			if tt.first.status == http.StatusOK || tt.first.status == 0 {
				require.Equal(t, s.r.cfg.PollInterval, wait, "the page itself is delivered")
				wait = s.step(t) // the budget's pause, before any request
				require.Len(t, s.org.requests, 1, "no request while the budget is spent")
			}
			assert.GreaterOrEqual(t, wait, tt.min-time.Second, "less the time the steps took")
			assert.LessOrEqual(t, wait, tt.max)
			assert.LessOrEqual(t, wait, 2*time.Minute+time.Second, "never longer than Okta's windows can mean")
			lines := s.logs.FilterMessageSnippet("pausing to stay within rate_limit_budget").All()
			if tt.first.status == http.StatusTooManyRequests {
				lines = s.logs.FilterMessageSnippet("rate limit for the org is spent").All()
			}
			require.Len(t, lines, 1, "a wait longer than poll_interval is said once")
			assert.Equal(t, zapcore.InfoLevel, lines[0].Level)
			assert.Contains(t, lines[0].ContextMap(), map[bool]string{true: "retry_at", false: "resume_at"}[tt.first.status == http.StatusTooManyRequests])
		})
	}
}

func TestStepReplayedPageIsDeliveredOnceAndBacksOff(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	same := []string{okEvent(1, t0), okEvent(2, t0.Add(time.Second)), okEvent(3, t0.Add(2*time.Second))}
	s := newStepperWith(t, func(cfg *Config) { cfg.PageSize = len(same) }, // full pages: followed at once
		answer{events: same, next: "/api/v1/logs?after=A"},
		answer{events: same, next: "self"}, // a proxy replays the page for the next link
		answer{events: same, next: "self"},
		answer{events: []string{okEvent(4, t0.Add(3*time.Second))}, next: "/api/v1/logs?after=B"},
	)
	require.Zero(t, s.step(t), "a full page is followed at once")
	first := s.step(t)
	second := s.step(t)
	assert.Positive(t, first, "a stuck cursor is backed off, not looped")
	assert.Greater(t, second, first/2, "and backed off further (with jitter)")
	assert.Equal(t, []string{okUID(1), okUID(2), okUID(3)}, uids(s.sink), "nothing delivered twice")
	assert.Len(t, s.logs.FilterMessageSnippet("answered the same next link with the same page again").All(), 1, "said once")
	s.step(t)
	assert.Equal(t, []string{okUID(1), okUID(2), okUID(3), okUID(4)}, uids(s.sink))
	assert.Len(t, s.logs.FilterMessageSnippet("moves on again").All(), 1)
}

func TestStepNewPollingQueryDeliversOnlyWhatIsNew(t *testing.T) {
	t0 := time.Now().Add(-time.Hour)
	late := okEvent(2, t0.Add(-30*time.Minute)) // stored late: published well before the others
	s := newStepper(t,
		answer{events: []string{okEvent(1, t0), late, okEvent(3, t0.Add(time.Second))}, next: "/api/v1/logs?after=A"},
		answer{status: http.StatusBadRequest, header: map[string]string{}},
		// The new polling query from the last `published` returns the late event and the last one again.
		answer{events: []string{late, okEvent(3, t0.Add(time.Second)), okEvent(4, t0.Add(2*time.Second))}, next: "/api/v1/logs?after=B"},
	)
	s.step(t)
	assert.Zero(t, s.step(t), "a refused saved link starts a new polling query at once")
	s.step(t)
	assert.NotEmpty(t, s.org.request(2).Query().Get("since"))
	assert.Equal(t, []string{okUID(1), okUID(2), okUID(3), okUID(4)}, uids(s.sink), "each event once")
}

func TestStepEventsWithoutUUIDAreDeliveredAndSaidSo(t *testing.T) {
	t0 := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	noUUID := fmt.Sprintf(`{"published":%q,"eventType":"user.session.start"}`, t0)
	emptyUUID := fmt.Sprintf(`{"uuid":"","published":%q,"eventType":"user.session.start"}`, t0)
	s := newStepper(t, answer{events: []string{noUUID, emptyUUID}, next: "/api/v1/logs?after=A"})
	s.step(t)
	assert.Equal(t, 2, s.sink.LogRecordCount(), "no event is dropped")
	warned := s.logs.FilterMessageSnippet("events without a `uuid`").All()
	require.Len(t, warned, 1)
	assert.Equal(t, int64(2), warned[0].ContextMap()["events"])
}
