package oauth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// TokenError is a failure to get an access token from the org authorization server. Authorize returns
// it (through okta.Client.Fetch) so that the receiver can tell a configuration problem from an outage.
type TokenError struct {
	// Status is the HTTP status of the answer; 0 when there was none (DNS, TLS, reset, timeout).
	Status int
	// Code and Description are the OAuth `error` and `error_description`, when the answer was OAuth JSON.
	Code        string
	Description string
	// Hint is what to change in Okta's admin console or in the configuration, or what happens next.
	Hint string
	// Permanent is true when only a change of configuration (here or in Okta) can fix the failure. It is
	// false for 5xx, 429, network failures and the like, which a later attempt may get past.
	Permanent bool
	// RetryAfter is how long Okta asked to wait (a 429 with X-Rate-Limit-Reset); 0 when it did not say.
	RetryAfter time.Duration
	// RequestID is Okta's X-Okta-Request-Id, for Okta support.
	RequestID string
	// Err is the transport error, when there was no answer.
	Err error
}

func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString("OAuth token request failed: ")
	switch {
	case e.Err != nil:
		fmt.Fprintf(&b, "%v", e.Err)
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
	if e.Hint != "" {
		fmt.Fprintf(&b, "; %s", e.Hint)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [X-Okta-Request-Id %s]", e.RequestID)
	}
	return b.String()
}

func (e *TokenError) Unwrap() error { return e.Err }

// oauthErrorBody is RFC 6749's error answer.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// newTokenError turns a token endpoint's failed answer into a TokenError with a hint. secrets are
// redacted from whatever the server echoed.
func (a *Authorizer) newTokenError(resp *http.Response, body []byte, secrets ...string) *TokenError {
	e := &TokenError{Status: resp.StatusCode, RequestID: resp.Header.Get("X-Okta-Request-Id")}
	var ob oauthErrorBody
	if json.Unmarshal(body, &ob) != nil || ob.Error == "" {
		e.Description = fmt.Sprintf("answered %s with %s, not an OAuth JSON answer", resp.Status, contentKind(resp))
		switch {
		case resp.StatusCode >= 500:
			e.Hint = "a failure on Okta's side or a proxy's: retrying"
		case resp.StatusCode == http.StatusTooManyRequests:
			e.Hint = "the token endpoint's rate limit is spent: retrying later"
			e.RetryAfter = a.retryAfter(resp)
		default:
			e.Permanent = true
			e.Hint = "this is not Okta's token endpoint: check `endpoint` (your org's domain, e.g. example.okta.com, not a custom authorization server or a proxy's login page)"
		}
		return e
	}
	e.Code, e.Description = clean(ob.Error, secrets), clean(ob.Description, secrets)
	e.Permanent = true
	switch ob.Error {
	case "invalid_client":
		e.Hint = "check in the Okta admin console that `client_id` is the Client ID of this API Services app, that its Client authentication is \"Public key / Private key\", " +
			"and that the public half of the configured key is registered on the app (General > Client Credentials > Public keys) and active" +
			" (if the app has several keys, set `key_id` to the KID Okta shows for it); also check the collector host's clock, assertions are valid 5 minutes"
	case "invalid_scope":
		e.Hint = fmt.Sprintf("grant %s on the app's Okta API Scopes tab in the Okta admin console, or change `scopes`", strings.Join(a.scopes, ", "))
	case "invalid_dpop_proof":
		if a.dpop == nil {
			e.Hint = "the app requires DPoP: set `dpop: true`, or clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"
		} else {
			e.Hint = "set `dpop` to match the app's \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" setting in the Okta admin console (`dpop: false` if it is clear); " +
				"if it is set, check the collector host's clock, DPoP proofs are valid 5 minutes"
		}
	case "unauthorized_client", "unsupported_grant_type", "invalid_grant":
		e.Hint = "enable the Client Credentials grant type on the app in the Okta admin console (General > General Settings > Grant type); only API Services apps can use it"
	case "access_denied":
		e.Hint = "Okta refused the app: check in the Okta admin console that the app is active and allowed the requested scopes"
	case "invalid_request":
		e.Hint = "check `client_id` and `scopes`"
	case "use_dpop_nonce":
		e.Permanent = false
		e.Hint = "the DPoP nonce exchange with the token endpoint did not settle (a proxy may drop the DPoP-Nonce header): retrying"
	case "temporarily_unavailable", "server_error":
		e.Permanent = false
		e.Hint = "a failure on Okta's side: retrying"
	default:
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			e.Permanent = false
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.Permanent = false
		e.Hint = "the token endpoint's rate limit is spent: retrying later"
		e.RetryAfter = a.retryAfter(resp)
	}
	return e
}

// retryAfter reads Okta's X-Rate-Limit-Reset (epoch seconds).
func (a *Authorizer) retryAfter(resp *http.Response) time.Duration {
	reset, err := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		return 0
	}
	return max(0, time.Unix(reset, 0).Sub(a.now()))
}

// clean bounds a server-supplied string, drops control characters, and redacts any secret it echoes.
func clean(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

func contentKind(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return ct
	}
	return "a body of unknown type"
}
