package receiver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"

	"github.com/datableio/oktareceiver/internal/oauth"
)

func TestAPITokenID(t *testing.T) {
	const token = "00aSecretTokenValue-0123456789abcdefghijk"
	for _, tt := range []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"unset", func(*Config) {}, nil},
		{"an id", func(c *Config) { c.APITokenID = "00T94e3cn9kSEO3c51s5" }, nil},
		{"an id with the token in a file", func(c *Config) {
			c.APIToken, c.APITokenFile, c.APITokenID = "", "/etc/otelcol/okta-token", "00T94e3cn9kSEO3c51s5"
		}, nil},
		{"the token itself", func(c *Config) { c.APITokenID = token }, []string{"`api_token_id` is not an API token's id", "never put it here", "oktacheck prints"}},
		{"another kind of id", func(c *Config) { c.APITokenID = "00u94e3cn9kSEO3c51s5" }, []string{"beginning 00T"}},
		{"a character not in an id", func(c *Config) { c.APITokenID = "00T94e3cn9kSEO3c51-5" }, []string{"not a letter or a digit"}},
		{"with an OAuth app", func(c *Config) {
			c.APIToken, c.APITokenID = "", "00T94e3cn9kSEO3c51s5"
			*c.OAuth.GetOrInsertDefault() = oauth.Config{ClientID: "0oa1", PrivateKey: "k", Scopes: []string{"okta.logs.read"}}
		}, []string{"`api_token_id` names an API token, but the receiver authenticates with `oauth`"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.ClientConfig.Endpoint = "example.okta.com"
			cfg.APIToken = token
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
			assert.NotContains(t, err.Error(), token)
			assert.NotContains(t, err.Error(), cfg.APITokenID, "the value is never quoted")
		})
	}
}
