package okta

import (
	"fmt"
	"net/http"
	"strings"
)

// headerLimits bounds each header the receiver reads from an answer of the org (the System Log API or the
// OAuth token endpoint), in bytes, all of its lines together. Each is far above anything Okta sends; an
// answer with a longer one is refused whole (HeaderTooLongError), so that no such value is kept, signed
// into a DPoP proof, remembered by the Redactor, or parsed. Go's HTTP client reads up to 10 MiB of headers.
var headerLimits = []headerLimit{
	// Okta's nonces are under 100 bytes; every DPoP proof carries the nonce.
	{"DPoP-Nonce", 4 << 10},
	// Okta's challenge is one short line: DPoP error="use_dpop_nonce", error_description="…".
	{"WWW-Authenticate", 4 << 10},
	// A number of seconds, or an HTTP date (29 bytes).
	{"Retry-After", 256},
	{"X-Rate-Limit-Limit", 256},
	{"X-Rate-Limit-Remaining", 256},
	{"X-Rate-Limit-Reset", 256},
	// Okta's clock, an HTTP date (29 bytes): the rate-limit wait is computed on it.
	{"Date", 256},
	// The self and next links, each the polling query with `filter` and `query`, percent-encoded: room for
	// a filter and query of more than 10 KB.
	{"Link", 64 << 10},
}

// headerLimit is the most bytes the receiver reads of one header.
type headerLimit struct {
	Name  string
	Limit int
}

// CheckHeaders returns the first header of h longer than its limit in headerLimits (its lines counted as
// if joined with commas), or nil. The error's Host and RequestID are left for the caller to set.
func CheckHeaders(h http.Header) *HeaderTooLongError {
	for _, l := range headerLimits {
		values := h.Values(l.Name)
		n := max(len(values)-1, 0)
		for _, v := range values {
			n += len(v)
		}
		if n > l.Limit {
			return &HeaderTooLongError{Header: l.Name, Length: n, Limit: l.Limit, Lines: len(values)}
		}
	}
	return nil
}

// HeaderTooLongError is an answer with a header far longer than Okta ever sends: it is refused whole, and
// the header's value is neither kept nor quoted.
type HeaderTooLongError struct {
	Header string
	// Length is the header's length in bytes, its lines joined; Lines how many lines it came in.
	Length, Lines int
	Limit         int
	// Host is the org; RequestID Okta's X-Okta-Request-Id, redacted and cut.
	Host      string
	RequestID string
}

func (e *HeaderTooLongError) Error() string {
	return fmt.Sprintf("the answer from %s has %s: refused the answer; %s", e.Host, e.What(), e.Hint()) + RequestIDSuffix(e.RequestID)
}

// What names the header, its length and the limit.
func (e *HeaderTooLongError) What() string {
	var b strings.Builder
	fmt.Fprintf(&b, "a %s header of %d bytes", e.Header, e.Length)
	if e.Lines > 1 {
		fmt.Fprintf(&b, " (in %d lines)", e.Lines)
	}
	fmt.Fprintf(&b, ", longer than the %d bytes the receiver reads of it (Okta's are far shorter)", e.Limit)
	return b.String()
}

// Hint says what happens next and what to check.
func (e *HeaderTooLongError) Hint() string {
	return "retrying; if this persists, something between the collector and Okta answers in Okta's place or rewrites its headers: check `endpoint` and `proxy_url`"
}

// Permanent is false: the answer is asked for again.
func (e *HeaderTooLongError) Permanent() bool { return false }
