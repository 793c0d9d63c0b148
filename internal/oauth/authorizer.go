package oauth

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
	// maxTokenBody caps a token endpoint answer.
	maxTokenBody = 1 << 20
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
	if err := cfg.Validate(); err != nil {
		return nil, err
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
		scopes:   cfg.scopes(),
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

// Authorize sets `Authorization: Bearer <token>`, or `Authorization: DPoP <token>` and a fresh DPoP
// proof. It fetches a token first when none is cached or the cached one is due for renewal, with the
// request's context; a failure is a *TokenError.
func (a *Authorizer) Authorize(req *http.Request) error {
	if !okta.SameOrigin(req.URL, a.org) {
		return fmt.Errorf("refused to send the OAuth access token to %s://%s: only the org %s gets it", req.URL.Scheme, req.URL.Host, a.org)
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
// next poll starts again with a new token.
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
	if a.dpop != nil {
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
		resp, err := a.hc.Do(req)
		if err != nil {
			return &TokenError{Err: err, Hint: "retrying (if this persists, check `endpoint`, the network and the TLS settings)"}
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
		resp.Body.Close()
		if err != nil {
			return &TokenError{Status: resp.StatusCode, Err: fmt.Errorf("reading the token answer: %w", err), Hint: "retrying",
				RequestID: resp.Header.Get("X-Okta-Request-Id")}
		}
		nonce := resp.Header.Get("DPoP-Nonce")
		if a.dpop != nil && nonce != "" {
			a.tokenNonce = nonce
		}
		if resp.StatusCode == http.StatusOK {
			return a.accept(resp, body, sent, assertion, proof)
		}
		te := a.newTokenError(resp, body, assertion, proof)
		if te.Code != "use_dpop_nonce" {
			return te
		}
		switch {
		case a.dpop == nil:
			te.Permanent = true
			te.Hint = "the app requires DPoP: set `dpop: true`, or clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"
			return te
		case nonce == "":
			te.Hint = "Okta asked for a DPoP nonce without sending a DPoP-Nonce header (a proxy may drop it): retrying"
			return te
		case attempt >= maxNonceRetries:
			te.Hint = fmt.Sprintf("the DPoP nonce exchange with the token endpoint did not settle after %d attempts (each answered with a new nonce): retrying later", attempt+1)
			return te
		}
		a.logger.Debug("the token endpoint asked for a DPoP nonce; signing a new proof with it", zap.Int("attempt", attempt+1))
	}
}

// tokenAnswer is the token endpoint's success answer.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// accept caches the token of a 200 answer to a request sent at sent.
func (a *Authorizer) accept(resp *http.Response, body []byte, sent time.Time, secrets ...string) error {
	reqID := resp.Header.Get("X-Okta-Request-Id")
	var ta tokenAnswer
	if err := json.Unmarshal(body, &ta); err != nil || ta.AccessToken == "" {
		return &TokenError{Status: resp.StatusCode, Permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("answered with %s that holds no access_token", contentKind(resp)),
			Hint:        "this is not Okta's token endpoint: check `endpoint` (your org's domain, e.g. example.okta.com)"}
	}
	typ := clean(ta.TokenType, append(secrets, ta.AccessToken))
	switch {
	case a.dpop != nil && !strings.EqualFold(ta.TokenType, "DPoP"):
		return &TokenError{Status: resp.StatusCode, Permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("Okta issued a %q token, not a DPoP-bound one", typ),
			Hint:        "the app does not require DPoP: set `dpop: false`, or set \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the app in the Okta admin console"}
	case a.dpop == nil && strings.EqualFold(ta.TokenType, "DPoP"):
		return &TokenError{Status: resp.StatusCode, Permanent: true, RequestID: reqID,
			Description: "Okta issued a DPoP-bound token",
			Hint:        "the app requires DPoP: set `dpop: true`"}
	case a.dpop == nil && !strings.EqualFold(ta.TokenType, "Bearer"):
		return &TokenError{Status: resp.StatusCode, Permanent: true, RequestID: reqID,
			Description: fmt.Sprintf("Okta issued a token of unsupported type %q", typ),
			Hint:        "check `endpoint`: the receiver needs a Bearer or DPoP token from the org authorization server"}
	}
	lifetime := time.Duration(ta.ExpiresIn) * time.Second
	if ta.ExpiresIn <= 0 || ta.ExpiresIn > 24*3600 {
		a.logger.Debug("the token answer has no usable expires_in; renewing the token early", zap.Int64("expires_in", ta.ExpiresIn))
		lifetime = defaultTokenLifetime
	}
	a.token, a.tokenType = ta.AccessToken, ta.TokenType
	a.refreshAt = sent.Add(renewAfter(lifetime))
	a.uses = 0
	a.logger.Debug("fetched an OAuth access token", zap.String("token_type", typ), zap.Int64("expires_in", ta.ExpiresIn),
		zap.String("scope", clean(ta.Scope, append(secrets, ta.AccessToken))), zap.Time("renew_at", a.refreshAt))
	return nil
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
