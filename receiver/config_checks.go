package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/okta"
)

// Checks of settings that would pass a type check but could never work, or would void what the receiver
// promises: a token that cannot be sent in an HTTP header, a header or an authenticator that would replace
// the credential, a proxy URL the HTTP client cannot use, a TLS setting that lets the credential go to
// whoever answers for the org.

// validateAPIToken refuses a token that cannot be sent. Whitespace around it (a trailing newline from
// ${file:…} or a Kubernetes Secret) is not an error: the factory trims it and says so.
func validateAPIToken(token configopaque.String) error {
	if token == "" {
		return nil
	}
	trimmed := strings.TrimSpace(string(token))
	if trimmed == "" {
		return errors.New("`api_token` holds only whitespace: set it to the Okta API token, e.g. api_token: ${env:OKTA_API_TOKEN}")
	}
	if problem := okta.APITokenProblem(trimmed); problem != "" {
		return fmt.Errorf("`api_token` %s", problem)
	}
	return nil
}

// validateTokenFile reads `api_token_file` as the receiver will, so that `validate` catches a file that
// can never work (a device, a named pipe, a huge or multi-line file). A file that does not exist yet or
// that this user may not read is left to the start: `validate` may run on another machine, or as another
// user, than the collector.
func validateTokenFile(path string) error {
	if path == "" {
		return nil
	}
	err := okta.CheckTokenFile(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil
	}
	return err
}

// credentialHeaders are the headers the receiver sets from its credentials: a `headers` entry would
// replace them (confighttp sets `headers` on every request, after the receiver).
var credentialHeaders = []string{"Authorization", "DPoP"}

// validateHeaders refuses headers that every request would fail with (a name that is not an HTTP token,
// a value with a line break or another control character) and headers that would replace the credential.
// Values are never quoted: they may be secret.
func validateHeaders(headers configopaque.MapList) []error {
	var errs []error
	for name, value := range headers.Iter {
		switch {
		case !validHeaderName(name):
			errs = append(errs, fmt.Errorf("`headers` has the name %q, which is not an HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only): fix or remove it", name))
			continue
		case isCredentialHeader(name):
			errs = append(errs, fmt.Errorf("`headers` sets %s, which the receiver sets from its credentials: remove it, and put the credential in `api_token`, `api_token_file` or `oauth`", name))
			continue
		}
		for i := 0; i < len(value); i++ {
			if c := value[i]; (c < 0x20 && c != '\t') || c == 0x7f {
				errs = append(errs, fmt.Errorf("`headers` %s has a control character (byte 0x%02x at %d) in its value, which HTTP does not allow: every request would fail; remove it (a trailing newline from ${file:…}?)", name, c, i))
				break
			}
		}
	}
	return errs
}

func isCredentialHeader(name string) bool {
	for _, h := range credentialHeaders {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// validHeaderName reports whether name is an HTTP token (RFC 9110 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validateProxyURL refuses a `proxy_url` that the HTTP client cannot use: not an absolute URL, a scheme Go's
// HTTP client does not speak, or a port that is not one. A proxy's user and password are fine (the proxy
// asks for them), but no error quotes them.
func validateProxyURL(raw string) error {
	if raw == "" {
		return nil
	}
	quoted := withoutUserinfo(raw)
	u, err := url.ParseRequestURI(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("`proxy_url` %q is not an absolute URL: write e.g. proxy_url: http://proxy.example.com:3128", quoted)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return fmt.Errorf("`proxy_url` has scheme %q, which the HTTP client does not speak: use http://, https:// or socks5://, e.g. proxy_url: http://proxy.example.com:3128", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("`proxy_url` %q has port %s, which is not a TCP port (1 to 65535): write e.g. proxy_url: http://proxy.example.com:3128", quoted, p)
		}
	}
	return nil
}

// withoutUserinfo is raw as an error may quote it: whatever stands before its last `@` (a password, even
// one with a `/` or `#` in it that makes the URL parse otherwise) is replaced by an ellipsis, the scheme
// kept.
func withoutUserinfo(raw string) string {
	at := strings.LastIndexByte(raw, '@')
	if at < 0 {
		return raw
	}
	scheme := ""
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		scheme = raw[:i+len("://")]
	}
	return scheme + "…@" + raw[at+1:]
}

// validateAuth refuses the HTTP client's `auth` (an authenticator extension): it would set or replace the
// `Authorization` header on every request, as a `headers` entry would, outside the receiver's own handling
// of the credential (the redaction of errors, a 401 that re-reads api_token_file, the OAuth app's client
// assertion with its key and DPoP, which no authenticator extension makes).
func validateAuth(auth configoptional.Optional[configauth.Config]) error {
	if !auth.HasValue() {
		return nil
	}
	return fmt.Errorf("`auth` (authenticator %s) cannot supply the okta receiver's credential: Okta's System Log takes an API token or an OAuth service app's access token, which the receiver gets itself with the app's private key; remove `auth` and set `api_token` (e.g. api_token: ${env:OKTA_API_TOKEN}), `api_token_file` or `oauth` (client_id and private_key_file)",
		auth.Get().AuthenticatorID)
}

// warnVoidedTLS says, at start, what a `tls` setting that weakens the check of the org's certificate gives
// up: with it, whoever answers for the org's address (a proxy, a spoofed DNS answer, anyone on the path) can
// take the credential and send events of its choosing.
func warnVoidedTLS(tls configtls.ClientConfig, org *url.URL, logger *zap.Logger) {
	if tls.InsecureSkipVerify {
		logger.Warn("`tls.insecure_skip_verify` is true: the org's TLS certificate is not checked, so the org's identity is not either and the credential goes to whoever answers for its address (a proxy, a spoofed DNS answer, anyone on the path), who can also send events of its choosing; the credential no longer stays on the org. Remove it; for a TLS-inspecting proxy, give its CA in `tls.ca_file` instead",
			zap.String("org", org.Host))
	}
	if tls.ServerName != "" && !strings.EqualFold(tls.ServerName, org.Hostname()) {
		logger.Warn("`tls.server_name_override` differs from the org's domain: the certificate checked is that of the name it gives, not the org's, so the credential goes to whoever holds a certificate for that name and answers for the org's address. Remove it unless that name is truly the org's",
			zap.String("org", org.Host), zap.String("server_name_override", tls.ServerName))
	}
}
