package oktacheck

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

const simToken = "00aSimulatorToken-4f9b2c7d1e8a6b3c5d0e"

// newSim starts the simulator on loopback with three events a minute apart, the newest a minute old.
func newSim(t *testing.T, opts oktasim.Options) (*oktasim.Sim, *httptest.Server) {
	t.Helper()
	if opts.Token == "" && opts.OAuth == nil {
		opts.Token = simToken
	}
	sim, err := oktasim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, e := range []struct{ typ, actor, result string }{
		{"user.session.start", "alice@example.com", "SUCCESS"},
		{"user.authentication.auth_via_mfa", "bob@example.com", "FAILURE"},
		{"user.lifecycle.create", "carol@example.com", "SUCCESS"},
	} {
		published := now.Add(-time.Duration(3-i) * time.Minute).Format(time.RFC3339Nano)
		ev := fmt.Sprintf(`{"uuid":"e%d","published":%q,"eventType":%q,"version":"0","severity":"INFO",`+
			`"actor":{"id":"00u%d","type":"User","alternateId":%q},"outcome":{"result":%q}}`, i, published, e.typ, i, e.actor, e.result)
		if err := sim.Add([]byte(ev)); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv
}

// check runs every check and returns the report and its text.
func check(t *testing.T, o Options) (*Report, string) {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	r := Run(context.Background(), o)
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	return r, b.String()
}

// want asserts a check's status and that its text and fix hold every fragment.
func want(t *testing.T, r *Report, name string, s Status, fragments ...string) {
	t.Helper()
	res, ok := r.Result(name)
	if !ok {
		t.Fatalf("check %q did not run", name)
	}
	if res.Status != s {
		t.Errorf("%s: status %s, want %s (%s; fix: %s)", name, res.Status, s, res.Text, res.Fix)
	}
	all := res.Text + " fix: " + res.Fix + " " + strings.Join(res.Lines, " ")
	for _, f := range fragments {
		if !strings.Contains(all, f) {
			t.Errorf("%s: %q lacks %q", name, all, f)
		}
	}
}

func wantWorks(t *testing.T, r *Report, out string, works bool) {
	t.Helper()
	if r.Works() != works {
		t.Errorf("Works() = %v, want %v", r.Works(), works)
	}
	last := "collection would work\n"
	if !works {
		last = "check(s) failed; apply the fix shown and run oktacheck again\n"
	}
	if !strings.HasSuffix(out, last) {
		t.Errorf("the output does not end with %q", last)
	}
}

func TestCollectionWouldWorkWithAToken(t *testing.T) {
	_, srv := newSim(t, oktasim.Options{RateLimit: 20})
	r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken + "\n"})
	wantWorks(t, r, out, true)
	want(t, r, CheckDNS, Skip, "127.0.0.1 is an IP address")
	want(t, r, CheckConnect, OK, "connected to the org at "+srv.Listener.Addr().String())
	want(t, r, CheckTLS, Skip, "plain http://")
	want(t, r, CheckCredential, OK, "Okta accepted the API token from OKTA_API_TOKEN")
	want(t, r, CheckLogAccess, OK)
	want(t, r, CheckRateLimit, OK, "1 of the 20 System Log requests", "(5%")
	want(t, r, CheckClock, OK, "within")
	want(t, r, CheckEvents, OK, "the newest 3 events, the newest published ")
	res, _ := r.Result(CheckEvents)
	if len(res.Lines) != 3 {
		t.Fatalf("%d event lines, want 3", len(res.Lines))
	}
	for i, w := range [][]string{
		{"user.lifecycle.create", "carol@example.com", "SUCCESS"},
		{"user.authentication.auth_via_mfa", "bob@example.com", "FAILURE"},
		{"user.session.start", "alice@example.com", "SUCCESS"},
	} {
		fields := strings.Fields(res.Lines[i])
		if len(fields) != 4 || fields[1] != w[0] || fields[2] != w[1] || fields[3] != w[2] {
			t.Errorf("event line %d = %q, want time %s %s %s", i, res.Lines[i], w[0], w[1], w[2])
		}
		if _, err := time.Parse(time.RFC3339, fields[0]); err != nil {
			t.Errorf("event line %d does not start with its time: %v", i, err)
		}
	}
}

func TestCredentialFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		token  string
		fault  oktasim.FaultKind
		check  string
		status Status
		frags  []string
	}{
		"bad token": {token: "00aWrongToken-0000000000000000000000000000", check: CheckCredential, status: Fail,
			frags: []string{"HTTP 401 E0000011", "fix: the API token is invalid, expired or revoked: create a new token"}},
		"no right to read the System Log": {token: simToken, fault: oktasim.Fault403, check: CheckLogAccess, status: Fail,
			frags: []string{"HTTP 403 E0000006", "Read-only Administrator"}},
		"rate limit spent": {token: simToken, fault: oktasim.Fault429, check: CheckRateLimit, status: Fail,
			frags: []string{"rate limit is spent", "HTTP 429 E0000047", "run oktacheck again after"}},
		"a proxy's login page": {token: simToken, fault: oktasim.FaultHTML200, check: CheckAPI, status: Fail,
			frags: []string{"text/html", "check `endpoint` and `proxy_url`"}},
		"Okta failing": {token: simToken, fault: oktasim.Fault500, check: CheckAPI, status: Fail,
			frags: []string{"HTTP 500 E0000009", "run oktacheck again in a minute"}},
	} {
		t.Run(name, func(t *testing.T) {
			sim, srv := newSim(t, oktasim.Options{})
			if tc.fault != "" {
				sim.ForceNext(1, tc.fault)
			}
			r, out := check(t, Options{Endpoint: srv.URL, APIToken: tc.token})
			wantWorks(t, r, out, false)
			want(t, r, tc.check, tc.status, tc.frags...)
			if _, ok := r.Result(CheckEvents); ok {
				t.Error("events were listed after a failure")
			}
		})
	}
}

func TestForbiddenMeansTheCredentialWasAccepted(t *testing.T) {
	sim, srv := newSim(t, oktasim.Options{})
	sim.ForceNext(1, oktasim.Fault403)
	r, _ := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
	want(t, r, CheckCredential, OK, "it answered 403, not 401")
}

func TestRateLimitNearlySpentWarnsButWorks(t *testing.T) {
	_, srv := newSim(t, oktasim.Options{RateLimit: 10})
	for range 6 { // other clients of the org
		resp, err := http.Get(srv.URL + "/api/v1/logs")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
	wantWorks(t, r, out, true)
	want(t, r, CheckRateLimit, Warn, "7 of the 10 System Log requests", "(70%", "fewer than 5 (rate_limit_budget 0.5)", "Reports > Rate Limits")
}

func TestUnreachableOrg(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r, out := check(t, Options{Endpoint: "http://" + addr, APIToken: simToken})
	wantWorks(t, r, out, false)
	want(t, r, CheckConnect, Fail, "cannot connect to "+addr, "connection refused", "firewall")
	want(t, r, CheckCredential, Skip, "Okta could not be reached")
	if _, ok := r.Result(CheckTLS); ok {
		t.Error("a TLS line for a connection that never was")
	}
}

func TestUnknownHost(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		frag string
	}{
		"misspelt":      {&net.DNSError{Err: "no such host", Name: "exmple.okta.com", IsNotFound: true}, "check the spelling of --endpoint"},
		"no DNS server": {&net.DNSError{Err: "i/o timeout", Name: "exmple.okta.com", IsTimeout: true}, "resolver gave no answer"},
	} {
		t.Run(name, func(t *testing.T) {
			lookup := func(_ context.Context, host string) ([]string, error) {
				if host != "exmple.okta.com" {
					t.Errorf("resolved %q, want the org's host", host)
				}
				return nil, tc.err
			}
			r, out := check(t, Options{Endpoint: "exmple.okta.com", APIToken: simToken, LookupHost: lookup})
			wantWorks(t, r, out, false)
			want(t, r, CheckDNS, Fail, "cannot resolve exmple.okta.com", tc.frag)
			if len(r.Results) != 1 {
				t.Errorf("%d results, want the DNS failure alone: nothing is sent to a host that does not resolve", len(r.Results))
			}
		})
	}
}

