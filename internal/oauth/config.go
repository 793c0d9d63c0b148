// Package oauth authenticates the receiver to Okta as an OAuth 2.0 service app: the client credentials
// grant with a private_key_jwt client assertion, and optionally DPoP (RFC 9449) proofs of possession.
//
// An *Authorizer is an okta.Authorizer. It fetches an access token from the org authorization server
// (POST {org}/oauth2/v1/token) the first time it authorizes a request, caches it, and fetches the next one
// lazily, inside Authorize, before the cached one expires. Nothing runs in the background, so there is
// nothing to shut down. Failures to get a token are *TokenError values that say what to change in Okta's
// admin console or in the configuration, and whether only such a change can fix them (Permanent).
//
// No error or log line ever holds the private key, a client assertion, a DPoP proof or an access token.
package oauth // import "github.com/datableio/oktareceiver/internal/oauth"

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.opentelemetry.io/collector/config/configopaque"
)

// DefaultScope is the scope the receiver needs, read the System Log: the default of `scopes`.
const DefaultScope = "okta.logs.read"

// Config is the `oauth:` section of the receiver's configuration.
type Config struct {
	// ClientID is the Client ID of the API Services app in Okta.
	ClientID string `mapstructure:"client_id"`
	// PrivateKey is the app's private key inline: PEM (PKCS#1, PKCS#8 or SEC 1) or a private JWK (JSON).
	PrivateKey configopaque.String `mapstructure:"private_key"`
	// PrivateKeyFile is the path of a file holding the private key, in the same formats.
	PrivateKeyFile string `mapstructure:"private_key_file"`
	// KeyID is the `kid` of the app's public key in Okta; optional (a JWK's own kid is used when empty).
	KeyID string `mapstructure:"key_id"`
	// Scopes to request, at least one (the receiver's default is [okta.logs.read]).
	Scopes []string `mapstructure:"scopes"`
	// DPoP makes the receiver prove possession of a key with every request (RFC 9449). It must match the
	// app's "Require Demonstrating Proof of Possession (DPoP) header in token requests" setting in Okta.
	DPoP bool `mapstructure:"dpop"`
}

// Validate checks the section and the key: it loads the private key (inline, or from private_key_file) and
// checks that Okta can use it for client assertions, so that `validate` catches a public key, an encrypted
// PEM, an Ed25519, DSA or short RSA key. A key file that does not exist or that this user may not read is
// left to the start: `validate` may run on another machine, or as another user, than the collector. Its
// messages name the key to change and never hold key material.
func (c *Config) Validate() error {
	errs := c.validateFields()
	if len(errs) == 0 {
		if _, err := loadKey(c); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validateFields checks the section without reading the key.
func (c *Config) validateFields() []error {
	var errs []error
	if strings.TrimSpace(c.ClientID) == "" {
		errs = append(errs, errors.New("`client_id` is required: the Client ID of the API Services app in the Okta admin console (Applications > Applications > your app > General)"))
	} else if problem := idProblem(c.ClientID, false); problem != "" {
		errs = append(errs, fmt.Errorf("`client_id` %s: copy the Client ID exactly as the Okta admin console shows it", problem))
	}
	hasKey, hasFile := strings.TrimSpace(string(c.PrivateKey)) != "", strings.TrimSpace(c.PrivateKeyFile) != ""
	switch {
	case hasKey && hasFile:
		errs = append(errs, errors.New("both `private_key` and `private_key_file` are set: keep only one"))
	case !hasKey && !hasFile:
		errs = append(errs, errors.New("no private key: set `private_key_file` to the path of the app's private key (PEM or JWK), or `private_key` to the key itself"))
	}
	if len(c.Scopes) == 0 {
		errs = append(errs, errors.New("`scopes` is empty: list the scopes to request, e.g. [okta.logs.read], or leave `scopes` out for that default"))
	}
	for _, s := range c.Scopes {
		if s == "" || idProblem(s, false) != "" {
			errs = append(errs, errors.New("`scopes` has an empty entry or one with whitespace or control characters: list one scope per entry, e.g. [okta.logs.read]"))
			break
		}
	}
	if problem := idProblem(c.KeyID, true); problem != "" {
		errs = append(errs, fmt.Errorf("`key_id` %s: copy the KID exactly as the app's Public Keys list in Okta shows it", problem))
	}
	return errs
}

// idProblem says why s cannot be an identifier Okta shows (a Client ID, a scope, a key's KID): it holds
// whitespace or a control character, or (unless nonASCII) a character outside ASCII. "" when it can.
func idProblem(s string, nonASCII bool) string {
	for i, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			return "contains whitespace"
		case unicode.IsControl(r) || r == utf8.RuneError:
			return fmt.Sprintf("contains a control character (at byte %d)", i)
		case r > unicode.MaxASCII && !nonASCII:
			return fmt.Sprintf("contains a character outside ASCII (at byte %d)", i)
		}
	}
	return ""
}
