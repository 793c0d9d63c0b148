package receiver

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oauth"
)

// defaultConfig is the whole configuration a component gets from the keys it does not set, written out
// value by value rather than taken from the factory: a field whose default is not written here fails
// TestLoadConfig.
func defaultConfig() *Config {
	client := confighttp.NewDefaultClientConfig()
	client.Endpoint = "example.okta.com"
	client.Timeout = 60 * time.Second // longer than Okta's 30 s query limit
	backOff := configretry.NewDefaultBackOffConfig()
	backOff.InitialInterval = time.Second
	backOff.MaxInterval = time.Minute
	backOff.MaxElapsedTime = 0 // the receiver never gives up
	return &Config{
		ClientConfig:        client,
		APIToken:            "test-token",
		PollInterval:        15 * time.Second,
		InitialLookback:     24 * time.Hour,
		PageSize:            1000,
		RateLimitBudget:     0.5,
		MaxResponseBodySize: 16 << 20,
		Body:                mapping.BodyMap,
		BackOff:             backOff,
		ShutdownTimeout:     5 * time.Second,
		PagesInFlight:       2,
		// Used only when the YAML has an `oauth` section.
		OAuth: configoptional.Default(oauth.Config{Scopes: []string{"okta.logs.read"}}),
	}
}

// TestLoadConfig reads every component of testdata/config.yaml and compares the whole configuration, or
// the error, with what is expected.
func TestLoadConfig(t *testing.T) {
	fileStorage := component.MustNewID("file_storage")
	tests := []struct {
		id       component.ID
		expected func() *Config
		// errorParts are parts of the error; notInError must not appear in it (a secret).
		errorParts []string
		notInError string
	}{
		{id: component.NewID(metadata.Type), expected: defaultConfig},
		{id: component.NewIDWithName(metadata.Type, "all"), expected: func() *Config {
			c := defaultConfig()
			c.ClientConfig.Endpoint = "https://example.okta.com"
			c.ClientConfig.Timeout = 90 * time.Second
			c.PollInterval = 30 * time.Second
			c.InitialLookback = 72 * time.Hour
			c.PageSize = 500
			c.Filter = `eventType sw "user."`
			c.Query = "login failure"
			c.Storage = &fileStorage
			c.Body = mapping.BodyRaw
			c.BackOff.InitialInterval = 2 * time.Second
			c.BackOff.MaxInterval = 2 * time.Minute
			c.ShutdownTimeout = 10 * time.Second
			c.PagesInFlight = 8
			return c
		}},
		{id: component.NewIDWithName(metadata.Type, "oauth"), expected: func() *Config {
			c := defaultConfig()
			c.APIToken = ""
			c.OAuth = configoptional.Some(oauth.Config{
				ClientID:       "0oa1bcdefgHIJKLMN2x7",
				PrivateKeyFile: "/etc/otelcol/okta-service-app.pem",
				KeyID:          "my-key-1",
				Scopes:         []string{"okta.logs.read"}, // the default
				DPoP:           true,
			})
			return c
		}},
		{id: component.NewIDWithName(metadata.Type, "oauth_scopes"), expected: func() *Config {
			c := defaultConfig()
			c.APIToken = ""
			c.OAuth = configoptional.Some(oauth.Config{
				ClientID:       "0oa1bcdefgHIJKLMN2x7",
				PrivateKeyFile: "/etc/otelcol/okta-service-app.pem",
				Scopes:         []string{"okta.users.read", "okta.logs.read"}, // in place of the default, not added to it
			})
			return c
		}},
		{
			id:         component.NewIDWithName(metadata.Type, "oauth_no_scopes"),
			errorParts: []string{"`scopes` is empty", "leave `scopes` out"},
		},
		{
			id:         component.NewIDWithName(metadata.Type, "token_and_oauth"),
			errorParts: []string{"`api_token` and `oauth` are all set: set exactly one source of credentials"},
		},
		{
			id:         component.NewIDWithName(metadata.Type, "oauth_two_keys"),
			errorParts: []string{"oauth"},
			notInError: "inline-secret-key-material",
		},
		{
			id:         component.NewIDWithName(metadata.Type, "misspelt"),
			errorParts: []string{"`poll_intervall` is not a key of the okta receiver: did you mean `poll_interval`?"},
		},
		{
			id:         component.NewIDWithName(metadata.Type, "misspelt_tls"),
			errorParts: []string{"`tls::insecure_skip_verifyy` is not a key of the okta receiver: did you mean `tls::insecure_skip_verify`?"},
		},
		{
			id:         component.NewIDWithName(metadata.Type, "misspelt_retry"),
			errorParts: []string{"`retry_on_failure::initial_intervall` is not a key of the okta receiver: did you mean `retry_on_failure::initial_interval`?"},
		},
	}
	cm, err := confmaptest.LoadConf(filepath.Join("..", "testdata", "config.yaml"))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			err = sub.Unmarshal(cfg)
			if err == nil {
				err = confmap.Validate(cfg)
			}
			if tt.expected == nil {
				require.Error(t, err)
				for _, part := range tt.errorParts {
					assert.Contains(t, err.Error(), part)
				}
				assert.NotContains(t, err.Error(), "\n", "one line")
				if tt.notInError != "" {
					assert.NotContains(t, err.Error(), tt.notInError)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.expected(), cfg)
		})
	}
}

