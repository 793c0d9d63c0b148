package receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/datableio/oktareceiver/internal/okta"
)

func TestBudget(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	okta0 := now.Add(-time.Hour) // Okta's clock, an hour off the local one: only differences count
	rl := func(limit, remaining int, resetIn time.Duration) okta.RateLimit {
		return okta.RateLimit{Known: true, Limit: limit, Remaining: remaining, Date: okta0, Reset: okta0.Add(resetIn)}
	}
	tests := []struct {
		name     string
		fraction float64
		rl       okta.RateLimit
		at       time.Duration // after the answer
		want     time.Duration
	}{
		{"under the budget", 0.5, rl(120, 61, 30*time.Second), 0, 0},
		{"budget reached: wait for the reset plus a second", 0.5, rl(120, 60, 30*time.Second), 0, 31 * time.Second},
		{"other clients spent it", 0.5, rl(120, 10, 20*time.Second), 5 * time.Second, 16 * time.Second},
		{"after the reset", 0.5, rl(120, 0, 20*time.Second), 22 * time.Second, 0},
		{"full budget", 1, rl(50, 1, 30*time.Second), 0, 0},
		{"full budget spent", 1, rl(50, 0, 30*time.Second), 0, 31 * time.Second},
		{"tiny limit still allows one request", 0.1, rl(5, 5, 30*time.Second), 0, 0},
		{"no headers", 0.5, okta.RateLimit{}, 0, 0},
		{"concurrency form (limit 0) is left to the 429 path", 0.5, rl(0, 0, 30*time.Second), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &budget{fraction: tt.fraction}
			b.observe(tt.rl, now)
			assert.Equal(t, tt.want, b.wait(now.Add(tt.at)))
		})
	}
}
