package mapping

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// denseShape writes n values of one shape, each w bytes of text spending u units of the budget.
type denseShape struct {
	name string
	w, u int
	// open and close surround the values; value writes the i-th of them.
	open, close string
	value       func(b *strings.Builder, i, n int)
}

var denseShapes = []denseShape{
	{"numbers", 2, 1, `[`, `]`, func(b *strings.Builder, i, _ int) { comma(b, i); b.WriteString("0") }},
	{"nulls", 5, 1, `[`, `]`, func(b *strings.Builder, i, _ int) { comma(b, i); b.WriteString("null") }},
	{"empty objects", 3, 3, `[`, `]`, func(b *strings.Builder, i, _ int) { comma(b, i); b.WriteString("{}") }},
	{"members", 0, 2, `{`, `}`, func(b *strings.Builder, i, _ int) {
		comma(b, i)
		fmt.Fprintf(b, `"%s":0`, strconv.FormatInt(int64(i), 36))
	}},
	{"nested objects", 6, 3, ``, ``, func(b *strings.Builder, i, n int) {
		b.WriteString(`{"a":`)
		if i == n-1 {
			b.WriteString("0" + strings.Repeat("}", n))
		}
	}},
	{"nested arrays", 2, 3, ``, ``, func(b *strings.Builder, i, n int) {
		b.WriteString(`[`)
		if i == n-1 {
			b.WriteString(strings.Repeat("]", n))
		}
	}},
	{"escaped strings", 9, 1, `[`, `]`, func(b *strings.Builder, i, _ int) { comma(b, i); b.WriteString(`"\u00e9"`) }},
}

func comma(b *strings.Builder, i int) {
	if i > 0 {
		b.WriteByte(',')
	}
}

// densestEvent writes an event of about size bytes whose values spend as much of its budget as they can: a
// string pads the event first (it earns budget at one unit per unitBytes and costs nothing once mapped),
// then as many values of the shape as the budget allows at the event's end.
func densestEvent(b *strings.Builder, id int, size int, s denseShape) {
	w := s.w
	if w == 0 {
		w = 6 // members: keys of up to three characters
	}
	head := fmt.Sprintf(`{"uuid":"%d","published":"2026-11-24T10:00:00.000Z","pad":"`, id)
	units := 3 + 3*2 + 1 // the event, three members, the key x
	if s.open != "" {
		units += 3 // x's object or array
	}
	n := min((size-len(head)-20)/w, (budgetAt(size)-units)/s.u-2, maxDepth-10)
	n = max(n, 1)
	var vals strings.Builder
	for i := range n {
		s.value(&vals, i, n)
	}
	pad := max(0, size-len(head)-vals.Len()-20)
	b.WriteString(head)
	b.WriteString(strings.Repeat("p", pad))
	b.WriteString(`","x":` + s.open)
	b.WriteString(vals.String())
	b.WriteString(s.close + "}")
}

// densestPage is a page of events as dense as their budget allows, events events of about size bytes in all.
func densestPage(size, events int, s denseShape) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range events {
		comma(&b, i)
		densestEvent(&b, i, size/events, s)
	}
	b.WriteByte(']')
	return b.String()
}