func TestUnknownKeyMessages(t *testing.T) {
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"endpoint": "example.okta.com"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		conf map[string]any
		want []string // parts of the one-line error, in order
	}{
		{
			name: "top-level key one letter off",
			conf: base(map[string]any{"api_tokn": "secret-token-value"}),
			want: []string{"`api_tokn` is not a key of the okta receiver: did you mean `api_token`?"},
		},
		{
			name: "key in capitals",
			conf: base(map[string]any{"API_TOKEN": "t"}),
			want: []string{"`API_TOKEN` is not a key of the okta receiver: did you mean `api_token`?"},
		},
		{
			name: "key of the HTTP client settings",
			conf: base(map[string]any{"api_token": "t", "proxy_ulr": "http://proxy:3128"}),
			want: []string{"`proxy_ulr` is not a key of the okta receiver: did you mean `proxy_url`?"},
		},
		{
			name: "under oauth",
			conf: base(map[string]any{"oauth": map[string]any{"client_id": "0oa1", "privat_key_file": "/k.pem"}}),
			want: []string{"`oauth::privat_key_file` is not a key of the okta receiver: did you mean `oauth::private_key_file`?"},
		},
		{
			name: "under tls",
			conf: base(map[string]any{"api_token": "t", "tls": map[string]any{"ca_fille": "/ca.pem"}}),
			want: []string{"`tls::ca_fille` is not a key of the okta receiver: did you mean `tls::ca_file`?"},
		},
		{
			name: "under retry_on_failure",
			conf: base(map[string]any{"api_token": "t", "retry_on_failure": map[string]any{"max_intervall": "1m"}}),
			want: []string{"`retry_on_failure::max_intervall` is not a key of the okta receiver: did you mean `retry_on_failure::max_interval`?"},
		},
		{
			name: "in an optional section of the HTTP client",
			conf: base(map[string]any{"api_token": "t", "keepalive": map[string]any{"max_idle_con": 5}}),
			want: []string{"`keepalive::max_idle_con` is not a key of the okta receiver: did you mean `keepalive::max_idle_conns`?"},
		},
		{
			name: "nothing close: the valid keys",
			conf: base(map[string]any{"api_token": "t", "tenant": "acme"}),
			want: []string{"`tenant` is not a key of the okta receiver; its keys are api_token, api_token_file, ", "poll_interval, ", "storage, "},
		},
		{
			name: "nothing close in a section: that section's keys",
			conf: base(map[string]any{"api_token": "t", "oauth": map[string]any{"client_id": "0oa1", "audience": "x"}}),
			want: []string{"`oauth::audience` is not a key of the okta receiver; the keys of `oauth` are client_id, dpop, key_id, private_key, private_key_file, scopes"},
		},
		{
			name: "two unknown keys",
			conf: base(map[string]any{"api_tokn": "t", "tls": map[string]any{"insecure_skip_verifyy": true}}),
			want: []string{"`api_tokn` is not a key of the okta receiver: did you mean `api_token`?; ", "`tls::insecure_skip_verifyy` is not a key of the okta receiver: did you mean `tls::insecure_skip_verify`?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			err := confmap.NewFromStringMap(tt.conf).Unmarshal(cfg)
			require.Error(t, err)
			msg := err.Error()
			assert.NotContains(t, msg, "\n", "one line")
			assert.NotContains(t, msg, "struct {", "no dump of the configuration's type")
			assert.NotContains(t, msg, "secret-token-value")
			rest := msg
			for _, part := range tt.want {
				i := strings.Index(rest, part)
				require.GreaterOrEqual(t, i, 0, "%q\nnot in\n%q", part, msg)
				rest = rest[i+len(part):]
			}
		})
	}
}

