package mapping

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestParsePublishedAgreesWithTimeParse checks the direct reading of Okta's form against time.Parse on
// valid and impossible dates alike.
func TestParsePublishedAgreesWithTimeParse(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(s string) {
		got, ok := parseMillisUTC(s)
		want, err := time.Parse(time.RFC3339Nano, s)
		if ok && (err != nil || !got.Equal(want)) {
			t.Errorf("%q: read %s, time.Parse %s %v", s, got, want, err)
		}
		if !ok && err == nil && len(s) == 24 {
			t.Errorf("%q: rejected, time.Parse accepts it as %s", s, want)
		}
	}
	for range 20000 {
		check(fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", 1960+r.IntN(400), r.IntN(14), r.IntN(33), r.IntN(26), r.IntN(62), r.IntN(62), r.IntN(1000)))
	}
	for _, s := range []string{"2024-02-29T00:00:00.000Z", "2023-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z",
		"2000-02-29T00:00:00.000Z", "2017-09-31T22:23:07.777Z", "2024-08-13T15:58:20.353z", "2024-08-13 15:58:20.353Z",
		"+024-08-13T15:58:20.353Z", "2024-08-13T15:58:20.35aZ"} {
		check(s)
	}
}

func TestParsePublishedRange(t *testing.T) {
	for s, ok := range map[string]bool{
		"1970-01-01T00:00:00.000Z":      true,
		"1969-12-31T23:59:59.999Z":      false,
		"2262-04-11T23:47:16.854Z":      true,
		"2262-04-11T23:47:16.855Z":      false,
		"9999-12-31T23:59:59.999Z":      false,
		"2024-08-13T17:58:20.001+02:00": true,
	} {
		if _, got := parsePublished(s); got != ok {
			t.Errorf("parsePublished(%q) ok = %v, want %v", s, got, ok)
		}
	}
}
