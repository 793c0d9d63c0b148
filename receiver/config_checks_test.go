package receiver

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oauth"
)

// cannotWorkCases are settings that pass a type check but could never work: each is refused with the
// whole message that names the key and the fix.
func cannotWorkCases(t *testing.T) []struct {
	name   string
	change func(*Config)
	want   []string
} {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	twoLines := filepath.Join(dir, "two-lines")
	require.NoError(t, os.WriteFile(twoLines, []byte("secret-token-value\nmore\n"), 0o600))
	good := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(good, []byte("secret-token-value\n"), 0o600))
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	require.NoError(t, err)
	publicKey := filepath.Join(dir, "public.pem")
	require.NoError(t, os.WriteFile(publicKey, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	tokenFile := func(path string) func(*Config) {
		return func(c *Config) { c.APIToken, c.APITokenFile = "", path }
	}
	header := func(name, value string) func(*Config) {
		return func(c *Config) {
			c.ClientConfig.Headers = configopaque.MapList{{Name: name, Value: configopaque.String(value)}}
		}
	}
	return []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"no timeout", func(c *Config) { c.ClientConfig.Timeout = 0 }, []string{"`timeout` is 0s, which means no timeout at all: a server or proxy that never finishes its answer would hold the receiver forever; write e.g. timeout: 60s (longer than Okta's own 30s query limit)"}},
		{"negative timeout", func(c *Config) { c.ClientConfig.Timeout = -time.Second }, []string{"`timeout` is -1s, which means no timeout at all"}},
		{"port out of range", func(c *Config) { c.ClientConfig.Endpoint = "example.okta.com:99999" }, []string{"`endpoint` \"example.okta.com:99999\" has port 99999, which is not a TCP port (1 to 65535): write the org's domain alone, e.g. endpoint: example.okta.com (Okta listens on 443)"}},
		{"port 0", func(c *Config) { c.ClientConfig.Endpoint = "https://example.okta.com:0" }, []string{"has port 0, which is not a TCP port"}},
		{"port not a number", func(c *Config) { c.ClientConfig.Endpoint = "example.okta.com:https" }, []string{"`endpoint` \"example.okta.com:https\" has a port that is not a number: write the org's domain alone, e.g. endpoint: example.okta.com (Okta listens on 443)"}},
		{"port 443", func(c *Config) { c.ClientConfig.Endpoint = "example.okta.com:443" }, nil},
		{"token with a trailing newline", func(c *Config) { c.APIToken = "secret-token-value\n" }, nil},
		{"token of whitespace only", func(c *Config) { c.APIToken = " \n" }, []string{"`api_token` holds only whitespace: set it to the Okta API token, e.g. api_token: ${env:OKTA_API_TOKEN}"}},
		{"token with inner space", func(c *Config) { c.APIToken = "secret-token-value more" }, []string{"`api_token` has whitespace inside it (at byte 18): copy the token alone, without spaces"}},
		{"token of two lines", func(c *Config) { c.APIToken = "secret-token-value\nmore" }, []string{"`api_token` has a line break inside it (at byte 18): it must be one line, the token alone"}},
		{"token with a control character", func(c *Config) { c.APIToken = "secret-token-value\x00" }, []string{"`api_token` has a control character inside it (at byte 18): copy the token alone"}},
		{"token with a non-ASCII character", func(c *Config) { c.APIToken = "secret-token-value…" }, []string{"`api_token` has a character outside ASCII inside it (at byte 18), which a token never has: copy it again from Okta"}},
		{"token far too long", func(c *Config) { c.APIToken = configopaque.String(strings.Repeat("x", 5000)) }, []string{"`api_token` is 5000 bytes long; an Okta API token is about 42 characters (is it the right value?)"}},
		{"token file", tokenFile(good), nil},
		{"token file not there yet", tokenFile(filepath.Join(dir, "missing")), nil},
		{"token file /dev/zero", tokenFile("/dev/zero"), []string{"`api_token_file` /dev/zero is a device, not a regular file; point it at a regular file that holds the Okta API token alone"}},
		{"token file a named pipe", tokenFile(fifo), []string{"`api_token_file` " + fifo + " is a named pipe (FIFO), not a regular file; point it at a regular file that holds the Okta API token alone"}},
		{"token file of two lines", tokenFile(twoLines), []string{"`api_token_file` " + twoLines + " holds more than one line; it must hold the Okta API token alone, on one line"}},
		{"header", header("X-Tenant", "secret-header-value"), nil},
		{"header with a newline", header("X-Tenant", "secret-header-value\n"), []string{"`headers` X-Tenant has a control character (byte 0x0a at 19) in its value, which HTTP does not allow: every request would fail; remove it (a trailing newline from ${file:…}?)"}},
		{"header with a bad name", header("X Tenant", "secret-header-value"), []string{"`headers` has the name \"X Tenant\", which is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only): fix or remove it"}},
		{"header replacing the credential", header("authorization", "SSWS secret-header-value"), []string{"`headers` sets authorization, which the receiver sets from its credentials: remove it, and put the credential in `api_token`, `api_token_file` or `oauth`"}},
		{"DPoP header", header("DPoP", "secret-header-value"), []string{"`headers` sets DPoP"}},
		{"oauth with a public key", func(c *Config) {
			c.APIToken, c.OAuth = "", configoptional.Some(oauth.Config{ClientID: "0oaexample", PrivateKeyFile: publicKey, Scopes: []string{oauth.DefaultScope}})
		}, []string{"`private_key_file` (" + publicKey + "): this is a public key (PUBLIC KEY): the receiver needs the private key; the public half is what you register in Okta"}},
		{"oauth key_id with a control character", func(c *Config) {
			c.APIToken, c.OAuth = "", configoptional.Some(oauth.Config{ClientID: "0oaexample", PrivateKeyFile: "/not/there.pem", KeyID: "kid\x00", Scopes: []string{oauth.DefaultScope}})
		}, []string{"`key_id` contains a control character (at byte 3): copy the KID exactly as the app's Public Keys list in Okta shows it"}},
		{"proxy", func(c *Config) { c.ClientConfig.ProxyURL = "http://proxy.example.com:3128" }, nil},
		{"proxy without a scheme", func(c *Config) { c.ClientConfig.ProxyURL = "proxy.example.com:3128" }, []string{"`proxy_url` \"proxy.example.com:3128\" is not an absolute URL: write e.g. proxy_url: http://proxy.example.com:3128"}},
		{"proxy of another scheme", func(c *Config) { c.ClientConfig.ProxyURL = "ftp://proxy.example.com" }, []string{"`proxy_url` has scheme \"ftp\", which the HTTP client does not speak: use http://, https:// or socks5://, e.g. proxy_url: http://proxy.example.com:3128"}},
		{"proxy not a URL", func(c *Config) { c.ClientConfig.ProxyURL = "user:secret-header-value@proxy" }, []string{"`proxy_url` \"…@proxy\" is not an absolute URL: write e.g. proxy_url: http://proxy.example.com:3128"}},
	}
}

