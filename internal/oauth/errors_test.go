package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// tokenServer serves h at the token path (and 404 elsewhere) and returns the org URL.
func tokenServer(t *testing.T, h http.HandlerFunc) *url.URL {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc(TokenPath, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return must(url.Parse(srv.URL))
}

func newAuthorizer(t *testing.T, org *url.URL, dpop bool, now func() time.Time) *Authorizer {
	a, _ := newAuthorizerLogs(t, org, dpop, now)
	return a
}

func newAuthorizerLogs(t *testing.T, org *url.URL, dpop bool, now func() time.Time) (*Authorizer, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	a, err := New(Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKey: configopaque.String(keyFormats()[5].key), DPoP: dpop}, org, nil, zap.New(core), now)
	if err != nil {
		t.Fatal(err)
	}
	return a, logs
}

const leakedToken = "SECRET-ACCESS-TOKEN-0123456789"

func TestTokenErrors(t *testing.T) {
	okta429 := `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oae1","errorCauses":[]}`
	tests := []struct {
		name       string
		dpop       bool
		status     int
		ctype      string
		body       string // "{assertion}" is replaced with the assertion received
		header     map[string]string
		wantCode   string
		permanent  bool
		want       []string
		retryAfter time.Duration
	}{
		{name: "invalid_client", status: 401, body: `{"error":"invalid_client","error_description":"The client_assertion signature is invalid."}`,
			wantCode: "invalid_client", permanent: true,
			want: []string{"HTTP 401 invalid_client (The client_assertion signature is invalid.)", "`client_id`", `"Public key / Private key"`, "public half of the configured key is registered", "`key_id`", "clock"}},
		{name: "invalid_scope", status: 400, body: `{"error":"invalid_scope","error_description":"The following scopes were requested, but not granted to the client: okta.logs.read."}`,
			wantCode: "invalid_scope", permanent: true, want: []string{"grant okta.logs.read on the app's Okta API Scopes tab", "`scopes`"}},
		{name: "invalid_dpop_proof, dpop off", status: 400, body: `{"error":"invalid_dpop_proof","error_description":"The DPoP proof JWT header is missing."}`,
			wantCode: "invalid_dpop_proof", permanent: true, want: []string{"the app requires DPoP: set `dpop: true`", "Require Demonstrating Proof of Possession"}},
		{name: "invalid_dpop_proof, dpop on", dpop: true, status: 400, body: `{"error":"invalid_dpop_proof","error_description":"The DPoP proof 'iat' is not within 5 minutes."}`,
			wantCode: "invalid_dpop_proof", permanent: true, want: []string{"set `dpop` to match", "`dpop: false`", "clock"}},
		{name: "unauthorized_client", status: 400, body: `{"error":"unauthorized_client","error_description":"The client is not authorized to use the provided grant type."}`,
			wantCode: "unauthorized_client", permanent: true, want: []string{"enable the Client Credentials grant type"}},
		{name: "invalid_request", status: 400, body: `{"error":"invalid_request","error_description":"x"}`,
			wantCode: "invalid_request", permanent: true, want: []string{"check `client_id` and `scopes`"}},
		{name: "use_dpop_nonce without dpop", status: 400, body: `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}`,
			header: map[string]string{"DPoP-Nonce": "n1"}, wantCode: "use_dpop_nonce", permanent: true, want: []string{"set `dpop: true`"}},
		{name: "unknown OAuth error", status: 400, body: `{"error":"weird_error","error_description":"Odd."}`,
			wantCode: "weird_error", permanent: true, want: []string{"HTTP 400 weird_error (Odd.)", "check the app in the Okta admin console"}},
		{name: "unknown OAuth error from a 5xx", status: 502, body: `{"error":"weird_error"}`, wantCode: "weird_error", want: []string{"retrying"}},
		{name: "an error code that is no text", status: 400, body: `{"error":"\u0007\ufffd"}`, permanent: true,
			want: []string{"not an OAuth JSON answer", "check `endpoint`"}},
		{name: "server_error", status: 500, body: `{"error":"server_error","error_description":"Internal."}`,
			wantCode: "server_error", want: []string{"retrying"}},
		{name: "503 HTML", status: 503, ctype: "text/html", body: "<html>Service Unavailable</html>",
			want: []string{"answered 503 Service Unavailable with text/html, not an OAuth JSON answer", "retrying"}},
		{name: "404 HTML", status: 404, ctype: "text/html", body: "<html>Not found</html>", permanent: true,
			want: []string{"not Okta's token endpoint: check `endpoint`"}},
		{name: "200 proxy page", status: 200, ctype: "text/html", body: "<html>Sign in</html>", permanent: true,
			want: []string{"no access_token", "check `endpoint`"}},
		{name: "200 JSON without access_token", status: 200, body: `{"token_type":"Bearer"}`, permanent: true,
			want: []string{"no access_token"}},
		{name: "429", status: 429, body: okta429, header: map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(t0.Add(30*time.Second).Unix(), 10), "Date": t0.Format(http.TimeFormat)},
			want: []string{"rate limit", "retrying later"}, retryAfter: 31 * time.Second},
		{name: "DPoP token without dpop", status: 200, body: tokenAnswerJSON(leakedToken, "DPoP"), permanent: true,
			want: []string{"DPoP-bound token", "the app requires DPoP: set `dpop: true`"}},
		{name: "Bearer token with dpop", dpop: true, status: 200, body: tokenAnswerJSON(leakedToken, "Bearer"), permanent: true,
			want: []string{`issued a "Bearer" token, not a DPoP-bound one`, "set `dpop: false`"}},
		{name: "unsupported token type", status: 200, body: tokenAnswerJSON(leakedToken, "mac"), permanent: true,
			want: []string{`unsupported type "mac"`}},
		{name: "description echoes the assertion", status: 401, body: `{"error":"invalid_client","error_description":"bad assertion {assertion}"}`,
			wantCode: "invalid_client", permanent: true, want: []string{"bad assertion [REDACTED]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var secrets []string
			org := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				assertion := r.PostForm.Get("client_assertion")
				mu.Lock()
				secrets = append(secrets, assertion, r.Header.Get("DPoP"))
				mu.Unlock()
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				ct := tc.ctype
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.Header().Set("X-Okta-Request-Id", "req-42")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(strings.ReplaceAll(tc.body, "{assertion}", assertion)))
			})
			a, logs := newAuthorizerLogs(t, org, tc.dpop, func() time.Time { return t0 })
			req := must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil))
			err := a.Authorize(req)
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Authorize = %v, want a *TokenError", err)
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("Authorization set despite the failure")
			}
			if te.Status != tc.status || te.Code != tc.wantCode || te.Permanent() != tc.permanent || te.RetryAfter != tc.retryAfter || te.RequestID != "req-42" {
				t.Errorf("TokenError{Status %d, Code %q, Permanent %v, RetryAfter %s, RequestID %q}; want %d, %q, %v, %s, req-42",
					te.Status, te.Code, te.Permanent(), te.RetryAfter, te.RequestID, tc.status, tc.wantCode, tc.permanent, tc.retryAfter)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if !strings.Contains(msg, "[X-Okta-Request-Id req-42]") {
				t.Errorf("error %q has no request id", msg)
			}
			mu.Lock()
			all := append(slices.Clone(secrets), leakedToken)
			mu.Unlock()
			all = append(all, keySecrets(keyFormats()[5].key)...)
			assertNoSecrets(t, "error", msg, all...)
			assertNoSecrets(t, "logs", logText(logs), all...)
		})
	}
}

