package oauth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/datableio/oktareceiver/internal/okta"
)

// minRSABits is the smallest RSA key Okta accepts for a service app.
const minRSABits = 2048

// maxKeyFileSize bounds `private_key_file`: a PEM or JWK private key is a few kilobytes (an RSA 4096 JWK
// about 3.2 KB).
const maxKeyFileSize = 64 << 10

// clientKey is the parsed client-assertion key.
type clientKey struct {
	signer crypto.Signer // *rsa.PrivateKey or *ecdsa.PrivateKey
	alg    jose.SignatureAlgorithm
	kid    string // from the JWK, when it had one
	format string // for the debug log: "PKCS#1 PEM", "JWK", ...
}

// loadKey reads the configured key. Errors name the source and the format problem, never the key.
func loadKey(c *Config) (*clientKey, error) {
	data, source := []byte(string(c.PrivateKey)), "`private_key`"
	if c.PrivateKeyFile != "" {
		source = fmt.Sprintf("`private_key_file` (%s)", c.PrivateKeyFile)
		b, _, err := okta.ReadSmallFile(c.PrivateKeyFile, maxKeyFileSize)
		var fe *okta.FileError
		switch {
		case errors.As(err, &fe) && fe.Err != nil:
			return nil, fmt.Errorf("%s: cannot read the key file: %w", source, fe.Err)
		case err != nil:
			return nil, fmt.Errorf("%s %w: point it at the file that holds the app's private key (PEM or JWK)", source, err)
		}
		data = b
	}
	k, err := parseKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return k, nil
}

// parseKey parses a PEM block or a JWK holding an RSA or EC private key.
func parseKey(data []byte) (*clientKey, error) {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return nil, errors.New("the key is empty")
	case data[0] == '{':
		return parseJWK(data)
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return parsePEM(data)
	}
	return nil, errors.New("not a PEM key (-----BEGIN PRIVATE KEY-----) nor a JWK (a JSON object): give the private key in one of these formats")
}

func parsePEM(data []byte) (*clientKey, error) {
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("PEM without a private key block: expected -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY----- (check that the key was not cut or re-wrapped)")
		}
		if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, fmt.Errorf("the %s PEM is encrypted with a passphrase: the receiver needs it unencrypted, e.g. `openssl pkey -in encrypted.pem -out key.pem`, and the file readable only by the collector", short(block.Type))
		}
		var (
			key    any
			err    error
			format string
		)
		switch block.Type {
		case "EC PARAMETERS":
			continue // openssl ecparam -genkey writes the curve before the key
		case "RSA PRIVATE KEY":
			format = "PKCS#1 PEM"
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			format = "SEC 1 PEM"
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "PRIVATE KEY":
			format = "PKCS#8 PEM"
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("the PKCS#8 PEM is encrypted with a passphrase: the receiver needs it unencrypted, e.g. `openssl pkey -in encrypted.pem -out key.pem`, and the file readable only by the collector")
		case "PUBLIC KEY", "RSA PUBLIC KEY":
			return nil, fmt.Errorf("this is a public key (%s): the receiver needs the private key; the public half is what you register in Okta", block.Type)
		case "CERTIFICATE":
			return nil, errors.New("this is a certificate: the receiver needs the private key; the public half is what you register in Okta")
		case "OPENSSH PRIVATE KEY":
			return nil, errors.New("OpenSSH key format is not supported: convert it to PKCS#8 PEM, e.g. `ssh-keygen -p -m PKCS8 -f key`")
		default:
			return nil, fmt.Errorf("unsupported PEM block %q: expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY", short(block.Type))
		}
		if err != nil {
			return nil, fmt.Errorf("the %s block is not a valid %s key: %w", block.Type, format, err)
		}
		return newClientKey(key, "", format)
	}
}

func parseJWK(data []byte) (*clientKey, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		// A syntax error would quote a character of the key: say only where.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("the JWK is not valid JSON (syntax error at byte %d)", se.Offset)
		}
		return nil, errors.New("the JWK is not a JSON object")
	}
	if keys, ok := probe["keys"]; ok {
		var set []json.RawMessage
		if err := json.Unmarshal(keys, &set); err != nil || len(set) != 1 {
			return nil, errors.New("a JWK set must hold exactly one private key here: give the app's private JWK alone")
		}
		data = set[0]
		if err := json.Unmarshal(data, &probe); err != nil {
			return nil, errors.New("the JWK set's key is not a JSON object")
		}
	}
	var kty, crv string
	_ = json.Unmarshal(probe["kty"], &kty)
	_ = json.Unmarshal(probe["crv"], &crv)
	switch kty {
	case "RSA", "EC":
	case "":
		return nil, errors.New(`the JWK has no "kty": expected an RSA or EC private key`)
	default:
		return nil, fmt.Errorf(`unsupported JWK key type %q: Okta service apps use RSA or EC keys`, short(kty))
	}
	if kty == "EC" && crv != "P-256" && crv != "P-384" && crv != "P-521" {
		return nil, fmt.Errorf(`unsupported JWK curve %q: use P-256, P-384 or P-521`, short(crv))
	}
	if _, ok := probe["d"]; !ok {
		return nil, errors.New(`this JWK is a public key (no "d"): the receiver needs the private JWK; the public half is what you register in Okta`)
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("the %s JWK is not a valid private key: %w", kty, err)
	}
	if !jwk.Valid() || jwk.IsPublic() {
		return nil, fmt.Errorf("the %s JWK is not a valid private key", kty)
	}
	return newClientKey(jwk.Key, jwk.KeyID, kty+" JWK")
}

// short is a value of the key's own text (a PEM block type, a JWK's kty or crv) fit to quote in an error:
// cut, and cleaned of control characters.
func short(s string) string { return okta.Redact(s, 64, nil) }

// newClientKey checks that key is a private key Okta accepts and picks its signing algorithm.
func newClientKey(key any, kid, format string) (*clientKey, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < minRSABits {
			return nil, fmt.Errorf("the RSA key has %d bits: Okta requires at least %d", bits, minRSABits)
		}
		if err := k.Validate(); err != nil {
			return nil, fmt.Errorf("the RSA key is inconsistent: %w", err)
		}
		return &clientKey{signer: k, alg: jose.RS256, kid: kid, format: format}, nil
	case *ecdsa.PrivateKey:
		var alg jose.SignatureAlgorithm
		switch k.Curve {
		case elliptic.P256():
			alg = jose.ES256
		case elliptic.P384():
			alg = jose.ES384
		case elliptic.P521():
			alg = jose.ES512
		default:
			return nil, fmt.Errorf("unsupported EC curve %s: use P-256, P-384 or P-521", k.Curve.Params().Name)
		}
		return &clientKey{signer: k, alg: alg, kid: kid, format: format}, nil
	case ed25519.PrivateKey:
		return nil, errors.New("an Ed25519 key is not supported by Okta for client assertions: use an RSA (2048 bits or more) or EC (P-256, P-384, P-521) key")
	}
	return nil, fmt.Errorf("unsupported key type %T: use an RSA or EC private key", key)
}
