package oauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// Compile-time check: an Authorizer is what okta.Client takes.
var _ okta.Authorizer = (*Authorizer)(nil)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

const clientID = "0oa1testclient"

// Keys are generated once per test binary: RSA generation is slow under -race.
var (
	rsaKey  = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })
	rsaKey2 = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })
	p256Key = sync.OnceValue(func() *ecdsa.PrivateKey { return must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)) })
	p384Key = sync.OnceValue(func() *ecdsa.PrivateKey { return must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader)) })
	p521Key = sync.OnceValue(func() *ecdsa.PrivateKey { return must(ecdsa.GenerateKey(elliptic.P521(), rand.Reader)) })
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func jwkOf(key any, kid string) string {
	return string(must(jose.JSONWebKey{Key: key, KeyID: kid}.MarshalJSON()))
}

// keyFormat is one way a user can hand the receiver its key.
type keyFormat struct {
	name     string
	key      string // what goes into private_key or the file
	pub      crypto.PublicKey
	alg      jose.SignatureAlgorithm
	cfgKID   string // key_id in the config
	wantKID  string // kid expected in the assertion header
	viaFile  bool
	kidOnSim string // KeyID registered on the simulated app
}

func keyFormats() []keyFormat {
	rsa1, ec256, ec384, ec521 := rsaKey(), p256Key(), p384Key(), p521Key()
	sec1 := func(k *ecdsa.PrivateKey) string { return pemOf("EC PRIVATE KEY", must(x509.MarshalECPrivateKey(k))) }
	pkcs8 := func(k any) string { return pemOf("PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(k))) }
	ecParams := pemOf("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}) // OID P-256
	return []keyFormat{
		{name: "RSA 2048 PKCS#1 PEM", key: pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa1)), pub: &rsa1.PublicKey, alg: jose.RS256},
		{name: "RSA 2048 PKCS#8 PEM", key: pkcs8(rsa1), pub: &rsa1.PublicKey, alg: jose.RS256},
		{name: "RSA PKCS#8 PEM file with key_id", key: pkcs8(rsa1), pub: &rsa1.PublicKey, alg: jose.RS256, viaFile: true,
			cfgKID: "kid-from-config", wantKID: "kid-from-config", kidOnSim: "kid-from-config"},
		{name: "EC P-256 SEC 1 PEM", key: sec1(ec256), pub: &ec256.PublicKey, alg: jose.ES256},
		{name: "EC P-256 SEC 1 PEM after EC PARAMETERS", key: ecParams + sec1(ec256), pub: &ec256.PublicKey, alg: jose.ES256},
		{name: "EC P-256 PKCS#8 PEM", key: pkcs8(ec256), pub: &ec256.PublicKey, alg: jose.ES256},
		{name: "EC P-384 SEC 1 PEM", key: sec1(ec384), pub: &ec384.PublicKey, alg: jose.ES384},
		{name: "EC P-521 PKCS#8 PEM", key: pkcs8(ec521), pub: &ec521.PublicKey, alg: jose.ES512},
		{name: "RSA JWK", key: jwkOf(rsa1, ""), pub: &rsa1.PublicKey, alg: jose.RS256},
		{name: "EC P-256 JWK", key: jwkOf(ec256, ""), pub: &ec256.PublicKey, alg: jose.ES256},
		{name: "EC P-384 JWK with kid", key: jwkOf(ec384, "jwk-kid-1"), pub: &ec384.PublicKey, alg: jose.ES384,
			wantKID: "jwk-kid-1", kidOnSim: "jwk-kid-1"},
		{name: "RSA JWK file with kid, key_id wins", key: jwkOf(rsa1, "jwk-kid-2"), pub: &rsa1.PublicKey, alg: jose.RS256, viaFile: true,
			cfgKID: "cfg-kid", wantKID: "cfg-kid", kidOnSim: "cfg-kid"},
	}
}

// config builds the receiver's oauth section for the format.
func (f keyFormat) config(t *testing.T, dpop bool) Config {
	c := Config{ClientID: clientID, Scopes: []string{DefaultScope}, KeyID: f.cfgKID, DPoP: dpop}
	if f.viaFile {
		c.PrivateKeyFile = writeFile(t, f.key)
	} else {
		c.PrivateKey = configopaque.String(f.key)
	}
	return c
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// recorded is one request the recorder saw, read whole.
type recorded struct {
	method string
	url    *url.URL
	header http.Header
	form   url.Values
}

// recorder sits in front of a handler and keeps what was sent to it, and what the token endpoint answered.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []recorded
	// tokens are the access tokens the token endpoint gave out (to check none leaks).
	bodies []string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := recorded{method: r.Method, url: r.URL, header: r.Header.Clone()}
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		rec.form, _ = url.ParseQuery(string(body))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	cw := &captureWriter{ResponseWriter: w}
	rc.next.ServeHTTP(cw, r)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, rec)
	rc.bodies = append(rc.bodies, cw.body.String())
	rc.mu.Unlock()
}

