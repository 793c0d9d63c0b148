package receiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/problem"
)

func TestClassify(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	window := okta.RateLimit{Known: true, Limit: 100, Remaining: 0, Date: now, Reset: now.Add(20 * time.Second)}
	tests := []struct {
		name      string
		err       error
		following bool
		want      failure
	}{
		{"429 waits for the reset", &okta.APIError{StatusCode: 429, Code: "E0000047", RateLimit: window}, false,
			failure{kind: "http_429 429 E0000047", rateLimited: true, systemLogWindowSpent: true, wait: 21 * time.Second, rateLimit: window, msg: "Okta's rate limit for the org is spent", state: stateRateLimited}},
		{"401 is permanent", &okta.APIError{StatusCode: 401, Code: "E0000011"}, false,
			failure{kind: "http_401 401 E0000011", permanent: true, msg: "Okta request failed", state: stateCredentialRefused, errType: "http_401"}},
		{"400 on a saved next link rejects the cursor", &okta.APIError{StatusCode: 400, Code: "E0000001"}, true,
			failure{kind: "http_400 400 E0000001", rejectedCursor: true, msg: "Okta request failed", state: stateFailing, errType: "http_400"}},
		{"400 on a polling query is the query's fault", &okta.APIError{StatusCode: 400, Code: "E0000053"}, false,
			failure{kind: "http_400 400 E0000053", msg: "Okta request failed", state: stateFailing, errType: "http_400"}},
		{"5xx is recoverable", &okta.APIError{StatusCode: 503, NotOkta: true}, false,
			failure{kind: "not_okta 503 ", msg: "Okta request failed", state: stateFailing, errType: "not_okta"}},
		{"token endpoint 429", &oauth.TokenError{Status: 429, RetryAfter: time.Hour}, false,
			failure{kind: "oauth_429 429 ", rateLimited: true, wait: okta.MaxRateLimitWait, msg: "the rate limit of Okta's OAuth token endpoint is spent", state: stateRateLimited}},
		{"token endpoint refuses the app", tokenEndpointError(t, http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Invalid value for 'client_id' parameter."}`), false,
			failure{kind: "oauth_401 401 invalid_client", permanent: true, msg: "Okta request failed", state: stateCredentialRefused, errType: "oauth_401"}},
		{"foreign link", &okta.ForeignLinkError{Link: "https://evil.example.com/", Org: "example.okta.com"}, true,
			failure{kind: "foreign_link 0 ", msg: "refused a link that leaves the org's System Log", state: stateFailing, errType: "foreign_link"}},
		{"not a page", &okta.PageError{Err: errors.New("not an array"), RateLimit: window}, false,
			failure{kind: "not_a_page 0 ", rateLimit: window, msg: "Okta request failed", state: stateFailing, errType: "not_a_page"}},
		{"body too large is the configuration's to fix", &okta.BodyTooLargeError{Limit: 1 << 20, RateLimit: window}, false,
			failure{kind: "body_too_large 0 ", permanent: true, rateLimit: window, msg: "refused an answer larger than max_response_body_size", state: statePageRefused, errType: "body_too_large"}},
		{"a page of more events than Okta sends", &okta.PageError{Err: &mapping.TooManyEventsError{Limit: 1000}, RateLimit: window}, false,
			failure{kind: "too_many_events 0 ", permanent: true, rateLimit: window, msg: "refused a page with more events than Okta sends in one", state: statePageRefused, errType: "too_many_events"}},
		{"transport", fmt.Errorf("fetching: %w", &okta.TransportError{Err: context.DeadlineExceeded, RateLimit: window}), false,
			failure{kind: "transport 0 ", rateLimit: window, msg: "Okta request failed", state: stateUnreachable, errType: "transport"}},
		{"a credential that cannot be sent", &okta.CredentialError{Key: "api_token_file", Problem: "is empty"}, false,
			failure{kind: "credential 0 ", permanent: true, msg: "Okta request failed", state: stateCredentialRefused, errType: "credential"}},
		{"a 401 that is not Okta's JSON still refuses the credential", &okta.APIError{StatusCode: 401, NotOkta: true}, false,
			failure{kind: "not_okta 401 ", permanent: true, msg: "Okta request failed", state: stateCredentialRefused, errType: "not_okta"}},
		{"token endpoint unreachable", &oauth.TokenError{Err: context.DeadlineExceeded}, false,
			failure{kind: "oauth_0 0 ", msg: "Okta request failed", state: stateFailing, errType: "oauth_0"}},
		{"an error of no known type", errors.New("boom"), false,
			failure{kind: "*errors.errorString", msg: "Okta request failed", state: stateFailing, errType: "other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, now, tt.following)
			tt.want.err = tt.err
			p := problem.Of(tt.err)
			tt.want.problem, tt.want.fix = p.Text, p.Fix // the problem and its fix are problem.Of's (its own tests)
			assert.Equal(t, tt.want, got)
		})
	}
}

// tokenEndpointError is the error an OAuth service app's request gets from a token endpoint that answers
// status with body.
func tokenEndpointError(t *testing.T, status int, body string) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	org, err := url.Parse(srv.URL)
	require.NoError(t, err)
	_, pemKey := serviceAppKey(t)
	a, err := oauth.New(oauth.Config{ClientID: "0oaservice", Scopes: []string{oauth.DefaultScope}, PrivateKey: configopaque.String(pemKey)}, org, srv.Client(), zap.NewNop(), time.Now)
	require.NoError(t, err)
	err = a.Authorize(httptest.NewRequest(http.MethodGet, srv.URL+okta.LogsPath, nil))
	var te *oauth.TokenError
	require.ErrorAs(t, err, &te)
	return err
}

// The token endpoint's rate limit is its own: a 429 from it is said as such, and the System Log budget
// keeps what Okta last said of the org's window; a 429 of the System Log API ends that window.
func TestTokenEndpointRateLimitLeavesTheSystemLogBudget(t *testing.T) {
	s := newStepper(t)
	now := s.r.now()
	spent := budget{fraction: 0.5, limit: 100, remaining: 10, resetAt: now.Add(40 * time.Second)}
	s.limits = spent

	wait := s.afterFailure(classify(tokenEndpointError(t, http.StatusTooManyRequests, `{"error":"too_many_requests"}`), now, false))
	assert.Positive(t, wait)
	assert.Equal(t, spent, s.limits, "the System Log budget is not reset by the token endpoint's limit")
	assert.Positive(t, s.limits.wait(now), "the next System Log request still waits for the org's window")
	said := s.logs.FilterMessageSnippet("token endpoint").All()
	require.Len(t, said, 1)
	assert.Equal(t, "the rate limit of Okta's OAuth token endpoint is spent", said[0].Message)
	assert.Empty(t, s.logs.FilterMessageSnippet("rate limit for the org").All())

	window := okta.RateLimit{Known: true, Limit: 100, Remaining: 0, Date: now, Reset: now.Add(20 * time.Second)}
	s.afterFailure(classify(&okta.APIError{StatusCode: http.StatusTooManyRequests, RateLimit: window}, now, false))
	assert.Zero(t, s.limits.limit, "a 429 of the System Log API: the wait covers the org's window")
	assert.Len(t, s.logs.FilterMessageSnippet("Okta's rate limit for the org is spent").All(), 1)
}
