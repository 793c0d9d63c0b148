package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/samples"
)

// observedAt is the fixed ObservedTimestamp of every test record.
var observedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func testOptions(body BodyMode) Options {
	return Options{OrgDomain: "example.okta.com", Body: body, ScopeName: "github.com/datableio/oktareceiver", ScopeVersion: "test"}
}

// pageOf returns a sample as a page: as stored when it is one, else its event wrapped in an array.
func pageOf(s samples.Sample) string {
	if t := bytes.TrimSpace(s.JSON); len(t) > 0 && t[0] == '[' {
		return string(s.JSON)
	}
	return "[" + string(s.JSON) + "]"
}

// mapOne maps a page holding the single event text ev and returns its record.
func mapOne(t *testing.T, body BodyMode, ev string) (plog.LogRecord, Event, Stats) {
	t.Helper()
	logs, events, stats, err := New(testOptions(body)).MapPage("["+ev+"]", observedAt)
	if err != nil {
		t.Fatalf("MapPage: %v", err)
	}
	if n := logs.LogRecordCount(); n != 1 || len(events) != 1 {
		t.Fatalf("got %d records and %d events, want 1", n, len(events))
	}
	return logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0), events[0], stats
}

// records returns the records of logs in order.
func records(logs plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		sls := logs.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				out = append(out, lrs.At(k))
			}
		}
	}
	return out
}

// attr returns attribute key of lr as a raw Go value, and whether it is present.
func attr(lr plog.LogRecord, key string) (any, bool) {
	v, ok := lr.Attributes().Get(key)
	if !ok {
		return nil, false
	}
	return v.AsRaw(), true
}

// bodyValue returns the body member key of lr.
func bodyValue(t *testing.T, lr plog.LogRecord, key string) (pcommon.Value, bool) {
	t.Helper()
	if lr.Body().Type() != pcommon.ValueTypeMap {
		t.Fatalf("body is %s, not a map", lr.Body().Type())
	}
	return lr.Body().Map().Get(key)
}

// referenceBody decodes one event with encoding/json and builds its body with pcommon.Map.FromRaw, numbers
// typed as the contract says (Int when written without fraction or exponent and within int64, else
// Double): the independent reference for the scanner.
func referenceBody(t testing.TB, event []byte) pcommon.Map {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("reference decode: %v", err)
	}
	m := pcommon.NewMap()
	if err := m.FromRaw(typedNumbers(raw).(map[string]any)); err != nil {
		t.Fatalf("reference FromRaw: %v", err)
	}
	return m
}

func typedNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		s := v.String()
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = typedNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = typedNumbers(e)
		}
	}
	return v
}

// diffBody describes how body differs from want, or returns "". A value too large to explode (budget.go)
// is in body as its JSON text: it counts as equal when that text reads as the value want holds there.
func diffBody(want pcommon.Map, body pcommon.Value) string {
	if body.Type() == pcommon.ValueTypeStr && equalModuloCuts(want.AsRaw(), body.Str()) {
		return ""
	}
	if body.Type() != pcommon.ValueTypeMap {
		return "body is " + body.Type().String()
	}
	if want.Equal(body.Map()) || equalModuloCuts(want.AsRaw(), body.Map().AsRaw()) {
		return ""
	}
	w, _ := json.Marshal(want.AsRaw())
	g, _ := json.Marshal(body.Map().AsRaw())
	return fmt.Sprintf("\n got  %s\n want %s", g, w)
}

// checkNoEmptyAttributes reports an attribute of lr that is empty or "null": a string, an item of a slice,
// or a key or value of a map.
func checkNoEmptyAttributes(t testing.TB, where string, lr plog.LogRecord) {
	t.Helper()
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		switch v.Type() {
		case pcommon.ValueTypeStr:
			if v.Str() == "" || v.Str() == "null" {
				t.Errorf("%s: attribute %s = %q", where, k, v.Str())
			}
		case pcommon.ValueTypeSlice:
			for i := range v.Slice().Len() {
				if s := v.Slice().At(i).Str(); s == "" || s == "null" {
					t.Errorf("%s: attribute %s[%d] = %q", where, k, i, s)
				}
			}
		case pcommon.ValueTypeMap:
			if v.Map().Len() == 0 {
				t.Errorf("%s: attribute %s is an empty map", where, k)
			}
			v.Map().Range(func(mk string, mv pcommon.Value) bool {
				if mk == "" || mk == "null" || mv.Str() == "" || mv.Str() == "null" {
					t.Errorf("%s: attribute %s has the entry %q = %q", where, k, mk, mv.Str())
				}
				return true
			})
		}
		return true
	})
}

// equalModuloCuts tells whether got equals want, where a string in got may stand for the object or array
// want holds at its place, written as JSON.
func equalModuloCuts(want, got any) bool {
	if s, ok := got.(string); ok {
		switch want.(type) {
		case map[string]any, []any:
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var v any
			if dec.Decode(&v) != nil {
				return false
			}
			m := pcommon.NewValueEmpty()
			if m.FromRaw(typedNumbers(v)) != nil {
				return false
			}
			got = m.AsRaw()
		}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !equalModuloCuts(wv, gv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equalModuloCuts(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}
