package bench

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// The worst page is what it says: within the default max_response_body_size, as many events as Okta puts in
// a page, and every event's values exploded (none beyond its budget, so none left as text): the costliest
// page the mapping allows.
func TestWorstPageSpendsEveryEventsBudget(t *testing.T) {
	page := WorstPage()
	if len(page) > 16<<20 {
		t.Fatalf("the worst page is %d bytes, over the default max_response_body_size", len(page))
	}
	logs, events, _, err := mapping.New(mapping.Options{Body: mapping.BodyMap}).MapPage(page, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != worstPageEvents || worstPageEvents != 1000 {
		t.Fatalf("%d events, want the 1000 of a full page", len(events))
	}
	records := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := range records.Len() {
		x, _ := records.At(i).Body().Map().Get("x")
		if x.Type() != pcommon.ValueTypeSlice || x.Slice().Len() != worstPageNumbers {
			t.Fatalf("event %d: x is a %s, want its %d numbers exploded", i, x.Type(), worstPageNumbers)
		}
	}
	// One more value in each event passes its budget: the page is as dense as it can be.
	denser := mapping.New(mapping.Options{Body: mapping.BodyMap})
	ev := `[{"uuid":"worst-0","published":"2026-11-24T10:00:00.000Z","eventType":"user.session.start","pad":"` + pad(worstPagePad) + `","x":[0` + numbers(worstPageNumbers+150) + `]}]`
	logs, _, _, err = denser.MapPage(ev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Body().Map().Get("x"); x.Type() != pcommon.ValueTypeStr {
		t.Errorf("with 150 more numbers x is a %s: the worst page is not at its events' budget", x.Type())
	}
}

func pad(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'p'
	}
	return string(b)
}

func numbers(n int) string {
	b := make([]byte, 0, 2*n)
	for range n - 1 {
		b = append(b, ',', '0')
	}
	return string(b)
}
