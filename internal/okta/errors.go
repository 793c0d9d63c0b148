package okta

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Every error of this package says what went wrong (Problem), what to do about it (Hint) and whether only a
// change of credentials or configuration can fix it (Permanent); Error is the problem and its fix in one
// line. Server text in them (errorSummary, errorCauses, a body's first
// bytes, header values) has the credentials the client sent redacted and is cut to MaxServerText bytes a
// field, when the client builds them.

// maxCauses bounds how many of Okta's errorCauses an APIError keeps.
const maxCauses = 5

// APIError is an answer from the org other than a page: Okta's error JSON, or something that is not
// Okta's API at all (a proxy's HTML page, a 404).
type APIError struct {
	StatusCode int
	// Code and Summary are Okta's errorCode and errorSummary, when the body was Okta's error JSON;
	// otherwise Summary says what answered, with the body's first bytes.
	Code      string
	Summary   string
	Causes    []string
	RequestID string
	RateLimit RateLimit
	// NotOkta is true when the answer was not Okta's JSON (an HTML page, a proxy's error).
	NotOkta bool
	// credentialHint says what to fix when Okta refused the credential (401) or its rights (403).
	credentialHint string
}

// CredentialHints is implemented by authorizers that can tell the user what to fix about their credential.
type CredentialHints interface {
	// UnauthorizedHint is the fix for a 401: the credential is invalid, expired or revoked.
	UnauthorizedHint() string
	// ForbiddenHint is the fix for a 403: the credential may not read the System Log.
	ForbiddenHint() string
}

func newAPIError(resp *http.Response, body string, reqID string, rl RateLimit, red *Redactor) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, RequestID: reqID, RateLimit: rl}
	var oe struct {
		ErrorCode    string `json:"errorCode"`
		ErrorSummary string `json:"errorSummary"`
		ErrorCauses  []struct {
			ErrorSummary string `json:"errorSummary"`
		} `json:"errorCauses"`
	}
	if err := json.Unmarshal([]byte(body), &oe); err != nil || (oe.ErrorCode == "" && oe.ErrorSummary == "") {
		e.NotOkta = true
		e.Summary = fmt.Sprintf("answered %s with %s, not Okta's error JSON%s", StatusText(resp.StatusCode), ContentKind(resp, red), bodyExcerpt(body, red))
		return e
	}
	e.Code, e.Summary = red.Clean(oe.ErrorCode, MaxServerWord), red.Clean(oe.ErrorSummary, MaxServerText)
	n := 0
	for _, c := range oe.ErrorCauses {
		if c.ErrorSummary == "" {
			continue
		}
		if n++; n > maxCauses {
			continue
		}
		e.Causes = append(e.Causes, red.Clean(c.ErrorSummary, MaxServerText))
	}
	if n > maxCauses {
		e.Causes = append(e.Causes, fmt.Sprintf("and %d more", n-maxCauses))
	}
	return e
}

// StatusText is the status code and its standard text; the server's own reason phrase is not repeated.
func StatusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// ContentKind is what the answer says it holds (its Content-Type, redacted and cut), for an error about an
// answer that is not what was expected.
func ContentKind(resp *http.Response, red *Redactor) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return red.Clean(ct, MaxServerWord)
	}
	return "a body of unknown type"
}

// RequestIDSuffix is the end of an error's text that names Okta's X-Okta-Request-Id, for Okta support; ""
// without one.
func RequestIDSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " [X-Okta-Request-Id " + id + "]"
}

// RedactedText is the text of an error's cause: text, redacted when the error was built, or else (an error
// built without it) err's message, cut and cleaned of control characters.
func RedactedText(text string, err error) string {
	if text == "" && err != nil {
		return Redact(err.Error(), MaxServerText, nil)
	}
	return text
}

// bodyExcerpt is `: it begins "…"` with the body's first bytes, redacted and cut; "" for an empty body.
func bodyExcerpt(body string, red *Redactor) string {
	if strings.TrimSpace(body) == "" {
		return ""
	}
	return fmt.Sprintf(" (it begins %q)", red.Clean(body, maxServerExcerpt))
}

// Error says what Okta answered and what to do about it.
func (e *APIError) Error() string {
	msg := "Okta answered " + e.answer()
	if hint := e.Hint(); hint != "" {
		msg += "; " + hint
	}
	return msg + RequestIDSuffix(e.RequestID)
}

