package mapping

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestResourceAndScope(t *testing.T) {
	logs, _, _, err := New(Options{OrgDomain: "acme.okta.com", ScopeName: "github.com/datableio/oktareceiver", ScopeVersion: "v1.2.3"}).
		MapPage(`[{"uuid":"a"},{"uuid":"b"}]`, observedAt)
	if err != nil {
		t.Fatal(err)
	}
	if logs.ResourceLogs().Len() != 1 || logs.ResourceLogs().At(0).ScopeLogs().Len() != 1 {
		t.Fatalf("want one ResourceLogs with one ScopeLogs")
	}
	rl := logs.ResourceLogs().At(0)
	if v, ok := rl.Resource().Attributes().Get("okta.org.domain"); !ok || v.Str() != "acme.okta.com" || rl.Resource().Attributes().Len() != 1 {
		t.Errorf("resource attributes %v", rl.Resource().Attributes().AsRaw())
	}
	scope := rl.ScopeLogs().At(0).Scope()
	if scope.Name() != "github.com/datableio/oktareceiver" || scope.Version() != "v1.2.3" {
		t.Errorf("scope %s %s", scope.Name(), scope.Version())
	}
	if n := rl.ScopeLogs().At(0).LogRecords().Len(); n != 2 {
		t.Errorf("%d records", n)
	}
}

func TestRecordFields(t *testing.T) {
	lr, e, stats := mapOne(t, BodyMap, `{"uuid":"u1","published":"2024-08-13T15:58:20.353Z","eventType":"user.session.start","severity":"WARN"}`)
	want := time.Date(2024, 8, 13, 15, 58, 20, 353_000_000, time.UTC)
	if lr.Timestamp() != pcommon.NewTimestampFromTime(want) {
		t.Errorf("Timestamp %s, want %s", lr.Timestamp(), want)
	}
	if lr.ObservedTimestamp() != pcommon.NewTimestampFromTime(observedAt) {
		t.Errorf("ObservedTimestamp %s", lr.ObservedTimestamp())
	}
	if lr.EventName() != "user.session.start" {
		t.Errorf("EventName %q", lr.EventName())
	}
	if lr.SeverityText() != "WARN" || lr.SeverityNumber() != 13 {
		t.Errorf("severity %q %d", lr.SeverityText(), lr.SeverityNumber())
	}
	if e.UUID != "u1" || !e.Published.Equal(want) || e.PublishedRaw != "2024-08-13T15:58:20.353Z" {
		t.Errorf("event %+v", e)
	}
	if stats != (Stats{Records: 1}) {
		t.Errorf("stats %+v", stats)
	}
}

func TestPublished(t *testing.T) {
	tests := []struct {
		json string
		want time.Time // zero when it must not parse
		raw  string
	}{
		{`"2024-08-13T15:58:20.353Z"`, time.Date(2024, 8, 13, 15, 58, 20, 353e6, time.UTC), "2024-08-13T15:58:20.353Z"},
		{`"2024-08-13T15:58:20Z"`, time.Date(2024, 8, 13, 15, 58, 20, 0, time.UTC), "2024-08-13T15:58:20Z"},
		{`"2024-08-13T17:58:20.001+02:00"`, time.Date(2024, 8, 13, 15, 58, 20, 1e6, time.UTC), "2024-08-13T17:58:20.001+02:00"},
		{`"2017-09-31T22:23:07.777Z"`, time.Time{}, "2017-09-31T22:23:07.777Z"},
		{`"yesterday"`, time.Time{}, "yesterday"},
		{`""`, time.Time{}, ""},
		{`null`, time.Time{}, ""},
		{`1723564700353`, time.Time{}, ""},
	}
	for _, tt := range tests {
		lr, e, stats := mapOne(t, BodyMap, `{"uuid":"x","published":`+tt.json+`}`)
		if !e.Published.Equal(tt.want) || e.PublishedRaw != tt.raw {
			t.Errorf("published %s: event %+v, want %s %q", tt.json, e, tt.want, tt.raw)
		}
		wantTS := pcommon.Timestamp(0)
		if !tt.want.IsZero() {
			wantTS = pcommon.NewTimestampFromTime(tt.want)
		}
		if lr.Timestamp() != wantTS {
			t.Errorf("published %s: Timestamp %d, want %d", tt.json, lr.Timestamp(), wantTS)
		}
		if (stats.UnparseablePublished == 1) != tt.want.IsZero() {
			t.Errorf("published %s: UnparseablePublished %d", tt.json, stats.UnparseablePublished)
		}
		if v, ok := bodyValue(t, lr, "published"); tt.raw != "" && (!ok || v.Str() != tt.raw) {
			t.Errorf("published %s: body keeps %q", tt.json, v.AsString())
		}
	}
}

// TestEventsMatchRecords checks that events[i] describes record i, and the counts in Stats.
func TestEventsMatchRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 50 {
		if i > 0 {
			b.WriteString(",")
		}
		published := fmt.Sprintf("2024-01-01T00:00:%02d.%03dZ", i%60, i)
		if i%10 == 3 {
			published = "2017-09-31T00:00:00.000Z"
		}
		severity := "INFO"
		if i%7 == 0 {
			severity = "NOTICE"
		}
		uuid := fmt.Sprintf(`"id-%d"`, i)
		if i == 49 {
			uuid = "null"
		}
		fmt.Fprintf(&b, `{"uuid":%s,"published":%q,"eventType":"t.%d","severity":%q}`, uuid, published, i, severity)
	}
	b.WriteString("]")
	logs, events, stats, err := New(testOptions(BodyRaw)).MapPage(b.String(), observedAt)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(logs)
	if len(recs) != 50 || len(events) != 50 {
		t.Fatalf("%d records, %d events", len(recs), len(events))
	}
	for i, lr := range recs {
		if lr.EventName() != fmt.Sprintf("t.%d", i) {
			t.Errorf("record %d is %s", i, lr.EventName())
		}
		wantUUID := fmt.Sprintf("id-%d", i)
		if i == 49 {
			wantUUID = ""
		}
		if events[i].UUID != wantUUID {
			t.Errorf("event %d uuid %q", i, events[i].UUID)
		}
	}
	want := Stats{Records: 50, UnparseablePublished: 5, UnknownSeverity: 8, MissingUUID: 1}
	if stats != want {
		t.Errorf("stats %+v, want %+v", stats, want)
	}
}

func TestBodyMode(t *testing.T) {
	if err := BodyMode("xml").Validate(); err == nil {
		t.Error("xml accepted")
	}
	if err := BodyMode("").Validate(); err == nil {
		t.Error("the empty mode accepted: the configuration must name one")
	}
	for _, b := range []BodyMode{BodyMap, BodyRaw, BodyOCSF} {
		if err := b.Validate(); err != nil {
			t.Errorf("%q: %v", b, err)
		}
	}
	logs, _, _, err := New(Options{}).MapPage(`[{"a":1}]`, observedAt)
	if err != nil || records(logs)[0].Body().Type() != pcommon.ValueTypeMap {
		t.Errorf("the default body is not a map: %v", err)
	}
}

// TestConcurrentPages runs one Mapper from several goroutines (meaningful under -race).
func TestConcurrentPages(t *testing.T) {
	m := New(testOptions(BodyMap))
	page := benchPage(t, 20)
	want, _, _, err := m.MapPage(page, observedAt)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				got, _, _, err := m.MapPage(page, observedAt)
				if err != nil || !got.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(19).Body().Equal(
					want.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(19).Body()) {
					t.Errorf("concurrent MapPage differs: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
