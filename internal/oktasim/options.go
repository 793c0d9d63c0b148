package oktasim

import (
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Options configure a Sim. The zero value is a usable, unauthenticated, unlimited simulator.
type Options struct {
	// Token is the API token the simulator accepts as "Authorization: SSWS <Token>".
	// Empty disables the check (unless Authorize is set).
	Token string
	// Authorize, when set, replaces the SSWS check: it reports whether the request may read
	// logs. It is the hook for other schemes (OAuth bearer, DPoP).
	Authorize func(r *http.Request) bool
	// Now is the simulator clock (default time.Now). It drives persistence times, retention,
	// the since/until defaults, rate-limit windows and the Date header.
	Now func() time.Time
	// BaseURL, e.g. "https://example.okta.com", sets the scheme and host of the Link headers.
	// Default: the request's Host, with https when the connection is TLS.
	BaseURL string
	// JoinLinks emits the self and next links as one comma-joined Link header instead of
	// Okta's two separate header lines.
	JoinLinks bool
	// RateLimit is the number of /api/v1/logs requests allowed per window; 0 means unlimited.
	RateLimit int
	// RateWindow is the rate-limit window (default 60s). A window starts at the first request
	// after the previous one expired, as Okta's do (not aligned to the clock).
	RateWindow time.Duration
	// MaxConcurrent is the number of requests allowed in flight; 0 means unlimited. Over it the
	// simulator answers 429 with X-Rate-Limit-Limit and -Remaining 0, like Okta's concurrency limit.
	MaxConcurrent int
	// Faults to inject from the start; see SetFaults to change them at runtime.
	Faults Faults
	// Seed seeds the fault draws and the event generator, so runs are reproducible.
	Seed uint64
	// OAuth, when set, registers an OAuth 2.0 service app: POST /oauth2/v1/token issues it access
	// tokens and /api/v1/logs accepts them (see OAuthApp). Authorize, when set, still takes precedence.
	OAuth *OAuthApp
	// Admin is the admin user Token was issued for, as the management calls answer it (management.go);
	// nil: DefaultAdmin, a read-only administrator.
	Admin *Admin

	oauth *oauthServer // the token endpoint's state, made by normalize from OAuth
}

// unlimitedRate is the X-Rate-Limit-Limit advertised when Options.RateLimit is 0.
const unlimitedRate = 1_000_000

func (o *Options) normalize() error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RateWindow == 0 {
		o.RateWindow = time.Minute
	}
	if o.RateWindow < 0 || o.RateLimit < 0 || o.MaxConcurrent < 0 {
		return errors.New("oktasim: negative RateWindow, RateLimit or MaxConcurrent")
	}
	if o.BaseURL != "" {
		u, err := url.Parse(o.BaseURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return errors.New("oktasim: BaseURL must be an absolute URL like https://example.okta.com")
		}
	}
	if o.OAuth != nil {
		srv, err := newOAuthServer(*o.OAuth, o.Now)
		if err != nil {
			return err
		}
		o.oauth = srv
	}
	return o.Faults.validate()
}
