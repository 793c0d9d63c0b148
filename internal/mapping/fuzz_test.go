package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/samples"
)

// FuzzMapPage checks MapPage against encoding/json on any input: it never panics; it accepts exactly the
// pages that are valid JSON arrays of objects, with one record per element; each record's body equals
// what encoding/json reads (body: map) or the element's text (body: raw); and no attribute is empty.
//
//	go test ./internal/mapping -run '^$' -fuzz FuzzMapPage -fuzztime 30s
func FuzzMapPage(f *testing.F) {
	for _, s := range samples.All() {
		f.Add([]byte(pageOf(s)))
	}
	f.Add([]byte(benchPage(f, 3)))
	// Values beyond an event's budget (budget.go), which stay their JSON text.
	f.Add([]byte(`[{"a":{"x":` + dense(2*unitFloor) + `,"y":[{}]}}]`))
	f.Add([]byte(`[{"u":"x","` + strings.Repeat(`a":{"`, 2*unitFloor) + `b":1` + strings.Repeat("}", 2*unitFloor) + `}]`))
	for _, seed := range []string{
		``, `[]`, ` [ ] `, `[{}]`, `{}`, `[1]`, `[null]`, `null`, `[{"a":[1,{"b":null}]}]`,
		`[{"s":"\ud83d\ude00\ud800\u00e9\n"}]`, "[{\"s\":\"\xff\"}]", `[{"n":-0,"m":1e400,"k":9223372036854775808}]`,
		`[{"a":1,"a":2}]`, `[{"uuid":"x"}`, `<html></html>`, `[{}]x`, `[{},]`,
		`[{"debugContext":{"debugData":{"risk":"{reasons=a, b, level=HIGH}","behaviors":"{New IP=POSITIVE, =x, y=}",` +
			`"logOnlySecurityData":"{\"risk\":{\"level\":\"LOW\"},\"behaviors\":{\"a\\u00e9\":\"NEGATIVE\"}}",` +
			`"threatDetections":"{\"Password Spray\":\"HIGH\"","threatSuspected":"true"}},` +
			`"securityContext":{"risk":{"reasons":["x",null]},"userBehaviors":[{"name":"n","result":"r"},1]}}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		elems, ok := arrayOfObjects(page)
		for _, body := range []BodyMode{BodyMap, BodyRaw} {
			logs, events, _, err := New(testOptions(body)).MapPage(string(page), observedAt)
			var tooMany *TooManyEventsError
			if ok && len(elems) > maxPageEvents {
				if !errors.As(err, &tooMany) {
					t.Fatalf("%s: %d events, more than a page holds, gave %v", body, len(elems), err)
				}
				continue
			}
			if err != nil {
				if ok {
					t.Fatalf("%s: rejected a JSON array of objects: %v", body, err)
				}
				if logs.LogRecordCount() != 0 || events != nil {
					t.Fatalf("%s: records along with error %v", body, err)
				}
				continue
			}
			if !ok {
				t.Fatalf("%s: accepted a page that is not a JSON array of objects (json.Valid %v)", body, json.Valid(page))
			}
			recs := records(logs)
			if len(recs) != len(elems) || len(events) != len(elems) {
				t.Fatalf("%s: %d records, %d events for %d elements", body, len(recs), len(events), len(elems))
			}
			for i, lr := range recs {
				checkNoEmptyAttributes(t, fmt.Sprintf("%s record %d", body, i), lr)
				switch body {
				case BodyMap:
					if d := diffBody(referenceBody(t, elems[i]), lr.Body()); d != "" {
						t.Fatalf("record %d differs from encoding/json: %s", i, d)
					}
				case BodyRaw:
					if want := validUTF8(string(elems[i])); lr.Body().Str() != want {
						t.Fatalf("record %d raw body %q, want %q", i, lr.Body().Str(), want)
					}
				}
			}
		}
	})
}

// arrayOfObjects returns the elements of page when it is a valid JSON array whose elements are all objects.
func arrayOfObjects(page []byte) ([]json.RawMessage, bool) {
	if !json.Valid(page) {
		return nil, false
	}
	if t := bytes.TrimLeft(page, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return nil, false
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(page, &elems); err != nil {
		return nil, false
	}
	for _, e := range elems {
		if len(e) == 0 || e[0] != '{' {
			return nil, false
		}
	}
	return elems, true
}