// Problem says what Okta answered, without the fix (Hint): HTTP status, Okta's code, summary and causes,
// and the request id.
func (e *APIError) Problem() string { return e.answer() + RequestIDSuffix(e.RequestID) }

func (e *APIError) answer() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, ": %s", e.Summary)
	}
	if len(e.Causes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Causes, "; "))
	}
	return b.String()
}

// Hint is what the user should change, for the failures that a user can fix, or what happens next.
func (e *APIError) Hint() string {
	switch {
	case e.NotOkta && e.StatusCode == http.StatusOK:
		return "a proxy or gateway between the collector and Okta answered in Okta's place (a login or block page?): check `endpoint` and `proxy_url`"
	case e.NotOkta && e.StatusCode == http.StatusNotFound:
		return "this is not Okta's System Log API: check `endpoint` (your org's domain, e.g. example.okta.com)"
	case e.StatusCode == http.StatusUnauthorized, e.StatusCode == http.StatusForbidden:
		if h := e.refusalHint(); h != "" {
			return h
		}
		return e.credentialHint
	case e.StatusCode == http.StatusBadRequest:
		return "Okta rejected the query: check `filter` and `query`"
	case e.StatusCode == http.StatusTooManyRequests:
		return "the org's rate limit is spent: waiting for the window to reset"
	case e.StatusCode >= 500:
		return "a failure on Okta's side or a proxy's: retrying"
	}
	return ""
}

// Permanent reports whether only a change of credentials or configuration can fix the failure.
func (e *APIError) Permanent() bool {
	return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
}

// RateLimited reports whether Okta refused the request for the org's rate limit (429); RateLimit says
// until when.
func (e *APIError) RateLimited() bool { return e.StatusCode == http.StatusTooManyRequests }

// TransportError is a failure to get a complete answer: DNS, TLS, a reset connection, a timeout, a body cut off.
type TransportError struct {
	Err       error
	Host      string
	RequestID string
	RateLimit RateLimit
	// text is Err's message with the credentials redacted: a malformed answer is quoted in it.
	text string
}

func newTransportError(err error, host, reqID string, rl RateLimit, red *Redactor) *TransportError {
	return &TransportError{Err: err, Host: host, RequestID: reqID, RateLimit: rl, text: red.Clean(err.Error(), MaxServerText)}
}

func (e *TransportError) Error() string {
	return e.problem() + "; " + e.Hint() + RequestIDSuffix(e.RequestID)
}

// Problem says which request failed and how, without the fix (Hint).
func (e *TransportError) Problem() string { return e.problem() + RequestIDSuffix(e.RequestID) }

func (e *TransportError) problem() string {
	return fmt.Sprintf("request to %s failed: %s", e.Host, RedactedText(e.text, e.Err))
}

func (e *TransportError) Unwrap() error { return e.Err }

// Hint says what happens next and what to check.
func (e *TransportError) Hint() string {
	return "retrying (if this persists, check `endpoint`, `proxy_url`, the network and the TLS settings)"
}

// Permanent is false: a later attempt may get through.
func (e *TransportError) Permanent() bool { return false }

// ForeignLinkError is a next link or redirect that leaves the org's System Log API: to another scheme, host
// or port than the org's, or to another path than LogsPath on the org. It is never followed: the credential
// goes only to the org's System Log API.
type ForeignLinkError struct {
	// Link is where it pointed: scheme, host and path, without the query.
	Link     string
	Org      string
	Redirect bool
	// OffPath is true when the link stays on the org but leads to another path than the System Log API's.
	OffPath bool
}

func (e *ForeignLinkError) Error() string { return e.Problem() + "; " + e.Hint() }

// Problem says which link was refused and why, without the fix (Hint).
func (e *ForeignLinkError) Problem() string {
	what := "next link"
	if e.Redirect {
		what = "redirect"
	}
	return fmt.Sprintf("refused a %s to %s: %s, and the credential is only ever sent to the org's System Log API", what, e.Link, e.Why())
}

// Why says where the link leads instead of the org's System Log API.
func (e *ForeignLinkError) Why() string {
	if e.OffPath {
		return fmt.Sprintf("it stays on the org %s but leads away from the System Log API (%s exactly, with a query)", e.Org, LogsPath)
	}
	return "it leaves the org " + e.Org
}

