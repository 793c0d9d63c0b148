package oauth

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// Every key format keeps working across several token lifetimes, with and without DPoP: the token is
// renewed before it expires (never a 401 from the API), at 80% of its hour, and every client assertion
// is well formed and signed by the configured key.
func TestKeyFormatsAcrossSeveralExpiries(t *testing.T) {
	for _, kf := range keyFormats() {
		for _, dpop := range []bool{false, true} {
			name := kf.name + "/bearer"
			if dpop {
				name = kf.name + "/dpop"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, KeyID: kf.kidOnSim, RequireDPoP: dpop}, kf.config(t, dpop))

				// 6 hours of polls every 10 minutes; tokens last 1 h and are renewed after 48 min; the
				// simulator's DPoP nonces last 1 h.
				const polls = 36
				var tokenTimes []time.Time
				var nonceIssued time.Time
				wantChallenges := 0
				for i := range polls {
					now := f.clock.Now()
					if len(tokenTimes) == 0 || now.Sub(tokenTimes[len(tokenTimes)-1]) >= 48*time.Minute {
						tokenTimes = append(tokenTimes, now)
						if dpop && (wantChallenges == 0 || now.Sub(nonceIssued) >= time.Hour) {
							wantChallenges++
							nonceIssued = now
						}
					}
					if err := f.fetch(t); err != nil {
						t.Fatalf("poll %d at +%s: %v", i, now.Sub(t0), err)
					}
					f.clock.Advance(10 * time.Minute)
				}

				st := f.sim.OAuthStats()
				if st.TokensIssued != len(tokenTimes) {
					t.Errorf("%d tokens issued, want %d (renewed at 80%% of the hour)", st.TokensIssued, len(tokenTimes))
				}
				if st.APIAccepted != polls || f.sim.Stats().Responses[http.StatusUnauthorized] != 0 {
					t.Errorf("API accepted %d of %d polls, %d answers 401; rejections %v", st.APIAccepted, polls,
						f.sim.Stats().Responses[http.StatusUnauthorized], st.APIRejected)
				}
				if len(st.AssertionsRejected) != 0 || len(st.ProofsRejected) != 0 {
					t.Errorf("assertions rejected %v, proofs rejected %v", st.AssertionsRejected, st.ProofsRejected)
				}
				if st.NonceChallenges != wantChallenges || len(st.TokenErrors) != min(wantChallenges, 1) {
					t.Errorf("%d nonce challenges, want %d; token errors %v", st.NonceChallenges, wantChallenges, st.TokenErrors)
				}

				// Every token request: the form, and an assertion signed by the key with the right claims.
				jtis := map[string]bool{}
				tokenReqs := f.rec.requests(TokenPath)
				if len(tokenReqs) != len(tokenTimes)+wantChallenges {
					t.Fatalf("%d token requests, want %d", len(tokenReqs), len(tokenTimes)+wantChallenges)
				}
				for i, r := range tokenReqs {
					if r.form.Get("grant_type") != "client_credentials" || r.form.Get("scope") != "okta.logs.read" ||
						r.form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
						t.Errorf("token request %d form %v", i, r.form)
					}
					c := checkAssertion(t, r.form.Get("client_assertion"), kf, f.srv.URL+TokenPath)
					if jtis[c.ID] {
						t.Errorf("assertion jti %q reused", c.ID)
					}
					jtis[c.ID] = true
					if (r.header.Get("DPoP") != "") != dpop {
						t.Errorf("token request %d: DPoP header %q with dpop=%v", i, r.header.Get("DPoP"), dpop)
					}
				}
				for _, r := range f.rec.requests(okta.LogsPath) {
					scheme, _, _ := strings.Cut(r.header.Get("Authorization"), " ")
					if want := map[bool]string{false: "Bearer", true: "DPoP"}[dpop]; scheme != want || (r.header.Get("DPoP") != "") != dpop {
						t.Fatalf("API request with Authorization scheme %q, DPoP %v; want %s", scheme, r.header.Get("DPoP") != "", want)
					}
				}
				assertNoSecrets(t, "logs", logText(f.logs), append(f.rec.secrets(), keySecrets(kf.key)...)...)
			})
		}
	}
}

