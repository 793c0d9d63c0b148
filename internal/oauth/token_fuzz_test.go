package oauth

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/datableio/oktareceiver/internal/okta"
)

// roundTripFunc answers requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fuzzAccessToken is the access token a fuzzed answer issues where its body says {token}.
const fuzzAccessToken = "eyJraWQiOiJmdXp6In0.eyJzdWIiOiIwb2ExZnV6eiJ9.ZnV6ei1zaWduYXR1cmUtb2YtdGhlLXRva2Vu"

// FuzzTokenAnswer: whatever the token endpoint answers (status, headers, body, echoing the client assertion
// and the DPoP proof it was sent where the body says {assertion} and {proof}), getting a token never panics
// and never loops; an error is bounded, says what to do, and holds no part of the assertion, the proof or
// the access token it issued; a token it keeps can be sent and is renewed within a day; a wait Okta asked
// for is within MaxRateLimitWait.
func FuzzTokenAnswer(f *testing.F) {
	f.Add(uint16(200), false, "application/json", "", "", `{"access_token":"{token}","token_type":"Bearer","expires_in":3600,"scope":"okta.logs.read"}`)
	f.Add(uint16(200), true, "application/json", "nonce-1", "", `{"access_token":"{token}","token_type":"DPoP","expires_in":"3600"}`)
	f.Add(uint16(400), true, "application/json", "nonce-2", "", `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}`)
	f.Add(uint16(401), false, "application/json", "", "", `{"error":"invalid_client","error_description":"The client_assertion {assertion} is invalid"}`)
	f.Add(uint16(400), true, "application/json", "", "", `{"error":"invalid_dpop_proof","error_description":"bad proof {proof}"}`)
	f.Add(uint16(429), false, "application/json", "", "30", `{"error":"temporarily_unavailable"}`)
	f.Add(uint16(429), false, "text/html", "", "Sun, 06 Nov 1994 08:49:37 GMT", `<html>slow down</html>`)
	f.Add(uint16(502), false, "text/html", "", "", "<html>proxy: {assertion}\xff{proof}</html>")
	f.Add(uint16(200), false, "application/json", "", "", `{"access_token":"{token}\n","token_type":"Bearer","expires_in":1e309,"scope":"{assertion}"}`)
	f.Fuzz(func(t *testing.T, status uint16, dpop bool, contentType, nonce, retryAfter, body string) {
		code := 200 + int(status)%400
		var sent []string // the assertions and proofs sent
		requests := 0
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			requests++
			raw, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(raw))
			assertion, proof := form.Get("client_assertion"), r.Header.Get("DPoP")
			sent = append(sent, assertion, proof)
			b := strings.NewReplacer("{assertion}", assertion, "{proof}", proof, "{token}", fuzzAccessToken).Replace(body)
			h := http.Header{}
			for name, v := range map[string]string{"Content-Type": contentType, "DPoP-Nonce": nonce, "Retry-After": retryAfter} {
				if v != "" {
					h.Set(name, v)
				}
			}
			return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(b)), Request: r}, nil
		})}
		org := &url.URL{Scheme: "https", Host: "example.okta.com"}
		core, logs := observer.New(zapcore.DebugLevel)
		a, err := New(Config{ClientID: clientID, Scopes: []string{DefaultScope}, PrivateKey: configopaque.String(keyFormats()[5].key), DPoP: dpop},
			org, hc, zap.New(core), func() time.Time { return t0 })
		if err != nil {
			t.Fatal(err)
		}
		req := must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil))
		err = a.Authorize(req)
		if requests > maxNonceRetries+1 {
			t.Fatalf("%d token requests for one Authorize", requests)
		}
		secrets := append(append([]string(nil), sent...), fuzzAccessToken)
		text := logText(logs)
		if err == nil {
			_, tok, _ := strings.Cut(req.Header.Get("Authorization"), " ")
			if tok == "" || accessTokenProblem(tok) != "" {
				t.Fatalf("kept an access token that cannot be sent: %q", tok)
			}
			if !a.refreshAt.After(t0) || a.refreshAt.After(t0.Add(maxTokenLifetime)) {
				t.Fatalf("renewal at %s for a token fetched at %s", a.refreshAt, t0)
			}
			secrets = append(secrets, tok, req.Header.Get("DPoP"))
		} else {
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Authorize = %T %v, want a *TokenError", err, err)
			}
			if len(err.Error()) > 4096 {
				t.Fatalf("an error of %d bytes", len(err.Error()))
			}
			if te.Hint() == "" && te.Code == "" {
				t.Fatalf("an error that says nothing to do: %v", err)
			}
			if te.RetryAfter < 0 || te.RetryAfter > okta.MaxRateLimitWait {
				t.Fatalf("RetryAfter %s", te.RetryAfter)
			}
			text += err.Error()
		}
		for _, sec := range secrets {
			for i := 0; i+8 <= len(sec); i++ {
				if strings.Contains(text, sec[i:i+8]) {
					t.Fatalf("%q, part of a credential, is in: %s", sec[i:i+8], text)
				}
			}
		}
	})
}