// Okta's redirect is not followed with the client assertion.
func TestTokenRequestNotRedirected(t *testing.T) {
	var hits int
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer elsewhere.Close()
	org := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/collect", http.StatusTemporaryRedirect)
	})
	err := newAuthorizer(t, org, false, nil).Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
	var te *TokenError
	if !errors.As(err, &te) || te.Status != http.StatusTemporaryRedirect || !te.Permanent() || !strings.Contains(err.Error(), "check `endpoint`") {
		t.Errorf("redirect: %v", err)
	}
	if hits != 0 {
		t.Errorf("the redirect was followed with the assertion")
	}
}

// A token endpoint that never stops asking for a new nonce gets three attempts, each with the last nonce.
func TestNonceLoopDoesNotSettle(t *testing.T) {
	var mu sync.Mutex
	var proofs []string
	org := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proofs = append(proofs, r.Header.Get("DPoP"))
		w.Header().Set("DPoP-Nonce", fmt.Sprintf("nonce-%d", len(proofs)))
		mu.Unlock()
		writeJSON(w, 400, `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}`)
	})
	err := newAuthorizer(t, org, true, nil).Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "use_dpop_nonce" || te.Permanent() || !strings.Contains(err.Error(), "did not settle after 3 attempts") {
		t.Fatalf("endless nonce challenges: %v", err)
	}
	if len(proofs) != 3 {
		t.Fatalf("%d token requests, want 3", len(proofs))
	}
	for i, p := range proofs {
		want := ""
		if i > 0 {
			want = fmt.Sprintf("nonce-%d", i)
		}
		if got := checkProof(t, p).claims.Nonce; got != want {
			t.Errorf("attempt %d nonce %q, want %q", i+1, got, want)
		}
	}
}

