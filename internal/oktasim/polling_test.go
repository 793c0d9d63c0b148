package oktasim

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPollingFollowsNextLinksThroughBacklogExactlyOnce(t *testing.T) {
	f := newFixture(t, Options{Seed: 3})
	if err := f.sim.AddBacklog(2500, t0.Add(-48*time.Hour), t0); err != nil {
		t.Fatal(err)
	}
	next := f.srv.URL + "/api/v1/logs?limit=1000&since=" + rfc(t0.Add(-49*time.Hour))
	var got []string
	pages := 0
	for {
		r := f.get(t, next)
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		ids := pageUUIDs(t, r.body)
		l := links(t, r.header)
		if l["next"] == "" {
			t.Fatalf("polling page %d has no next link", pages)
		}
		q := query(t, l["next"])
		if q.Get("limit") != "1000" || q.Has("since") || q.Get("after") == "" {
			t.Errorf("next link %s: want limit=1000 and after, no since", l["next"])
		}
		if len(ids) == 0 {
			if l["next"] != next {
				t.Errorf("empty page moved the cursor: %s -> %s", next, l["next"])
			}
			break
		}
		got = append(got, ids...)
		next = l["next"]
		pages++
	}
	if pages != 3 {
		t.Errorf("got %d non-empty pages, want 3", pages)
	}
	if want := f.sim.Ledger(); !slices.Equal(got, want) {
		t.Fatalf("polling returned %d events, ledger holds %d (or order differs)", len(got), len(want))
	}

	// New events appear behind the same cursor, exactly once.
	f.clock.Advance(time.Minute)
	if err := f.sim.Add(ev("new-1", t0.Add(time.Minute), "user.session.start"), ev("new-2", t0.Add(time.Minute), "user.session.end")); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, next)
	if ids := pageUUIDs(t, r.body); !slices.Equal(ids, []string{"new-1", "new-2"}) {
		t.Fatalf("after new events: got %v", ids)
	}
	r = f.get(t, links(t, r.header)["next"])
	if ids := pageUUIDs(t, r.body); len(ids) != 0 {
		t.Fatalf("events returned twice: %v", ids)
	}
}

func TestPollingEmptyPageStillHasNextLink(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "1000")
	if r.status != 200 || string(r.body) != "[]" {
		t.Fatalf("got %d %s, want 200 []", r.status, r.body)
	}
	next := links(t, r.header)["next"]
	if next == "" {
		t.Fatal("empty polling page has no next link")
	}
	// Following it again gives an empty page with the same next link, forever.
	for range 3 {
		r = f.get(t, next)
		if string(r.body) != "[]" || links(t, r.header)["next"] != next {
			t.Fatalf("got %s, next %q; want [] and next %q", r.body, links(t, r.header)["next"], next)
		}
	}
	// Until an event arrives.
	f.clock.Advance(time.Second)
	if err := f.sim.Add(ev("e1", f.clock.Now(), "user.session.start")); err != nil {
		t.Fatal(err)
	}
	r = f.get(t, next)
	if ids := pageUUIDs(t, r.body); !slices.Equal(ids, []string{"e1"}) {
		t.Fatalf("got %v, want [e1]", ids)
	}
}

func TestPollingWithoutSinceDefaultsToSevenDays(t *testing.T) {
	f := newFixture(t, Options{})
	if err := f.sim.Add(ev("e1", t0, "user.session.start")); err != nil {
		t.Fatal(err)
	}
	r := f.logs(t)
	if ids := pageUUIDs(t, r.body); !slices.Equal(ids, []string{"e1"}) {
		t.Fatalf("got %v", ids)
	}
	f.clock.Advance(8 * 24 * time.Hour)
	if ids := pageUUIDs(t, f.logs(t).body); len(ids) != 0 {
		t.Fatalf("an event persisted 8 days ago was returned by a since-less polling query: %v", ids)
	}
}

func TestPollingNextLinkKeepsFilterQAndSortOrder(t *testing.T) {
	f := newFixture(t, Options{})
	r := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "5", "filter", `eventType sw "user."`, "q", "Zoë", "sortOrder", "ASCENDING")
	q := query(t, links(t, r.header)["next"])
	want := map[string]string{"limit": "5", "filter": `eventType sw "user."`, "q": "Zoë", "sortOrder": "ASCENDING"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("next link %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("since") || q.Has("until") || q.Get("after") == "" {
		t.Errorf("next link query %v: want after and no since/until", q)
	}
}

// A polling client keeps getting events Okta stored late; a client paging by hand with bounded
// windows misses them.
func TestLateEventsPollingVersusBounded(t *testing.T) {
	f := newFixture(t, Options{})
	if err := f.sim.Add(ev("on-time", t0.Add(-time.Minute), "user.session.start")); err != nil {
		t.Fatal(err)
	}
	// The polling client reads up to now; the hand-paging client reads the window [t0-1h, t0).
	r := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "limit", "1000")
	if ids := pageUUIDs(t, r.body); !slices.Equal(ids, []string{"on-time"}) {
		t.Fatalf("polling: got %v", ids)
	}
	next := links(t, r.header)["next"]
	b := f.logs(t, "since", rfc(t0.Add(-time.Hour)), "until", rfc(t0), "limit", "1000")
	if ids := pageUUIDs(t, b.body); !slices.Equal(ids, []string{"on-time"}) {
		t.Fatalf("bounded: got %v", ids)
	}

	// Five minutes later Okta stores an event published two minutes before t0.
	f.clock.Advance(5 * time.Minute)
	if err := f.sim.Add(ev("late", t0.Add(-2*time.Minute), "user.session.start")); err != nil {
		t.Fatal(err)
	}
	r = f.get(t, next)
	if ids := pageUUIDs(t, r.body); !slices.Equal(ids, []string{"late"}) {
		t.Fatalf("polling after the late event: got %v, want [late]", ids)
	}
	// The hand-paging client's next window starts where the last one ended: the event is lost.
	b = f.logs(t, "since", rfc(t0), "until", rfc(f.clock.Now()), "limit", "1000")
	if ids := pageUUIDs(t, b.body); len(ids) != 0 {
		t.Fatalf("bounded window after t0 returned %v, want nothing", ids)
	}
	// Only re-reading the old window (which a client has no reason to do) shows it.
	b = f.logs(t, "since", rfc(t0.Add(-time.Hour)), "until", rfc(t0), "limit", "1000")
	if ids := pageUUIDs(t, b.body); !slices.Equal(ids, []string{"late", "on-time"}) {
		t.Fatalf("bounded re-read: got %v, want published order [late on-time]", ids)
	}
}

