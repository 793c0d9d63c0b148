package problem

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

func TestOf(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	window := okta.RateLimit{Known: true, Limit: 100, Date: now, Reset: now.Add(20 * time.Second)}
	tests := []struct {
		name      string
		err       error
		kind      Kind
		typ       string
		permanent bool
		token     bool
		wait      time.Duration
		text, fix string
	}{
		{name: "401", err: &okta.APIError{StatusCode: 401, Code: "E0000011", Summary: "Invalid token provided", RequestID: "req1"},
			kind: Credential, typ: "http_401", permanent: true, text: "HTTP 401 E0000011: Invalid token provided [X-Okta-Request-Id req1]"},
		{name: "403", err: &okta.APIError{StatusCode: 403, Code: "E0000006"}, kind: LogAccess, typ: "http_403", permanent: true, text: "HTTP 403 E0000006"},
		{name: "a 403 for the credential's network zone refuses the credential", err: &okta.APIError{StatusCode: 403, Code: "E0000006", Summary: "The request is outside the allowed network zone"},
			kind: Credential, typ: "http_403", permanent: true, text: "HTTP 403 E0000006: The request is outside the allowed network zone"},
		{name: "a 401 that is not Okta's is still refused", err: &okta.APIError{StatusCode: 401, NotOkta: true, Summary: "answered with text/html"},
			kind: Credential, typ: "not_okta", permanent: true, text: "HTTP 401: answered with text/html"},
		{name: "429 waits for the org's window", err: &okta.APIError{StatusCode: 429, Code: "E0000047", RateLimit: window},
			kind: RateLimited, typ: "http_429", wait: 21 * time.Second, text: "HTTP 429 E0000047", fix: "the org's rate limit is spent: waiting for the window to reset"},
		{name: "503", err: &okta.APIError{StatusCode: 503, Code: "E0000009"}, kind: Answer, typ: "http_503", text: "HTTP 503 E0000009", fix: "a failure on Okta's side or a proxy's: retrying"},
		{name: "400", err: &okta.APIError{StatusCode: 400, Code: "E0000053"}, kind: Answer, typ: "http_400", text: "HTTP 400 E0000053", fix: "Okta rejected the query: check `filter` and `query`"},
		{name: "token endpoint 429", err: &oauth.TokenError{Status: 429, RetryAfter: time.Hour}, kind: RateLimited, typ: "oauth_429", token: true,
			wait: okta.MaxRateLimitWait, text: "the token endpoint answered HTTP 429"},
		{name: "token endpoint unreachable", err: &oauth.TokenError{Err: context.DeadlineExceeded}, kind: Unreachable, typ: "oauth_0", token: true,
			text: "OAuth token request failed: context deadline exceeded"},
		{name: "an OAuth error", err: &oauth.TokenError{Status: 400, Code: "use_dpop_nonce", RequestID: "r"}, kind: Credential, typ: "oauth_400", token: true,
			text: "the token endpoint answered HTTP 400 use_dpop_nonce [X-Okta-Request-Id r]"},
		{name: "token endpoint 503", err: &oauth.TokenError{Status: 503, Code: "temporarily_unavailable"}, kind: Answer, typ: "oauth_503", token: true,
			text: "the token endpoint answered HTTP 503 temporarily_unavailable"},
		{name: "foreign link", err: &okta.ForeignLinkError{Link: "https://evil.example.com/", Org: "example.okta.com"}, kind: Answer, typ: "foreign_link",
			text: "refused a next link to https://evil.example.com/: it leaves the org example.okta.com, and the credential is only ever sent to the org's System Log API",
			fix:  "fetching the page again from the checkpoint; if this persists, a proxy between the collector and Okta rewrites Okta's Link header: check `proxy_url`"},
		{name: "not a page", err: &okta.PageError{Err: errors.New("not an array"), Host: "example.okta.com", Head: "{", RequestID: "r2"}, kind: Answer, typ: "not_a_page",
			text: `Okta answered 200 with something that is not a System Log page (it begins "{"): not an array [X-Okta-Request-Id r2]`,
			fix:  "a proxy or gateway between the collector and Okta rewrote it? check `endpoint` and `proxy_url`; retrying"},
		{name: "more events than Okta sends", err: &okta.PageError{Err: &mapping.TooManyEventsError{Limit: 1000}, Host: "example.okta.com", Head: "["}, kind: Answer, typ: "too_many_events", permanent: true,
			text: `Okta answered 200 with something that is not a System Log page (it begins "["): okta log page holds more than 1000 events (the first beyond them at byte offset 0), more than Okta ever sends in one page`},
		{name: "a header longer than Okta sends", err: &okta.HeaderTooLongError{Header: "DPoP-Nonce", Length: 1 << 20, Lines: 1, Limit: 4096, Host: "example.okta.com"},
			kind: Answer, typ: "header_too_long",
			text: "a DPoP-Nonce header of 1048576 bytes, longer than the 4096 bytes the receiver reads of it (Okta's are far shorter)",
			fix:  "retrying; if this persists, something between the collector and Okta answers in Okta's place or rewrites its headers: check `endpoint` and `proxy_url`"},
		{name: "a header longer than Okta sends, at the token endpoint", err: &oauth.TokenError{Err: &okta.HeaderTooLongError{Header: "WWW-Authenticate", Length: 5000, Lines: 1, Limit: 4096}},
			kind: Answer, typ: "header_too_long", token: true,
			text: "a WWW-Authenticate header of 5000 bytes, longer than the 4096 bytes the receiver reads of it (Okta's are far shorter)",
			fix:  "retrying; if this persists, something between the collector and Okta answers in Okta's place or rewrites its headers: check `endpoint` and `proxy_url`"},
		{name: "body too large", err: &okta.BodyTooLargeError{Limit: 1 << 20, Host: "example.okta.com"}, kind: Answer, typ: "body_too_large", permanent: true,
			text: "the answer from example.okta.com is larger than 1048576 bytes (`max_response_body_size`): refused to read it whole",
			fix:  "raise `max_response_body_size` (now 1048576) or lower `page_size`"},
		{name: "transport, wrapped", err: fmt.Errorf("fetching: %w", &okta.TransportError{Err: context.DeadlineExceeded, Host: "example.okta.com"}), kind: Unreachable, typ: "transport",
			text: "request to example.okta.com failed: context deadline exceeded",
			fix:  "retrying (if this persists, check `endpoint`, `proxy_url`, the network and the TLS settings)"},
		{name: "a credential that cannot be used", err: &okta.CredentialError{Key: "api_token_file", Problem: "is empty", Fix: "write the token into it"},
			kind: Credential, typ: "credential", permanent: true, text: "`api_token_file` is empty", fix: "write the token into it"},
		{name: "an error of no known type", err: errors.New("boom"), kind: Unknown, typ: "other", text: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Of(tt.err)
			assert.Equal(t, tt.kind, p.Kind)
			assert.Equal(t, tt.typ, p.Type)
			assert.Equal(t, tt.permanent, p.Permanent)
			assert.Equal(t, tt.token, p.TokenEndpoint)
			assert.Equal(t, tt.wait, p.Wait(now))
			assert.Equal(t, tt.text, p.Text)
			assert.Equal(t, strings.Contains(tt.name, "network zone"), p.NetworkZone)
			if tt.fix != "" {
				assert.Equal(t, tt.fix, p.Fix)
			}
			if p.Fix != "" {
				assert.NotContains(t, p.Text, p.Fix, "the problem is said without its fix")
				assert.Contains(t, tt.err.Error(), p.Fix, "the error's own text still carries the fix")
			}
			if tt.kind == Unreachable || tt.kind == Unknown {
				assert.Error(t, p.Network, "an unreachable org keeps the transport's error for the network checks")
			}
		})
	}
}

// The problem is the error's text without its fix: what the error says, minus "; <fix>" (and, for Okta's
// own errors, the "Okta answered" that the check's line says in its own words).
func TestTextIsTheErrorWithoutTheFix(t *testing.T) {
	for _, err := range []error{
		&okta.APIError{StatusCode: 400, Code: "E0000053", Summary: "bad filter", Causes: []string{"a", "b"}, RequestID: "r"},
		&okta.PageError{Err: errors.New("cut"), Host: "h", Truncated: true, RequestID: "r"},
		&okta.BodyTooLargeError{Limit: 2 << 20, Host: "h", RequestID: "r"},
		&okta.TransportError{Err: errors.New("reset"), Host: "h", RequestID: "r"},
	} {
		p := Of(err)
		whole := strings.TrimPrefix(strings.Replace(err.Error(), "; "+p.Fix, "", 1), "Okta answered ")
		assert.Equal(t, whole, p.Text, "%T", err)
	}
}
