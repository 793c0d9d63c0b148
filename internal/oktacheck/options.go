package oktacheck

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/receiver"
)

// Options say which org to check and with which credential: exactly one of APIToken, APITokenFile and
// OAuth.
type Options struct {
	// Endpoint is the org, as the receiver's `endpoint`: example.okta.com or https://example.okta.com.
	Endpoint string
	// APIToken is an API token (the command reads it from OKTA_API_TOKEN, never from a flag).
	APIToken string
	// APITokenFile is a file holding the token, as `api_token_file`.
	APITokenFile string
	// OAuth is an OAuth service app, as the receiver's `oauth` section.
	OAuth *oauth.Config
	// ProxyURL is the receiver's `proxy_url`; empty: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as the receiver.
	ProxyURL string
	// CAFile is the receiver's `tls.ca_file`: the authority of a proxy that inspects TLS, or of a test org.
	CAFile string
	// Events is how many of the newest events to show (1–1000); 0: DefaultEvents.
	Events int
	// Timeout bounds each request; 0: DefaultTimeout.
	Timeout time.Duration
	// Now is this host's clock; nil: time.Now.
	Now func() time.Time
	// LookupHost resolves a host name; nil: the system resolver.
	LookupHost func(ctx context.Context, host string) ([]string, error)
	// UserAgent is sent with every request; empty: DefaultUserAgent.
	UserAgent string
}

// Defaults of Options.
const (
	DefaultEvents  = 5
	DefaultTimeout = 30 * time.Second
	// DefaultUserAgent names the checker, so that an org's admin can tell its requests from the collector's.
	DefaultUserAgent = "datable-oktacheck"
	maxEvents        = 1000
)

// setup is what a check needs, built exactly as the receiver builds it.
type setup struct {
	org    *url.URL
	hc     *http.Client
	auth   okta.Authorizer
	client *okta.Client
	// red knows every credential sent (the token, the OAuth access token, the DPoP proofs): what is printed
	// passes through it.
	red *okta.Redactor
	// proxy is the proxy the requests go through, nil for none; proxyFrom says where it was set.
	proxy     *url.URL
	proxyFrom string
}

// credentialProblem says what is wrong with the choice of credential, with the oktacheck way to fix it.
func (o *Options) credentialProblem() string {
	n := 0
	for _, set := range []bool{o.APIToken != "", o.APITokenFile != "", o.OAuth != nil} {
		if set {
			n++
		}
	}
	switch n {
	case 0:
		return "no credential: set OKTA_API_TOKEN to an API token (export OKTA_API_TOKEN, or read it from a file with --api-token-file), or give an OAuth service app with --client-id and --private-key-file"
	case 1:
		return ""
	default:
		return "more than one credential (OKTA_API_TOKEN, --api-token-file, --client-id): give exactly one, as the receiver takes exactly one"
	}
}

// authName names the credential without its value.
func (o *Options) authName() string {
	switch {
	case o.OAuth != nil:
		name := "OAuth service app " + o.OAuth.ClientID
		if o.OAuth.DPoP {
			name += " with DPoP"
		}
		return name
	case o.APITokenFile != "":
		return "API token from " + o.APITokenFile
	}
	return "API token from OKTA_API_TOKEN"
}

