package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

// Limits that Okta itself enforces on the System Log API.
const (
	maxPageSize        = 1000
	maxLookback        = 180 * 24 * time.Hour
	maxQueryKeywords   = 10
	maxQueryKeywordLen = 40
	// maxShutdownTimeout keeps a stop within what a supervisor waits (Kubernetes: 30 s by default).
	maxShutdownTimeout = 25 * time.Second
	maxPagesInFlight   = 1000
	// minResponseBodySize is the smallest cap on a response body that still holds a full page of large events.
	minResponseBodySize = 1 << 20
)

// Config is the okta receiver's configuration.
type Config struct {
	// ClientConfig holds the org's endpoint and the HTTP client settings (timeout, proxy_url, tls, headers).
	ClientConfig confighttp.ClientConfig `mapstructure:",squash"`

	// APIToken is an Okta API token, sent as `Authorization: SSWS <token>`.
	APIToken configopaque.String `mapstructure:"api_token"`

	// APITokenFile is a file holding the API token; it is read again when it changes or Okta answers 401.
	APITokenFile string `mapstructure:"api_token_file"`

	// APITokenID is the id of the API token (00T…, as Okta shows it and oktacheck prints it): an event made
	// with the token that is not a read of the System Log gets okta.security.collector_credential_used.
	APITokenID string `mapstructure:"api_token_id"`

	// OAuth authenticates as an OAuth 2.0 service app (client credentials with a private key JWT, optionally
	// DPoP-bound) instead of an API token. Set when the YAML has an `oauth` section, on top of its defaults
	// (scopes).
	OAuth configoptional.Optional[oauth.Config] `mapstructure:"oauth"`

	// PollInterval is the wait after a page that was not full; a full page is followed at once.
	PollInterval time.Duration `mapstructure:"poll_interval"`

	// InitialLookback is how far back the first start (no checkpoint) begins.
	InitialLookback time.Duration `mapstructure:"initial_lookback"`

	// PageSize is the `limit` parameter of each request.
	PageSize int `mapstructure:"page_size"`

	// RateLimitBudget is the share of the org's rate-limit window the receiver may use, in (0, 1]. The window is
	// shared by every client of the org; the receiver stops before the window's use passes this share.
	RateLimitBudget float64 `mapstructure:"rate_limit_budget"`

	// MaxResponseBodySize caps one response body, in bytes: a larger answer is an error, never an
	// out-of-memory.
	MaxResponseBodySize int64 `mapstructure:"max_response_body_size"`

	// Filter is Okta's SCIM `filter` expression.
	Filter string `mapstructure:"filter"`

	// Query is Okta's keyword search `q`.
	Query string `mapstructure:"query"`

	// Storage is the id of a storage extension that keeps the receiver's place across restarts.
	Storage *component.ID `mapstructure:"storage"`

	// Body is "map" (the event as a structured map), "raw" (the event's exact JSON text) or "ocsf" (the
	// event as an OCSF 1.8.0 event, a map).
	Body mapping.BodyMode `mapstructure:"body"`

	// BackOff is the wait between retries of a failed request or a refused page.
	// The receiver never gives up: max_elapsed_time is not used.
	BackOff configretry.BackOffConfig `mapstructure:"retry_on_failure"`

	// ShutdownTimeout bounds how long shutdown waits for a page the pipeline has not accepted yet; such a
	// page is not checkpointed and is read again at the next start.
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout"`

	// PagesInFlight is how many pages all okta receivers of the collector hold at once, together: from when
	// Okta's answer begins to arrive until the pipeline accepted the page. The largest value among the
	// receivers applies.
	PagesInFlight int `mapstructure:"pages_in_flight"`

	// prevent unkeyed literal initialization
	_ struct{}
}

var _ component.Config = (*Config)(nil)