// tlsSim serves the simulator over TLS with httptest's certificate (for 127.0.0.1 and example.com), and
// writes that certificate to a file for --ca-file.
func tlsSim(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	sim, err := oktasim.New(oktasim.Options{Token: simToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(sim)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

func TestTLS(t *testing.T) {
	srv, ca := tlsSim(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	localhost := func(context.Context, string) ([]string, error) { return []string{"127.0.0.1"}, nil }

	t.Run("untrusted authority", func(t *testing.T) {
		r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
		wantWorks(t, r, out, false)
		want(t, r, CheckConnect, OK)
		want(t, r, CheckTLS, Fail, "not signed by an authority this host trusts", "--ca-file")
	})
	t.Run("trusted with --ca-file", func(t *testing.T) {
		r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken, CAFile: ca})
		wantWorks(t, r, out, true)
		want(t, r, CheckTLS, OK, "TLS 1.3 to 127.0.0.1", "valid until")
		want(t, r, CheckEvents, OK, "no events in the last 7 days")
	})
	t.Run("certificate for another name", func(t *testing.T) {
		r, out := check(t, Options{Endpoint: "https://localhost:" + port, APIToken: simToken, CAFile: ca, LookupHost: localhost})
		wantWorks(t, r, out, false)
		want(t, r, CheckDNS, OK, "localhost resolves to 127.0.0.1")
		want(t, r, CheckTLS, Fail, "not for localhost", "your org's own domain")
	})
	t.Run("plain HTTP on the TLS port", func(t *testing.T) {
		_, plain := newSim(t, oktasim.Options{})
		r, out := check(t, Options{Endpoint: strings.Replace(plain.URL, "http://", "https://", 1), APIToken: simToken})
		wantWorks(t, r, out, false)
		want(t, r, CheckTLS, Fail, "does not speak TLS")
	})
}

func TestClockSkew(t *testing.T) {
	for name, tc := range map[string]struct {
		offset time.Duration
		status Status
		frags  []string
		works  bool
	}{
		"a few seconds": {offset: 2 * time.Second, status: OK, works: true},
		"half a minute": {offset: 30 * time.Second, status: Warn, frags: []string{"30s ahead of Okta's", "keep the clock synchronised"}, works: true},
		"ten minutes":   {offset: -10 * time.Minute, status: Fail, frags: []string{"10m0s behind Okta's", "NTP", "DPoP proofs", "initial_lookback"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, srv := newSim(t, oktasim.Options{})
			now := func() time.Time { return time.Now().Add(tc.offset) }
			r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken, Now: now})
			wantWorks(t, r, out, tc.works)
			want(t, r, CheckClock, tc.status, tc.frags...)
		})
	}
}

// oauthSim registers an OAuth service app with a new EC key and returns the path of its private key.
func oauthSim(t *testing.T, dpop bool) (*httptest.Server, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, srv := newSim(t, oktasim.Options{OAuth: &oktasim.OAuthApp{ClientID: "0oacheck", PublicKey: &key.PublicKey, RequireDPoP: dpop}})
	return srv, writeKey(t, key)
}

func writeKey(t *testing.T, key *ecdsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOAuthServiceApp(t *testing.T) {
	t.Run("with DPoP", func(t *testing.T) {
		srv, keyFile := oauthSim(t, true)
		r, out := check(t, Options{Endpoint: srv.URL, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile, DPoP: true}})
		wantWorks(t, r, out, true)
		want(t, r, CheckCredential, OK, "Okta accepted the OAuth service app 0oacheck with DPoP")
		want(t, r, CheckEvents, OK, "the newest 3 events")
	})
	t.Run("DPoP required but not set", func(t *testing.T) {
		srv, keyFile := oauthSim(t, true)
		r, out := check(t, Options{Endpoint: srv.URL, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile}})
		wantWorks(t, r, out, false)
		want(t, r, CheckCredential, Fail, "invalid_dpop_proof", "set `dpop: true`")
	})
	t.Run("a key the app does not know", func(t *testing.T) {
		srv, _ := oauthSim(t, false)
		other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		r, out := check(t, Options{Endpoint: srv.URL, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: writeKey(t, other)}})
		wantWorks(t, r, out, false)
		want(t, r, CheckCredential, Fail, "invalid_client", "public half of the configured key")
		want(t, r, CheckClock, OK) // the token endpoint's Date is enough to compare clocks
	})
	t.Run("a scope the app was not granted", func(t *testing.T) {
		srv, keyFile := oauthSim(t, false)
		r, out := check(t, Options{Endpoint: srv.URL, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile, Scopes: []string{"okta.users.read"}}})
		wantWorks(t, r, out, false)
		want(t, r, CheckCredential, OK, "accepted the client assertion")
		want(t, r, CheckLogAccess, Fail, "invalid_scope", "Okta API Scopes tab")
	})
}

func TestProxy(t *testing.T) {
	_, org := newSim(t, oktasim.Options{})
	var proxied int
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		proxied++
		pr.Out.URL.Scheme, pr.Out.URL.Host = pr.In.URL.Scheme, pr.In.URL.Host // a forward proxy: the request names the org
	}})
	t.Cleanup(proxy.Close)

	t.Run("through the proxy", func(t *testing.T) {
		r, out := check(t, Options{Endpoint: org.URL, APIToken: simToken, ProxyURL: proxy.URL})
		wantWorks(t, r, out, true)
		want(t, r, CheckProxy, OK, "requests go through the proxy "+proxy.URL+" (from --proxy-url)")
		want(t, r, CheckConnect, OK, "connected to the proxy at "+proxy.Listener.Addr().String())
		if proxied == 0 {
			t.Error("the request did not go through the proxy")
		}
	})
	t.Run("proxy down", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		down := "http://user:s3cretProxyPassword@" + l.Addr().String()
		l.Close()
		r, out := check(t, Options{Endpoint: org.URL, APIToken: simToken, ProxyURL: down})
		wantWorks(t, r, out, false)
		want(t, r, CheckProxy, Fail, "cannot connect to the proxy", "it must run and accept connections")
		if strings.Contains(out, "s3cretProxyPassword") {
			t.Error("the proxy's password was printed")
		}
	})
}

func TestConfigurationRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		o    Options
		frag string
	}{
		"no credential":               {Options{Endpoint: "example.okta.com"}, "set OKTA_API_TOKEN"},
		"two credentials":             {Options{Endpoint: "example.okta.com", APIToken: simToken, OAuth: &oauth.Config{ClientID: "0oa1"}}, "exactly one"},
		"an admin console URL":        {Options{Endpoint: "https://example-admin.okta.com/admin/dashboard", APIToken: simToken}, "without a path"},
		"http off loopback":           {Options{Endpoint: "http://example.okta.com", APIToken: simToken}, "clear text"},
		"a token with a space":        {Options{Endpoint: "example.okta.com", APIToken: "00aAbc def"}, "whitespace inside it"},
		"an OAuth app, no key":        {Options{Endpoint: "example.okta.com", OAuth: &oauth.Config{ClientID: "0oa1"}}, "no private key"},
		"a missing token file":        {Options{Endpoint: "example.okta.com", APITokenFile: "/nonexistent/token"}, "/nonexistent/token"},
		"a proxy URL that is not one": {Options{Endpoint: "example.okta.com", APIToken: simToken, ProxyURL: "proxy:3128"}, "proxy_url"},
	} {
		t.Run(name, func(t *testing.T) {
			r, out := check(t, tc.o)
			wantWorks(t, r, out, false)
			want(t, r, CheckConfig, Fail, tc.frag, "--endpoint is `endpoint`")
			for _, res := range r.Results {
				if res.Check != CheckConfig {
					t.Errorf("check %s ran after the configuration was refused", res.Check)
				}
			}
		})
	}
}

// An org, or something posing as one, that echoes the credential in every answer: nothing printed holds it.
func TestNeverPrintsTheCredential(t *testing.T) {
	const token = "00aSecretTokenThatMustNeverBePrinted0000001"
	for name, status := range map[string]int{"in an error": http.StatusUnauthorized, "in events": http.StatusOK} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				auth := r.Header.Get("Authorization")
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Okta-Request-Id", strings.TrimPrefix(auth, "SSWS "))
				w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
				w.WriteHeader(status)
				if status != http.StatusOK {
					_ = json.NewEncoder(w).Encode(map[string]string{"errorCode": "E0000011", "errorSummary": "Invalid token provided: " + auth})
					return
				}
				fmt.Fprintf(w, `[{"uuid":"1","published":%q,"eventType":%q,"actor":{"id":"x","type":"User","alternateId":%q},"outcome":{"result":%q}}]`,
					time.Now().UTC().Format(time.RFC3339), auth, auth, token[:20])
			}))
			t.Cleanup(srv.Close)
			_, out := check(t, Options{Endpoint: srv.URL, APIToken: token})
			if strings.Contains(out, token) || strings.Contains(out, token[:20]) {
				t.Fatalf("the output holds the token:\n%s", out)
			}
			if !strings.Contains(out, "[REDACTED]") {
				t.Fatalf("the echoed token was not redacted where it appeared:\n%s", out)
			}
		})
	}
}

// The OAuth access token the org issued is never printed either, even when the org echoes it in an event.
func TestNeverPrintsTheAccessToken(t *testing.T) {
	const access = "eyJAccessTokenThatMustNeverBePrinted.0123456789abcdef"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		if r.URL.Path == "/oauth2/v1/token" {
			fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3600,"access_token":%q,"scope":"okta.logs.read"}`, access)
			return
		}
		fmt.Fprintf(w, `[{"uuid":"1","published":%q,"eventType":"user.session.start","actor":{"id":"x","type":"User","alternateId":%q}}]`,
			time.Now().UTC().Format(time.RFC3339), r.Header.Get("Authorization"))
	}))
	t.Cleanup(srv.Close)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	r, out := check(t, Options{Endpoint: srv.URL, OAuth: &oauth.Config{ClientID: "0oaecho", PrivateKeyFile: writeKey(t, key)}})
	wantWorks(t, r, out, true)
	if strings.Contains(out, access) || strings.Contains(out, "AccessTokenThatMustNeverBePrinted") {
		t.Fatalf("the output holds the access token:\n%s", out)
	}
	want(t, r, CheckEvents, OK, "Bearer [REDACTED]")
}
