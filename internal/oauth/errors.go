package oauth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/datableio/oktareceiver/internal/okta"
)

// TokenError is a failure to get an access token from the org authorization server. Authorize returns
// it (through okta.Client.Fetch) so that the receiver can tell a configuration problem from an outage.
// Server text in it has the client assertion, the DPoP proof and any access token redacted, and is cut.
type TokenError struct {
	// Status is the HTTP status of the answer; 0 when there was none (DNS, TLS, reset, timeout).
	Status int
	// Code and Description are the OAuth `error` and `error_description`, when the answer was OAuth JSON;
	// otherwise Description says what was wrong with the answer.
	Code        string
	Description string
	// Unusable is true when Okta answered 200 but the token cannot be used (it cannot be sent in a
	// header, or its lifetime makes no sense): it was not kept, and the next attempt fetches another.
	Unusable bool
	// RetryAfter is how long Okta asked to wait (a 429), computed on Okta's clock and at most
	// okta.MaxRateLimitWait; 0 when it did not say.
	RetryAfter time.Duration
	// RequestID is Okta's X-Okta-Request-Id, for Okta support.
	RequestID string
	// Err is the transport error, when there was no answer.
	Err error
	// permanent is true when only a change of configuration (here or in Okta) can fix the failure. It is
	// false for 5xx, 429, network failures and the like, which a later attempt may get past.
	permanent bool
	// hint is what to change in Okta's admin console or in the configuration, or what happens next.
	hint string
	// errText is Err's message with the secrets redacted: net/http quotes a malformed answer in it.
	errText string
}

func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString("OAuth token request failed: ")
	switch {
	case e.Err != nil:
		b.WriteString(okta.RedactedText(e.errText, e.Err))
	case e.Code != "":
		fmt.Fprintf(&b, "Okta answered HTTP %d %s", e.Status, e.Code)
		if e.Description != "" {
			fmt.Fprintf(&b, " (%s)", e.Description)
		}
	case e.Description != "":
		fmt.Fprintf(&b, "HTTP %d: %s", e.Status, e.Description)
	default:
		fmt.Fprintf(&b, "HTTP %d", e.Status)
	}
	if e.hint != "" {
		fmt.Fprintf(&b, "; %s", e.hint)
	}
	b.WriteString(okta.RequestIDSuffix(e.RequestID))
	return b.String()
}

// Problem says what the token endpoint answered, without the fix (Hint): its status, OAuth error and
// description, and the request id; or the transport's error when there was no answer.
func (e *TokenError) Problem() string {
	if e.Err != nil {
		return "OAuth token request failed: " + okta.RedactedText(e.errText, e.Err)
	}
	text := "the token endpoint answered HTTP " + strconv.Itoa(e.Status)
	if e.Code != "" {
		text += " " + e.Code
	}
	if e.Description != "" {
		text += ": " + e.Description
	}
	return text + okta.RequestIDSuffix(e.RequestID)
}

func (e *TokenError) Unwrap() error { return e.Err }

// Hint is what to change in Okta's admin console or in the configuration, or what happens next.
func (e *TokenError) Hint() string { return e.hint }

// Permanent reports whether only a change of configuration (here or in Okta) can fix the failure: false for
// 5xx, 429, network failures and the like, which a later attempt may get past.
func (e *TokenError) Permanent() bool { return e.permanent }

// RateLimited reports whether the token endpoint refused the request for its rate limit (429);
// RetryAfter says how long to wait.
func (e *TokenError) RateLimited() bool { return e.Status == http.StatusTooManyRequests }