// checkAssertion verifies a client assertion with the format's public key and checks its header and claims.
func checkAssertion(t *testing.T, assertion string, kf keyFormat, aud string) jwt.Claims {
	t.Helper()
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{kf.alg})
	if err != nil {
		t.Fatalf("assertion: %v", err)
	}
	h := tok.Headers[0]
	if h.KeyID != kf.wantKID || h.ExtraHeaders[jose.HeaderType] != "JWT" || h.JSONWebKey != nil {
		t.Errorf("assertion header kid %q (want %q), typ %v, jwk %v", h.KeyID, kf.wantKID, h.ExtraHeaders[jose.HeaderType], h.JSONWebKey)
	}
	var c jwt.Claims
	if err := tok.Claims(kf.pub, &c); err != nil {
		t.Fatalf("assertion signature: %v", err)
	}
	if c.Issuer != clientID || c.Subject != clientID || len(c.Audience) != 1 || c.Audience[0] != aud || c.ID == "" {
		t.Errorf("assertion claims %+v", c)
	}
	if c.IssuedAt == nil || c.Expiry == nil || c.Expiry.Time().Sub(c.IssuedAt.Time()) != 5*time.Minute {
		t.Errorf("assertion iat %v exp %v: want exp = iat + 5m", c.IssuedAt, c.Expiry)
	}
	return c
}

// proof is a parsed, verified DPoP proof.
type proof struct {
	jkt    string
	claims dpopClaims
}

func checkProof(t *testing.T, s string) proof {
	t.Helper()
	tok, err := jwt.ParseSigned(s, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("DPoP proof: %v", err)
	}
	h := tok.Headers[0]
	if h.ExtraHeaders[jose.HeaderType] != "dpop+jwt" || h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() || h.KeyID != "" {
		t.Fatalf("DPoP proof header: typ %v jwk %v kid %q", h.ExtraHeaders[jose.HeaderType], h.JSONWebKey, h.KeyID)
	}
	var p proof
	if err := tok.Claims(h.JSONWebKey, &p.claims); err != nil {
		t.Fatalf("DPoP proof signature: %v", err)
	}
	tp := must(h.JSONWebKey.Thumbprint(crypto.SHA256))
	p.jkt = base64.RawURLEncoding.EncodeToString(tp)
	return p
}

func TestDPoPProofs(t *testing.T) {
	kf := keyFormats()[5] // EC P-256 PKCS#8: the same curve as the DPoP key, so a mix-up would show
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, RequireDPoP: true}, kf.config(t, true))
	for range 3 {
		if err := f.fetch(t); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
	}
	clientJKT := base64.RawURLEncoding.EncodeToString(must((&jose.JSONWebKey{Key: kf.pub}).Thumbprint(crypto.SHA256)))
	jtis := map[string]bool{}
	seen := func(p proof) {
		if p.jkt != f.auth.dpop.jkt || p.jkt == clientJKT {
			t.Errorf("proof key %s: want the DPoP key %s, never the client key %s", p.jkt, f.auth.dpop.jkt, clientJKT)
		}
		if p.claims.JTI == "" || jtis[p.claims.JTI] {
			t.Errorf("proof jti %q empty or reused", p.claims.JTI)
		}
		jtis[p.claims.JTI] = true
	}

	tokenReqs := f.rec.requests(TokenPath)
	if len(tokenReqs) != 2 {
		t.Fatalf("%d token requests, want 2 (the nonce challenge and the retry)", len(tokenReqs))
	}
	for i, r := range tokenReqs {
		p := checkProof(t, r.header.Get("DPoP"))
		seen(p)
		if p.claims.HTM != "POST" || p.claims.HTU != f.srv.URL+TokenPath || p.claims.ATH != "" || p.claims.IAT != t0.Unix() {
			t.Errorf("token proof %d claims %+v", i, p.claims)
		}
		if (p.claims.Nonce != "") != (i == 1) {
			t.Errorf("token proof %d nonce %q: want none first, the server's on the retry", i, p.claims.Nonce)
		}
	}
	if tokenReqs[0].form.Get("client_assertion") == tokenReqs[1].form.Get("client_assertion") {
		t.Error("the retry after the nonce challenge reused the client assertion")
	}

	apiReqs := f.rec.requests(okta.LogsPath)
	if len(apiReqs) != 3 {
		t.Fatalf("%d API requests", len(apiReqs))
	}
	for i, r := range apiReqs {
		if r.url.RawQuery == "" {
			t.Fatal("the API request had no query: htu would prove nothing")
		}
		scheme, token, _ := strings.Cut(r.header.Get("Authorization"), " ")
		p := checkProof(t, r.header.Get("DPoP"))
		seen(p)
		sum := sha256.Sum256([]byte(token))
		if scheme != "DPoP" || p.claims.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) {
			t.Errorf("API request %d: scheme %q, ath %q does not hash the token", i, scheme, p.claims.ATH)
		}
		if p.claims.HTM != "GET" || p.claims.HTU != f.srv.URL+okta.LogsPath || p.claims.Nonce != "" ||
			p.claims.IAT != t0.Add(time.Duration(i)*time.Minute).Unix() {
			t.Errorf("API proof %d claims %+v (want htu %s without query)", i, p.claims, f.srv.URL+okta.LogsPath)
		}
	}
}