// Hint says what happens next and what to check.
func (e *ForeignLinkError) Hint() string {
	switch {
	case e.Redirect && e.OffPath:
		return "retrying; if this persists, something between the collector and Okta redirects the System Log API elsewhere: check `proxy_url`, and that `endpoint` is the org's Okta domain"
	case e.Redirect:
		return "retrying; if this persists, check `endpoint`: it must be the org's own domain (the one Okta redirects to), and `proxy_url`"
	}
	return "fetching the page again from the checkpoint; if this persists, a proxy between the collector and Okta rewrites Okta's Link header: check `proxy_url`"
}

// Permanent is false: the page is fetched again from the checkpoint.
func (e *ForeignLinkError) Permanent() bool { return false }

// BodyTooLargeError is a response body over `max_response_body_size`: it is not read whole.
type BodyTooLargeError struct {
	Limit     int64
	Host      string
	RequestID string
	RateLimit RateLimit
}

func (e *BodyTooLargeError) Error() string {
	return e.problem() + "; " + e.Hint() + RequestIDSuffix(e.RequestID)
}

// Problem says what was refused, without the fix (Hint).
func (e *BodyTooLargeError) Problem() string { return e.problem() + RequestIDSuffix(e.RequestID) }

func (e *BodyTooLargeError) problem() string {
	return fmt.Sprintf("the answer from %s is larger than %d bytes (`max_response_body_size`): refused to read it whole", e.Host, e.Limit)
}

// Hint is the fix: a page of this size needs a larger cap or fewer events per page.
func (e *BodyTooLargeError) Hint() string {
	return fmt.Sprintf("raise `max_response_body_size` (now %d) or lower `page_size`", e.Limit)
}

// Permanent is true: the same query brings the same page, so only a change of configuration gets past it.
func (e *BodyTooLargeError) Permanent() bool { return true }

// PageError is a 200 answer whose body is not a System Log page: not a JSON array of event objects, nested
// too deep, or cut short.
type PageError struct {
	// Err is the mapper's error.
	Err       error
	Host      string
	RequestID string
	RateLimit RateLimit
	// Head is the body's first bytes, with the credentials redacted, cut: what answered.
	Head string
	// Truncated is true when the body ended in the middle of the page.
	Truncated bool
	// text is Err's message with the credentials redacted and cut: it quotes the body.
	text string
}

// PageError describes a page the mapper refused with err; truncated says that the page ended before its
// end (the mapper found the problem at the body's last byte).
func (c *Client) PageError(p *Page, err error, truncated bool) *PageError {
	return &PageError{Err: err, Host: c.org.Host, RequestID: p.RequestID, RateLimit: p.RateLimit, Truncated: truncated,
		Head: c.redactor.Clean(p.Body, maxServerExcerpt), text: c.redactor.Clean(err.Error(), MaxServerText)}
}

func (e *PageError) Error() string {
	return e.problem() + "; " + e.Hint() + RequestIDSuffix(e.RequestID)
}

// Problem says what was wrong with the page, without the fix (Hint).
func (e *PageError) Problem() string { return e.problem() + RequestIDSuffix(e.RequestID) }

func (e *PageError) problem() string {
	text := RedactedText(e.text, e.Err)
	if e.Truncated {
		return fmt.Sprintf("the System Log page from %s ended before its end: %s", e.Host, text)
	}
	return fmt.Sprintf("Okta answered 200 with something that is not a System Log page (it begins %q): %s", e.Head, text)
}

func (e *PageError) Unwrap() error { return e.Err }

// Hint says what is likely wrong and what to check.
func (e *PageError) Hint() string {
	var h interface{ Hint() string }
	if errors.As(e.Err, &h) {
		return h.Hint()
	}
	if e.Truncated {
		return "a connection or a proxy between the collector and Okta cut the answer short: retrying; if this persists, check `proxy_url` and the network"
	}
	return "a proxy or gateway between the collector and Okta rewrote it? check `endpoint` and `proxy_url`; retrying"
}

// Permanent is false, the page is fetched again, unless the mapper's error says the same page can never
// be mapped (more events than Okta puts in a page).
func (e *PageError) Permanent() bool {
	var p interface{ Permanent() bool }
	return errors.As(e.Err, &p) && p.Permanent()
}