func TestNonceChallengeWithoutNonce(t *testing.T) {
	var calls int
	org := tokenServer(t, func(w http.ResponseWriter, _ *http.Request) {
		calls++
		writeJSON(w, 400, `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}`)
	})
	err := newAuthorizer(t, org, true, nil).Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
	if err == nil || !strings.Contains(err.Error(), "without sending a DPoP-Nonce header") || calls != 1 {
		t.Errorf("%d calls: %v", calls, err)
	}
}

func TestTransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	org := must(url.Parse(srv.URL))
	srv.Close()
	err := newAuthorizer(t, org, false, nil).Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
	var te *TokenError
	var ue *url.Error
	if !errors.As(err, &te) || te.Status != 0 || te.Permanent() || !errors.As(err, &ue) || !strings.Contains(err.Error(), "retrying") {
		t.Errorf("closed server: %v", err)
	}
}

// The receiver sees the *TokenError through okta.Client.Fetch.
func TestTokenErrorThroughClient(t *testing.T) {
	org := tokenServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 401, `{"error":"invalid_client","error_description":"Client authentication failed."}`)
	})
	a := newAuthorizer(t, org, false, nil)
	c := okta.NewClient(org, &http.Client{}, a, "test", 16<<20)
	_, err := c.Fetch(context.Background(), c.PollingURL(t0, 10, "", ""), nil)
	var te *TokenError
	if !errors.As(err, &te) || !te.Permanent() || te.Code != "invalid_client" {
		t.Errorf("Fetch = %v", err)
	}
}

// Misconfigurations against the simulated org: each is refused with the error that names the fix,
// and nothing secret is in the error or the logs.
func TestSimulatorMisconfigurations(t *testing.T) {
	rsaPKCS1, ecPKCS8 := keyFormats()[0], keyFormats()[5]
	tests := []struct {
		name     string
		app      oktasim.OAuthApp
		kf       keyFormat
		cfg      func(*Config)
		wantCode string
		want     string
		reason   string // the simulator's AssertionsRejected reason
	}{
		{"another key registered", oktasim.OAuthApp{PublicKey: &rsaKey2().PublicKey}, rsaPKCS1, nil, "invalid_client", "Public key / Private key", "signature"},
		{"RSA registered, EC configured", oktasim.OAuthApp{PublicKey: &rsaKey().PublicKey}, ecPKCS8, nil, "invalid_client", "`key_id`", "alg"},
		{"wrong key_id", oktasim.OAuthApp{PublicKey: ecPKCS8.pub, KeyID: "registered-kid"}, ecPKCS8, func(c *Config) { c.KeyID = "other-kid" }, "invalid_client", "`key_id`", "kid"},
		{"wrong client_id", oktasim.OAuthApp{PublicKey: ecPKCS8.pub}, ecPKCS8, func(c *Config) { c.ClientID = "0oaOTHER" }, "invalid_client", "`client_id`", "iss"},
		{"scope not granted", oktasim.OAuthApp{PublicKey: ecPKCS8.pub}, ecPKCS8, func(c *Config) { c.Scopes = []string{"okta.logs.read", "okta.users.read"} }, "invalid_scope", "grant okta.logs.read, okta.users.read on the app's Okta API Scopes tab", ""},
		{"app requires DPoP", oktasim.OAuthApp{PublicKey: ecPKCS8.pub, RequireDPoP: true}, ecPKCS8, nil, "invalid_dpop_proof", "set `dpop: true`", ""},
		{"app does not require DPoP", oktasim.OAuthApp{PublicKey: ecPKCS8.pub}, ecPKCS8, func(c *Config) { c.DPoP = true }, "", "set `dpop: false`", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.app.ClientID = clientID
			cfg := tc.kf.config(t, false)
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			f := newFixture(t, tc.app, cfg)
			err := f.fetch(t)
			var te *TokenError
			if !errors.As(err, &te) || te.Code != tc.wantCode || !te.Permanent() || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want a permanent %q error that says %q", err, tc.wantCode, tc.want)
			}
			st := f.sim.OAuthStats()
			if tc.reason != "" && st.AssertionsRejected[tc.reason] != 1 {
				t.Errorf("simulator rejections %v, want %s", st.AssertionsRejected, tc.reason)
			}
			if st.APIAccepted != 0 || len(f.rec.requests(okta.LogsPath)) != 0 {
				t.Error("an API request was sent without a token")
			}
			secrets := append(f.rec.secrets(), keySecrets(tc.kf.key)...)
			assertNoSecrets(t, "error", err.Error(), secrets...)
			assertNoSecrets(t, "logs", logText(f.logs), secrets...)
		})
	}
}
