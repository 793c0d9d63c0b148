// Package typepattern finds, among the rows of a table keyed by patterns of Okta event types, the most
// specific row that matches a type. A pattern is an exact type ("user.session.start") or a prefix that ends
// in '*' ("user.session.*", "user.authentication.universal_logout*"). The rows are indexed by the text of
// the pattern before its first '.', so a '*' comes after a whole first segment ("x.*", "x.y*", never "x*").
// The order of the rows decides nothing: the longer literal text wins, and at equal length an exact type
// wins over a prefix.
package typepattern

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Index holds, for each first segment, the rows whose pattern starts with it, most specific first: a
// lookup reads only the rows that can match, and the first that matches is the most specific.
type Index struct {
	patterns  []string
	bySegment map[string][]int
}

// New indexes a table's rows by the pattern each has (pattern reads it); a row whose pattern is "" matches
// on something other than the type and is left out. A pattern with a '*' before its first '.' is an error
// (it could match types of more than one first segment).
func New[Row any](rows []Row, pattern func(Row) string) (*Index, error) {
	x := &Index{patterns: make([]string, len(rows)), bySegment: map[string][]int{}}
	for i, r := range rows {
		p := pattern(r)
		x.patterns[i] = p
		if p == "" {
			continue
		}
		seg := firstSegment(p)
		if strings.Contains(seg, "*") {
			return nil, fmt.Errorf("row %d: pattern %q: a '*' must follow a whole first segment, as in x.* or x.y*", i, p)
		}
		x.bySegment[seg] = append(x.bySegment[seg], i)
	}
	for _, rows := range x.bySegment {
		slices.SortStableFunc(rows, func(a, b int) int { return compareSpecificity(x.patterns[a], x.patterns[b]) })
	}
	return x, nil
}

// MustNew is New for a table written in code: it panics on a pattern New refuses.
func MustNew[Row any](rows []Row, pattern func(Row) string) *Index {
	x, err := New(rows, pattern)
	if err != nil {
		panic(err)
	}
	return x
}

// First returns the row of the most specific pattern that matches eventType and that accept (when not
// nil) takes, or -1.
func (x *Index) First(eventType string, accept func(row int) bool) int {
	for _, i := range x.bySegment[firstSegment(eventType)] {
		if Matches(x.patterns[i], eventType) && (accept == nil || accept(i)) {
			return i
		}
	}
	return -1
}

// Matches reports whether pattern matches eventType.
func Matches(pattern, eventType string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(eventType, prefix)
	}
	return eventType == pattern
}

// compareSpecificity orders the more specific pattern first: the longer literal text, and at equal length
// an exact type before a prefix.
func compareSpecificity(a, b string) int {
	la, exactA := literal(a)
	lb, exactB := literal(b)
	if c := cmp.Compare(len(lb), len(la)); c != 0 {
		return c
	}
	switch {
	case exactA && !exactB:
		return -1
	case exactB && !exactA:
		return 1
	}
	return 0
}

// literal returns the text a pattern matches literally, and whether the pattern is an exact type.
func literal(pattern string) (string, bool) {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return prefix, false
	}
	return pattern, true
}

// firstSegment returns the text of an event type, or of a pattern, before its first '.'.
func firstSegment(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i]
	}
	return s
}
