package oauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// dpopKey is the key the receiver proves possession of (RFC 9449). It is generated at New, lives only
// in memory, and is never the client-assertion key.
type dpopKey struct {
	signer jose.Signer
	jkt    string // base64url SHA-256 JWK thumbprint of the public key (RFC 7638)
}

func newDPoPKey() (*dpopKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the DPoP key: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt"))
	if err != nil {
		return nil, fmt.Errorf("preparing the DPoP signer: %w", err)
	}
	pub := jose.JSONWebKey{Key: &key.PublicKey}
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("computing the DPoP key thumbprint: %w", err)
	}
	return &dpopKey{signer: signer, jkt: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

// dpopClaims are a DPoP proof's claims.
type dpopClaims struct {
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	Nonce string `json:"nonce,omitempty"`
	ATH   string `json:"ath,omitempty"`
}

// proof signs a DPoP proof for a request: method and URL (without query and fragment), the server's
// nonce when it gave one, and for a resource request the hash of the access token.
func (d *dpopKey) proof(method string, u *url.URL, nonce, accessToken string, now time.Time) (string, error) {
	c := dpopClaims{JTI: rand.Text(), HTM: method, HTU: htu(u), IAT: now.Unix(), Nonce: nonce}
	if accessToken != "" {
		c.ATH = ath(accessToken)
	}
	s, err := jwt.Signed(d.signer).Claims(c).Serialize()
	if err != nil {
		return "", fmt.Errorf("signing the DPoP proof: %w", err)
	}
	return s, nil
}

// htu is the proof's target URI: scheme, host and path, without query string or fragment (RFC 9449 4.2).
func htu(u *url.URL) string {
	return (&url.URL{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Host), Path: u.Path, RawPath: u.RawPath}).String()
}

// ath is base64url(SHA-256(access token)) without padding (RFC 9449 4.2).
func ath(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// proofNonce reads the nonce a proof carried, without verifying it: the receiver signed it.
func proofNonce(proof string) string {
	if proof == "" {
		return ""
	}
	jws, err := jose.ParseSignedCompact(proof, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return ""
	}
	var c dpopClaims
	if json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &c) != nil {
		return ""
	}
	return c.Nonce
}