func (rc *recorder) requests(path string) []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []recorded
	for _, r := range rc.reqs {
		if r.url.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// secrets returns every assertion, proof and access token that crossed the wire.
func (rc *recorder) secrets() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, r := range rc.reqs {
		if a := r.form.Get("client_assertion"); a != "" {
			out = append(out, a)
		}
		if p := r.header.Get("DPoP"); p != "" {
			out = append(out, p)
		}
		if _, tok, ok := strings.Cut(r.header.Get("Authorization"), " "); ok && tok != "" {
			out = append(out, tok)
		}
	}
	for _, b := range rc.bodies {
		var ta tokenAnswer
		if json.Unmarshal([]byte(b), &ta) == nil && ta.AccessToken != "" {
			out = append(out, ta.AccessToken)
		}
	}
	return out
}

type captureWriter struct {
	http.ResponseWriter
	body strings.Builder
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

// fixture is a simulated org with an OAuth app, on a manual clock, and a receiver-side client.
type fixture struct {
	sim    *oktasim.Sim
	clock  *oktasim.Clock
	rec    *recorder
	srv    *httptest.Server
	org    *url.URL
	auth   *Authorizer
	client *okta.Client
	logs   *observer.ObservedLogs
}

func newFixture(t *testing.T, app oktasim.OAuthApp, cfg Config) *fixture {
	t.Helper()
	f := &fixture{clock: oktasim.NewClock(t0)}
	sim, err := oktasim.New(oktasim.Options{Now: f.clock.Now, OAuth: &app})
	if err != nil {
		t.Fatal(err)
	}
	f.sim = sim
	f.rec = &recorder{next: sim}
	f.srv = httptest.NewServer(f.rec)
	t.Cleanup(f.srv.Close)
	f.org = must(url.Parse(f.srv.URL))
	core, logs := observer.New(zapcore.DebugLevel)
	f.logs = logs
	f.auth, err = New(cfg, f.org, f.srv.Client(), zap.New(core), f.clock.Now)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.client = okta.NewClient(f.org, f.srv.Client(), f.auth, "oauth-test", 16<<20)
	return f
}

// fetch polls one page from the simulated org.
func (f *fixture) fetch(t *testing.T) error {
	t.Helper()
	_, err := f.client.Fetch(context.Background(), f.client.PollingURL(f.clock.Now().Add(-time.Hour), 10, "", ""), nil)
	return err
}

// assertNoSecrets fails when any secret appears in s.
func assertNoSecrets(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s holds a secret (%.12s…): %s", what, sec, s)
		}
	}
}

// logText renders every observed log entry with its fields.
func logText(logs *observer.ObservedLogs) string {
	var b strings.Builder
	for _, e := range logs.All() {
		b.WriteString(e.Message)
		for k, v := range e.ContextMap() {
			b.WriteString(" " + k + "=")
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(v), "\n", " ")))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// keySecrets are pieces of private key material in a key as configured: PEM base64 lines, a JWK's d.
func keySecrets(key string) []string {
	var out []string
	if strings.HasPrefix(strings.TrimSpace(key), "{") {
		var m map[string]any
		if json.Unmarshal([]byte(key), &m) == nil {
			for _, p := range []string{"d", "p", "q", "dp", "dq", "qi"} {
				if s, ok := m[p].(string); ok {
					out = append(out, s)
				}
			}
		}
		return out
	}
	for _, line := range strings.Split(key, "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}