func TestHTUAndATH(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.okta.com/api/v1/logs?since=2026-01-01T00%3A00%3A00Z&limit=10", "https://example.okta.com/api/v1/logs"},
		{"https://Example.OKTA.com:8443/api/v1/logs#frag", "https://example.okta.com:8443/api/v1/logs"},
		{"HTTP://127.0.0.1:9/oauth2/v1/token?", "http://127.0.0.1:9/oauth2/v1/token"},
		{"https://example.okta.com/a%2Fb?x=1", "https://example.okta.com/a%2Fb"},
	}
	for _, tc := range tests {
		if got := htu(must(url.Parse(tc.in))); got != tc.want {
			t.Errorf("htu(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	// RFC 9449 section 7.1's example: ath of access token "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU".
	if got := ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"); got != "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo" {
		t.Errorf("ath = %s", got)
	}
}

// A resource-server nonce challenge keeps the token and retries once with the nonce; a stale nonce is
// challenged again, still without a new token.
func TestNonceAtResourceServer(t *testing.T) {
	kf := keyFormats()[3]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, RequireDPoP: true, RequireAPINonce: true}, kf.config(t, true))
	check := func(step string, tokens, challenges, unauthorized int) {
		t.Helper()
		st := f.sim.OAuthStats()
		if st.TokensIssued != tokens || st.APINonceChallenges != challenges || f.sim.Stats().Responses[http.StatusUnauthorized] != unauthorized {
			t.Errorf("%s: %d tokens, %d API nonce challenges, %d 401s; want %d, %d, %d", step, st.TokensIssued,
				st.APINonceChallenges, f.sim.Stats().Responses[http.StatusUnauthorized], tokens, challenges, unauthorized)
		}
	}
	if err := f.fetch(t); err != nil {
		t.Fatal(err)
	}
	check("first poll", 1, 1, 1)
	api := f.rec.requests(okta.LogsPath)
	if n0, n1 := checkProof(t, api[0].header.Get("DPoP")).claims.Nonce, checkProof(t, api[1].header.Get("DPoP")).claims.Nonce; n0 != "" || n1 == "" {
		t.Errorf("API proof nonces %q then %q: want none, then the server's", n0, n1)
	}
	f.clock.Advance(time.Minute)
	if err := f.fetch(t); err != nil {
		t.Fatal(err)
	}
	check("second poll", 1, 1, 1)

	f.clock.Advance(70 * time.Minute) // the token is renewed, the API nonce is stale
	if err := f.fetch(t); err != nil {
		t.Fatal(err)
	}
	check("after an hour", 2, 2, 2)
	if st := f.sim.OAuthStats(); len(st.APIRejected) != 1 || st.APIRejected["nonce"] != 2 {
		t.Errorf("API rejections %v: want only the 2 nonce challenges", st.APIRejected)
	}
}

// A 401 from the API gets one retry with a new token; an API that keeps refusing gets no loop.
func TestRejectedThroughClient(t *testing.T) {
	kf := keyFormats()[0]
	for _, dpop := range []bool{false, true} {
		f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, RequireDPoP: dpop}, kf.config(t, dpop))
		if err := f.fetch(t); err != nil {
			t.Fatal(err)
		}
		f.sim.ForceNext(1, oktasim.Fault401)
		if err := f.fetch(t); err != nil {
			t.Fatalf("dpop=%v: one 401 then a new token: %v", dpop, err)
		}
		if st := f.sim.OAuthStats(); st.TokensIssued != 2 {
			t.Errorf("dpop=%v: %d tokens issued, want 2", dpop, st.TokensIssued)
		}
		api := f.rec.requests(okta.LogsPath)
		if a, b := api[1].header.Get("Authorization"), api[2].header.Get("Authorization"); a == b {
			t.Errorf("dpop=%v: the retry after the 401 used the same token", dpop)
		}

		f.sim.ForceNext(10, oktasim.Fault401)
		before := len(f.rec.requests(okta.LogsPath))
		err := f.fetch(t)
		var apiErr *okta.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
			t.Fatalf("dpop=%v: API refusing everything: %v", dpop, err)
		}
		if n := len(f.rec.requests(okta.LogsPath)) - before; n != 2 {
			t.Errorf("dpop=%v: %d API requests for one poll, want 2", dpop, n)
		}
		if st := f.sim.OAuthStats(); st.TokensIssued != 3 {
			t.Errorf("dpop=%v: %d tokens issued, want 3", dpop, st.TokensIssued)
		}
	}
}