// oauthErrorBody is RFC 6749's error answer.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// newTokenError turns a token endpoint's failed answer into a TokenError with a hint. secrets are
// redacted from whatever the server echoed.
func (a *Authorizer) newTokenError(resp *http.Response, body []byte, reqID string, secrets []string) *TokenError {
	e := &TokenError{Status: resp.StatusCode, RequestID: reqID}
	var ob oauthErrorBody
	code := ""
	if json.Unmarshal(body, &ob) == nil {
		code = strings.TrimSpace(redact(ob.Error, okta.MaxServerWord, secrets))
	}
	if code == "" { // not OAuth JSON, or an error code that prints as nothing
		e.Description = fmt.Sprintf("answered %s with %s, not an OAuth JSON answer", okta.StatusText(resp.StatusCode), okta.ContentKind(resp, okta.NewRedactor(secrets...)))
		switch {
		case resp.StatusCode >= 500:
			e.hint = "a failure on Okta's side or a proxy's: retrying"
		case resp.StatusCode == http.StatusTooManyRequests:
			e.hint = "the token endpoint's rate limit is spent: retrying later"
			e.RetryAfter = rateLimitWait(resp.Header, a.now())
		default:
			e.permanent = true
			e.hint = "this is not Okta's token endpoint: check `endpoint` (your org's domain, e.g. example.okta.com, not a custom authorization server or a proxy's login page)"
		}
		return e
	}
	e.Code, e.Description = code, redact(ob.Description, okta.MaxServerText, secrets)
	e.permanent = true
	switch ob.Error {
	case "invalid_client":
		e.hint = "check in the Okta admin console that `client_id` is the Client ID of this API Services app, that its Client authentication is \"Public key / Private key\", " +
			"and that the public half of the configured key is registered on the app (General > Client Credentials > Public keys) and active" +
			" (if the app has several keys, set `key_id` to the KID Okta shows for it); also check the collector host's clock, assertions are valid 5 minutes"
	case "invalid_scope":
		e.hint = fmt.Sprintf("grant %s on the app's Okta API Scopes tab in the Okta admin console, or change `scopes`", strings.Join(a.scopes, ", "))
	case "invalid_dpop_proof":
		if a.dpop == nil {
			e.hint = "the app requires DPoP: set `dpop: true`, or clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"
		} else {
			e.hint = "set `dpop` to match the app's \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" setting in the Okta admin console (`dpop: false` if it is clear); " +
				"if it is set, check the collector host's clock, DPoP proofs are valid 5 minutes"
		}
	case "unauthorized_client", "unsupported_grant_type", "invalid_grant":
		e.hint = "enable the Client Credentials grant type on the app in the Okta admin console (General > General Settings > Grant type); only API Services apps can use it"
	case "access_denied":
		e.hint = "Okta refused the app: check in the Okta admin console that the app is active and allowed the requested scopes"
	case "invalid_request":
		e.hint = "check `client_id` and `scopes`"
	case "use_dpop_nonce":
		e.permanent = false
		e.hint = "the DPoP nonce exchange with the token endpoint did not settle (a proxy may drop the DPoP-Nonce header): retrying"
	case "temporarily_unavailable", "server_error":
		e.permanent = false
		e.hint = "a failure on Okta's side: retrying"
	default:
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			e.permanent = false
			e.hint = "a failure on Okta's side or a proxy's: retrying"
		} else {
			e.hint = "check the app in the Okta admin console (active, Client Credentials grant, its public key) and `client_id` and `scopes`"
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.permanent = false
		e.hint = "the token endpoint's rate limit is spent: retrying later"
		e.RetryAfter = rateLimitWait(resp.Header, a.now())
	}
	return e
}

// rateLimitWait is how long a 429 of the token endpoint asks to wait, read as the System Log API's are:
// on Okta's clock, Retry-After honoured, at most okta.MaxRateLimitWait (a reset that makes no sense for a
// one-minute window counts as one window).
func rateLimitWait(h http.Header, now time.Time) time.Duration {
	return okta.ParseRateLimit(h).UntilReset(now)
}

// redact makes server text fit for an error or a log line: the secrets (and any part of them) redacted,
// control characters dropped, cut to limit bytes.
func redact(s string, limit int, secrets []string) string { return okta.Redact(s, limit, secrets) }
