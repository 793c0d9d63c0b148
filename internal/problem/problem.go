// Package problem classifies a failed System Log request, in one place for the receiver and oktacheck:
// which part of collection failed, whether only the user can fix it, Okta's rate limit, and what to tell
// the user, with the problem and the fix apart. The error types of package okta and package oauth carry the
// facts; Of reads them.
package problem // import "github.com/datableio/oktareceiver/internal/problem"

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

// Kind is the part of collection that failed.
type Kind int

const (
	// Unknown is an error of no type this package knows.
	Unknown Kind = iota
	// Unreachable is a request that got no complete answer: DNS, TCP, TLS, proxy, timeout, a reset. Network
	// is the transport's error.
	Unreachable
	// Credential is Okta refusing the credential (401, an OAuth app refused), or a configured credential
	// that cannot be used.
	Credential
	// LogAccess is a credential Okta accepts that may not read the System Log (403, invalid_scope).
	LogAccess
	// RateLimited is Okta's rate limit doing its job (429): the org's System Log window, or the token
	// endpoint's own (TokenEndpoint).
	RateLimited
	// Answer is an answer that is not a page: an error of Okta's other than the above, something that is
	// not Okta (a proxy's page), a body cut short or too large, a link that leaves the org.
	Answer
)

// Problem is what a failed request means.
type Problem struct {
	Kind Kind
	// Type names the failure in a few values, the state metric's error.type: http_<status>, not_okta,
	// oauth_<status>, transport, not_a_page, too_many_events, body_too_large, foreign_link, credential, other.
	Type string
	// Code is Okta's errorCode or the OAuth error, when the answer had one.
	Code string
	// Text says what went wrong, without the fix; Fix is what to change, or what happens next. Server text
	// in them has the credentials redacted.
	Text, Fix string
	// Permanent is a failure only a new credential or configuration can fix.
	Permanent bool
	// Status is the HTTP status of the answer; 0 when there was none.
	Status int
	// NotOkta is an answer that was not Okta's JSON (an HTML page, a proxy's error); Kind is still read
	// from its status.
	NotOkta bool
	// NetworkZone is a credential Okta refused for where the request came from (outside its network zones).
	NetworkZone bool
	// TokenEndpoint is a failure of the OAuth token request, not of the System Log request.
	TokenEndpoint bool
	// RateLimit is what the answer said about the org's System Log window, when there was an answer.
	RateLimit okta.RateLimit
	// Network is the transport's error, when Kind is Unreachable.
	Network error
	// retryAfter is how long the token endpoint asked to wait, already bounded.
	retryAfter time.Duration
}

// Wait is how long Okta asked to wait before the next request, at most okta.MaxRateLimitWait; 0 unless Kind
// is RateLimited.
func (p Problem) Wait(now time.Time) time.Duration {
	switch {
	case p.Kind != RateLimited:
		return 0
	case p.TokenEndpoint:
		return min(p.retryAfter, okta.MaxRateLimitWait)
	}
	return p.RateLimit.UntilReset(now)
}

// Of classifies err, an error of okta.Client.Fetch.
func Of(err error) Problem {
	p := Problem{Kind: Unknown, Type: "other", Text: err.Error()}
	var perm interface{ Permanent() bool }
	if errors.As(err, &perm) {
		p.Permanent = perm.Permanent()
	}
	var (
		ae *okta.APIError
		te *oauth.TokenError
		fl *okta.ForeignLinkError
		pe *okta.PageError
		tm *mapping.TooManyEventsError
		bl *okta.BodyTooLargeError
		tr *okta.TransportError
		ce *okta.CredentialError
		ht *okta.HeaderTooLongError
	)
	switch {
	case errors.As(err, &ht):
		// Before the token endpoint's error, which wraps it: an answer with a header no Okta sends is what
		// answered, not the network.
		p.Kind, p.Type, p.Text, p.Fix, p.TokenEndpoint = Answer, "header_too_long", ht.What(), ht.Hint(), errors.As(err, &te)
	case errors.As(err, &ae):
		p.Kind, p.Type, p.Code, p.Status, p.NotOkta = Answer, fmt.Sprintf("http_%d", ae.StatusCode), ae.Code, ae.StatusCode, ae.NotOkta
		p.Text, p.Fix, p.RateLimit = ae.Problem(), ae.Hint(), ae.RateLimit
		if ae.NotOkta {
			p.Type = "not_okta"
		}
		switch {
		case ae.NetworkZone():
			// A 401 or 403 for where the request came from: the credential, not its rights.
			p.Kind, p.NetworkZone = Credential, true
		case ae.StatusCode == http.StatusUnauthorized:
			p.Kind = Credential
		case ae.StatusCode == http.StatusForbidden:
			p.Kind = LogAccess
		case ae.RateLimited():
			p.Kind = RateLimited
		}
	case errors.As(err, &te):
		p.Kind, p.Type, p.Code, p.Status, p.TokenEndpoint = Answer, fmt.Sprintf("oauth_%d", te.Status), te.Code, te.Status, true
		p.Text, p.Fix, p.retryAfter = te.Problem(), te.Hint(), te.RetryAfter
		switch {
		case te.Err != nil:
			p.Kind, p.Network = Unreachable, te.Err
		case te.RateLimited():
			p.Kind = RateLimited
		case te.Code == "invalid_scope":
			p.Kind = LogAccess
		case te.Code != "" && te.Status < http.StatusInternalServerError:
			// An OAuth error of the token endpoint is about the app or its key (invalid_client, a DPoP
			// setting, the grant type), whether or not a later attempt may pass.
			p.Kind = Credential
		}
	case errors.As(err, &fl):
		p.Kind, p.Type, p.Text, p.Fix = Answer, "foreign_link", fl.Problem(), fl.Hint()
	case errors.As(err, &pe):
		p.Kind, p.Type, p.Text, p.Fix, p.RateLimit = Answer, "not_a_page", pe.Problem(), pe.Hint(), pe.RateLimit
		if errors.As(err, &tm) {
			p.Type = "too_many_events"
		}
	case errors.As(err, &bl):
		p.Kind, p.Type, p.Text, p.Fix, p.RateLimit = Answer, "body_too_large", bl.Problem(), bl.Hint(), bl.RateLimit
	case errors.As(err, &tr):
		p.Kind, p.Type, p.Text, p.Fix, p.RateLimit, p.Network = Unreachable, "transport", tr.Problem(), tr.Hint(), tr.RateLimit, tr.Err
	case errors.As(err, &ce):
		p.Kind, p.Type, p.Text, p.Fix = Credential, "credential", ce.What(), ce.Fix
	default:
		p.Network = err
	}
	return p
}
