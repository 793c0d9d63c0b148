package oktasim

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TokenPath is the token endpoint of the org authorization server.
const TokenPath = "/oauth2/v1/token"

// oauthStatsPath serves OAuthStats as JSON.
const oauthStatsPath = "/sim/oauth"

// proofWindow is how far a DPoP proof's iat may be from the simulator clock.
const proofWindow = 5 * time.Minute

// OAuthApp is an API Services app registered in the simulated org (Options.OAuth). With it, POST
// /oauth2/v1/token runs the client credentials grant with a private_key_jwt client assertion (and DPoP
// when RequireDPoP), and GET /api/v1/logs accepts the access tokens it issued: `Authorization: Bearer
// <token>`, or `Authorization: DPoP <token>` with a DPoP proof of the key the token is bound to.
// `SSWS <Options.Token>` keeps working when Options.Token is set; with OAuth an empty Token no longer
// disables authentication.
type OAuthApp struct {
	// ClientID is the app's client_id: the client assertion's iss and sub.
	ClientID string
	// PublicKey verifies client assertions: *rsa.PublicKey, *ecdsa.PublicKey (P-256, P-384, P-521), a
	// jose.JSONWebKey holding one, or a private key (its public half is used). See ParsePublicKey.
	PublicKey any
	// KeyID, when set, is the registered key's kid: an assertion that names another kid is refused
	// (one without a kid is accepted, as Okta does for an app with one key).
	KeyID string
	// Scopes granted to the app (default [okta.logs.read]); a request for any other is invalid_scope.
	Scopes []string
	// RequireDPoP is Okta's "Require Demonstrating Proof of Possession (DPoP) header in token requests":
	// token requests need a DPoP proof with a nonce the simulator gave (the first gets use_dpop_nonce),
	// and the tokens are DPoP tokens bound to the proof's key. Without it, a DPoP proof is ignored and
	// the token is a Bearer token.
	RequireDPoP bool
	// Roles are the types of the app's admin role assignments, answered by GET
	// /oauth2/v1/clients/{clientId}/roles to an access token granted okta.roles.read.
	Roles []string
	// RequireAPINonce makes /api/v1/logs demand a resource-server nonce in DPoP proofs: a proof without
	// a valid one is answered 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` and a DPoP-Nonce.
	RequireAPINonce bool
	// TokenTTL is the access tokens' lifetime (default 1h, Okta's).
	TokenTTL time.Duration
	// NonceTTL is how long a DPoP nonce stays valid (default 1h); after it the nonce is answered with
	// use_dpop_nonce and a new one.
	NonceTTL time.Duration
}

// OAuthStats count the OAuth traffic (Sim.OAuthStats, GET /sim/oauth). Token requests are not counted
// in Stats.
type OAuthStats struct {
	// TokenRequests counts POST /oauth2/v1/token requests; TokensIssued the access tokens issued.
	TokenRequests int `json:"tokenRequests"`
	TokensIssued  int `json:"tokensIssued"`
	// TokenErrors counts token endpoint error answers by OAuth error code (use_dpop_nonce included).
	TokenErrors map[string]int `json:"tokenErrors"`
	// AssertionsRejected counts refused client assertions by reason: malformed, alg, kid, signature,
	// iss, sub, aud, exp, iat, lifetime, jti, replay, client_id, assertion_type.
	AssertionsRejected map[string]int `json:"assertionsRejected"`
	// ProofsRejected counts refused DPoP proofs (token endpoint and API) by reason: missing, malformed,
	// typ, alg, jwk, signature, htm, htu, iat, jti, replay, ath, key (not the token's key).
	ProofsRejected map[string]int `json:"proofsRejected"`
	// NonceChallenges counts use_dpop_nonce answers of the token endpoint; APINonceChallenges those of
	// /api/v1/logs.
	NonceChallenges    int `json:"nonceChallenges"`
	APINonceChallenges int `json:"apiNonceChallenges"`
	// APIAccepted counts logs requests admitted with an OAuth token; APIRejected those refused, by
	// reason: missing, scheme, unknown_token, expired_token, bearer_for_dpop, dpop_for_bearer, proof.
	APIAccepted int            `json:"apiAccepted"`
	APIRejected map[string]int `json:"apiRejected"`
}

// issuedToken is an access token the simulator issued.
type issuedToken struct {
	expires time.Time
	jkt     string // the DPoP key's thumbprint; "" for a Bearer token
	scopes  []string
}