func TestBoundedQueryPagesAndLastPageHasNoNext(t *testing.T) {
	f := newFixture(t, Options{})
	// Stored out of published order, on purpose.
	for i, min := range []int{30, 10, 50, 20, 40} {
		id := []string{"m30", "m10", "m50", "m20", "m40"}[i]
		if err := f.sim.Add(ev(id, t0.Add(-time.Duration(min)*time.Minute), "user.session.start")); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.sim.Add(ev("old", t0.Add(-8*24*time.Hour), "user.session.start")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		kv    []string
		pages [][]string
	}{
		{"ascending", []string{"since", rfc(t0.Add(-time.Hour)), "until", rfc(t0), "limit", "2"},
			[][]string{{"m50", "m40"}, {"m30", "m20"}, {"m10"}}},
		{"until is exclusive", []string{"since", rfc(t0.Add(-time.Hour)), "until", rfc(t0.Add(-20 * time.Minute)), "limit", "2"},
			[][]string{{"m50", "m40"}, {"m30"}}},
		{"exactly full last page", []string{"since", rfc(t0.Add(-time.Hour)), "until", rfc(t0), "limit", "5"},
			[][]string{{"m50", "m40", "m30", "m20", "m10"}}},
		{"descending without until", []string{"sortOrder", "DESCENDING", "limit", "3"},
			[][]string{{"m10", "m20", "m30"}, {"m40", "m50"}}},
		{"since defaults to until minus 7 days", []string{"until", rfc(t0), "limit", "10"},
			[][]string{{"m50", "m40", "m30", "m20", "m10"}}},
		{"empty window", []string{"since", rfc(t0.Add(time.Hour)), "until", rfc(t0.Add(2 * time.Hour))},
			[][]string{{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.logs(t, tc.kv...)
			for i, want := range tc.pages {
				if r.status != 200 {
					t.Fatalf("page %d: status %d %s", i, r.status, r.body)
				}
				if got := pageUUIDs(t, r.body); !slices.Equal(got, want) {
					t.Fatalf("page %d: got %v, want %v", i, got, want)
				}
				next := links(t, r.header)["next"]
				if last := i == len(tc.pages)-1; last != (next == "") {
					t.Fatalf("page %d: next link %q, last page: %v", i, next, last)
				}
				if next != "" {
					if q := query(t, next); q.Get("until") == "" || q.Get("since") == "" || q.Get("after") == "" {
						t.Fatalf("bounded next link %s must carry since, until and after", next)
					}
					r = f.get(t, next)
				}
			}
		})
	}
}

func TestRetentionAndLedger(t *testing.T) {
	f := newFixture(t, Options{})
	if err := f.sim.Add(ev("a", t0, "x"), ev("expired", t0.Add(-91*24*time.Hour), "x"), ev("b", t0.Add(-89*24*time.Hour), "x")); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if err := f.sim.Add(ev("late", t0.Add(-time.Hour), "x")); err != nil {
		t.Fatal(err)
	}
	if got, want := f.sim.Ledger(), []string{"a", "b", "late"}; !slices.Equal(got, want) {
		t.Fatalf("ledger %v, want %v (persistence order, no expired events)", got, want)
	}
	if ids := pageUUIDs(t, f.logs(t, "since", rfc(t0.Add(-time.Hour))).body); !slices.Equal(ids, []string{"a", "b", "late"}) {
		t.Fatalf("polling: %v", ids)
	}
	if ids := pageUUIDs(t, f.logs(t, "since", rfc(t0.Add(-179*24*time.Hour)), "until", rfc(t0.Add(time.Hour))).body); !slices.Equal(ids, []string{"b", "late", "a"}) {
		t.Fatalf("bounded: %v", ids)
	}
	// b falls out of retention two days later.
	f.clock.Advance(2 * 24 * time.Hour)
	if got := f.sim.Ledger(); slices.Contains(got, "b") {
		t.Fatalf("ledger still holds b after 91 days: %v", got)
	}
}

func TestAddServesEventBytesVerbatim(t *testing.T) {
	f := newFixture(t, Options{})
	indented := []byte("\n  {\n    \"uuid\": \"x1\",\n    \"published\": \"2026-11-24T09:00:00.000Z\",\n    \"z\": 1.50\n  }\n")
	if err := f.sim.Add(indented); err != nil {
		t.Fatal(err)
	}
	r := f.logs(t, "since", rfc(t0.Add(-time.Hour)))
	if want := "[" + strings.TrimSpace(string(indented)) + "]"; string(r.body) != want {
		t.Fatalf("page %q, want %q", r.body, want)
	}
}
