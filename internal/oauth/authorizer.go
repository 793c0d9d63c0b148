package oauth

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/okta"
)

// TokenPath is the token endpoint of Okta's org authorization server.
const TokenPath = "/oauth2/v1/token"

const (
	// assertionLifetime is how long a client assertion is valid; Okta accepts at most 1 hour.
	assertionLifetime = 5 * time.Minute
	// defaultTokenLifetime is assumed when a token answer has no usable expires_in.
	defaultTokenLifetime = 5 * time.Minute
	// maxNonceRetries is how many times a token request is signed again with a new DPoP nonce.
	maxNonceRetries = 2
	// maxTokenBody caps a token endpoint answer: Okta's is about 1 KB.
	maxTokenBody = 64 << 10
	// maxAccessTokenLen bounds an access token: Okta's are about 1 KB, and a token must fit in an HTTP
	// request header with the rest of the request.
	maxAccessTokenLen = 16 << 10
	// maxTokenLifetime is the longest expires_in accepted: Okta's access tokens live at most a day.
	maxTokenLifetime = 24 * time.Hour
)

// Authorizer authorizes requests to the org with OAuth 2.0 access tokens of a service app. It
// implements okta.Authorizer and is safe for concurrent use.
type Authorizer struct {
	clientID string
	scopes   []string
	org      *url.URL
	tokenURL *url.URL
	hc       *http.Client
	logger   *zap.Logger
	now      func() time.Time
	signer   jose.Signer // client assertions
	dpop     *dpopKey    // nil without DPoP

	mu         sync.Mutex
	token      string
	tokenType  string // "Bearer" or "DPoP"
	granted    string // the token answer's scope: the scopes Okta granted
	refreshAt  time.Time
	uses       int  // requests authorized with token
	retryToken bool // token was fetched because the one before it was rejected
	pending    bool // a token was rejected; the next one fetched is a retry token
	tokenNonce string
	apiNonce   string
}