func TestKnownKeysAreNotReportedUnknown(t *testing.T) {
	conf := map[string]any{
		"endpoint": "example.okta.com", "api_token": "t", "storage": "file_storage",
		"headers":          map[string]any{"X-Anything": "v"},
		"tls":              map[string]any{"ca_file": "/ca.pem", "insecure_skip_verify": false},
		"retry_on_failure": map[string]any{"initial_interval": "1s"},
		"keepalive":        map[string]any{"idle_conn_timeout": "90s"},
		"auth":             map[string]any{"authenticator": "oauth2client"},
	}
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, confmap.NewFromStringMap(conf).Unmarshal(cfg))
	assert.Empty(t, unknownKeys(conf, reflect.TypeFor[Config](), ""))

	// A value of the wrong type is the collector's error, not an unknown key.
	err := confmap.NewFromStringMap(map[string]any{"endpoint": "example.okta.com", "poll_interval": "soon"}).Unmarshal(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "poll_interval")
	assert.NotContains(t, err.Error(), "is not a key")
}

func TestValidate(t *testing.T) {
	valid := func() *Config {
		cfg := createDefaultConfig().(*Config)
		cfg.ClientConfig.Endpoint = "example.okta.com"
		cfg.APIToken = "secret-token-value"
		return cfg
	}
	tests := []struct {
		name   string
		change func(*Config)
		keys   []string // the keys of each mistake (several keys of one, space-separated); none means valid
	}{
		{"defaults with endpoint and token", func(*Config) {}, nil},
		{"https URL", func(c *Config) { c.ClientConfig.Endpoint = "https://example.okta.com/" }, nil},
		{"custom domain with port", func(c *Config) { c.ClientConfig.Endpoint = "https://sso.example.com:8443" }, nil},
		{"http on loopback", func(c *Config) { c.ClientConfig.Endpoint = "http://127.0.0.1:8080" }, nil},
		{"http on localhost", func(c *Config) { c.ClientConfig.Endpoint = "http://localhost:8080" }, nil},
		{"http on IPv6 loopback", func(c *Config) { c.ClientConfig.Endpoint = "http://[::1]:8080" }, nil},
		{"missing endpoint", func(c *Config) { c.ClientConfig.Endpoint = "" }, []string{"endpoint"}},
		{"http off loopback", func(c *Config) { c.ClientConfig.Endpoint = "http://example.okta.com" }, []string{"endpoint"}},
		{"other scheme", func(c *Config) { c.ClientConfig.Endpoint = "ftp://example.okta.com" }, []string{"endpoint"}},
		{"endpoint with path", func(c *Config) { c.ClientConfig.Endpoint = "https://example.okta.com/api/v1/logs" }, []string{"endpoint"}},
		{"endpoint with credentials", func(c *Config) { c.ClientConfig.Endpoint = "https://user:pw@example.okta.com" }, []string{"endpoint"}},
		{"missing token", func(c *Config) { c.APIToken = "" }, []string{"api_token api_token_file oauth"}},
		{"token file instead", func(c *Config) { c.APIToken = ""; c.APITokenFile = "/etc/otelcol/okta-token" }, nil},
		{"token and token file", func(c *Config) { c.APITokenFile = "/etc/otelcol/okta-token" }, []string{"api_token api_token_file oauth"}},
		{"zero poll interval", func(c *Config) { c.PollInterval = 0 }, []string{"poll_interval"}},
		{"lookback over 180 days", func(c *Config) { c.InitialLookback = 181 * 24 * time.Hour }, []string{"initial_lookback"}},
		{"lookback of exactly 180 days", func(c *Config) { c.InitialLookback = 180 * 24 * time.Hour }, nil},
		{"zero lookback", func(c *Config) { c.InitialLookback = 0 }, []string{"initial_lookback"}},
		{"page size 0", func(c *Config) { c.PageSize = 0 }, []string{"page_size"}},
		{"page size 1001", func(c *Config) { c.PageSize = 1001 }, []string{"page_size"}},
		{"page size 1", func(c *Config) { c.PageSize = 1 }, nil},
		{"filter on published", func(c *Config) { c.Filter = `published gt "2026-01-01T00:00:00Z"` }, []string{"filter"}},
		{"filter on published in parentheses", func(c *Config) { c.Filter = `(eventType eq "a" and (published gt "x"))` }, []string{"filter"}},
		{"filter with unmatched quote", func(c *Config) { c.Filter = `eventType eq "user.session.start` }, []string{"filter"}},
		{"valid filter", func(c *Config) { c.Filter = `eventType sw "user." and outcome.result eq "FAILURE"` }, nil},
		{"query of 10 keywords", func(c *Config) { c.Query = "a b c d e f g h i j" }, nil},
		{"query of 11 keywords", func(c *Config) { c.Query = "a b c d e f g h i j k" }, []string{"query"}},
		{"query keyword of 41 chars", func(c *Config) { c.Query = strings.Repeat("x", 41) }, []string{"query"}},
		{"query keyword of 40 non-ASCII chars", func(c *Config) { c.Query = strings.Repeat("é", 40) }, nil},
		{"budget of 1", func(c *Config) { c.RateLimitBudget = 1 }, nil},
		{"budget of 0", func(c *Config) { c.RateLimitBudget = 0 }, []string{"rate_limit_budget"}},
		{"budget over 1", func(c *Config) { c.RateLimitBudget = 1.5 }, []string{"rate_limit_budget"}},
		{"tiny body cap", func(c *Config) { c.MaxResponseBodySize = 1000 }, []string{"max_response_body_size"}},
		{"ocsf body", func(c *Config) { c.Body = mapping.BodyOCSF }, nil},
		{"unknown body", func(c *Config) { c.Body = "json" }, []string{"body"}},
		{"timeout under Okta's limit", func(c *Config) { c.ClientConfig.Timeout = 10 * time.Second }, []string{"timeout"}},
		{"zero shutdown timeout", func(c *Config) { c.ShutdownTimeout = 0 }, []string{"shutdown_timeout"}},
		{"shutdown timeout past a supervisor's patience", func(c *Config) { c.ShutdownTimeout = time.Minute }, []string{"shutdown_timeout"}},
		{"no pages in flight", func(c *Config) { c.PagesInFlight = 0 }, []string{"pages_in_flight"}},
		{"zero backoff interval", func(c *Config) { c.BackOff.InitialInterval = 0 }, []string{"retry_on_failure"}},
		{"several problems at once", func(c *Config) { c.PageSize = 0; c.Body = "" }, []string{"page_size", "body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.change(cfg)
			err := confmap.Validate(cfg)
			if tt.keys == nil {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, tt.keys, mistakes(err))
		})
	}
	// A setting that passes a type check but could never work is refused with the exact words that say
	// what to write instead.
	for _, tt := range cannotWorkCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.change(cfg)
			err := confmap.Validate(cfg)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, part := range tt.want {
				assert.Contains(t, err.Error(), part)
			}
			assert.NotContains(t, err.Error(), "secret-token-value")
			assert.NotContains(t, err.Error(), "secret-header-value")
		})
	}
}

// mistakes lists the keys of each *configError in err (joined errors included, in order), the keys of one
// mistake space-separated.
func mistakes(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) { //nolint:errorlint // walks the tree of errors itself, one level at a time
		case nil:
		case *configError:
			out = append(out, strings.Join(e.keys, " "))
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	return out
}
