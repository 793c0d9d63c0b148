package oauth

import (
	"strings"
	"testing"

	"go.opentelemetry.io/collector/config/configopaque"
)

func TestValidate(t *testing.T) {
	const key = "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n"
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none: valid
	}{
		{"inline key", Config{ClientID: clientID, PrivateKey: key}, nil},
		{"key file", Config{ClientID: clientID, PrivateKeyFile: "/etc/otel/okta.pem", DPoP: true, Scopes: []string{"okta.logs.read"}}, nil},
		{"no client_id", Config{PrivateKey: key}, []string{"`client_id` is required", "Client ID"}},
		{"blank client_id", Config{ClientID: "  ", PrivateKey: key}, []string{"`client_id` is required"}},
		{"client_id with space", Config{ClientID: "0oa1 x", PrivateKey: key}, []string{"`client_id` contains whitespace"}},
		{"both keys", Config{ClientID: clientID, PrivateKey: key, PrivateKeyFile: "/k.pem"}, []string{"both `private_key` and `private_key_file`", "keep only one"}},
		{"no key", Config{ClientID: clientID}, []string{"no private key", "`private_key_file`", "`private_key`"}},
		{"blank inline key", Config{ClientID: clientID, PrivateKey: configopaque.String(" \n")}, []string{"no private key"}},
		{"empty scope", Config{ClientID: clientID, PrivateKey: key, Scopes: []string{"okta.logs.read", ""}}, []string{"`scopes`"}},
		{"space-joined scopes", Config{ClientID: clientID, PrivateKey: key, Scopes: []string{"okta.logs.read okta.users.read"}}, []string{"`scopes`", "one scope per entry"}},
		{"key_id with space", Config{ClientID: clientID, PrivateKey: key, KeyID: "a b"}, []string{"`key_id`"}},
		{"several problems at once", Config{PrivateKey: key, PrivateKeyFile: "/k.pem"}, []string{"`client_id` is required", "keep only one"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("valid config refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("invalid config accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			assertNoSecrets(t, "Validate error", err.Error(), "TOPSECRETKEYMATERIAL")
		})
	}
}

func TestDefaultScopes(t *testing.T) {
	if got := (&Config{}).scopes(); len(got) != 1 || got[0] != "okta.logs.read" {
		t.Errorf("default scopes %v", got)
	}
	if got := (&Config{Scopes: []string{"a", "b"}}).scopes(); strings.Join(got, " ") != "a b" {
		t.Errorf("scopes %v", got)
	}
}
