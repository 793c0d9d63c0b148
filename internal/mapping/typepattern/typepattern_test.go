package typepattern

import (
	"slices"
	"testing"
)

var table = []string{
	"user.session.*",
	"user.session.start",
	"user.session.st*",
	"user.authentication.universal_logout*",
	"",
	"user.*",
	"system.org.rate_limit.violation",
	"app",
}

// itself reads a pattern from a table of bare patterns.
func itself(p string) string { return p }

func TestFirstIsTheMostSpecificMatchWhateverTheOrder(t *testing.T) {
	tests := []struct{ eventType, want string }{
		{"user.session.start", "user.session.start"}, // exact beats a prefix as long
		{"user.session.stop", "user.session.st*"},    // the longer prefix
		{"user.session.end", "user.session.*"},       // the family
		{"user.authentication.universal_logout.x", "user.authentication.universal_logout*"},
		{"user.lifecycle.create", "user.*"},
		{"system.org.rate_limit.violation", "system.org.rate_limit.violation"},
		{"system.org.rate_limit.warning", ""},
		{"app", "app"},
		{"app.x", ""},   // an exact type matches only itself
		{"users.x", ""}, // "user.*" needs the '.'
		{"", ""},
	}
	for _, order := range []string{"as written", "reversed"} {
		patterns := slices.Clone(table)
		if order == "reversed" {
			slices.Reverse(patterns)
		}
		x := MustNew(patterns, itself)
		for _, tt := range tests {
			got := ""
			if i := x.First(tt.eventType, nil); i >= 0 {
				got = patterns[i]
			}
			if got != tt.want {
				t.Errorf("%s: First(%q) is %q, want %q", order, tt.eventType, got, tt.want)
			}
		}
	}
}

func TestFirstSkipsTheRowsAcceptRefuses(t *testing.T) {
	x := MustNew(table, itself)
	notExact := func(row int) bool { return table[row] != "user.session.start" }
	if i := x.First("user.session.start", notExact); i < 0 || table[i] != "user.session.st*" {
		t.Errorf("First with the exact row refused = %d, want the next most specific, user.session.st*", i)
	}
	if i := x.First("user.session.start", func(int) bool { return false }); i != -1 {
		t.Errorf("First with every row refused = %d, want -1", i)
	}
}

func TestNewRefusesAStarInTheFirstSegment(t *testing.T) {
	for _, p := range []string{"user*", "*", "us*er.session"} {
		if _, err := New([]string{"user.*", p}, itself); err == nil {
			t.Errorf("New accepted %q", p)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustNew did not panic on a pattern New refuses")
		}
	}()
	MustNew([]string{"user*"}, itself)
}
