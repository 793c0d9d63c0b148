package mapping

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestBodyNumbers(t *testing.T) {
	ev := `{"int":42,"neg":-7,"zero":0,"negzero":-0,"frac":1.5,"negfrac":-0.25,"exp":1e3,"Exp":2E-2,"signedexp":-1.25e+2,` +
		`"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,"under":-9223372036854775809,` +
		`"huge":123456789012345678901234567890,"inf":1e400,"tiny":1e-400,"intexp":1e2,"intfrac":3.0}`
	lr, _, _ := mapOne(t, BodyMap, ev)
	want := map[string]any{
		"int": int64(42), "neg": int64(-7), "zero": int64(0), "negzero": int64(0),
		"frac": 1.5, "negfrac": -0.25, "exp": 1000.0, "Exp": 0.02, "signedexp": -125.0,
		"max": int64(math.MaxInt64), "min": int64(math.MinInt64),
		"over": 9223372036854775808.0, "under": -9223372036854775809.0,
		"huge": 123456789012345678901234567890.0, "inf": math.Inf(1), "tiny": 0.0,
		"intexp": 100.0, "intfrac": 3.0,
	}
	for k, w := range want {
		v, ok := bodyValue(t, lr, k)
		if !ok {
			t.Errorf("%s missing", k)
			continue
		}
		if got := v.AsRaw(); got != w {
			t.Errorf("%s = %#v (%s), want %#v", k, got, v.Type(), w)
		}
	}
	if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
		t.Errorf("differs from encoding/json: %s", d)
	}
}