// Rejected's contract, step by step: true once per failing token, false for a just-fetched
// replacement that fails on its first use, true again for a replacement that had worked.
func TestRejectedContract(t *testing.T) {
	kf := keyFormats()[3]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub}, kf.config(t, false))
	issued := func() int { return f.sim.OAuthStats().TokensIssued }
	authorize := func() *http.Request {
		t.Helper()
		req := must(http.NewRequest(http.MethodGet, f.srv.URL+okta.LogsPath+"?limit=1", nil))
		if err := f.auth.Authorize(req); err != nil {
			t.Fatal(err)
		}
		return req
	}
	unauthorized := func(req *http.Request, h http.Header) *http.Response {
		if h == nil {
			h = http.Header{}
		}
		return &http.Response{StatusCode: http.StatusUnauthorized, Header: h, Request: req}
	}

	r1 := authorize()
	if f.auth.Rejected(&http.Response{StatusCode: http.StatusForbidden, Header: http.Header{}, Request: r1}) {
		t.Error("Rejected(403) = true")
	}
	if !f.auth.Rejected(unauthorized(r1, nil)) {
		t.Fatal("first 401: Rejected = false, want one retry")
	}
	r2 := authorize()
	if issued() != 2 || r2.Header.Get("Authorization") == r1.Header.Get("Authorization") {
		t.Fatalf("no new token after a 401 (%d issued)", issued())
	}
	if f.auth.Rejected(unauthorized(r2, nil)) {
		t.Fatal("401 for the just-fetched replacement: Rejected = true, would loop")
	}
	r3 := authorize() // the next poll starts over with a new token
	if issued() != 3 {
		t.Fatalf("%d tokens issued, want 3", issued())
	}
	// A late 401 for an old token does not drop the current one.
	if !f.auth.Rejected(unauthorized(r1, nil)) {
		t.Error("401 for an old token: Rejected = false, want true (the current token is newer)")
	}
	if r := authorize(); issued() != 3 || r.Header.Get("Authorization") != r3.Header.Get("Authorization") {
		t.Error("a 401 for an old token dropped the current one")
	}
	authorize()
	if !f.auth.Rejected(unauthorized(r3, nil)) {
		t.Error("401 for a token that had worked: Rejected = false")
	}
	r5 := authorize()
	authorize()
	authorize()
	if !f.auth.Rejected(unauthorized(r5, nil)) {
		t.Error("401 for a replacement token after it had been used: Rejected = false")
	}
	if issued() != 4 {
		t.Errorf("%d tokens issued, want 4", issued())
	}
	// Without DPoP a DPoP-Nonce is meaningless: a 401 still drops the token.
	r6 := authorize()
	h := http.Header{"Www-Authenticate": {`DPoP error="use_dpop_nonce"`}, "Dpop-Nonce": {"n1"}}
	f.auth.Rejected(unauthorized(r6, h))
	authorize()
	if issued() != 6 {
		t.Errorf("%d tokens issued, want 6", issued())
	}
}

func TestRejectedNonceContract(t *testing.T) {
	kf := keyFormats()[3]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, RequireDPoP: true}, kf.config(t, true))
	req := must(http.NewRequest(http.MethodGet, f.srv.URL+okta.LogsPath, nil))
	if err := f.auth.Authorize(req); err != nil {
		t.Fatal(err)
	}
	challenge := func(r *http.Request, nonce string) *http.Response {
		return &http.Response{StatusCode: http.StatusUnauthorized, Request: r, Header: http.Header{
			"Www-Authenticate": {`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`},
			"Dpop-Nonce":       {nonce}}}
	}
	if !f.auth.Rejected(challenge(req, "nonce-1")) {
		t.Fatal("nonce challenge: Rejected = false")
	}
	req2 := must(http.NewRequest(http.MethodGet, f.srv.URL+okta.LogsPath, nil))
	if err := f.auth.Authorize(req2); err != nil {
		t.Fatal(err)
	}
	if got := checkProof(t, req2.Header.Get("DPoP")).claims.Nonce; got != "nonce-1" {
		t.Errorf("proof after the challenge carries nonce %q", got)
	}
	if req2.Header.Get("Authorization") != req.Header.Get("Authorization") || f.sim.OAuthStats().TokensIssued != 1 {
		t.Error("a nonce challenge dropped the token")
	}
	if f.auth.Rejected(challenge(req2, "nonce-1")) {
		t.Error("the same nonce challenged again: Rejected = true, would loop")
	}
}

