package okta

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRateLimitWaitsStayWithinWhatAWindowCanMean(t *testing.T) {
	date := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	local := date.Add(-time.Hour) // the local clock is off: only Okta's counts
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"reset in 30 s", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(30 * time.Second))}, 31 * time.Second},
		{"reset now", map[string]string{"X-Rate-Limit-Reset": unix(date)}, time.Second},
		{"reset a day away", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(24 * time.Hour))}, DefaultWindow},
		{"reset in the year 3000", map[string]string{"X-Rate-Limit-Reset": unix(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))}, DefaultWindow},
		{"reset at the end of int64", map[string]string{"X-Rate-Limit-Reset": "9223372036854775807"}, DefaultWindow},
		{"reset in the past", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(-time.Minute))}, DefaultWindow},
		{"reset negative", map[string]string{"X-Rate-Limit-Reset": "-5"}, DefaultWindow},
		{"Retry-After longer than the reset", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(2 * time.Second)), "Retry-After": "20"}, 20 * time.Second},
		{"Retry-After as a date", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(2 * time.Second)), "Retry-After": date.Add(45 * time.Second).Format(http.TimeFormat)}, 45 * time.Second},
		{"Retry-After of a week", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(2 * time.Second)), "Retry-After": "604800"}, MaxRateLimitWait},
		{"Retry-After absurd", map[string]string{"X-Rate-Limit-Reset": unix(date.Add(2 * time.Second)), "Retry-After": "99999999999999999999"}, 3 * time.Second},
		{"Retry-After alone", map[string]string{"X-Rate-Limit-Limit": "", "Retry-After": "20"}, 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			h.Set("Date", date.Format(http.TimeFormat))
			h.Set("X-Rate-Limit-Limit", "100")
			h.Set("X-Rate-Limit-Remaining", "0")
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			rl := ParseRateLimit(h)
			got := rl.UntilReset(local)
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, got, MaxRateLimitWait)
		})
	}
}

func TestRateLimitHeadersThatDoNotParse(t *testing.T) {
	for name, h := range map[string]map[string]string{
		"none":               {},
		"limit not a number": {"X-Rate-Limit-Limit": "many", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "1700000000"},
		"negative remaining": {"X-Rate-Limit-Limit": "100", "X-Rate-Limit-Remaining": "-1", "X-Rate-Limit-Reset": "1700000000"},
	} {
		t.Run(name, func(t *testing.T) {
			hh := http.Header{}
			for k, v := range h {
				hh.Set(k, v)
			}
			rl := ParseRateLimit(hh)
			assert.False(t, rl.Known)
			if hh.Get("X-Rate-Limit-Reset") == "" {
				assert.Zero(t, rl.UntilReset(time.Now()), "nothing said, nothing to wait for")
			} else {
				assert.Equal(t, DefaultWindow, rl.UntilReset(time.Now()), "a reset long past still counts as one window")
			}
		})
	}
	hh := http.Header{}
	hh.Set("X-Rate-Limit-Limit", "100")
	hh.Set("X-Rate-Limit-Remaining", "500")
	hh.Set("X-Rate-Limit-Reset", "1700000000")
	assert.Equal(t, 100, ParseRateLimit(hh).Remaining, "never more remaining than the limit")
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