// retained maps page and returns the bytes its records hold once mapped, the page's text not counted.
func retained(t *testing.T, m *Mapper, page string) (int64, []Event, func() pcommon.Value) {
	t.Helper()
	if _, _, _, err := m.MapPage(page, time.Now()); err != nil { // the scratch buffers are kept between pages
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	logs, events, _, err := m.MapPage(page, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	first := func() pcommon.Value {
		v, _ := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Body().Map().Get("x")
		return v
	}
	runtime.KeepAlive(logs)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), events, first
}

// No page, whatever the shape of its values, costs more than PageCost once mapped: pages of events as dense
// as their budget allows, of a few large events or of the most small ones, in every body mode, against
// real events.
func TestAnyPageCostsAtMostPageCost(t *testing.T) {
	const size = 2 << 20
	for _, s := range denseShapes {
		for _, events := range []int{1, 20, maxPageEvents} {
			page := densestPage(size, events, s)
			for _, mode := range []BodyMode{BodyMap, BodyOCSF, BodyRaw} {
				t.Run(fmt.Sprintf("%s/%d events/%s", s.name, events, mode), func(t *testing.T) {
					held, evs, x := retained(t, New(testOptions(mode)), page)
					if mode == BodyMap && x().Type() == pcommon.ValueTypeStr {
						t.Fatalf("the page's values were cut: it does not test the budget")
					}
					cost := held + int64(len(page))
					limit := PageCost(len(page), len(evs))
					t.Logf("%d bytes, %d events: %.2f× its size (bound %.2f×)", len(page), len(evs), float64(cost)/float64(len(page)), float64(limit)/float64(len(page)))
					if cost > limit {
						t.Errorf("the page costs %d bytes once mapped, more than PageCost's %d", cost, limit)
					}
				})
			}
		}
	}
	for _, mode := range []BodyMode{BodyMap, BodyOCSF, BodyRaw} {
		page := benchPage(t, maxPageEvents)
		held, evs, _ := retained(t, New(testOptions(mode)), page)
		cost := held + int64(len(page))
		t.Logf("real events, %s: %.2f× the page", mode, float64(cost)/float64(len(page)))
		if limit := PageCost(len(page), len(evs)); cost > limit {
			t.Errorf("a page of real events costs %d bytes once mapped with body %s, more than PageCost's %d", cost, mode, limit)
		}
	}
}

// dense returns n zeros as a JSON array's text.
func dense(n int) string { return "[" + strings.TrimSuffix(strings.Repeat("0,", n), ",") + "]" }

// A value too large to explode stays one string, its exact JSON text; the rest of the event is a map as
// always, and a value within the budget beside it is exploded.
func TestValueBeyondTheBudgetStaysItsJSONText(t *testing.T) {
	big := `{"k":` + dense(4*unitFloor) + `,"s":"a\"b"}`
	ev := `{"uuid":"u1","debugContext":{"debugData":` + big + `},"outcome":{"result":"SUCCESS"}}`
	lr, e, _ := mapOne(t, BodyMap, ev)
	if e.UUID != "u1" {
		t.Fatalf("uuid %q", e.UUID)
	}
	dc, _ := bodyValue(t, lr, "debugContext")
	data, _ := dc.Map().Get("debugData")
	k, _ := data.Map().Get("k")
	if k.Type() != pcommon.ValueTypeStr || k.Str() != dense(4*unitFloor) {
		t.Fatalf("debugData.k is %s, want its JSON text", k.Type())
	}
	if s, _ := data.Map().Get("s"); s.Str() != `a"b` {
		t.Errorf("debugData.s is %q", s.AsString())
	}
	if out, _ := bodyValue(t, lr, "outcome"); out.Type() != pcommon.ValueTypeMap {
		t.Errorf("outcome is %s, want a map", out.Type())
	}
	if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
		t.Errorf("the body does not hold the event: %s", d)
	}
}

// The value cut is the innermost that holds most of the event: its parent and siblings stay maps.
func TestTheInnermostLargeValueIsCut(t *testing.T) {
	ev := `{"uuid":"u1","a":{"b":{"small":[1,2],"c":{"big":` + dense(3*unitFloor) + `}}}}`
	lr, _, _ := mapOne(t, BodyMap, ev)
	a, _ := bodyValue(t, lr, "a")
	b, _ := a.Map().Get("b")
	small, _ := b.Map().Get("small")
	c, _ := b.Map().Get("c")
	if small.Type() != pcommon.ValueTypeSlice || c.Type() != pcommon.ValueTypeMap {
		t.Fatalf("small is %s, c is %s: want them exploded", small.Type(), c.Type())
	}
	if bigV, _ := c.Map().Get("big"); bigV.Type() != pcommon.ValueTypeStr || bigV.Str() != dense(3*unitFloor) {
		t.Errorf("big is %s, want its JSON text", bigV.Type())
	}
}