// Concurrent requests share one token fetch.
func TestConcurrentAuthorize(t *testing.T) {
	kf := keyFormats()[3]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, RequireDPoP: true}, kf.config(t, true))
	var wg sync.WaitGroup
	auths := make([]string, 16)
	for i := range auths {
		wg.Go(func() {
			req := must(http.NewRequest(http.MethodGet, f.srv.URL+okta.LogsPath, nil))
			if err := f.auth.Authorize(req); err != nil {
				t.Error(err)
			}
			auths[i] = req.Header.Get("Authorization")
		})
	}
	wg.Wait()
	if n := f.sim.OAuthStats().TokensIssued; n != 1 {
		t.Errorf("%d tokens issued for concurrent requests, want 1", n)
	}
	for _, a := range auths {
		if a != auths[0] {
			t.Fatal("concurrent requests got different tokens")
		}
	}
}

func TestAuthorizeRefusesAllButTheSystemLog(t *testing.T) {
	kf := keyFormats()[3]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub}, kf.config(t, false))
	for _, u := range []string{"https://evil.example.com/api/v1/logs", "https://" + f.org.Host + "/api/v1/logs", strings.Replace(f.srv.URL, "127.0.0.1", "localhost", 1) + "/api/v1/logs",
		f.srv.URL + "/api/v1/users?limit=200", f.srv.URL + "/api/v1/logs/../users"} {
		req := must(http.NewRequest(http.MethodGet, u, nil))
		if err := f.auth.Authorize(req); err == nil || req.Header.Get("Authorization") != "" {
			t.Errorf("Authorize(%s) = %v, Authorization %q", u, err, req.Header.Get("Authorization"))
		}
	}
	if n := f.sim.OAuthStats().TokenRequests; n != 0 {
		t.Errorf("%d token requests for foreign URLs", n)
	}
}

func TestRenewAfter(t *testing.T) {
	tests := []struct{ lifetime, want time.Duration }{
		{time.Hour, 48 * time.Minute},
		{10 * time.Minute, 8 * time.Minute},
		{5 * time.Minute, 4 * time.Minute},
		{3 * time.Minute, 2 * time.Minute},
		{time.Minute, 30 * time.Second},
		{24 * time.Hour, 24 * time.Hour * 8 / 10},
	}
	for _, tc := range tests {
		if got := renewAfter(tc.lifetime); got != tc.want {
			t.Errorf("renewAfter(%s) = %s, want %s", tc.lifetime, got, tc.want)
		}
	}
}

// Short token lifetimes are renewed in time too.
func TestShortTokenLifetime(t *testing.T) {
	kf := keyFormats()[6]
	f := newFixture(t, oktasim.OAuthApp{ClientID: clientID, PublicKey: kf.pub, TokenTTL: 2 * time.Minute}, kf.config(t, false))
	for range 20 {
		if err := f.fetch(t); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(30 * time.Second)
	}
	// Renewed after 1m of each 2m: every second poll.
	if st := f.sim.OAuthStats(); st.TokensIssued != 10 || f.sim.Stats().Responses[http.StatusUnauthorized] != 0 {
		t.Errorf("%d tokens, %d 401s; want 10, 0", st.TokensIssued, f.sim.Stats().Responses[http.StatusUnauthorized])
	}
}

func TestTokenAnswerWithoutExpiresIn(t *testing.T) {
	var calls int
	org := tokenServer(t, func(w http.ResponseWriter, _ *http.Request) {
		calls++
		writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok%d","token_type":"Bearer"}`, calls))
	})
	clock := oktasim.NewClock(t0)
	a := newAuthorizer(t, org, false, clock.Now)
	authorizeOK(t, a, org)
	clock.Advance(3 * time.Minute)
	authorizeOK(t, a, org)
	if calls != 1 {
		t.Errorf("%d token requests within 3 minutes", calls)
	}
	clock.Advance(2 * time.Minute)
	authorizeOK(t, a, org)
	if calls != 2 {
		t.Errorf("%d token requests after 5 minutes, want 2 (a token without expires_in is renewed after 4 minutes)", calls)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func authorizeOK(t *testing.T, a *Authorizer, org *url.URL) *http.Request {
	t.Helper()
	req := must(http.NewRequestWithContext(context.Background(), http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil))
	if err := a.Authorize(req); err != nil {
		t.Fatal(err)
	}
	return req
}

// tokenAnswerJSON builds a token endpoint answer.
func tokenAnswerJSON(token, typ string) string {
	b, _ := json.Marshal(tokenAnswer{AccessToken: token, TokenType: typ, ExpiresIn: json.RawMessage("3600"), Scope: "okta.logs.read"})
	return string(b)
}