// New returns an Authorizer for the org at org (scheme and host; the token endpoint is
// {org}/oauth2/v1/token). It validates cfg and loads and parses the key; errors name the problem,
// never the key. hc sends the token requests (redirects are not followed); now is the clock (nil:
// time.Now). Nothing is sent before the first Authorize.
func New(cfg Config, org *url.URL, hc *http.Client, logger *zap.Logger, now func() time.Time) (*Authorizer, error) {
	if errs := cfg.validateFields(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if org == nil || org.Scheme == "" || org.Host == "" {
		return nil, errors.New("oauth: the org URL must be absolute, e.g. https://example.okta.com")
	}
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	if logger == nil {
		logger = zap.NewNop()
	}
	if now == nil {
		now = time.Now
	}
	key, err := loadKey(&cfg)
	if err != nil {
		return nil, err
	}
	kid := cfg.KeyID
	if kid == "" {
		kid = key.kid
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: key.alg, Key: jose.JSONWebKey{Key: key.signer, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("preparing the client assertion signer for the %s key: %w", key.format, err)
	}
	// The token request carries a client assertion: never let a redirect take it anywhere.
	tokenClient := *hc
	tokenClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	base := &url.URL{Scheme: org.Scheme, Host: org.Host}
	a := &Authorizer{
		clientID: cfg.ClientID,
		scopes:   cfg.Scopes,
		org:      base,
		tokenURL: base.JoinPath(TokenPath),
		hc:       &tokenClient,
		logger:   logger,
		now:      now,
		signer:   signer,
	}
	fields := []zap.Field{zap.String("client_id", cfg.ClientID), zap.String("key_format", key.format),
		zap.String("alg", string(key.alg)), zap.String("kid", kid), zap.Bool("dpop", cfg.DPoP)}
	if cfg.DPoP {
		if a.dpop, err = newDPoPKey(); err != nil {
			return nil, err
		}
		fields = append(fields, zap.String("dpop_jkt", a.dpop.jkt))
	}
	logger.Debug("OAuth service app authentication configured", fields...)
	return a, nil
}

// GrantedScopes are the scopes Okta named as granted in its answer with the current access token (its
// `scope`), nil before the first token or when the answer named none.
func (a *Authorizer) GrantedScopes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Fields(a.granted)
}

// Authorize sets `Authorization: Bearer <token>`, or `Authorization: DPoP <token>` and a fresh DPoP
// proof. It fetches a token first when none is cached or the cached one is due for renewal, with the
// request's context; a failure is a *TokenError.
func (a *Authorizer) Authorize(req *http.Request) error {
	if !okta.OnSystemLog(req.URL, a.org) && !okta.OnInspectPath(req.URL, a.org) {
		return fmt.Errorf("refused to send the OAuth access token to %s://%s%s: only the org's System Log API (%s%s) gets it",
			req.URL.Scheme, req.URL.Host, req.URL.EscapedPath(), a.org, okta.LogsPath)
	}
	a.mu.Lock()
	if err := a.ensureToken(req.Context()); err != nil {
		a.mu.Unlock()
		return err
	}
	token, nonce := a.token, a.apiNonce
	a.uses++
	a.mu.Unlock()

	if a.dpop == nil {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	proof, err := a.dpop.proof(req.Method, req.URL, nonce, token, a.now())
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "DPoP "+token)
	req.Header.Set("DPoP", proof)
	return nil
}

// Rejected is told of a 401 from the API. A DPoP nonce challenge (`WWW-Authenticate: DPoP
// error="use_dpop_nonce"` with a new DPoP-Nonce) keeps the token and is worth one more attempt with the
// nonce. Otherwise the token is dropped, and one more attempt with a new token is worth it, except when
// the token that failed was itself fetched to replace a rejected one and had not been used before: the
// next poll starts again with a new token. An answer with a header over its limit (okta.CheckHeaders)
// gives no nonce: okta.Client refuses such an answer before it gets here.
func (a *Authorizer) Rejected(resp *http.Response) bool {
	if resp == nil || resp.StatusCode != http.StatusUnauthorized {
		return false
	}
	var sentAuth, sentProof string
	if resp.Request != nil {
		sentAuth, sentProof = resp.Request.Header.Get("Authorization"), resp.Request.Header.Get("DPoP")
	}
	_, failed, _ := strings.Cut(sentAuth, " ")

	a.mu.Lock()
	defer a.mu.Unlock()
	if a.dpop != nil && okta.CheckHeaders(resp.Header) == nil {
		if n := resp.Header.Get("DPoP-Nonce"); n != "" {
			a.apiNonce = n
			if challenge(resp, "use_dpop_nonce") {
				retry := n != proofNonce(sentProof)
				a.logger.Debug("the API asked for a DPoP nonce", zap.Bool("retry", retry))
				return retry
			}
		}
	}
	if failed != "" && failed != a.token {
		// An older token failed; the cached one (if any) is already newer.
		return true
	}
	a.token = ""
	if a.retryToken && a.uses <= 1 {
		a.logger.Debug("the API rejected a newly fetched OAuth access token; not retrying")
		a.retryToken = false
		return false
	}
	a.pending = true
	a.logger.Debug("the API rejected the OAuth access token; fetching a new one")
	return true
}

// ensureToken fetches a token when none is cached or the cached one is due. Called with mu held.
func (a *Authorizer) ensureToken(ctx context.Context) error {
	if a.token != "" && a.now().Before(a.refreshAt) {
		return nil
	}
	a.token = ""
	if err := a.fetch(ctx); err != nil {
		return err
	}
	a.retryToken, a.pending = a.pending, false
	return nil
}

// fetch runs the client credentials grant, with the DPoP nonce exchange when DPoP is on.
func (a *Authorizer) fetch(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		sent := a.now()
		assertion, err := a.assertion(sent)
		if err != nil {
			return err
		}
		form := url.Values{
			"grant_type":            {"client_credentials"},
			"scope":                 {strings.Join(a.scopes, " ")},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.tokenURL.String(), strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		var proof string
		if a.dpop != nil {
			if proof, err = a.dpop.proof(http.MethodPost, a.tokenURL, a.tokenNonce, "", sent); err != nil {
				return err
			}
			req.Header.Set("DPoP", proof)
		}
		secrets := []string{assertion, proof}
		resp, err := a.hc.Do(req)
		if err != nil {
			return &TokenError{Err: err, errText: redact(err.Error(), okta.MaxServerText, secrets),
				hint: "retrying (if this persists, check `endpoint`, `proxy_url`, the network and the TLS settings)"}
		}
		reqID := redact(resp.Header.Get("X-Okta-Request-Id"), okta.MaxServerWord, secrets)
		if he := okta.CheckHeaders(resp.Header); he != nil {
			resp.Body.Close()
			return &TokenError{Status: resp.StatusCode, RequestID: reqID,
				Description: "the token endpoint's answer has " + he.What() + "; it was refused", hint: he.Hint()}
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody+1))
		resp.Body.Close()
		if err != nil {
			err = fmt.Errorf("reading the token answer: %w", err)
			return &TokenError{Status: resp.StatusCode, Err: err, errText: redact(err.Error(), okta.MaxServerText, secrets), hint: "retrying", RequestID: reqID}
		}
		if len(body) > maxTokenBody {
			return &TokenError{Status: resp.StatusCode, RequestID: reqID,
				Description: fmt.Sprintf("the token endpoint's answer is larger than %d bytes (Okta's is about 1 KB); it was not read", maxTokenBody),
				hint:        "retrying; if this persists, something between the collector and Okta answers in the token endpoint's place: check `endpoint` and `proxy_url`"}
		}
		nonce := resp.Header.Get("DPoP-Nonce")
		if a.dpop != nil && nonce != "" {
			a.tokenNonce = nonce
		}
		if resp.StatusCode == http.StatusOK {
			return a.accept(resp, body, sent, reqID, secrets)
		}
		te := a.newTokenError(resp, body, reqID, secrets)
		if te.Code != "use_dpop_nonce" {
			return te
		}
		switch {
		case a.dpop == nil:
			te.permanent = true
			te.hint = "the app requires DPoP: set `dpop: true`, or clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"
			return te
		case nonce == "":
			te.hint = "Okta asked for a DPoP nonce without sending a DPoP-Nonce header (a proxy may drop it): retrying"
			return te
		case attempt >= maxNonceRetries:
			te.hint = fmt.Sprintf("the DPoP nonce exchange with the token endpoint did not settle after %d attempts (each answered with a new nonce): retrying later", attempt+1)
			return te
		}
		a.logger.Debug("the token endpoint asked for a DPoP nonce; signing a new proof with it", zap.Int("attempt", attempt+1))
	}
}