func TestBodyStrings(t *testing.T) {
	tests := []struct {
		name, json, want string
		invalidUTF8      bool
	}{
		{"plain", `"abc"`, "abc", false},
		{"empty", `""`, "", false},
		{"latin escape", `"Caf\u00e9"`, "Café", false},
		{"upper-case hex", `"\u00C9"`, "É", false},
		{"literal non-ASCII", `"Zürich Ελλάδα 東京"`, "Zürich Ελλάδα 東京", false},
		{"surrogate pair", `"\ud83d\ude00!"`, "😀!", false},
		{"literal emoji", `"😀"`, "😀", false},
		{"short escapes", `"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t", false},
		{"nul", `"a\u0000b"`, "a\x00b", false},
		{"lone high surrogate", `"\ud800x"`, "\uFFFDx", false},
		{"lone low surrogate", `"\udc00x"`, "\uFFFDx", false},
		{"high surrogate then other escape", `"\ud800\u0041"`, "\uFFFDA", false},
		{"two high surrogates", `"\ud800\ud800"`, "\uFFFD\uFFFD", false},
		{"reversed pair", `"\ude00\ud83d"`, "\uFFFD\uFFFD", false},
		{"escape then plain run", `"\n` + strings.Repeat("x", 40) + `"`, "\n" + strings.Repeat("x", 40), false},
		{"invalid UTF-8 byte", "\"a\xffb\"", "a\uFFFDb", true},
		{"truncated UTF-8 sequence", "\"a\xe2\x82\"", "a\uFFFD\uFFFD", true},
		{"encoded surrogate", "\"\xed\xa0\x80\"", "\uFFFD\uFFFD\uFFFD", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := `{"s":` + tt.json + `}`
			lr, _, stats := mapOne(t, BodyMap, ev)
			v, _ := bodyValue(t, lr, "s")
			if v.Type() != pcommon.ValueTypeStr || v.Str() != tt.want {
				t.Errorf("got %q (%s), want %q", v.AsString(), v.Type(), tt.want)
			}
			if got := stats.InvalidUTF8 == 1; got != tt.invalidUTF8 {
				t.Errorf("InvalidUTF8 = %d", stats.InvalidUTF8)
			}
			if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
				t.Errorf("differs from encoding/json: %s", d)
			}
		})
	}
}

func TestBodyKeysAreDecoded(t *testing.T) {
	lr, _, _ := mapOne(t, BodyMap, `{"k\u00e9y":1,"tab\tkey":2,"plain":3}`)
	for _, k := range []string{"kéy", "tab\tkey", "plain"} {
		if _, ok := bodyValue(t, lr, k); !ok {
			t.Errorf("key %q missing", k)
		}
	}
}

func TestBodyNullsAndNesting(t *testing.T) {
	ev := `{"null":null,"list":[null,1,"a",true,false,[],{}],"nested":[[1,[2,[3]]],{"b":[{"c":null}]}],"empty":{},"t":true,"f":false}`
	lr, _, _ := mapOne(t, BodyMap, ev)
	if v, ok := bodyValue(t, lr, "null"); !ok || v.Type() != pcommon.ValueTypeEmpty {
		t.Errorf("null: present %v, type %s; want an empty value", ok, v.Type())
	}
	list, _ := bodyValue(t, lr, "list")
	wantTypes := []pcommon.ValueType{pcommon.ValueTypeEmpty, pcommon.ValueTypeInt, pcommon.ValueTypeStr, pcommon.ValueTypeBool,
		pcommon.ValueTypeBool, pcommon.ValueTypeSlice, pcommon.ValueTypeMap}
	if list.Slice().Len() != len(wantTypes) {
		t.Fatalf("list has %d elements", list.Slice().Len())
	}
	for i, w := range wantTypes {
		if got := list.Slice().At(i).Type(); got != w {
			t.Errorf("list[%d] is %s, want %s", i, got, w)
		}
	}
	nested, _ := bodyValue(t, lr, "nested")
	if got := nested.Slice().At(0).Slice().At(1).Slice().At(1).Slice().At(0).Int(); got != 3 {
		t.Errorf("nested[0][1][1][0] = %d", got)
	}
	if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
		t.Errorf("differs from encoding/json: %s", d)
	}
}

func TestBodyKeepsUnknownFields(t *testing.T) {
	ev := `{"uuid":"u1","eventType":"user.session.start","brandNewField":{"x":[1,2]},"anotherOne":"v"}`
	lr, _, _ := mapOne(t, BodyMap, ev)
	if lr.Body().Map().Len() != 4 {
		t.Errorf("body has %d members, want 4", lr.Body().Map().Len())
	}
	if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
		t.Errorf("differs from encoding/json: %s", d)
	}
}

func TestBodyRepeatedKeyKeepsLast(t *testing.T) {
	ev := `{"a":1,"b":2,"a":{"x":1},"uuid":"first","u\u0075id":"second","n":{"k":1,"\u006b":[2]}}`
	lr, e, _ := mapOne(t, BodyMap, ev)
	if lr.Body().Map().Len() != 4 {
		t.Errorf("body has %d members, want 4", lr.Body().Map().Len())
	}
	if n, _ := bodyValue(t, lr, "n"); n.Map().Len() != 1 {
		t.Errorf("n has %d members, want 1 (a key written with an escape is the same key)", n.Map().Len())
	}
	if d := diffBody(referenceBody(t, []byte(ev)), lr.Body()); d != "" {
		t.Errorf("differs from encoding/json: %s", d)
	}
	if e.UUID != "second" {
		t.Errorf("uuid %q, want the last one", e.UUID)
	}
	if v, _ := attr(lr, "log.record.uid"); v != "second" {
		t.Errorf("log.record.uid %v, want the last one", v)
	}
}

// TestBodyRaw checks that body: raw is each event's text byte for byte, whatever the whitespace around and
// inside it, escapes left as written, non-ASCII kept.
func TestBodyRaw(t *testing.T) {
	events := []string{
		"{\n  \"uuid\" : \"e1\",\t\"displayMessage\":\"Caf\\u00e9 \\\"quoted\\\"\",\r\n  \"n\": 1.50e+1 , \"a\" : [ 1 ,2 ] }",
		`{"uuid":"e2","city":"Zürich","jp":"東京","emoji":"😀"}`,
		`{}`,
	}
	page := " [\n" + events[0] + " ,\n\t" + events[1] + "," + events[2] + "\n] "
	logs, evs, _, err := New(testOptions(BodyRaw)).MapPage(page, observedAt)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(logs)
	if len(recs) != len(events) || len(evs) != len(events) {
		t.Fatalf("%d records", len(recs))
	}
	for i, want := range events {
		if recs[i].Body().Type() != pcommon.ValueTypeStr || recs[i].Body().Str() != want {
			t.Errorf("record %d body = %q, want %q", i, recs[i].Body().AsString(), want)
		}
	}
	if v, _ := attr(recs[0], "okta.display_message"); v != `Café "quoted"` {
		t.Errorf("attributes are decoded in raw mode too: got %q", v)
	}
}

func TestBodyRawInvalidUTF8(t *testing.T) {
	lr, _, stats := mapOne(t, BodyRaw, "{\"s\":\"a\xffb\"}")
	if got, want := lr.Body().Str(), "{\"s\":\"a\uFFFDb\"}"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if stats.InvalidUTF8 != 1 {
		t.Errorf("InvalidUTF8 = %d", stats.InvalidUTF8)
	}
}

// TestBodyLargeObject checks objects with many members, repeated keys among them, are complete and built in
// time that grows linearly (pcommon.Map.Put alone would take many seconds here).
func TestBodyLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"uuid":"big","debugData":{`)
	const n = 30_000 // within an event's budget (budget.go): 60,000 units in 450 kB
	for i := range n {
		fmt.Fprintf(&b, `"key%05d":%d,`, i, i)
	}
	b.WriteString(`"key00007":"last","nested":{"a":null}}}`)
	start := time.Now()
	lr, _, _ := mapOne(t, BodyMap, b.String())
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("mapping %d members took %s", n, elapsed)
	}
	data, _ := bodyValue(t, lr, "debugData")
	if data.Map().Len() != n+1 {
		t.Errorf("%d members, want %d", data.Map().Len(), n+1)
	}
	if v, _ := data.Map().Get("key00007"); v.Str() != "last" {
		t.Errorf("key00007 = %s, want the last value", v.AsString())
	}
	if v, _ := data.Map().Get("key29999"); v.Int() != 29999 {
		t.Errorf("key29999 = %s", v.AsString())
	}
	for _, members := range []int{largeObject - 1, largeObject, largeObject + 1, 70} {
		var o strings.Builder
		o.WriteString(`{"a":{`)
		for i := range members - 1 {
			fmt.Fprintf(&o, `"k%d":%d,`, i, i)
		}
		o.WriteString(`"k0":"end"}}`) // the last member repeats the first key
		lr, _, _ = mapOne(t, BodyMap, o.String())
		if d := diffBody(referenceBody(t, []byte(o.String())), lr.Body()); d != "" {
			t.Errorf("%d members: differs from encoding/json: %s", members, d)
		}
	}
}