// A token with whitespace around it is sent without it, and the log says so without the token.
func TestFactoryTrimsTokenAndSaysSo(t *testing.T) {
	for name, tt := range map[string]struct {
		token    configopaque.String
		warnings int
	}{
		"trailing newline": {"secret-token-value\n", 1},
		"spaces around":    {"  secret-token-value ", 1},
		"clean":            {"secret-token-value", 0},
	} {
		t.Run(name, func(t *testing.T) {
			sent := make(chan string, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case sent <- r.Header.Get("Authorization"):
				default:
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte("[]"))
			}))
			defer srv.Close()
			cfg := createDefaultConfig().(*Config)
			cfg.ClientConfig.Endpoint = srv.URL
			cfg.APIToken = tt.token
			require.NoError(t, cfg.Validate())
			core, logs := observer.New(zapcore.InfoLevel)
			set := receivertest.NewNopSettings(metadata.Type)
			set.Logger = zap.New(core)
			r, err := NewFactory().CreateLogs(context.Background(), set, cfg, consumertest.NewNop())
			require.NoError(t, err)
			require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
			defer func() { require.NoError(t, r.Shutdown(context.Background())) }()
			select {
			case got := <-sent:
				assert.Equal(t, "SSWS secret-token-value", got)
			case <-time.After(10 * time.Second):
				t.Fatal("no request")
			}
			warned := logs.FilterMessageSnippet("`api_token` has whitespace around it").All()
			require.Len(t, warned, tt.warnings)
			for _, e := range warned {
				assert.Equal(t, zapcore.WarnLevel, e.Level)
				assert.Equal(t, int64(len(tt.token)-len("secret-token-value")), e.ContextMap()["whitespace_bytes_removed"])
			}
			for _, e := range logs.All() {
				assert.NotContains(t, fmt.Sprint(e.Message, e.ContextMap()), "secret-token-value")
			}
		})
	}
}

