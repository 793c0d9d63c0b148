package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/datableio/oktareceiver/internal/okta"
)

// Checks of settings that would pass a type check but could never work: a token that cannot be sent in an
// HTTP header, a header that would replace the credential, a proxy URL the HTTP client cannot use.

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

// validateProxyURL refuses a `proxy_url` that the HTTP client cannot use: not an absolute URL, or a scheme
// Go's HTTP client does not speak.
func validateProxyURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.ParseRequestURI(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("`proxy_url` %q is not an absolute URL: write e.g. proxy_url: http://proxy.example.com:3128", redactedProxy(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
		return nil
	}
	return fmt.Errorf("`proxy_url` has scheme %q, which the HTTP client does not speak: use http://, https:// or socks5://, e.g. proxy_url: http://proxy.example.com:3128", u.Scheme)
}

// redactedProxy drops what may be a password from a proxy URL that is quoted in an error.
func redactedProxy(raw string) string {
	if at := strings.LastIndexByte(raw, '@'); at >= 0 {
		return "…@" + raw[at+1:]
	}
	return raw
}