// granted tells whether the access token was issued with scope.
func (o *oauthServer) granted(token, scope string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, s := range o.tokens[token].scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// oauthServer is the state of the simulated org authorization server.
type oauthServer struct {
	app    OAuthApp
	key    crypto.PublicKey
	now    func() time.Time
	scopes map[string]bool

	mu            sync.Mutex
	tokens        map[string]issuedToken
	assertionJTIs map[string]time.Time // jti → when it may be forgotten
	proofJTIs     map[string]time.Time
	tokenNonces   map[string]time.Time // nonce → issued
	apiNonces     map[string]time.Time
	forced        []int // statuses forced on the next token requests
	stats         OAuthStats
}

func newOAuthServer(app OAuthApp, now func() time.Time) (*oauthServer, error) {
	if app.ClientID == "" {
		return nil, errors.New("oktasim: OAuth.ClientID is required")
	}
	key, err := publicHalf(app.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("oktasim: OAuth.PublicKey: %w", err)
	}
	if app.TokenTTL < 0 || app.NonceTTL < 0 {
		return nil, errors.New("oktasim: negative OAuth.TokenTTL or OAuth.NonceTTL")
	}
	if app.TokenTTL == 0 {
		app.TokenTTL = time.Hour
	}
	if app.NonceTTL == 0 {
		app.NonceTTL = time.Hour
	}
	if len(app.Scopes) == 0 {
		app.Scopes = []string{"okta.logs.read"}
	}
	app.Scopes = slices.Clone(app.Scopes)
	o := &oauthServer{app: app, key: key, now: now, scopes: map[string]bool{},
		tokens: map[string]issuedToken{}, assertionJTIs: map[string]time.Time{}, proofJTIs: map[string]time.Time{},
		tokenNonces: map[string]time.Time{}, apiNonces: map[string]time.Time{}}
	for _, s := range app.Scopes {
		o.scopes[s] = true
	}
	return o, nil
}

// publicHalf accepts the key forms OAuthApp.PublicKey allows and returns the public key.
func publicHalf(k any) (crypto.PublicKey, error) {
	switch v := k.(type) {
	case jose.JSONWebKey:
		return publicHalf(v.Key)
	case *jose.JSONWebKey:
		if v == nil {
			return nil, errors.New("nil key")
		}
		return publicHalf(v.Key)
	case *rsa.PublicKey:
		return v, nil
	case *ecdsa.PublicKey:
		if _, err := ecAlg(v.Curve); err != nil {
			return nil, err
		}
		return v, nil
	case *rsa.PrivateKey:
		return &v.PublicKey, nil
	case *ecdsa.PrivateKey:
		return publicHalf(&v.PublicKey)
	case nil:
		return nil, errors.New("no key: register the public half of the client's key")
	}
	return nil, fmt.Errorf("unsupported key type %T: use an RSA or EC (P-256, P-384, P-521) key", k)
}

func ecAlg(c elliptic.Curve) (jose.SignatureAlgorithm, error) {
	switch c {
	case elliptic.P256():
		return jose.ES256, nil
	case elliptic.P384():
		return jose.ES384, nil
	case elliptic.P521():
		return jose.ES512, nil
	}
	return "", fmt.Errorf("unsupported EC curve %s", c.Params().Name)
}

// signingAlgs are the JWS algorithms the simulator parses; anything else (HS*, none) is malformed.
var signingAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512}

// algFits reports whether alg is one Okta accepts for key.
func algFits(alg string, key crypto.PublicKey) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return alg == string(jose.RS256) || alg == string(jose.RS384) || alg == string(jose.RS512)
	case *ecdsa.PublicKey:
		want, err := ecAlg(k.Curve)
		return err == nil && alg == string(want)
	}
	return false
}

