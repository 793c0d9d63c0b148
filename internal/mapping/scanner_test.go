package mapping

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestMalformedPages checks that a page that is not a complete JSON array of objects is an error that says
// what and where, and yields no records.
func TestMalformedPages(t *testing.T) {
	event := `{"uuid":"a","published":"2024-08-13T15:58:20.353Z","eventType":"user.session.start"}`
	tests := []struct {
		name   string
		page   string
		offset int
		msg    string
	}{
		{"empty body", ``, 0, "empty page"},
		{"only whitespace", " \n\t", 3, "only whitespace"},
		{"cut off mid-array", `[` + event + `,` + event, 2*len(event) + 2, "cut off"},
		{"cut off after comma", `[` + event + `,`, len(event) + 2, "cut off"},
		{"cut off mid-string", `[{"uuid":"abc`, 13, "cut off"},
		{"cut off mid-key", `[{"uu`, 5, "cut off"},
		{"cut off mid-number", `[{"n":12`, 8, "cut off"},
		{"cut off mid-literal", `[{"n":tru`, 9, "cut off"},
		{"cut off mid-escape", `[{"s":"a\u00`, 12, "cut off"},
		{"cut off after open bracket", `[`, 1, "cut off"},
		{"HTML error page", "<html><body>502 Bad Gateway</body></html>", 0, "HTML"},
		{"HTML after whitespace", "\n  <!DOCTYPE html>", 3, "HTML"},
		{"object instead of array", `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit"}`, 0, "JSON object"},
		{"bare string", `"hello"`, 0, "does not start with '['"},
		{"trailing garbage", `[` + event + `]x`, len(event) + 2, "after the end"},
		{"second array", `[][]`, 2, "after the end"},
		{"array of numbers", `[1,2]`, 1, "element 0 of the array is a number"},
		{"object then string", `[` + event + `,"x"]`, len(event) + 2, "element 1 of the array is a string"},
		{"null element", `[null]`, 1, "element 0 of the array is null"},
		{"nested array element", `[[]]`, 1, "element 0 of the array is an array"},
		{"trailing comma", `[` + event + `,]`, len(event) + 2, "looking for an event"},
		{"missing comma", `[{}{}]`, 3, "expected ',' or ']'"},
		{"trailing comma in object", `[{"a":1,}]`, 8, "object key"},
		{"missing colon", `[{"a" 1}]`, 6, "expected ':'"},
		{"unquoted key", `[{a:1}]`, 2, "object key"},
		{"single quotes", `[{'a':1}]`, 2, "object key"},
		{"leading zero", `[{"a":01}]`, 7, "expected ',' or '}'"},
		{"bare minus", `[{"a":-}]`, 7, "in number"},
		{"no fraction digits", `[{"a":1.}]`, 8, "after decimal point"},
		{"no exponent digits", `[{"a":1e}]`, 8, "exponent"},
		{"plus sign", `[{"a":+1}]`, 6, "looking for a value"},
		{"NaN", `[{"a":NaN}]`, 6, "looking for a value"},
		{"bad literal", `[{"a":nul}]`, 9, "literal null"},
		{"invalid escape", `[{"a":"\x"}]`, 7, "invalid escape"},
		{"invalid unicode escape", `[{"a":"\u12G4"}]`, 11, "\\u escape"},
		{"control character in string", "[{\"a\":\"x\ny\"}]", 8, "control character"},
		{"tab in string", "[{\"a\":\"x\ty\"}]", 8, "control character"},
		{"unclosed array in event", `[{"a":[1,2}]`, 10, "expected ',' or ']'"},
		{"byte order mark", "\xef\xbb\xbf[]", 0, "byte 0xef"},
		{"byte outside string", "[{\"a\":\xff}]", 6, "byte 0xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Some of these pages are valid JSON of the wrong shape.
			wrongShape := strings.Contains(tt.msg, "element") || strings.Contains(tt.msg, "does not start") || strings.Contains(tt.msg, "JSON object")
			if json.Valid([]byte(tt.page)) != wrongShape {
				t.Fatalf("json.Valid(%q) = %v", tt.page, !wrongShape)
			}
			for _, body := range []BodyMode{BodyMap, BodyRaw} {
				logs, events, stats, err := New(testOptions(body)).MapPage(tt.page, observedAt)
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("got error %v, want a *SyntaxError", err)
				}
				if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
					t.Errorf("got %q at %d, want %q at %d", se.Msg, se.Offset, tt.msg, tt.offset)
				}
				if !strings.Contains(err.Error(), "byte offset") {
					t.Errorf("error %q does not give the offset", err)
				}
				if logs.LogRecordCount() != 0 || logs.ResourceLogs().Len() != 0 || events != nil || stats != (Stats{}) {
					t.Errorf("got %d records, %d events, stats %+v with the error", logs.LogRecordCount(), len(events), stats)
				}
			}
		})
	}
}

func TestSyntaxErrorNamesTheContent(t *testing.T) {
	_, _, _, err := New(Options{}).MapPage("<html><body>Service Unavailable</body></html>", observedAt)
	if err == nil || !strings.Contains(err.Error(), `near "<html><body>Service Unav"`) {
		t.Fatalf("error %v does not show the start of the page", err)
	}
}

func TestValidPageShapes(t *testing.T) {
	tests := []struct {
		name string
		page string
		n    int
	}{
		{"empty array", `[]`, 0},
		{"empty array with whitespace", " \r\n\t[ \n ] \n", 0},
		{"one empty object", `[{}]`, 1},
		{"whitespace everywhere", " [ {\n\"a\" :\t1 , \"b\" : [ 1 , { } ] } ,\r\n{ } ] ", 2},
		{"deep nesting inside an event", `[{"a":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}]`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, events, stats, err := New(testOptions(BodyMap)).MapPage(tt.page, observedAt)
			if err != nil {
				t.Fatal(err)
			}
			if logs.LogRecordCount() != tt.n || len(events) != tt.n || stats.Records != tt.n {
				t.Fatalf("got %d records, %d events, stats %+v; want %d", logs.LogRecordCount(), len(events), stats, tt.n)
			}
			if tt.n == 0 && logs.ResourceLogs().Len() != 0 {
				t.Errorf("an empty page gave %d ResourceLogs, want none", logs.ResourceLogs().Len())
			}
		})
	}
}

// TestNestingLimit checks that nesting is accepted exactly as deep as encoding/json accepts it.
func TestNestingLimit(t *testing.T) {
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		// The page array and the event object are two levels.
		inner := depth - 2
		page := `[{"a":` + strings.Repeat("[", inner) + strings.Repeat("]", inner) + `}]`
		_, _, _, err := New(Options{}).MapPage(page, observedAt)
		if valid := json.Valid([]byte(page)); valid != (err == nil) {
			t.Errorf("depth %d: json.Valid = %v but MapPage error = %v", depth, valid, err)
		}
	}
}
