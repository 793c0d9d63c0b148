package okta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an answer from the org other than a page: Okta's error JSON, or something that is not
// Okta's API at all (a proxy's HTML page, a 404).
type APIError struct {
	StatusCode int
	// Code and Summary are Okta's errorCode and errorSummary, when the body was Okta's error JSON.
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

func newAPIError(resp *http.Response, body []byte, reqID string, rl RateLimit) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, RequestID: reqID, RateLimit: rl}
	var oe struct {
		ErrorCode    string `json:"errorCode"`
		ErrorSummary string `json:"errorSummary"`
		ErrorCauses  []struct {
			ErrorSummary string `json:"errorSummary"`
		} `json:"errorCauses"`
	}
	if err := json.Unmarshal(body, &oe); err != nil || (oe.ErrorCode == "" && oe.ErrorSummary == "") {
		e.NotOkta = true
		e.Summary = fmt.Sprintf("answered %s with %s, not Okta's error JSON", resp.Status, contentKind(resp))
		return e
	}
	e.Code, e.Summary = oe.ErrorCode, oe.ErrorSummary
	for _, c := range oe.ErrorCauses {
		if c.ErrorSummary != "" {
			e.Causes = append(e.Causes, c.ErrorSummary)
		}
	}
	return e
}

func contentKind(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return ct
	}
	return "a body of unknown type"
}

// Error says what Okta answered and what to do about it.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Okta answered HTTP %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, ": %s", e.Summary)
	}
	if len(e.Causes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Causes, "; "))
	}
	if hint := e.Hint(); hint != "" {
		fmt.Fprintf(&b, "; %s", hint)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [X-Okta-Request-Id %s]", e.RequestID)
	}
	return b.String()
}

// Hint is what the user should change, for the failures that a user can fix.
func (e *APIError) Hint() string {
	switch {
	case e.NotOkta && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusOK):
		return "this is not Okta's System Log API: check `endpoint` (your org's domain, e.g. example.okta.com)"
	case e.StatusCode == http.StatusUnauthorized, e.StatusCode == http.StatusForbidden:
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

// TransportError is a failure to get a complete answer: DNS, TLS, a reset connection, a timeout, a body cut off.
type TransportError struct {
	Err       error
	Host      string
	RequestID string
	RateLimit RateLimit
}

func (e *TransportError) Error() string {
	msg := fmt.Sprintf("request to %s failed: %v; retrying (if this persists, check `endpoint`, the network and the TLS settings)", e.Host, e.Err)
	if e.RequestID != "" {
		msg += fmt.Sprintf(" [X-Okta-Request-Id %s]", e.RequestID)
	}
	return msg
}

func (e *TransportError) Unwrap() error { return e.Err }

// ForeignLinkError is a next link or redirect to another scheme, host or port than the org's. It is never
// followed: the credential stays on the org.
type ForeignLinkError struct {
	Link     string
	Org      string
	Redirect bool
}

func (e *ForeignLinkError) Error() string {
	what := "next link"
	if e.Redirect {
		what = "redirect"
	}
	return fmt.Sprintf("refused a %s to %s: it leaves the org %s, and the credential is only ever sent to the org", what, e.Link, e.Org)
}

// BodyTooLargeError is a response body over the configured cap.
type BodyTooLargeError struct{ Limit int64 }

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("response body larger than %d bytes: refused to read it whole", e.Limit)
}