// OAuthStats returns a snapshot of the OAuth counters; the zero value when OAuth is not configured.
func (s *Sim) OAuthStats() OAuthStats {
	o := s.opts.oauth
	if o == nil {
		return OAuthStats{}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	st := o.stats
	st.TokenErrors = maps.Clone(o.stats.TokenErrors)
	st.AssertionsRejected = maps.Clone(o.stats.AssertionsRejected)
	st.ProofsRejected = maps.Clone(o.stats.ProofsRejected)
	st.APIRejected = maps.Clone(o.stats.APIRejected)
	return st
}

// ForceTokenStatus makes the next n token requests fail with status: 5xx as OAuth server_error,
// 429 as Okta's rate-limit error, anything else as invalid_request. It does nothing without OAuth.
func (s *Sim) ForceTokenStatus(n, status int) {
	if o := s.opts.oauth; o != nil {
		o.mu.Lock()
		for range n {
			o.forced = append(o.forced, status)
		}
		o.mu.Unlock()
	}
}

// serveOAuth serves the token endpoint and GET /sim/oauth when OAuth is configured; it reports
// whether it answered.
func (s *Sim) serveOAuth(w http.ResponseWriter, r *http.Request) bool {
	o := s.opts.oauth
	if o == nil {
		return false
	}
	switch r.URL.Path {
	case TokenPath:
		o.serveToken(w, r, s.bases(r))
	case oauthStatsPath:
		body, _ := json.Marshal(s.OAuthStats())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	default:
		return false
	}
	return true
}

// bases are the scheme://host prefixes a client may sign for: the request's own and Options.BaseURL.
func (s *Sim) bases(r *http.Request) []*url.URL {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	out := []*url.URL{{Scheme: scheme, Host: r.Host}}
	if b := s.baseURL(r); b.String() != out[0].String() {
		out = append(out, b)
	}
	return out
}

// oauthError is an OAuth error answer.
type oauthError struct {
	status      int
	code        string
	description string
	reason      string // the counter's reason, for invalid_client and invalid_dpop_proof
	nonce       bool   // answer with a new DPoP-Nonce
}

func (o *oauthServer) serveToken(w http.ResponseWriter, r *http.Request, bases []*url.URL) {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.stats.TokenRequests++
	if len(o.forced) > 0 {
		status := o.forced[0]
		o.forced = o.forced[1:]
		o.writeForced(w, status, now)
		return
	}
	body, e := o.grant(r, bases, now)
	if e != nil {
		o.writeError(w, e, now)
		return
	}
	o.stats.TokensIssued++
	writeTokenJSON(w, http.StatusOK, body, now)
}

// grant runs the client credentials grant. Called with mu held.
func (o *oauthServer) grant(r *http.Request, bases []*url.URL, now time.Time) ([]byte, *oauthError) {
	if r.Method != http.MethodPost {
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request", description: "The token endpoint only accepts POST."}
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: "The request must be application/x-www-form-urlencoded."}
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: "The request body could not be parsed."}
	}
	f := r.PostForm
	switch gt := f.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: "The 'grant_type' parameter is missing."}
	default:
		return nil, &oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type", description: "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials]."}
	}
	if e := o.checkAssertion(f, bases, now); e != nil {
		return nil, e
	}
	requested := strings.Fields(f.Get("scope"))
	if len(requested) == 0 {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_scope", description: "The authorization server resource does not have any configured default scopes, 'scope' must be provided."}
	}
	var denied []string
	for _, s := range requested {
		if !o.scopes[s] {
			denied = append(denied, s)
		}
	}
	if len(denied) > 0 {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_scope", description: "The following scopes were requested, but not granted to the client: " + strings.Join(denied, ", ") + "."}
	}
	var jkt string
	if o.app.RequireDPoP {
		proofs := r.Header.Values("DPoP")
		if len(proofs) != 1 {
			return nil, o.proofError("missing", "The DPoP proof JWT header is missing.")
		}
		c, thumb, e := o.verifyProof(proofs[0], http.MethodPost, bases, TokenPath, now)
		if e != nil {
			return nil, e
		}
		if !validNonce(o.tokenNonces, c.Nonce, now, o.app.NonceTTL) {
			o.stats.NonceChallenges++
			return nil, &oauthError{status: http.StatusBadRequest, code: "use_dpop_nonce", description: "Authorization server requires nonce in DPoP proof.", nonce: true}
		}
		jkt = thumb
	}
	token := "sim" + uniqueToken(40)
	o.pruneTokens(now)
	o.tokens[token] = issuedToken{expires: now.Add(o.app.TokenTTL), jkt: jkt, scopes: requested}
	typ := "Bearer"
	if jkt != "" {
		typ = "DPoP"
	}
	body, _ := json.Marshal(map[string]any{"token_type": typ, "expires_in": int64(o.app.TokenTTL / time.Second),
		"access_token": token, "scope": strings.Join(requested, " ")})
	return body, nil
}

// assertionError is an invalid_client answer for a refused client assertion.
func (o *oauthServer) assertionError(reason, description string) *oauthError {
	if o.stats.AssertionsRejected == nil {
		o.stats.AssertionsRejected = map[string]int{}
	}
	o.stats.AssertionsRejected[reason]++
	return &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: description, reason: reason}
}