// tokenAnswer is the token endpoint's success answer.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	// ExpiresIn is read leniently: a number (3600, 3600.0) or a string holding one ("3600").
	ExpiresIn json.RawMessage `json:"expires_in,omitempty"`
	Scope     string          `json:"scope"`
}

// unusable is the hint of a token answer whose token cannot be used: it is not kept, and the next attempt
// fetches another.
const unusable = "the token was not kept; a new one is fetched at the next attempt (if this persists, something between the collector and Okta alters the token endpoint's answers: check `proxy_url`)"

// accept caches the token of a 200 answer to a request sent at sent, once it is sure the token can be
// used: of the expected type, sendable in an HTTP header, with a lifetime that makes sense.
func (a *Authorizer) accept(resp *http.Response, body []byte, sent time.Time, reqID string, secrets []string) error {
	var ta tokenAnswer
	if err := json.Unmarshal(body, &ta); err != nil || ta.AccessToken == "" {
		return &TokenError{Status: resp.StatusCode, permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("answered with %s that holds no access_token", okta.ContentKind(resp, okta.NewRedactor(secrets...))),
			hint:        "this is not Okta's token endpoint: check `endpoint` (your org's domain, e.g. example.okta.com)"}
	}
	secrets = append(secrets, ta.AccessToken)
	typ := redact(ta.TokenType, okta.MaxServerWord, secrets)
	switch {
	case a.dpop != nil && !strings.EqualFold(ta.TokenType, "DPoP"):
		return &TokenError{Status: resp.StatusCode, permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("Okta issued a %q token, not a DPoP-bound one", typ),
			hint:        "the app does not require DPoP: set `dpop: false`, or set \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"}
	case a.dpop == nil && strings.EqualFold(ta.TokenType, "DPoP"):
		return &TokenError{Status: resp.StatusCode, permanent: true, RequestID: reqID,
			Description: "Okta issued a DPoP-bound token",
			hint:        "the app requires DPoP: set `dpop: true`"}
	case a.dpop == nil && !strings.EqualFold(ta.TokenType, "Bearer"):
		return &TokenError{Status: resp.StatusCode, permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("Okta issued a token of unsupported type %q", typ),
			hint:        "check `endpoint`: the receiver needs a Bearer or DPoP token from the org authorization server"}
	}
	if problem := accessTokenProblem(ta.AccessToken); problem != "" {
		return &TokenError{Status: resp.StatusCode, RequestID: reqID, Unusable: true,
			Description: "the access token Okta issued " + problem, hint: unusable}
	}
	lifetime, problem := parseExpiresIn(ta.ExpiresIn)
	if problem != "" {
		return &TokenError{Status: resp.StatusCode, RequestID: reqID, Unusable: true,
			Description: fmt.Sprintf("the token answer's expires_in (%s) %s", redact(string(ta.ExpiresIn), 64, secrets), problem), hint: unusable}
	}
	if lifetime == 0 {
		a.logger.Debug("the token answer has no expires_in; renewing the token early")
		lifetime = defaultTokenLifetime
	}
	a.token, a.tokenType, a.granted = ta.AccessToken, ta.TokenType, ta.Scope
	a.refreshAt = sent.Add(renewAfter(lifetime))
	a.uses = 0
	a.logger.Debug("fetched an OAuth access token", zap.String("token_type", typ), zap.Duration("lifetime", lifetime),
		zap.String("scope", redact(ta.Scope, okta.MaxServerText, secrets)), zap.Time("renew_at", a.refreshAt))
	return nil
}