// prepare checks the options as the receiver's configuration would be checked, and builds the HTTP client,
// the authorizer and the Okta client the way the receiver does. The problems it returns are lines of text.
// Every answer's Date is told to tr.
func (o *Options) prepare(ctx context.Context, tr *trace) (*setup, []string) {
	if p := o.credentialProblem(); p != "" {
		return nil, []string{p}
	}
	f := receiver.NewFactory()
	cfg := f.CreateDefaultConfig().(*receiver.Config)
	cfg.ClientConfig.Endpoint = o.Endpoint
	cfg.ClientConfig.ProxyURL = o.ProxyURL
	cfg.ClientConfig.TLS.CAFile = o.CAFile
	cfg.APIToken = configopaque.String(strings.TrimSpace(o.APIToken))
	cfg.APITokenFile = o.APITokenFile
	if o.OAuth != nil {
		// The app on top of the receiver's defaults for an `oauth` section (its scopes), as the receiver reads it.
		app := cfg.OAuth.GetOrInsertDefault()
		defaultScopes := app.Scopes
		*app = *o.OAuth
		if len(app.Scopes) == 0 {
			app.Scopes = defaultScopes
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, splitErrors(err)
	}
	org, err := orgURL(o.Endpoint)
	if err != nil {
		return nil, []string{err.Error()}
	}
	hc, err := cfg.ClientConfig.ToClient(ctx, nil, component.TelemetrySettings{Logger: zap.NewNop()})
	if err != nil {
		return nil, []string{fmt.Sprintf("building the HTTP client: %v: check --proxy-url and --ca-file", err)}
	}
	hc.Timeout = o.timeout()
	hc.Transport = &dateRecorder{next: hc.Transport, now: o.now, tr: tr}
	s := &setup{org: org, hc: hc}
	switch {
	case cfg.OAuth.HasValue():
		a, err := oauth.New(*cfg.OAuth.Get(), org, hc, nil, o.now)
		if err != nil {
			return nil, splitErrors(err)
		}
		s.auth = a
	case o.APITokenFile != "":
		tf, err := okta.NewTokenFile(o.APITokenFile)
		if err != nil {
			return nil, []string{err.Error()}
		}
		s.auth = tf
	default:
		s.auth = okta.APIToken{Token: cfg.APIToken}
	}
	s.red = &okta.Redactor{}
	s.red.Add(string(cfg.APIToken))
	s.client = okta.NewClient(org, hc, &recordingAuth{inner: s.auth, red: s.red}, o.userAgent(), cfg.MaxResponseBodySize)
	s.proxy, s.proxyFrom = o.proxyFor(org)
	return s, nil
}

// proxyFor is the proxy a request to org goes through, as the receiver's HTTP client decides it: `proxy_url`,
// else the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
func (o *Options) proxyFor(org *url.URL) (*url.URL, string) {
	if o.ProxyURL != "" {
		u, err := url.Parse(o.ProxyURL)
		if err == nil {
			return u, "--proxy-url"
		}
	}
	u, err := http.ProxyFromEnvironment(&http.Request{URL: org.JoinPath(okta.LogsPath)})
	if err != nil || u == nil {
		return nil, ""
	}
	return u, "the environment (HTTPS_PROXY / HTTP_PROXY)"
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o *Options) events() int {
	switch {
	case o.Events <= 0:
		return DefaultEvents
	case o.Events > maxEvents:
		return maxEvents
	}
	return o.Events
}

func (o *Options) userAgent() string {
	if o.UserAgent != "" {
		return o.UserAgent
	}
	return DefaultUserAgent
}

// orgURL is the org's base URL for an endpoint the receiver's configuration accepted: a bare domain is
// https://domain.
func orgURL(endpoint string) (*url.URL, error) {
	raw := endpoint
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--endpoint %q: %w", endpoint, err)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// splitErrors turns a joined error into its lines.
func splitErrors(err error) []string {
	var lines []string
	for l := range strings.SplitSeq(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		lines = append(lines, fmt.Sprintf("refused without a reason (%q)", err.Error()))
	}
	return lines
}

// recordingAuth is the configured authorizer, telling red of every credential it sets on a request (the
// credential after the Authorization scheme, and the DPoP proof), so that none of them is ever printed,
// even one a server echoes in an event.
type recordingAuth struct {
	inner okta.Authorizer
	red   *okta.Redactor
}

func (a *recordingAuth) Authorize(req *http.Request) error {
	if err := a.inner.Authorize(req); err != nil {
		return err
	}
	_, cred, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	a.red.Add(strings.TrimSpace(cred), req.Header.Get("DPoP"))
	return nil
}

func (a *recordingAuth) Rejected(resp *http.Response) bool { return a.inner.Rejected(resp) }

// UnauthorizedHint and ForbiddenHint are the configured authorizer's fixes, which the client puts in its
// errors.
func (a *recordingAuth) UnauthorizedHint() string {
	if h, ok := a.inner.(okta.CredentialHints); ok {
		return h.UnauthorizedHint()
	}
	return ""
}

func (a *recordingAuth) ForbiddenHint() string {
	if h, ok := a.inner.(okta.CredentialHints); ok {
		return h.ForbiddenHint()
	}
	return ""
}
