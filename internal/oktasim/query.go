package oktasim

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Query limits, as Okta documents them.
const (
	defaultLimit    = 100
	maxLimit        = 1000
	maxKeywords     = 10
	maxKeywordLen   = 40
	maxSinceAge     = 180 * 24 * time.Hour
	defaultLookback = 7 * 24 * time.Hour
)

// logQuery is a validated GET /api/v1/logs request.
type logQuery struct {
	// bounded is true with `until` or DESCENDING: filter and order by published.
	bounded bool
	// since and until bound published times (bounded queries).
	since, until time.Time
	// cursor is where a polling query resumes: the `after` value, or the position before since.
	cursor position
	// after is the `after` value of a bounded query, nil on its first page.
	after    *position
	limit    int
	desc     bool
	filter   filterNode
	keywords [][]byte // lower-cased
	// carry are the request's parameters copied into next links: filter, q, sortOrder.
	carry url.Values
}

// parseLogQuery validates the parameters of a logs request at the simulator time now.
func parseLogQuery(v url.Values, now time.Time) (*logQuery, *apiError) {
	q := &logQuery{limit: defaultLimit, carry: url.Values{}}
	for _, k := range []string{"filter", "q", "sortOrder"} {
		if v.Has(k) {
			q.carry.Set(k, v.Get(k))
		}
	}

	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxLimit {
			return nil, validationError("limit", "limit must be an integer between 0 and 1000")
		}
		q.limit = n
	}

	switch so := v.Get("sortOrder"); {
	case so == "" || strings.EqualFold(so, "ASCENDING"):
	case strings.EqualFold(so, "DESCENDING"):
		q.desc = true
	default:
		return nil, validationError("sortOrder", "sortOrder must be ASCENDING or DESCENDING")
	}

	hasSince, hasUntil := v.Get("since") != "", v.Get("until") != ""
	if hasSince {
		t, err := time.Parse(time.RFC3339Nano, v.Get("since"))
		if err != nil {
			return nil, validationError("since", "since is not a valid RFC 3339 date: "+v.Get("since"))
		}
		if t.Before(now.Add(-maxSinceAge)) {
			return nil, searchError("Invalid since: it must be within the last 180 days")
		}
		q.since = t
	}
	if hasUntil {
		t, err := time.Parse(time.RFC3339Nano, v.Get("until"))
		if err != nil {
			return nil, validationError("until", "until is not a valid RFC 3339 date: "+v.Get("until"))
		}
		q.until = t
	}

	after, apiErr := parseAfter(v.Get("after"))
	if apiErr != nil {
		return nil, apiErr
	}

	q.bounded = hasUntil || q.desc
	if q.bounded {
		if !hasUntil {
			q.until = now
		}
		if !hasSince {
			q.since = q.until.Add(-defaultLookback)
		}
		if q.until.Before(q.since) {
			return nil, validationError("until", "until must not be before since")
		}
		q.after = after
	} else {
		switch {
		case hasSince && after != nil:
			return nil, validationError("since", "since and after cannot be used together")
		case after != nil:
			q.cursor = *after
		case hasSince:
			q.cursor = positionBefore(q.since)
		default:
			q.cursor = positionBefore(now.Add(-defaultLookback))
		}
	}

	if err := q.parseSearch(v); err != nil {
		return nil, err
	}
	return q, nil
}

// parseAfter reads the `after` cursor; nil when there is none.
func parseAfter(s string) (*position, *apiError) {
	if s == "" {
		return nil, nil
	}
	p, err := parseCursor(s)
	if err != nil {
		return nil, validationError("after", "invalid after cursor: "+s)
	}
	return &p, nil
}

// parseSearch reads what selects the events: the SCIM `filter` and the keywords of `q`.
func (q *logQuery) parseSearch(v url.Values) *apiError {
	if f := v.Get("filter"); strings.TrimSpace(f) != "" {
		node, err := parseFilter(f)
		if err != nil {
			return err
		}
		q.filter = node
	}

	words := strings.Fields(v.Get("q"))
	if len(words) > maxKeywords {
		return validationError("q", "at most 10 keywords are allowed")
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > maxKeywordLen {
			return validationError("q", "a keyword can have at most 40 characters: "+w)
		}
		q.keywords = append(q.keywords, bytes.ToLower([]byte(w)))
	}
	return nil
}

// match reports whether an event passes the keyword search and the filter.
func (q *logQuery) match(e *event) bool {
	if len(q.keywords) > 0 {
		low := bytes.ToLower(e.raw)
		for _, kw := range q.keywords {
			if !bytes.Contains(low, kw) {
				return false
			}
		}
	}
	return q.filter == nil || matchFilter(q.filter, e.raw)
}

// nextParams returns the query of the next link that resumes after position p.
func (q *logQuery) nextParams(p position) url.Values {
	v := url.Values{}
	for k, vals := range q.carry {
		v[k] = vals
	}
	v.Set("limit", strconv.Itoa(q.limit))
	v.Set("after", p.String())
	if q.bounded {
		v.Set("since", q.since.UTC().Format(time.RFC3339Nano))
		v.Set("until", q.until.UTC().Format(time.RFC3339Nano))
	}
	return v
}