// Every error about `endpoint` or `proxy_url` is refused without quoting a password inside it, whatever
// else is wrong with the URL, and whatever the password holds (a `/`, `#` or `?` makes a URL parse
// otherwise, and a password of digits looks like a port).
func TestConfigErrorsNeverQuoteAPassword(t *testing.T) {
	const pieceA, pieceB = "Pw0rdPieceA", "Pw0rdPieceB"
	pw := pieceA + pieceB
	tests := []struct {
		name, endpoint, proxy string
		want                  string // a part of the error
	}{
		{name: "endpoint with a bad port", endpoint: "https://user:" + pw + "@example.okta.com:99999", want: "`endpoint` holds an `@`, which only credentials (a user or password) put in an org's address: write the org's domain alone, e.g. endpoint: example.okta.com, and put the credential in `api_token`, `api_token_file` or `oauth`"},
		{name: "endpoint with a port that is not a number", endpoint: "https://user:" + pw + "@example.okta.com:https", want: "`endpoint` holds an `@`"},
		{name: "endpoint of a bare domain", endpoint: "user:" + pw + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint with a password only", endpoint: "https://:" + pw + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint with a path", endpoint: "https://user:" + pw + "@example.okta.com/api/v1/logs", want: "`endpoint` holds an `@`"},
		{name: "endpoint over http", endpoint: "http://user:" + pw + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint of another scheme", endpoint: "ftp://user:" + pw + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint without a host", endpoint: "https://user:" + pw + "@", want: "`endpoint` holds an `@`"},
		{name: "endpoint, password of digits", endpoint: "https://user:12345678@example.okta.com:99999", want: "`endpoint` holds an `@`"},
		{name: "endpoint, password with a slash", endpoint: "https://user:" + pieceA + "/" + pieceB + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint, password with a slash, bad port", endpoint: "https://user:" + pieceA + "/" + pieceB + "@example.okta.com:99999", want: "`endpoint` holds an `@`"},
		{name: "endpoint, password with a hash", endpoint: "https://user:" + pieceA + "#" + pieceB + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint, password with a question mark", endpoint: "https://user:" + pieceA + "?" + pieceB + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "endpoint, user with a slash", endpoint: "https://" + pieceA + "/x:" + pieceB + "@example.okta.com", want: "`endpoint` holds an `@`"},
		{name: "proxy not absolute", proxy: "user:" + pw + "@proxy.example.com:3128", want: "`proxy_url` \"…@proxy.example.com:3128\" is not an absolute URL"},
		{name: "proxy with a bad port", proxy: "http://user:" + pw + "@proxy.example.com:99999", want: "`proxy_url` \"http://…@proxy.example.com:99999\" has port 99999, which is not a TCP port"},
		{name: "proxy with port 0", proxy: "http://user:" + pw + "@proxy.example.com:0", want: "has port 0, which is not a TCP port"},
		{name: "proxy with a port that is not a number", proxy: "http://user:" + pw + "@proxy.example.com:squid", want: "`proxy_url` \"http://…@proxy.example.com:squid\" is not an absolute URL"},
		{name: "proxy of another scheme", proxy: "ftp://user:" + pw + "@proxy.example.com", want: "`proxy_url` has scheme \"ftp\""},
		{name: "proxy without a host", proxy: "http://user:" + pw + "@", want: "`proxy_url` \"http://…@\" is not an absolute URL"},
		{name: "proxy, password with a slash", proxy: "http://user:" + pieceA + "/" + pieceB + "@proxy.example.com:3128", want: "`proxy_url` \"http://…@proxy.example.com:3128\" is not an absolute URL"},
		{name: "proxy, password with a hash", proxy: "http://user:" + pieceA + "#" + pieceB + "@proxy.example.com:99999", want: "`proxy_url` \"http://…@proxy.example.com:99999\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.ClientConfig.Endpoint = "example.okta.com"
			cfg.APIToken = "secret-token-value"
			if tt.endpoint != "" {
				cfg.ClientConfig.Endpoint = tt.endpoint
			}
			cfg.ClientConfig.ProxyURL = tt.proxy
			err := confmap.Validate(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			for _, secret := range []string{pieceA, pieceB, "12345678"} {
				assert.NotContains(t, err.Error(), secret)
			}
			if tt.endpoint != "" {
				_, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop(), testShared(t))
				require.Error(t, err, "a receiver is never made of it either")
				assert.NotContains(t, err.Error(), pieceA)
				assert.NotContains(t, err.Error(), pieceB)
			}
		})
	}

	// A proxy's user and password are what the proxy asks for: accepted.
	cfg := createDefaultConfig().(*Config)
	cfg.ClientConfig.Endpoint, cfg.APIToken = "example.okta.com", "secret-token-value"
	cfg.ClientConfig.ProxyURL = "http://user:" + pw + "@proxy.example.com:3128"
	require.NoError(t, confmap.Validate(cfg))
}

// The HTTP client's `auth` (an authenticator extension) would set the credential outside the receiver:
// refused with the keys to use instead, alone or beside a credential of the receiver's.
func TestAuthenticatorIsRefusedWithTheFix(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"alone":          func(c *Config) { c.APIToken = "" },
		"beside a token": func(*Config) {},
		"beside oauth, with its own settings": func(c *Config) {
			c.APIToken, c.OAuth = "", configoptional.Some(oauth.Config{ClientID: "0oaexample", PrivateKeyFile: "/not/there.pem", Scopes: []string{oauth.DefaultScope}})
		},
	} {
		t.Run(name, func(t *testing.T) {
			cm := confmap.NewFromStringMap(map[string]any{
				"endpoint": "example.okta.com", "api_token": "secret-token-value",
				"auth": map[string]any{"authenticator": "oauth2client/okta"},
			})
			cfg := createDefaultConfig().(*Config)
			require.NoError(t, cm.Unmarshal(cfg))
			change(cfg)
			err := confmap.Validate(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "`auth` (authenticator oauth2client/okta) cannot supply the okta receiver's credential")
			assert.Contains(t, err.Error(), "remove `auth` and set `api_token` (e.g. api_token: ${env:OKTA_API_TOKEN}), `api_token_file` or `oauth`")
			assert.NotContains(t, err.Error(), "secret-token-value")
		})
	}
}

// A TLS setting that lets the credential go to whoever answers for the org is said at start, with what it
// gives up; the settings that keep the check are not.
func TestTLSThatVoidsTheOrgCheckIsWarnedAtStart(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   []string // parts of the warnings, one per warning
	}{
		{"insecure_skip_verify", func(c *Config) { c.ClientConfig.TLS.InsecureSkipVerify = true }, []string{
			"`tls.insecure_skip_verify` is true: the org's TLS certificate is not checked, so the org's identity is not either and the credential goes to whoever answers for its address",
		}},
		{"server_name_override of another name", func(c *Config) { c.ClientConfig.TLS.ServerName = "proxy.example.com" }, []string{
			"`tls.server_name_override` differs from the org's domain",
		}},
		{"both", func(c *Config) {
			c.ClientConfig.TLS.InsecureSkipVerify = true
			c.ClientConfig.TLS.ServerName = "proxy.example.com"
		}, []string{"`tls.insecure_skip_verify` is true", "`tls.server_name_override` differs"}},
		{"server_name_override of the org's own name", func(c *Config) { c.ClientConfig.TLS.ServerName = "127.0.0.1" }, nil},
		{"defaults", func(*Config) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStepperWith(t, tt.change, answer{})
			warned := s.logs.FilterLevelExact(zapcore.WarnLevel).FilterMessageSnippet("`tls.").All()
			require.Len(t, warned, len(tt.want))
			for i, e := range warned {
				assert.Contains(t, e.Message, tt.want[i])
				assert.Equal(t, s.r.org.Host, e.ContextMap()["org"])
			}
			if len(tt.want) > 0 && strings.Contains(tt.want[0], "insecure_skip_verify") {
				assert.Contains(t, warned[0].Message, "the credential no longer stays on the org")
				assert.Contains(t, warned[0].Message, "`tls.ca_file`", "and the fix")
			}
		})
	}
}