// Validate checks the configuration; every message names the key and what to write instead.
func (c *Config) Validate() error {
	var errs []error
	if _, err := orgURL(c.ClientConfig.Endpoint); err != nil {
		errs = append(errs, keyed(err, "endpoint"))
	}
	if err := c.validateCredentials(); err != nil {
		errs = append(errs, keyed(err, "api_token", "api_token_file", "oauth"))
	}
	errs = append(errs, keyed(validateAPIToken(c.APIToken), "api_token"), keyed(validateTokenFile(c.APITokenFile), "api_token_file"),
		keyed(c.validateAPITokenID(), "api_token_id"))
	for _, err := range validateHeaders(c.ClientConfig.Headers) {
		errs = append(errs, keyed(err, "headers"))
	}
	errs = append(errs, keyed(validateProxyURL(c.ClientConfig.ProxyURL), "proxy_url"), keyed(validateAuth(c.ClientConfig.Auth), "auth"))
	if c.PollInterval <= 0 {
		errs = append(errs, keyed(fmt.Errorf("`poll_interval` must be positive (got %s): write e.g. poll_interval: 15s", c.PollInterval), "poll_interval"))
	}
	if c.InitialLookback <= 0 || c.InitialLookback > maxLookback {
		errs = append(errs, keyed(fmt.Errorf("`initial_lookback` must be more than 0 and at most 180 days (4320h), Okta's limit for `since` (got %s); Okta keeps only 90 days (2160h) of events", c.InitialLookback), "initial_lookback"))
	}
	if c.PageSize < 1 || c.PageSize > maxPageSize {
		errs = append(errs, keyed(fmt.Errorf("`page_size` must be between 1 and 1000 (got %d); 1000 makes the fewest requests", c.PageSize), "page_size"))
	}
	if !(c.RateLimitBudget > 0 && c.RateLimitBudget <= 1) {
		errs = append(errs, keyed(fmt.Errorf("`rate_limit_budget` must be more than 0 and at most 1 (got %v): it is the share of the org's rate limit the receiver may use, e.g. rate_limit_budget: 0.5", c.RateLimitBudget), "rate_limit_budget"))
	}
	if c.MaxResponseBodySize < minResponseBodySize {
		errs = append(errs, keyed(fmt.Errorf("`max_response_body_size` must be at least %d bytes (got %d): a full page of 1000 events takes a few megabytes", minResponseBodySize, c.MaxResponseBodySize), "max_response_body_size"))
	}
	errs = append(errs, keyed(validateFilter(c.Filter), "filter"), keyed(validateQuery(c.Query), "query"), keyed(c.Body.Validate(), "body"))
	switch {
	case c.ClientConfig.Timeout <= 0:
		errs = append(errs, keyed(fmt.Errorf("`timeout` is %s, which means no timeout at all: a server or proxy that never finishes its answer would hold the receiver forever; write e.g. timeout: 60s (longer than Okta's own 30s query limit)", c.ClientConfig.Timeout), "timeout"))
	case c.ClientConfig.Timeout <= 30*time.Second:
		errs = append(errs, keyed(fmt.Errorf("`timeout` must be longer than Okta's own 30s query limit (got %s): write e.g. timeout: 60s", c.ClientConfig.Timeout), "timeout"))
	}
	if c.ShutdownTimeout <= 0 || c.ShutdownTimeout > maxShutdownTimeout {
		errs = append(errs, keyed(fmt.Errorf("`shutdown_timeout` must be more than 0 and at most %s (got %s): it bounds how long a stop waits for the pipeline, e.g. shutdown_timeout: 5s", maxShutdownTimeout, c.ShutdownTimeout), "shutdown_timeout"))
	}
	if c.PagesInFlight < 1 || c.PagesInFlight > maxPagesInFlight {
		errs = append(errs, keyed(fmt.Errorf("`pages_in_flight` must be between 1 and %d (got %d): it is how many pages every okta receiver of the collector holds at once, together, e.g. pages_in_flight: 2", maxPagesInFlight, c.PagesInFlight), "pages_in_flight"))
	}
	if c.BackOff.Enabled && (c.BackOff.InitialInterval <= 0 || c.BackOff.MaxInterval < c.BackOff.InitialInterval) {
		errs = append(errs, keyed(fmt.Errorf("`retry_on_failure` needs 0 < initial_interval <= max_interval (got %s and %s)", c.BackOff.InitialInterval, c.BackOff.MaxInterval), "retry_on_failure"))
	}
	return errors.Join(errs...)
}

// validateAPITokenID checks `api_token_id`: an API token's id, set only with an API token. It never quotes
// the value: a token pasted in its place stays out of the error.
func (c *Config) validateAPITokenID() error {
	switch {
	case c.APITokenID == "":
		return nil
	case c.OAuth.HasValue():
		return errors.New("`api_token_id` names an API token, but the receiver authenticates with `oauth`: remove `api_token_id` (the events of the app are recognised by its `client_id`)")
	}
	if problem := okta.APITokenIDProblem(c.APITokenID); problem != "" {
		return fmt.Errorf("`api_token_id` %s; oktacheck prints the token's id, and Okta shows it in Security > API > Tokens", problem)
	}
	return nil
}

