package oauth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"go.opentelemetry.io/collector/config/configopaque"
)

func TestValidate(t *testing.T) {
	key := keyFormats()[5].key
	rsa1 := rsaKey()
	publicKey := pemOf("PUBLIC KEY", must(x509.MarshalPKIXPublicKey(&rsa1.PublicKey)))
	encrypted := pemOf("ENCRYPTED PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(rsa1)))
	legacyEncrypted := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   x509.MarshalPKCS1PrivateKey(rsa1)}))
	_, edKey := must2(ed25519.GenerateKey(rand.Reader))
	ed25519Key := pemOf("PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(edKey)))
	dsaKey := pemOf("DSA PRIVATE KEY", []byte("not parsed"))
	rsa1024 := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(must(rsa.GenerateKey(rand.Reader, 1024))))
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	file := func(content string) string { return writeFile(t, content) }
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none: valid
	}{
		{"inline key", Config{ClientID: clientID, PrivateKey: configopaque.String(key)}, nil},
		{"key file", Config{ClientID: clientID, PrivateKeyFile: file(key), DPoP: true, Scopes: []string{"okta.logs.read"}}, nil},
		{"key file not there yet", Config{ClientID: clientID, PrivateKeyFile: "/etc/otel/okta.pem"}, nil},
		{"no client_id", Config{PrivateKey: configopaque.String(key)}, []string{"`client_id` is required", "Client ID"}},
		{"blank client_id", Config{ClientID: "  ", PrivateKey: configopaque.String(key)}, []string{"`client_id` is required"}},
		{"client_id with space", Config{ClientID: "0oa1 x", PrivateKey: configopaque.String(key)}, []string{"`client_id` contains whitespace: copy the Client ID exactly as the Okta admin console shows it"}},
		{"client_id with a control character", Config{ClientID: "0oa1\x1bx", PrivateKey: configopaque.String(key)}, []string{"`client_id` contains a control character (at byte 4): copy the Client ID exactly as the Okta admin console shows it"}},
		{"client_id outside ASCII", Config{ClientID: "0oa1…", PrivateKey: configopaque.String(key)}, []string{"`client_id` contains a character outside ASCII (at byte 4)"}},
		{"both keys", Config{ClientID: clientID, PrivateKey: configopaque.String(key), PrivateKeyFile: "/k.pem"}, []string{"both `private_key` and `private_key_file`", "keep only one"}},
		{"no key", Config{ClientID: clientID}, []string{"no private key", "`private_key_file`", "`private_key`"}},
		{"blank inline key", Config{ClientID: clientID, PrivateKey: configopaque.String(" \n")}, []string{"no private key"}},
		{"scopes: []", Config{ClientID: clientID, PrivateKey: configopaque.String(key), Scopes: []string{}}, []string{"`scopes` is empty", "e.g. [okta.logs.read]", "leave `scopes` out"}},
		{"empty scope", Config{ClientID: clientID, PrivateKey: configopaque.String(key), Scopes: []string{"okta.logs.read", ""}}, []string{"`scopes`"}},
		{"space-joined scopes", Config{ClientID: clientID, PrivateKey: configopaque.String(key), Scopes: []string{"okta.logs.read okta.users.read"}}, []string{"`scopes`", "one scope per entry"}},
		{"scope with a control character", Config{ClientID: clientID, PrivateKey: configopaque.String(key), Scopes: []string{"okta.logs.read\x00"}}, []string{"`scopes`"}},
		{"key_id with space", Config{ClientID: clientID, PrivateKey: configopaque.String(key), KeyID: "a b"}, []string{"`key_id` contains whitespace"}},
		{"key_id with a control character", Config{ClientID: clientID, PrivateKey: configopaque.String(key), KeyID: "kid\x07"}, []string{"`key_id` contains a control character (at byte 3): copy the KID exactly as the app's Public Keys list in Okta shows it"}},
		{"key_id with a newline", Config{ClientID: clientID, PrivateKey: configopaque.String(key), KeyID: "kid\n"}, []string{"`key_id` contains whitespace"}},
		{"key_id outside ASCII", Config{ClientID: clientID, PrivateKey: configopaque.String(key), KeyID: "clé-1"}, nil},
		{"several problems at once", Config{PrivateKey: configopaque.String(key), PrivateKeyFile: "/k.pem"}, []string{"`client_id` is required", "keep only one"}},
		// The key is loaded and checked, so that `validate` refuses what the start would.
		{"public key file", Config{ClientID: clientID, PrivateKeyFile: file(publicKey)}, []string{"`private_key_file` (", "this is a public key (PUBLIC KEY): the receiver needs the private key"}},
		{"inline public key", Config{ClientID: clientID, PrivateKey: configopaque.String(publicKey)}, []string{"`private_key`: this is a public key"}},
		{"encrypted PKCS#8", Config{ClientID: clientID, PrivateKeyFile: file(encrypted)}, []string{"encrypted with a passphrase", "openssl pkey"}},
		{"encrypted legacy PEM", Config{ClientID: clientID, PrivateKeyFile: file(legacyEncrypted)}, []string{"encrypted with a passphrase"}},
		{"Ed25519 key", Config{ClientID: clientID, PrivateKeyFile: file(ed25519Key)}, []string{"an Ed25519 key is not supported by Okta for client assertions: use an RSA (2048 bits or more) or EC (P-256, P-384, P-521) key"}},
		{"DSA key", Config{ClientID: clientID, PrivateKeyFile: file(dsaKey)}, []string{`unsupported PEM block "DSA PRIVATE KEY"`}},
		{"RSA 1024", Config{ClientID: clientID, PrivateKeyFile: file(rsa1024)}, []string{"the RSA key has 1024 bits: Okta requires at least 2048"}},
		{"key file /dev/zero", Config{ClientID: clientID, PrivateKeyFile: "/dev/zero"}, []string{"`private_key_file` (/dev/zero) is a device, not a regular file: point it at the file that holds the app's private key (PEM or JWK)"}},
		{"key file a named pipe", Config{ClientID: clientID, PrivateKeyFile: fifo}, []string{"is a named pipe (FIFO), not a regular file"}},
		{"key file a directory", Config{ClientID: clientID, PrivateKeyFile: t.TempDir()}, []string{"is a directory, not a file"}},
		{"key file too large", Config{ClientID: clientID, PrivateKeyFile: file(strings.Repeat("x", maxKeyFileSize+1))}, []string{"is 65537 bytes, larger than 65536"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Scopes == nil { // as the receiver's factory sets it
				tc.cfg.Scopes = []string{DefaultScope}
			}
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
			assertNoSecrets(t, "Validate error", err.Error(), append(keySecrets(string(tc.cfg.PrivateKey)), keySecrets(key)...)...)
		})
	}
}
