package mapping

import "time"

// parsePublished parses an event's published time, which Okta writes as 2024-08-13T15:58:20.353Z. That
// form is read directly; any other goes through time.Parse as RFC 3339. A time a log timestamp cannot hold
// (before 1970 or after 2262) does not count as parsed.
func parsePublished(s string) (time.Time, bool) {
	t, ok := parseMillisUTC(s)
	if !ok {
		var err error
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return time.Time{}, false
		}
	}
	if t.Before(minTimestamp) || t.After(maxTimestamp) {
		return time.Time{}, false
	}
	return t, true
}

var (
	minTimestamp = time.Unix(0, 0)
	maxTimestamp = time.Unix(0, 1<<63-1)
)

// parseMillisUTC reads exactly YYYY-MM-DDTHH:MM:SS.mmmZ, rejecting impossible dates as time.Parse does.
func parseMillisUTC(s string) (time.Time, bool) {
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	second, ok6 := digits(s[17:19])
	milli, ok7 := digits(s[20:23])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, milli*1e6, time.UTC), true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
