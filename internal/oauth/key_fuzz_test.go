package oauth

import (
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// FuzzParseKey: whatever `private_key` or its file holds, parsing never panics; a key it takes can sign
// with an algorithm Okta accepts; an error is short and quotes no private key material (a JWK's private
// members, a PEM block's base64 lines).
func FuzzParseKey(f *testing.F) {
	for _, kf := range keyFormats() {
		f.Add([]byte(kf.key))
	}
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"AAAA","y":"BBBB","d":"c2VjcmV0LXByaXZhdGUtcGFydA"}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"c2VjcmV0LXByaXZhdGUtcGFydA"}]}`))
	f.Add([]byte("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nc2VjcmV0LXByaXZhdGUtcGFydA==\n-----END RSA PRIVATE KEY-----\n"))
	f.Add([]byte(`{"kty":"` + strings.Repeat("X", 2000) + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseKey(data)
		if err == nil {
			switch {
			case k.signer == nil:
				t.Fatal("a key without a signer")
			case k.alg != jose.RS256 && k.alg != jose.ES256 && k.alg != jose.ES384 && k.alg != jose.ES512:
				t.Fatalf("algorithm %s", k.alg)
			}
			return
		}
		msg := err.Error()
		if len(msg) > 1024 {
			t.Fatalf("an error of %d bytes: %.200s…", len(msg), msg)
		}
		for _, m := range keyMaterial(data) {
			if strings.Contains(msg, m) {
				t.Fatalf("the error quotes key material %q: %s", m, msg)
			}
		}
	})
}

// keyMaterial is what of data would be private key material: a JWK's (or a one-key JWK set's) private
// members, and the base64 lines and bytes of PEM blocks; only pieces of eight bytes or more.
func keyMaterial(data []byte) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 8 {
			out = append(out, s)
		}
	}
	var jwk struct {
		D, P, Q, DP, DQ, QI string
		Keys                []struct{ D, P, Q, DP, DQ, QI string }
	}
	if json.Unmarshal(data, &jwk) == nil {
		for _, k := range append(jwk.Keys, struct{ D, P, Q, DP, DQ, QI string }{jwk.D, jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI}) {
			for _, s := range []string{k.D, k.P, k.Q, k.DP, k.DQ, k.QI} {
				add(s)
			}
		}
	}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		add(string(b.Bytes))
		for _, line := range strings.Split(string(pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: b.Bytes})), "\n") {
			if !strings.HasPrefix(line, "-----") {
				add(line)
			}
		}
	}
	return out
}