// configError is one mistake in the configuration: the keys it is about, and the message, which names the
// key and what to write instead.
type configError struct {
	keys []string
	err  error
}

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// keyed is err as a mistake about keys; nil for nil.
func keyed(err error, keys ...string) error {
	if err == nil {
		return nil
	}
	return &configError{keys: keys, err: err}
}

// validateCredentials checks that exactly one source of credentials is set.
func (c *Config) validateCredentials() error {
	var set []string
	if c.APIToken != "" {
		set = append(set, "`api_token`")
	}
	if c.APITokenFile != "" {
		set = append(set, "`api_token_file`")
	}
	if c.OAuth.HasValue() {
		set = append(set, "`oauth`")
	}
	switch len(set) {
	case 0:
		return errors.New("no credentials: set `api_token` (e.g. api_token: ${env:OKTA_API_TOKEN}), `api_token_file` (a file holding the token) or `oauth` (an OAuth service app)")
	case 1:
		return nil
	default:
		return fmt.Errorf("%s are all set: set exactly one source of credentials", strings.Join(set, " and "))
	}
}

// orgURL turns `endpoint` into the org's base URL: a bare domain becomes https://domain; http:// is
// accepted only for a loopback host (tests and the simulator). An endpoint with an `@` (a user or a
// password, whatever else is wrong with it) is refused before anything else is checked, without quoting it.
func orgURL(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, errors.New("`endpoint` is required: set it to your Okta org's domain, e.g. endpoint: example.okta.com")
	}
	raw := endpoint
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	if strings.Contains(endpoint, "@") {
		return nil, errors.New("`endpoint` holds an `@`, which only credentials (a user or password) put in an org's address: write the org's domain alone, e.g. endpoint: example.okta.com, and put the credential in `api_token`, `api_token_file` or `oauth`")
	}
	u, err := url.Parse(raw)
	if err != nil && strings.Contains(err.Error(), "invalid port") {
		return nil, fmt.Errorf("`endpoint` %q has a port that is not a number: write the org's domain alone, e.g. endpoint: example.okta.com (Okta listens on 443)", endpoint)
	}
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("`endpoint` %q is not a domain or URL: write your org's domain, e.g. endpoint: example.okta.com", endpoint)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("`endpoint` %q has port %s, which is not a TCP port (1 to 65535): write the org's domain alone, e.g. endpoint: example.okta.com (Okta listens on 443)", endpoint, p)
		}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("`endpoint` %q must be the org alone, without a path or query: write e.g. endpoint: %s", endpoint, u.Host)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("`endpoint` %q uses http://, which would send the token in clear text: write https://%s (http:// is accepted only for a loopback address)", endpoint, u.Host)
		}
	default:
		return nil, fmt.Errorf("`endpoint` %q has scheme %q: write https://%s or the bare domain", endpoint, u.Scheme, u.Host)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validateFilter applies Okta's own rule: the filter may not use `published` (the receiver pages on it).
func validateFilter(filter string) error {
	if filter == "" {
		return nil
	}
	for _, tok := range strings.FieldsFunc(filter, func(r rune) bool {
		return r == ' ' || r == '(' || r == ')' || r == '\t' || r == '\n'
	}) {
		if strings.EqualFold(tok, "published") {
			return fmt.Errorf("`filter` may not use `published` (Okta rejects it, and the receiver pages by time itself): remove it, or use `initial_lookback` to choose where collection starts")
		}
	}
	if strings.Count(filter, `"`)%2 != 0 {
		return fmt.Errorf("`filter` %q has an unmatched quote: write e.g. filter: 'eventType sw \"user.\"'", filter)
	}
	return nil
}

// validateQuery applies Okta's limits on `q`: at most 10 keywords of at most 40 characters each.
func validateQuery(q string) error {
	words := strings.Fields(q)
	if len(words) > maxQueryKeywords {
		return fmt.Errorf("`query` has %d keywords; Okta accepts at most %d: remove some, or use `filter`", len(words), maxQueryKeywords)
	}
	for _, w := range words {
		if n := len([]rune(w)); n > maxQueryKeywordLen {
			return fmt.Errorf("`query` keyword %q is %d characters long; Okta accepts at most %d per keyword", w, n, maxQueryKeywordLen)
		}
	}
	return nil
}
