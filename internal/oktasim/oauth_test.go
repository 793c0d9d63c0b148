package oktasim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const testClientID = "0oa1simclient"

var (
	simRSAKey = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(rsa.GenerateKey(rand.Reader, 2048)) })
	simECKey  = sync.OnceValue(func() *ecdsa.PrivateKey { return mustKey(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)) })
)

func mustKey[K any](k K, err error) K {
	if err != nil {
		panic(err)
	}
	return k
}

func newECKey(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signJWT signs claims with key; extra headers are added, embed puts the public key in "jwk".
func signJWT(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, extra map[jose.HeaderKey]any, embed bool, claims any) string {
	t.Helper()
	opts := &jose.SignerOptions{EmbedJWK: embed, ExtraHeaders: extra}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// oauthFixture is a simulator with an OAuth app whose key is simECKey.
type oauthFixture struct {
	*fixture
	app OAuthApp
}

func newOAuthFixture(t *testing.T, app OAuthApp) *oauthFixture {
	t.Helper()
	app.ClientID = testClientID
	if app.PublicKey == nil {
		app.PublicKey = &simECKey().PublicKey
	}
	return &oauthFixture{fixture: newFixture(t, Options{OAuth: &app}), app: app}
}

func (f *oauthFixture) tokenURL() string { return f.srv.URL + TokenPath }

// claims are the default assertion claims, valid now.
func (f *oauthFixture) claims() map[string]any {
	now := f.clock.Now()
	return map[string]any{"iss": testClientID, "sub": testClientID, "aud": f.tokenURL(),
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": uniqueToken(20)}
}

func (f *oauthFixture) assertion(t *testing.T) string {
	return signJWT(t, jose.ES256, simECKey(), "", nil, false, f.claims())
}

// proofClaims are default DPoP proof claims for a request.
func (f *oauthFixture) proofClaims(method, rawURL, nonce, token string) map[string]any {
	c := map[string]any{"jti": uniqueToken(20), "htm": method, "htu": rawURL, "iat": f.clock.Now().Unix()}
	if nonce != "" {
		c["nonce"] = nonce
	}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		c["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return c
}

var dpopType = map[jose.HeaderKey]any{jose.HeaderType: "dpop+jwt"}

func proofJWT(t *testing.T, key *ecdsa.PrivateKey, claims map[string]any) string {
	return signJWT(t, jose.ES256, key, "", dpopType, true, claims)
}

// postToken sends a token request with the form and an optional DPoP proof.
func (f *oauthFixture) postToken(t *testing.T, form url.Values, proof string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.tokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func grantForm(assertion string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.logs.read"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
}

type tokenJSON struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func decodeToken(t *testing.T, r response) tokenJSON {
	t.Helper()
	var tj tokenJSON
	if err := json.Unmarshal(r.body, &tj); err != nil {
		t.Fatalf("token answer %d %s: %v", r.status, r.body, err)
	}
	return tj
}

// getLogs sends a logs request with the Authorization header and an optional DPoP proof.
func (f *oauthFixture) getLogs(t *testing.T, authorization, proof string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.logsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", authorization)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func (f *oauthFixture) logsURL() string {
	return f.srv.URL + logsPath + "?limit=5&since=" + url.QueryEscape(rfc(t0.Add(-time.Hour)))
}

// dpopToken runs the grant with the nonce exchange and returns a DPoP token bound to key.
func (f *oauthFixture) dpopToken(t *testing.T, key *ecdsa.PrivateKey) string {
	t.Helper()
	r := f.postToken(t, grantForm(f.assertion(t)), proofJWT(t, key, f.proofClaims("POST", f.tokenURL(), "", "")))
	nonce := r.header.Get("DPoP-Nonce")
	if r.status != http.StatusBadRequest || decodeToken(t, r).Error != "use_dpop_nonce" || nonce == "" {
		t.Fatalf("first DPoP token request: %d %s (nonce %q)", r.status, r.body, nonce)
	}
	r = f.postToken(t, grantForm(f.assertion(t)), proofJWT(t, key, f.proofClaims("POST", f.tokenURL(), nonce, "")))
	tj := decodeToken(t, r)
	if r.status != http.StatusOK || tj.TokenType != "DPoP" {
		t.Fatalf("DPoP token request with nonce: %d %s", r.status, r.body)
	}
	return tj.AccessToken
}

func TestOAuthBearerGrant(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	r := f.postToken(t, grantForm(f.assertion(t)), "")
	tj := decodeToken(t, r)
	if r.status != http.StatusOK || tj.TokenType != "Bearer" || tj.ExpiresIn != 3600 || tj.Scope != "okta.logs.read" || tj.AccessToken == "" {
		t.Fatalf("token answer %d %s", r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("token answer headers %v", r.header)
	}
	if got := f.getLogs(t, "Bearer "+tj.AccessToken, ""); got.status != http.StatusOK {
		t.Fatalf("logs with the token: %d %s", got.status, got.body)
	}
	// The token expires after TokenTTL on the simulator clock.
	f.clock.Advance(time.Hour)
	got := f.getLogs(t, "Bearer "+tj.AccessToken, "")
	if got.status != http.StatusUnauthorized || oktaError(t, got).ErrorCode != codeInvalidTok || !strings.Contains(got.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("expired token: %d %s %v", got.status, got.body, got.header)
	}
	got = f.getLogs(t, "Bearer not-a-token", "")
	if got.status != http.StatusUnauthorized || oktaError(t, got).ErrorCode != codeInvalidTok {
		t.Errorf("unknown token: %d %s", got.status, got.body)
	}
	st := f.sim.OAuthStats()
	if st.TokenRequests != 1 || st.TokensIssued != 1 || st.APIAccepted != 1 || st.APIRejected["expired_token"] != 1 || st.APIRejected["unknown_token"] != 1 {
		t.Errorf("stats %+v", st)
	}
	if f.sim.Stats().Requests != 3 {
		t.Errorf("Stats.Requests = %d: token requests must not count, logs requests must", f.sim.Stats().Requests)
	}
}

func TestOAuthRSAKeyAndKeyID(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{PublicKey: jose.JSONWebKey{Key: &simRSAKey().PublicKey}, KeyID: "kid-1", TokenTTL: 10 * time.Minute,
		Scopes: []string{"okta.logs.read", "okta.users.read"}})
	for _, kid := range []string{"kid-1", ""} {
		form := grantForm(signJWT(t, jose.RS256, simRSAKey(), kid, nil, false, f.claims()))
		form.Set("scope", "okta.logs.read okta.users.read")
		form.Set("client_id", testClientID)
		r := f.postToken(t, form, "")
		if tj := decodeToken(t, r); r.status != http.StatusOK || tj.ExpiresIn != 600 || tj.Scope != "okta.logs.read okta.users.read" {
			t.Errorf("kid %q: %d %s", kid, r.status, r.body)
		}
	}
}

func TestOAuthAssertionRejections(t *testing.T) {
	otherEC := newECKey(t, elliptic.P256())
	p384 := newECKey(t, elliptic.P384())
	tests := []struct {
		name   string
		app    OAuthApp
		sign   func(t *testing.T, f *oauthFixture, c map[string]any) string
		form   func(url.Values)
		reason string
	}{
		{name: "signature by another key", reason: "signature",
			sign: func(t *testing.T, _ *oauthFixture, c map[string]any) string {
				return signJWT(t, jose.ES256, otherEC, "", nil, false, c)
			}},
		{name: "RS256 for an EC key", reason: "alg",
			sign: func(t *testing.T, _ *oauthFixture, c map[string]any) string {
				return signJWT(t, jose.RS256, simRSAKey(), "", nil, false, c)
			}},
		{name: "ES384 for a P-256 key", reason: "alg",
			sign: func(t *testing.T, _ *oauthFixture, c map[string]any) string {
				return signJWT(t, jose.ES384, p384, "", nil, false, c)
			}},
		{name: "HS256", reason: "malformed",
			sign: func(t *testing.T, _ *oauthFixture, c map[string]any) string {
				return signJWT(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), "", nil, false, c)
			}},
		{name: "not a JWT", reason: "malformed", sign: func(*testing.T, *oauthFixture, map[string]any) string { return "not.a.jwt" }},
		{name: "another kid", app: OAuthApp{KeyID: "kid-1"}, reason: "kid",
			sign: func(t *testing.T, _ *oauthFixture, c map[string]any) string {
				return signJWT(t, jose.ES256, simECKey(), "kid-2", nil, false, c)
			}},
		{name: "iss", reason: "iss", sign: withClaim("iss", "0oaOTHER")},
		{name: "sub", reason: "sub", sign: withClaim("sub", "0oaOTHER")},
		{name: "aud of another path", reason: "aud", sign: func(t *testing.T, f *oauthFixture, c map[string]any) string {
			c["aud"] = f.srv.URL + "/oauth2/default/v1/token"
			return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
		}},
		{name: "aud with a query", reason: "aud", sign: func(t *testing.T, f *oauthFixture, c map[string]any) string {
			c["aud"] = f.tokenURL() + "?x=1"
			return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
		}},
		{name: "expired", reason: "exp", sign: func(t *testing.T, f *oauthFixture, c map[string]any) string {
			c["iat"], c["exp"] = f.clock.Now().Add(-10*time.Minute).Unix(), f.clock.Now().Add(-time.Second).Unix()
			return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
		}},
		{name: "no exp", reason: "exp", sign: withClaim("exp", nil)},
		{name: "iat in the future", reason: "iat", sign: func(t *testing.T, f *oauthFixture, c map[string]any) string {
			c["iat"], c["exp"] = f.clock.Now().Add(10*time.Minute).Unix(), f.clock.Now().Add(15*time.Minute).Unix()
			return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
		}},
		{name: "lifetime over an hour", reason: "lifetime", sign: func(t *testing.T, f *oauthFixture, c map[string]any) string {
			c["exp"] = f.clock.Now().Add(time.Hour + time.Minute).Unix()
			return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
		}},
		{name: "no jti", reason: "jti", sign: withClaim("jti", nil)},
		{name: "client_assertion_type", reason: "assertion_type", form: func(v url.Values) { v.Set("client_assertion_type", "urn:x") }},
		{name: "client_id parameter", reason: "client_id", form: func(v url.Values) { v.Set("client_id", "0oaOTHER") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newOAuthFixture(t, tc.app)
			assertion := f.assertion(t)
			if tc.sign != nil {
				assertion = tc.sign(t, f, f.claims())
			}
			form := grantForm(assertion)
			if tc.form != nil {
				tc.form(form)
			}
			r := f.postToken(t, form, "")
			if tj := decodeToken(t, r); r.status != http.StatusUnauthorized || tj.Error != "invalid_client" || tj.Description == "" {
				t.Errorf("answer %d %s, want 401 invalid_client", r.status, r.body)
			}
			if st := f.sim.OAuthStats(); st.AssertionsRejected[tc.reason] != 1 || len(st.AssertionsRejected) != 1 || st.TokensIssued != 0 {
				t.Errorf("rejections %v, want only %s", st.AssertionsRejected, tc.reason)
			}
		})
	}
}

func withClaim(name string, v any) func(t *testing.T, f *oauthFixture, c map[string]any) string {
	return func(t *testing.T, _ *oauthFixture, c map[string]any) string {
		if v == nil {
			delete(c, name)
		} else {
			c[name] = v
		}
		return signJWT(t, jose.ES256, simECKey(), "", nil, false, c)
	}
}

func TestOAuthAssertionReplay(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	a := f.assertion(t)
	if r := f.postToken(t, grantForm(a), ""); r.status != http.StatusOK {
		t.Fatalf("first use: %d %s", r.status, r.body)
	}
	r := f.postToken(t, grantForm(a), "")
	if tj := decodeToken(t, r); r.status != http.StatusUnauthorized || tj.Error != "invalid_client" || f.sim.OAuthStats().AssertionsRejected["replay"] != 1 {
		t.Errorf("replayed assertion: %d %s", r.status, r.body)
	}
}

func TestOAuthGrantErrors(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	tests := []struct {
		name       string
		form       func(url.Values)
		status     int
		code, desc string
	}{
		{"grant type", func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type", "not supported"},
		{"no grant type", func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request", "grant_type"},
		{"no scope", func(v url.Values) { v.Del("scope") }, 400, "invalid_scope", "'scope' must be provided"},
		{"scope not granted", func(v url.Values) { v.Set("scope", "okta.logs.read okta.users.manage") }, 400, "invalid_scope", "okta.users.manage"},
	}
	for _, tc := range tests {
		form := grantForm(f.assertion(t))
		tc.form(form)
		r := f.postToken(t, form, "")
		if tj := decodeToken(t, r); r.status != tc.status || tj.Error != tc.code || !strings.Contains(tj.Description, tc.desc) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	r := do(t, f.tokenURL(), "")
	if tj := decodeToken(t, r); r.status != http.StatusMethodNotAllowed || tj.Error != "invalid_request" {
		t.Errorf("GET: %d %s", r.status, r.body)
	}
	res, err := http.Post(f.tokenURL(), "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("JSON body: %d", res.StatusCode)
	}
	if st := f.sim.OAuthStats(); st.TokenErrors["invalid_scope"] != 2 || st.TokenErrors["invalid_request"] != 3 || st.TokenErrors["unsupported_grant_type"] != 1 {
		t.Errorf("token errors %v", st.TokenErrors)
	}
}

func TestOAuthDPoPTokenEndpoint(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{RequireDPoP: true})
	key := newECKey(t, elliptic.P256())
	tokenProof := func(nonce string, mut func(map[string]any)) string {
		c := f.proofClaims("POST", f.tokenURL(), nonce, "")
		if mut != nil {
			mut(c)
		}
		return proofJWT(t, key, c)
	}

	// No proof: invalid_dpop_proof.
	r := f.postToken(t, grantForm(f.assertion(t)), "")
	if tj := decodeToken(t, r); r.status != 400 || tj.Error != "invalid_dpop_proof" {
		t.Fatalf("no proof: %d %s", r.status, r.body)
	}
	// A proof without a nonce: use_dpop_nonce with a DPoP-Nonce.
	r = f.postToken(t, grantForm(f.assertion(t)), tokenProof("", nil))
	nonce := r.header.Get("DPoP-Nonce")
	if tj := decodeToken(t, r); r.status != 400 || tj.Error != "use_dpop_nonce" || tj.Description != "Authorization server requires nonce in DPoP proof." || nonce == "" {
		t.Fatalf("proof without nonce: %d %s nonce %q", r.status, r.body, nonce)
	}

	bad := []struct {
		name   string
		proof  func() string
		reason string
	}{
		{"typ", func() string {
			return signJWT(t, jose.ES256, key, "", map[jose.HeaderKey]any{jose.HeaderType: "JWT"}, true, f.proofClaims("POST", f.tokenURL(), nonce, ""))
		}, "typ"},
		{"no jwk", func() string {
			return signJWT(t, jose.ES256, key, "k", dpopType, false, f.proofClaims("POST", f.tokenURL(), nonce, ""))
		}, "jwk"},
		{"signature", func() string {
			good := tokenProof(nonce, nil)
			other := proofJWT(t, newECKey(t, elliptic.P256()), f.proofClaims("POST", f.tokenURL(), nonce, ""))
			parts, otherParts := strings.Split(good, "."), strings.Split(other, ".")
			return parts[0] + "." + parts[1] + "." + otherParts[2]
		}, "signature"},
		{"htm", func() string { return tokenProof(nonce, func(c map[string]any) { c["htm"] = "GET" }) }, "htm"},
		{"htu with query", func() string { return tokenProof(nonce, func(c map[string]any) { c["htu"] = f.tokenURL() + "?a=b" }) }, "htu"},
		{"htu of another path", func() string { return tokenProof(nonce, func(c map[string]any) { c["htu"] = f.srv.URL + logsPath }) }, "htu"},
		{"old iat", func() string {
			return tokenProof(nonce, func(c map[string]any) { c["iat"] = f.clock.Now().Add(-6 * time.Minute).Unix() })
		}, "iat"},
		{"no jti", func() string { return tokenProof(nonce, func(c map[string]any) { delete(c, "jti") }) }, "jti"},
	}
	for _, tc := range bad {
		r := f.postToken(t, grantForm(f.assertion(t)), tc.proof())
		if tj := decodeToken(t, r); r.status != 400 || tj.Error != "invalid_dpop_proof" {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
		if n := f.sim.OAuthStats().ProofsRejected[tc.reason]; n == 0 {
			t.Errorf("%s: not counted as %s: %v", tc.name, tc.reason, f.sim.OAuthStats().ProofsRejected)
		}
	}

	// An unknown nonce is challenged again.
	r = f.postToken(t, grantForm(f.assertion(t)), tokenProof("made-up", nil))
	if decodeToken(t, r).Error != "use_dpop_nonce" || r.header.Get("DPoP-Nonce") == "" {
		t.Errorf("unknown nonce: %d %s", r.status, r.body)
	}
	// With the nonce: a DPoP token.
	good := tokenProof(nonce, nil)
	r = f.postToken(t, grantForm(f.assertion(t)), good)
	if tj := decodeToken(t, r); r.status != 200 || tj.TokenType != "DPoP" {
		t.Fatalf("proof with nonce: %d %s", r.status, r.body)
	}
	// The same proof again: replay.
	r = f.postToken(t, grantForm(f.assertion(t)), good)
	if decodeToken(t, r).Error != "invalid_dpop_proof" || f.sim.OAuthStats().ProofsRejected["replay"] != 1 {
		t.Errorf("replayed proof: %d %s", r.status, r.body)
	}
	// After NonceTTL the nonce is stale.
	f.clock.Advance(time.Hour)
	r = f.postToken(t, grantForm(f.assertion(t)), tokenProof(nonce, nil))
	if decodeToken(t, r).Error != "use_dpop_nonce" {
		t.Errorf("stale nonce: %d %s", r.status, r.body)
	}
	if st := f.sim.OAuthStats(); st.NonceChallenges != 3 || st.TokensIssued != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestOAuthDPoPResource(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{RequireDPoP: true})
	key := newECKey(t, elliptic.P256())
	token := f.dpopToken(t, key)
	htu := f.srv.URL + logsPath
	proof := func(mut func(map[string]any)) string {
		c := f.proofClaims("GET", htu, "", token)
		if mut != nil {
			mut(c)
		}
		return proofJWT(t, key, c)
	}
	if r := f.getLogs(t, "DPoP "+token, proof(nil)); r.status != http.StatusOK {
		t.Fatalf("DPoP token with a proof: %d %s %v", r.status, r.body, r.header)
	}
	bad := []struct {
		name, auth string
		proof      string
		reason     string
	}{
		{"Bearer scheme for a DPoP token", "Bearer " + token, proof(nil), "bearer_for_dpop"},
		{"no proof", "DPoP " + token, "", "proof"},
		{"htu with the query", "DPoP " + token, proof(func(c map[string]any) { c["htu"] = f.logsURL() }), "proof"},
		{"htm", "DPoP " + token, proof(func(c map[string]any) { c["htm"] = "POST" }), "proof"},
		{"ath of another token", "DPoP " + token, proof(func(c map[string]any) { c["ath"] = "AAAA" }), "proof"},
		{"no ath", "DPoP " + token, proof(func(c map[string]any) { delete(c, "ath") }), "proof"},
		{"another key", "DPoP " + token, proofJWT(t, newECKey(t, elliptic.P256()), f.proofClaims("GET", htu, "", token)), "proof"},
		{"unknown token", "DPoP nope", proof(nil), "unknown_token"},
		{"no Authorization", "", "", "missing"},
		{"other scheme", "SSWS x", "", "scheme"},
	}
	for _, tc := range bad {
		r := f.getLogs(t, tc.auth, tc.proof)
		if r.status != http.StatusUnauthorized || oktaError(t, r).ErrorCode != codeInvalidTok || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %s %v", tc.name, r.status, r.body, r.header)
		}
	}
	st := f.sim.OAuthStats()
	want := map[string]int{"bearer_for_dpop": 1, "proof": 6, "unknown_token": 1, "missing": 1, "scheme": 1}
	if !reflect.DeepEqual(st.APIRejected, want) {
		t.Errorf("API rejections %v, want %v", st.APIRejected, want)
	}
	if st.ProofsRejected["htu"] != 1 || st.ProofsRejected["htm"] != 1 || st.ProofsRejected["ath"] != 2 || st.ProofsRejected["key"] != 1 || st.ProofsRejected["missing"] != 1 {
		t.Errorf("proof rejections %v", st.ProofsRejected)
	}
	// A proof replayed on the API.
	p := proof(nil)
	if r := f.getLogs(t, "DPoP "+token, p); r.status != http.StatusOK {
		t.Fatalf("%d", r.status)
	}
	if r := f.getLogs(t, "DPoP "+token, p); r.status != http.StatusUnauthorized || f.sim.OAuthStats().ProofsRejected["replay"] != 1 {
		t.Errorf("replayed API proof: %d", r.status)
	}

	// A Bearer token presented with the DPoP scheme (an app without DPoP).
	g := newOAuthFixture(t, OAuthApp{})
	bearer := decodeToken(t, g.postToken(t, grantForm(g.assertion(t)), "")).AccessToken
	if r := g.getLogs(t, "DPoP "+bearer, proofJWT(t, key, g.proofClaims("GET", g.srv.URL+logsPath, "", bearer))); r.status != http.StatusUnauthorized ||
		g.sim.OAuthStats().APIRejected["dpop_for_bearer"] != 1 {
		t.Errorf("Bearer token as DPoP: %d", r.status)
	}
}

// Without RequireDPoP a DPoP proof on the token request is ignored: the token is a Bearer token.
func TestOAuthDPoPProofIgnoredWhenNotRequired(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	r := f.postToken(t, grantForm(f.assertion(t)), proofJWT(t, newECKey(t, elliptic.P256()), f.proofClaims("POST", f.tokenURL(), "", "")))
	if tj := decodeToken(t, r); r.status != 200 || tj.TokenType != "Bearer" {
		t.Errorf("%d %s", r.status, r.body)
	}
}

func TestOAuthAPINonce(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{RequireDPoP: true, RequireAPINonce: true})
	key := newECKey(t, elliptic.P256())
	token := f.dpopToken(t, key)
	htu := f.srv.URL + logsPath
	r := f.getLogs(t, "DPoP "+token, proofJWT(t, key, f.proofClaims("GET", htu, "", token)))
	nonce := r.header.Get("DPoP-Nonce")
	if r.status != http.StatusUnauthorized || nonce == "" || !strings.Contains(r.header.Get("WWW-Authenticate"), `DPoP error="use_dpop_nonce"`) {
		t.Fatalf("proof without nonce: %d %v", r.status, r.header)
	}
	if r := f.getLogs(t, "DPoP "+token, proofJWT(t, key, f.proofClaims("GET", htu, nonce, token))); r.status != http.StatusOK {
		t.Fatalf("proof with the nonce: %d %s", r.status, r.body)
	}
	// The token endpoint's nonce is not the resource server's.
	tokenNonce := f.postToken(t, grantForm(f.assertion(t)), proofJWT(t, key, f.proofClaims("POST", f.tokenURL(), "", ""))).header.Get("DPoP-Nonce")
	if r := f.getLogs(t, "DPoP "+token, proofJWT(t, key, f.proofClaims("GET", htu, tokenNonce, token))); r.status != http.StatusUnauthorized {
		t.Errorf("token endpoint nonce accepted by the API: %d", r.status)
	}
	if st := f.sim.OAuthStats(); st.APINonceChallenges != 2 || st.APIAccepted != 1 {
		t.Errorf("stats %+v", st)
	}
}

// SSWS keeps working beside OAuth when Token is set; with OAuth an empty Token does not open the API.
func TestOAuthKeepsSSWS(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	if r := f.get(t, f.logsURL()); r.status != http.StatusOK {
		t.Errorf("SSWS beside OAuth: %d", r.status)
	}
	sim, err := New(Options{Now: NewClock(t0).Now, OAuth: &OAuthApp{ClientID: testClientID, PublicKey: simECKey()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, auth := range []string{"", "SSWS ", "SSWS anything"} {
		req, _ := http.NewRequest(http.MethodGet, "/api/v1/logs", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := newRecorder()
		sim.ServeHTTP(rec, req)
		if rec.status != http.StatusUnauthorized {
			t.Errorf("OAuth without Token, Authorization %q: %d", auth, rec.status)
		}
	}
}

// recorderWriter is a minimal ResponseWriter.
type recorderWriter struct {
	h      http.Header
	status int
}

func newRecorder() *recorderWriter                    { return &recorderWriter{h: http.Header{}} }
func (r *recorderWriter) Header() http.Header         { return r.h }
func (r *recorderWriter) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorderWriter) WriteHeader(s int)           { r.status = s }

func TestOAuthForcedTokenStatus(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	f.sim.ForceTokenStatus(1, 503)
	f.sim.ForceTokenStatus(1, 429)
	r := f.postToken(t, grantForm(f.assertion(t)), "")
	if tj := decodeToken(t, r); r.status != 503 || tj.Error != "server_error" {
		t.Errorf("forced 503: %d %s", r.status, r.body)
	}
	r = f.postToken(t, grantForm(f.assertion(t)), "")
	var e errorBody
	if r.status != 429 || json.Unmarshal(r.body, &e) != nil || e.ErrorCode != codeRateLimit || r.header.Get("X-Rate-Limit-Reset") == "" {
		t.Errorf("forced 429: %d %s", r.status, r.body)
	}
	if r := f.postToken(t, grantForm(f.assertion(t)), ""); r.status != 200 {
		t.Errorf("after the forced failures: %d", r.status)
	}
}

func TestOAuthStatsEndpointAndNoOAuth(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{})
	f.postToken(t, grantForm(f.assertion(t)), "")
	r := do(t, f.srv.URL+oauthStatsPath, "")
	var st OAuthStats
	if err := json.Unmarshal(r.body, &st); err != nil || st.TokensIssued != 1 {
		t.Errorf("GET /sim/oauth: %d %s", r.status, r.body)
	}
	plain := newFixture(t, Options{})
	res, err := http.Post(plain.srv.URL+TokenPath, "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("token endpoint without OAuth: %d, want 404 as before", res.StatusCode)
	}
	if st := plain.sim.OAuthStats(); !reflect.DeepEqual(st, OAuthStats{}) {
		t.Errorf("OAuthStats without OAuth: %+v", st)
	}
}

func TestOAuthOptionsValidation(t *testing.T) {
	p224 := newECKey(t, elliptic.P224())
	tests := []struct {
		name string
		app  OAuthApp
		want string
	}{
		{"no client id", OAuthApp{PublicKey: simECKey()}, "ClientID"},
		{"no key", OAuthApp{ClientID: "x"}, "no key"},
		{"P-224", OAuthApp{ClientID: "x", PublicKey: &p224.PublicKey}, "P-224"},
		{"wrong type", OAuthApp{ClientID: "x", PublicKey: "pem"}, "unsupported key type"},
		{"negative TTL", OAuthApp{ClientID: "x", PublicKey: simECKey(), TokenTTL: -time.Second}, "negative"},
	}
	for _, tc := range tests {
		if _, err := New(Options{OAuth: &tc.app}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	rsaK, ecK := simRSAKey(), simECKey()
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}, NotBefore: t0, NotAfter: t0.Add(time.Hour)}
	certDER := mustKey(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ecK.PublicKey, ecK))
	pubJWK := mustKey(jose.JSONWebKey{Key: &rsaK.PublicKey}.MarshalJSON())
	tests := []struct {
		name string
		in   []byte
		want crypto.PublicKey
	}{
		{"PKIX", pemOf("PUBLIC KEY", mustKey(x509.MarshalPKIXPublicKey(&ecK.PublicKey))), &ecK.PublicKey},
		{"PKCS#1 public", pemOf("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaK.PublicKey)), &rsaK.PublicKey},
		{"certificate", pemOf("CERTIFICATE", certDER), &ecK.PublicKey},
		{"PKCS#8 private", pemOf("PRIVATE KEY", mustKey(x509.MarshalPKCS8PrivateKey(rsaK))), &rsaK.PublicKey},
		{"PKCS#1 private", pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaK)), &rsaK.PublicKey},
		{"SEC 1 private", pemOf("EC PRIVATE KEY", mustKey(x509.MarshalECPrivateKey(ecK))), &ecK.PublicKey},
		{"public JWK", pubJWK, &rsaK.PublicKey},
		{"private JWK", mustKey(jose.JSONWebKey{Key: ecK}.MarshalJSON()), &ecK.PublicKey},
		{"JWK set", []byte(`{"keys":[` + string(pubJWK) + `]}`), &rsaK.PublicKey},
	}
	for _, tc := range tests {
		got, err := ParsePublicKey(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v (%T)", tc.name, err, got)
		}
	}
	_, ed := mustKey2(ed25519.GenerateKey(rand.Reader))
	for name, in := range map[string][]byte{
		"garbage": []byte("hello"),
		"Ed25519": pemOf("PRIVATE KEY", mustKey(x509.MarshalPKCS8PrivateKey(ed))),
		"bad JWK": []byte(`{"kty":"RSA"}`),
		"two JWK": []byte(`{"keys":[` + string(pubJWK) + `,` + string(pubJWK) + `]}`),
	} {
		if _, err := ParsePublicKey(in); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func mustKey2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

func TestWriteDemoKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.pem")
	if err := os.WriteFile(path, []byte("old content, longer than the key will be? no, but truncated anyway"), 0o644); err != nil {
		t.Fatal(err)
	}
	pub, err := WriteDemoKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v: %v", fi.Mode(), err)
	}
	data, _ := os.ReadFile(path)
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("not a PKCS#8 PEM: %q", data)
	}
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ec := priv.(*ecdsa.PrivateKey)
	if !reflect.DeepEqual(&ec.PublicKey, pub) {
		t.Fatal("the written key is not the registered key's private half")
	}
	// A client with the written key gets a token from a simulator with the returned public key.
	f := newOAuthFixture(t, OAuthApp{PublicKey: pub})
	r := f.postToken(t, grantForm(signJWT(t, jose.ES256, ec, "", nil, false, f.claims())), "")
	if r.status != http.StatusOK {
		t.Errorf("token with the demo key: %d %s", r.status, r.body)
	}
}
