package oauth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"go.opentelemetry.io/collector/config/configopaque"
)

func TestLoadKeyFormats(t *testing.T) {
	for _, f := range keyFormats() {
		t.Run(f.name, func(t *testing.T) {
			cfg := f.config(t, false)
			k, err := loadKey(&cfg)
			if err != nil {
				t.Fatalf("loadKey: %v", err)
			}
			if k.alg != f.alg {
				t.Errorf("alg %s, want %s", k.alg, f.alg)
			}
			if !reflect.DeepEqual(k.signer.Public(), f.pub) {
				t.Errorf("parsed a different key")
			}
			if strings.Contains(f.key, `"kid"`) && k.kid == "" {
				t.Errorf("the JWK's kid was dropped")
			}
		})
	}
}

func TestJWKSetWithOneKey(t *testing.T) {
	set := `{"keys":[` + jwkOf(p256Key(), "set-kid") + `]}`
	k, err := parseKey([]byte(set))
	if err != nil {
		t.Fatal(err)
	}
	if k.alg != jose.ES256 || k.kid != "set-kid" {
		t.Errorf("alg %s kid %q", k.alg, k.kid)
	}
}

func TestLoadKeyRefusals(t *testing.T) {
	rsa1, ec256 := rsaKey(), p256Key()
	p224 := must(ecdsa.GenerateKey(elliptic.P224(), rand.Reader))
	_, edKey := must2(ed25519.GenerateKey(rand.Reader))
	rsa1024 := must(rsa.GenerateKey(rand.Reader, 1024))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	cert := pemOf("CERTIFICATE", must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ec256.PublicKey, ec256)))
	pkcs8RSA := must(x509.MarshalPKCS8PrivateKey(rsa1))
	legacyEncrypted := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   x509.MarshalPKCS1PrivateKey(rsa1)}))
	rsaJWK := jwkOf(rsa1, "")
	var m, other map[string]any
	_ = json.Unmarshal([]byte(rsaJWK), &m)
	_ = json.Unmarshal([]byte(jwkOf(rsaKey2(), "")), &other)
	m["n"] = other["n"] // another key's modulus: p*q != n
	brokenRSAJWK := string(must(json.Marshal(m)))

	tests := []struct {
		name string
		key  string
		want string
	}{
		{"garbage", "this is not a key", "not a PEM key"},
		{"PEM cut before END", "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("QUJD", 30) + "\n", "PEM without a private key block"},
		{"public key PEM", pemOf("PUBLIC KEY", must(x509.MarshalPKIXPublicKey(&rsa1.PublicKey))), "this is a public key"},
		{"PKCS#1 public key PEM", pemOf("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsa1.PublicKey)), "this is a public key"},
		{"certificate", cert, "this is a certificate"},
		{"legacy encrypted PEM", legacyEncrypted, "encrypted with a passphrase"},
		{"encrypted PKCS#8", pemOf("ENCRYPTED PRIVATE KEY", pkcs8RSA), "encrypted with a passphrase"},
		{"OpenSSH key", pemOf("OPENSSH PRIVATE KEY", pkcs8RSA), "OpenSSH key format is not supported"},
		{"unknown PEM block", pemOf("DSA PRIVATE KEY", pkcs8RSA), `unsupported PEM block "DSA PRIVATE KEY"`},
		{"PKCS#8 under a PKCS#1 label", pemOf("RSA PRIVATE KEY", pkcs8RSA), "not a valid PKCS#1 PEM key"},
		{"EC P-224", pemOf("EC PRIVATE KEY", must(x509.MarshalECPrivateKey(p224))), "unsupported EC curve P-224"},
		{"Ed25519", pemOf("PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(edKey))), "Ed25519"},
		{"RSA 1024", pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa1024)), "1024 bits: Okta requires at least 2048"},
		{"public JWK", string(must(jose.JSONWebKey{Key: &ec256.PublicKey}.MarshalJSON())), "public key (no \"d\")"},
		{"symmetric JWK", `{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0"}`, `unsupported JWK key type "oct"`},
		{"JWK of another curve", `{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA","d":"AA"}`, `unsupported JWK curve "secp256k1"`},
		{"JWK without kty", `{"d":"AA"}`, `no "kty"`},
		{"JWK with broken JSON", `{"kty":"RSA","d":"TOPSECRETJWKMATERIAL` + "\x01", "not valid JSON (syntax error at byte"},
		{"inconsistent RSA JWK", brokenRSAJWK, "not a valid private key"},
		{"JWK set with two keys", `{"keys":[` + rsaJWK + `,` + jwkOf(ec256, "") + `]}`, "exactly one private key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, viaFile := range []bool{false, true} {
				cfg := Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKey: configopaque.String(tc.key)}
				if viaFile {
					cfg = Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKeyFile: writeFile(t, tc.key)}
				}
				k, err := loadKey(&cfg)
				if err == nil {
					t.Fatalf("viaFile=%v: accepted (alg %s)", viaFile, k.alg)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("viaFile=%v: error %q does not say %q", viaFile, err, tc.want)
				}
				wantSource := "`private_key`"
				if viaFile {
					wantSource = "`private_key_file` (" + cfg.PrivateKeyFile + ")"
				}
				if !strings.HasPrefix(err.Error(), wantSource) {
					t.Errorf("error %q does not name %s", err, wantSource)
				}
				assertNoSecrets(t, "key error", err.Error(), append(keySecrets(tc.key), "TOPSECRETJWKMATERIAL")...)
			}
		})
	}
}

func TestLoadKeyFileProblems(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.pem")
	_, err := loadKey(&Config{PrivateKeyFile: missing})
	if err == nil || !strings.Contains(err.Error(), "cannot read the key file") || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	_, err = loadKey(&Config{PrivateKeyFile: writeFile(t, "\n  \n")})
	if err == nil || !strings.Contains(err.Error(), "the key is empty") {
		t.Errorf("empty file: %v", err)
	}
}

// New fails on a bad key before anything is sent, with the key error.
func TestNewRefusesBadKey(t *testing.T) {
	org := must(url.Parse("https://example.okta.com"))
	pub := pemOf("PUBLIC KEY", must(x509.MarshalPKIXPublicKey(&rsaKey().PublicKey)))
	_, err := New(Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKey: configopaque.String(pub)}, org, nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "this is a public key") {
		t.Errorf("New with a public key: %v", err)
	}
	assertNoSecrets(t, "New error", err.Error(), keySecrets(pub)...)
	if _, err := New(Config{PrivateKey: "x"}, org, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "`client_id`") {
		t.Errorf("New without client_id: %v", err)
	}
	if _, err := New(Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKey: configopaque.String(keyFormats()[0].key)}, must(url.Parse("/relative")), nil, nil, nil); err == nil {
		t.Error("New with a relative org URL succeeded")
	}
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