// checkAssertion verifies the private_key_jwt client assertion. Called with mu held.
func (o *oauthServer) checkAssertion(f url.Values, bases []*url.URL, now time.Time) *oauthError {
	if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || f.Get("client_assertion") == "" {
		return o.assertionError("assertion_type", "Client authentication failed. Either the client or the client credentials are invalid.")
	}
	if id := f.Get("client_id"); id != "" && id != o.app.ClientID {
		return o.assertionError("client_id", "The client_id is not valid.")
	}
	tok, err := jwt.ParseSigned(f.Get("client_assertion"), signingAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return o.assertionError("malformed", "The client_assertion token is malformed.")
	}
	h := tok.Headers[0]
	if !algFits(h.Algorithm, o.key) {
		return o.assertionError("alg", "The client_assertion token has an invalid 'alg' for the client's registered key.")
	}
	if o.app.KeyID != "" && h.KeyID != "" && h.KeyID != o.app.KeyID {
		return o.assertionError("kid", "The client_assertion token's 'kid' does not match a public key registered for the client.")
	}
	var c jwt.Claims
	if err := tok.Claims(o.key, &c); err != nil {
		return o.assertionError("signature", "The client_assertion signature is invalid.")
	}
	switch {
	case c.Issuer != o.app.ClientID:
		return o.assertionError("iss", "The client_assertion token's 'iss' is not the client_id of a known client.")
	case c.Subject != o.app.ClientID:
		return o.assertionError("sub", "The client_assertion token's 'sub' must equal its 'iss', the client_id.")
	case !slices.ContainsFunc(bases, func(b *url.URL) bool { return c.Audience.Contains(b.JoinPath(TokenPath).String()) }):
		return o.assertionError("aud", "The audience claim for client_assertion must be the endpoint invoked for the request.")
	case c.Expiry == nil || !c.Expiry.Time().After(now):
		return o.assertionError("exp", "The client_assertion token is expired.")
	case c.IssuedAt == nil || c.IssuedAt.Time().After(now.Add(proofWindow)):
		return o.assertionError("iat", "The client_assertion token's 'iat' is missing or in the future.")
	case c.Expiry.Time().Sub(c.IssuedAt.Time()) > time.Hour:
		return o.assertionError("lifetime", "The client_assertion token has an expiration too far into the future.")
	case c.ID == "":
		return o.assertionError("jti", "The client_assertion token must have a 'jti'.")
	}
	pruneTimes(o.assertionJTIs, now)
	if _, seen := o.assertionJTIs[c.ID]; seen {
		return o.assertionError("replay", "The client_assertion token has already been used.")
	}
	o.assertionJTIs[c.ID] = c.Expiry.Time()
	return nil
}

// proofClaims are a DPoP proof's claims.
type proofClaims struct {
	JTI   string   `json:"jti"`
	HTM   string   `json:"htm"`
	HTU   string   `json:"htu"`
	IAT   *float64 `json:"iat"`
	Nonce string   `json:"nonce"`
	ATH   string   `json:"ath"`
}

// proofError is an invalid_dpop_proof answer.
func (o *oauthServer) proofError(reason, description string) *oauthError {
	if o.stats.ProofsRejected == nil {
		o.stats.ProofsRejected = map[string]int{}
	}
	o.stats.ProofsRejected[reason]++
	return &oauthError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: description, reason: reason}
}