// accessTokenProblem says why an access token cannot be sent as `Authorization: Bearer|DPoP <token>`
// (RFC 6750's b64token: letters, digits, -._~+/ and trailing =); "" when it can. It never quotes the token.
func accessTokenProblem(token string) string {
	if len(token) > maxAccessTokenLen {
		return fmt.Sprintf("is %d bytes long, more than a request header should carry (Okta's are about 1 KB)", len(token))
	}
	padding := false
	for i := 0; i < len(token); i++ {
		c := token[i]
		switch {
		case c == '=':
			padding = true
		case padding:
			return fmt.Sprintf("has a character after its '=' padding (at byte %d), which an access token never has", i)
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~+/", c) >= 0:
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("has a control character (at byte %d), which cannot be sent in an HTTP header", i)
		case c == ' ':
			return fmt.Sprintf("has a space (at byte %d), which an access token never has", i)
		default:
			return fmt.Sprintf("has a character an access token never has (at byte %d)", i)
		}
	}
	return ""
}

// parseExpiresIn reads expires_in leniently (a JSON number, integral or not, or a string holding one) and
// strictly (positive, at most a day). It returns 0 when the answer has none: RFC 6749 only recommends it.
func parseExpiresIn(raw json.RawMessage) (time.Duration, string) {
	text := strings.TrimSpace(string(raw))
	if text == "" || text == "null" {
		return 0, ""
	}
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, "is not a number of seconds"
		}
		text = strings.TrimSpace(text)
	}
	secs, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil || math.IsNaN(secs) || math.IsInf(secs, 0):
		return 0, "is not a number of seconds"
	case secs < 1:
		return 0, "says the token is already expired"
	case secs > maxTokenLifetime.Seconds():
		return 0, "is longer than a day, which no Okta access token lives"
	}
	return time.Duration(secs) * time.Second, ""
}

// renewAfter is when, after it was requested, a token of the given lifetime is replaced: at 80% of its
// lifetime or 60 s before it ends, whichever is earlier, but not before half of it.
func renewAfter(lifetime time.Duration) time.Duration {
	return max(min(lifetime*8/10, lifetime-time.Minute), lifetime/2)
}

// assertion signs a client assertion (RFC 7523) for the token endpoint.
func (a *Authorizer) assertion(now time.Time) (string, error) {
	claims := jwt.Claims{
		Issuer:   a.clientID,
		Subject:  a.clientID,
		Audience: jwt.Audience{a.tokenURL.String()},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(assertionLifetime)),
		ID:       rand.Text(),
	}
	s, err := jwt.Signed(a.signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("signing the client assertion: %w", err)
	}
	return s, nil
}

// challenge reports whether a WWW-Authenticate header of resp carries error="code".
func challenge(resp *http.Response, code string) bool {
	for _, v := range resp.Header.Values("WWW-Authenticate") {
		if strings.Contains(strings.ToLower(v), `error="`+code+`"`) {
			return true
		}
	}
	return false
}