// An event whose own members spend the budget keeps its JSON text as the body (body: map and ocsf's
// raw_data), and its attributes come from the members read before the budget ran out.
func TestEventBeyondTheBudgetAtItsTopLevelIsItsText(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"uuid":"u1","eventType":"user.session.start","severity":"WARN"`)
	for i := range 2 * unitFloor {
		fmt.Fprintf(&b, `,"%x":0`, i)
	}
	b.WriteString("}")
	ev := b.String()
	lr, e, _ := mapOne(t, BodyMap, ev)
	if lr.Body().Type() != pcommon.ValueTypeStr || lr.Body().Str() != ev {
		t.Fatalf("body is %s, want the event's text", lr.Body().Type())
	}
	if e.UUID != "u1" || lr.EventName() != "user.session.start" || lr.SeverityText() != "WARN" {
		t.Errorf("uuid %q, event name %q, severity %q: the members read first are mapped", e.UUID, lr.EventName(), lr.SeverityText())
	}
	lr, _, _ = mapOne(t, BodyOCSF, ev)
	if raw, ok := lr.Body().Map().Get("raw_data"); !ok || raw.Str() != ev {
		t.Errorf("ocsf raw_data is %q, want the event's text", raw.AsString())
	}
	if u, ok := lr.Body().Map().Get("unmapped"); ok {
		t.Errorf("ocsf unmapped is %v beside raw_data, which holds the whole event", u.AsRaw())
	}
}

// A value that is cut is still read to its end and checked: a page broken inside it is refused, and bytes
// that are not UTF-8 in it are replaced in its text.
func TestACutValueIsStillChecked(t *testing.T) {
	broken := `[{"uuid":"u1","x":[` + strings.Repeat("0,", 2*unitFloor) + `0,}]`
	if _, _, _, err := New(testOptions(BodyMap)).MapPage(broken, observedAt); err == nil {
		t.Error("a page broken inside a value too large to explode was accepted")
	}
	x := `[` + strings.Repeat("0,", 2*unitFloor) + "\"a\xffb\"]"
	lr, _, stats := mapOne(t, BodyMap, `{"uuid":"u1","x":`+x+`}`)
	got, _ := bodyValue(t, lr, "x")
	if want := validUTF8(x); got.Str() != want {
		t.Errorf("x is %q, want %q", got.Str(), want)
	}
	if stats.InvalidUTF8 != 1 {
		t.Errorf("InvalidUTF8 %d, want 1", stats.InvalidUTF8)
	}
}

// JSON that Okta writes inside a string and that is too large to explode stays the string it is.
func TestJSONInsideAStringBeyondTheBudgetStaysAString(t *testing.T) {
	var sc scanner
	if sc.scanText(dense(3 * unitFloor)) {
		t.Error("JSON too large to explode inside a string was read")
	}
	if !sc.scanText(`{"risk":` + dense(3*unitFloor) + `}`) {
		t.Fatal("JSON inside a string was not read")
	}
	if n := sc.nodes[2]; n.kind != kindString || len(sc.nodes) != 3 {
		t.Errorf("the large value inside is a %v of %d nodes, want one string", n.kind, len(sc.nodes))
	}
}

// A page holds at most as many events as Okta puts in one; one more is refused whole.
func TestPageWithMoreEventsThanOktaSendsIsRefused(t *testing.T) {
	page := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat(`{"uuid":"u"},`, n), ",") + "]" }
	logs, events, _, err := New(testOptions(BodyMap)).MapPage(page(maxPageEvents), observedAt)
	if err != nil || len(events) != maxPageEvents || logs.LogRecordCount() != maxPageEvents {
		t.Fatalf("a page of %d events: %d events, %v", maxPageEvents, len(events), err)
	}
	logs, events, _, err = New(testOptions(BodyMap)).MapPage(page(maxPageEvents+1), observedAt)
	var tooMany *TooManyEventsError
	if !errors.As(err, &tooMany) || tooMany.Limit != maxPageEvents || events != nil || logs.LogRecordCount() != 0 {
		t.Fatalf("a page of %d events: %d records, error %v", maxPageEvents+1, logs.LogRecordCount(), err)
	}
}