// verifyProof checks a DPoP proof for a request with method to path on one of bases, and returns its
// claims and the thumbprint of its key; the nonce and ath are left to the caller. Called with mu held.
func (o *oauthServer) verifyProof(proof, method string, bases []*url.URL, path string, now time.Time) (proofClaims, string, *oauthError) {
	var c proofClaims
	tok, err := jwt.ParseSigned(proof, signingAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return c, "", o.proofError("malformed", "The DPoP proof JWT is malformed.")
	}
	h := tok.Headers[0]
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != "dpop+jwt" {
		return c, "", o.proofError("typ", "The DPoP proof JWT header 'typ' must be 'dpop+jwt'.")
	}
	if h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() || !h.JSONWebKey.Valid() {
		return c, "", o.proofError("jwk", "The DPoP proof JWT header must have a 'jwk' with a public key.")
	}
	if !algFits(h.Algorithm, h.JSONWebKey.Key) {
		return c, "", o.proofError("alg", "The DPoP proof JWT 'alg' does not fit its 'jwk'.")
	}
	if err := tok.Claims(h.JSONWebKey, &c); err != nil {
		return c, "", o.proofError("signature", "The DPoP proof JWT signature is invalid.")
	}
	if c.HTM != method {
		return c, "", o.proofError("htm", "The DPoP proof 'htm' does not match the request method.")
	}
	if !htuMatches(c.HTU, bases, path) {
		return c, "", o.proofError("htu", "The DPoP proof 'htu' does not match the request URL (scheme, host and path, without query or fragment).")
	}
	if c.IAT == nil || math.IsNaN(*c.IAT) {
		return c, "", o.proofError("iat", "The DPoP proof has no 'iat'.")
	}
	iat := time.Unix(int64(*c.IAT), 0)
	if iat.Before(now.Add(-proofWindow)) || iat.After(now.Add(proofWindow)) {
		return c, "", o.proofError("iat", "The DPoP proof 'iat' is not within 5 minutes of the server's time.")
	}
	if c.JTI == "" {
		return c, "", o.proofError("jti", "The DPoP proof has no 'jti'.")
	}
	pruneTimes(o.proofJTIs, now)
	if _, seen := o.proofJTIs[c.JTI]; seen {
		return c, "", o.proofError("replay", "The DPoP proof 'jti' has already been used.")
	}
	o.proofJTIs[c.JTI] = iat.Add(proofWindow)
	tp, err := h.JSONWebKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return c, "", o.proofError("jwk", "The DPoP proof 'jwk' has no thumbprint.")
	}
	return c, base64.RawURLEncoding.EncodeToString(tp), nil
}

// htuMatches compares a proof's htu with the request's URL: scheme and host case-insensitively, the path
// exactly; an htu with a query or fragment never matches.
func htuMatches(htu string, bases []*url.URL, path string) bool {
	u, err := url.Parse(htu)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.ContainsAny(htu, "?#") {
		return false
	}
	for _, b := range bases {
		if strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host) && u.EscapedPath() == path {
			return true
		}
	}
	return false
}

// validNonce reports whether nonce was issued and is still fresh.
func validNonce(nonces map[string]time.Time, nonce string, now time.Time, ttl time.Duration) bool {
	issued, ok := nonces[nonce]
	return nonce != "" && ok && now.Sub(issued) < ttl
}

// newNonce issues a nonce, forgetting stale ones.
func newNonce(nonces map[string]time.Time, now time.Time, ttl time.Duration) string {
	for n, issued := range nonces {
		if now.Sub(issued) >= ttl {
			delete(nonces, n)
		}
	}
	n := uniqueToken(32)
	nonces[n] = now
	return n
}

// pruneTimes forgets entries whose time has passed, once the map has grown.
func pruneTimes(m map[string]time.Time, now time.Time) {
	if len(m) < 1024 {
		return
	}
	for k, until := range m {
		if now.After(until) {
			delete(m, k)
		}
	}
}

func (o *oauthServer) pruneTokens(now time.Time) {
	if len(o.tokens) < 1024 {
		return
	}
	for k, t := range o.tokens {
		if now.After(t.expires) {
			delete(o.tokens, k)
		}
	}
}

// writeError answers a token request with an OAuth error. Called with mu held.
func (o *oauthServer) writeError(w http.ResponseWriter, e *oauthError, now time.Time) {
	if o.stats.TokenErrors == nil {
		o.stats.TokenErrors = map[string]int{}
	}
	o.stats.TokenErrors[e.code]++
	if e.nonce {
		w.Header().Set("DPoP-Nonce", newNonce(o.tokenNonces, now, o.app.NonceTTL))
	}
	body, _ := json.Marshal(map[string]string{"error": e.code, "error_description": e.description})
	writeTokenJSON(w, e.status, body, now)
}

// writeForced answers a token request with a forced failure.
func (o *oauthServer) writeForced(w http.ResponseWriter, status int, now time.Time) {
	var body []byte
	switch {
	case status == http.StatusTooManyRequests:
		body = errRateLimit.body()
		w.Header().Set("X-Rate-Limit-Limit", "600")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	case status >= 500:
		body, _ = json.Marshal(map[string]string{"error": "server_error", "error_description": "The server encountered an internal error (injected)."})
	default:
		body, _ = json.Marshal(map[string]string{"error": "invalid_request", "error_description": "Rejected by an injected fault."})
	}
	writeTokenJSON(w, status, body, now)
}

func writeTokenJSON(w http.ResponseWriter, status int, body []byte, now time.Time) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-cache, no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("X-Okta-Request-Id", newRequestID())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// authorizeAPI checks an OAuth access token (and DPoP proof) on a logs request. On refusal it sets the
// WWW-Authenticate header (and DPoP-Nonce for a nonce challenge); the caller writes the 401.
func (o *oauthServer) authorizeAPI(w http.ResponseWriter, r *http.Request, bases []*url.URL) bool {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	reject := func(reason, scheme, code, description string) bool {
		if o.stats.APIRejected == nil {
			o.stats.APIRejected = map[string]int{}
		}
		o.stats.APIRejected[reason]++
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`%s error=%q, error_description=%q`, scheme, code, description))
		return false
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if token == "" {
		return reject("missing", "Bearer", "invalid_request", "The access token is missing.")
	}
	var bearer bool
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		bearer = true
	case strings.EqualFold(scheme, "DPoP"):
	default:
		return reject("scheme", "Bearer", "invalid_request", "Unsupported authorization scheme.")
	}
	t, ok := o.tokens[token]
	switch {
	case !ok:
		return reject("unknown_token", scheme, "invalid_token", "The access token is invalid.")
	case !now.Before(t.expires):
		return reject("expired_token", scheme, "invalid_token", "The access token is expired.")
	case bearer && t.jkt != "":
		return reject("bearer_for_dpop", "DPoP", "invalid_token", "The access token is DPoP-bound: use the DPoP scheme with a DPoP proof.")
	case !bearer && t.jkt == "":
		return reject("dpop_for_bearer", "Bearer", "invalid_token", "The access token is not DPoP-bound: use the Bearer scheme.")
	case bearer:
		o.stats.APIAccepted++
		return true
	}
	proofs := r.Header.Values("DPoP")
	if len(proofs) != 1 {
		o.proofError("missing", "")
		return reject("proof", "DPoP", "invalid_dpop_proof", "The DPoP proof JWT header is missing.")
	}
	c, jkt, e := o.verifyProof(proofs[0], r.Method, bases, r.URL.EscapedPath(), now)
	if e != nil {
		return reject("proof", "DPoP", "invalid_dpop_proof", e.description)
	}
	sum := sha256.Sum256([]byte(token))
	if c.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) {
		o.proofError("ath", "")
		return reject("proof", "DPoP", "invalid_dpop_proof", "The DPoP proof 'ath' does not match the access token.")
	}
	if jkt != t.jkt {
		o.proofError("key", "")
		return reject("proof", "DPoP", "invalid_dpop_proof", "The DPoP proof is not signed by the key the access token is bound to.")
	}
	if o.app.RequireAPINonce && !validNonce(o.apiNonces, c.Nonce, now, o.app.NonceTTL) {
		o.stats.APINonceChallenges++
		w.Header().Set("DPoP-Nonce", newNonce(o.apiNonces, now, o.app.NonceTTL))
		return reject("nonce", "DPoP", "use_dpop_nonce", "Resource server requires nonce in DPoP proof.")
	}
	o.stats.APIAccepted++
	return true
}

// ParsePublicKey reads a key to register for an OAuthApp: a PEM public key (PKIX "PUBLIC KEY" or
// PKCS#1 "RSA PUBLIC KEY"), a certificate, a PEM private key (its public half), or a JWK (public or
// private; a JWK set with one key).
func ParsePublicKey(data []byte) (crypto.PublicKey, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var set struct {
			Keys []json.RawMessage `json:"keys"`
		}
		if json.Unmarshal(data, &set) == nil && set.Keys != nil {
			if len(set.Keys) != 1 {
				return nil, errors.New("a JWK set must hold exactly one key")
			}
			data = set.Keys[0]
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("not a valid JWK: %w", err)
		}
		return publicHalf(k.Key)
	}
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no PEM key or JWK found")
		}
		var (
			k   any
			err error
		)
		switch block.Type {
		case "PUBLIC KEY":
			k, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			k, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				k = cert.PublicKey
			}
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("PEM %s: %w", block.Type, err)
		}
		return publicHalf(k)
	}
}

// WriteDemoKey generates an EC P-256 key pair for trying OAuth against the simulator, writes the
// private key as PKCS#8 PEM to path (mode 0600) for the client's `private_key_file`, and returns the
// public key to register as OAuthApp.PublicKey.
func WriteDemoKey(path string) (crypto.PublicKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &key.PublicKey, nil
}
