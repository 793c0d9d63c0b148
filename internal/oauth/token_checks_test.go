package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// A 429's wait is computed on Okta's clock, honours Retry-After, never overflows and is capped.
func TestRateLimitWait(t *testing.T) {
	okta0 := t0.Add(-7 * time.Minute) // Okta's clock, behind the local one
	date := okta0.Format(http.TimeFormat)
	reset := func(d time.Duration) string { return strconv.FormatInt(okta0.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"reset on Okta's clock", map[string]string{"Date": date, "X-Rate-Limit-Reset": reset(20 * time.Second)}, 21 * time.Second},
		{"reset without Date: local clock", map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(t0.Add(20*time.Second).Unix(), 10)}, 21 * time.Second},
		{"reset passed: one window", map[string]string{"Date": date, "X-Rate-Limit-Reset": reset(-time.Hour)}, okta.DefaultWindow},
		{"reset ten years away: one window", map[string]string{"Date": date, "X-Rate-Limit-Reset": reset(10 * 365 * 24 * time.Hour)}, okta.DefaultWindow},
		{"reset at the end of int64: one window", map[string]string{"Date": date, "X-Rate-Limit-Reset": "9223372036854775807"}, okta.DefaultWindow},
		{"reset far in the past", map[string]string{"Date": date, "X-Rate-Limit-Reset": "-9223372036854775808"}, 0},
		{"Retry-After seconds", map[string]string{"Retry-After": "20"}, 20 * time.Second},
		{"Retry-After longer than the reset", map[string]string{"Date": date, "X-Rate-Limit-Reset": reset(5 * time.Second), "Retry-After": "20"}, 20 * time.Second},
		{"Retry-After HTTP date on Okta's clock", map[string]string{"Date": date, "Retry-After": okta0.Add(45 * time.Second).Format(http.TimeFormat)}, 45 * time.Second},
		{"Retry-After huge", map[string]string{"Retry-After": "99999999999999999"}, okta.MaxRateLimitWait},
		{"Retry-After negative", map[string]string{"Retry-After": "-5"}, 0},
		{"nothing said", nil, 0},
		{"garbage", map[string]string{"X-Rate-Limit-Reset": "soon", "Retry-After": "later"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			if got := rateLimitWait(h, t0); got != tc.want {
				t.Errorf("wait %s, want %s", got, tc.want)
			}
		})
	}
}

// A token that cannot be sent, or whose lifetime makes no sense, is refused when it arrives, not kept, and
// the next Authorize fetches a new one, which is used.
func TestUnusableTokenIsNotKept(t *testing.T) {
	good := "eyJgood.eyJtoken.c2ln"
	tests := []struct {
		name   string
		answer string // the first token answer; the second is a good one
		want   string
	}{
		{"newline in the token", `{"access_token":"eyJbad\nrest","token_type":"Bearer","expires_in":3600}`, "the access token Okta issued has a control character (at byte 6), which cannot be sent in an HTTP header"},
		{"space in the token", `{"access_token":"eyJbad rest","token_type":"Bearer","expires_in":3600}`, "has a space (at byte 6)"},
		{"quote in the token", `{"access_token":"eyJbad\"rest","token_type":"Bearer","expires_in":3600}`, "has a character an access token never has (at byte 6)"},
		{"1 MB token", `{"access_token":"` + strings.Repeat("A", 1<<20) + `","token_type":"Bearer","expires_in":3600}`, "the token endpoint's answer is larger than 65536 bytes"},
		{"40 KB token", `{"access_token":"` + strings.Repeat("A", 40<<10) + `","token_type":"Bearer","expires_in":3600}`, "is 40960 bytes long, more than a request header should carry"},
		{"negative expires_in", `{"access_token":"eyJx.eyJy.z","token_type":"Bearer","expires_in":-60}`, "the token answer's expires_in (-60) says the token is already expired"},
		{"zero expires_in", `{"access_token":"eyJx.eyJy.z","token_type":"Bearer","expires_in":0}`, "expires_in (0) says the token is already expired"},
		{"absurd expires_in", `{"access_token":"eyJx.eyJy.z","token_type":"Bearer","expires_in":315360000}`, "expires_in (315360000) is longer than a day, which no Okta access token lives"},
		{"expires_in not a number", `{"access_token":"eyJx.eyJy.z","token_type":"Bearer","expires_in":"soon"}`, "expires_in (\"soon\") is not a number of seconds"},
		{"expires_in an object", `{"access_token":"eyJx.eyJy.z","token_type":"Bearer","expires_in":{"s":1}}`, "is not a number of seconds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			org := tokenServer(t, func(w http.ResponseWriter, _ *http.Request) {
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				if n == 1 {
					writeJSON(w, 200, tc.answer)
					return
				}
				writeJSON(w, 200, tokenAnswerJSON(good, "Bearer"))
			})
			a, logs := newAuthorizerLogs(t, org, false, func() time.Time { return t0 })
			req := must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil))
			err := a.Authorize(req)
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Authorize = %v, want a *TokenError", err)
			}
			if te.Permanent() || te.Status != 200 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("TokenError{Permanent %v, Status %d}: %v; want a passing one that says %q", te.Permanent(), te.Status, err, tc.want)
			}
			if !strings.Contains(te.Hint(), "proxy_url") || !strings.Contains(err.Error(), te.Hint()) {
				t.Errorf("hint %q", te.Hint())
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("the unusable token was sent")
			}
			if len(err.Error()) > 1024 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
			assertNoSecrets(t, "error", err.Error(), "eyJbad", strings.Repeat("A", 64))
			assertNoSecrets(t, "logs", logText(logs), "eyJbad", strings.Repeat("A", 64))
			// The next attempt fetches a new token and uses it.
			if got := authorizeOK(t, a, org).Header.Get("Authorization"); got != "Bearer "+good {
				t.Errorf("next attempt sent %q", got)
			}
			if calls != 2 {
				t.Errorf("%d token requests, want 2", calls)
			}
		})
	}
}

// expires_in is read leniently, as Okta or a library in front of it could write it.
func TestExpiresInForms(t *testing.T) {
	for _, form := range []string{`3600`, `3600.0`, `"3600"`, `" 3600 "`, `3.6e3`, `3600.9`} {
		t.Run(form, func(t *testing.T) {
			var calls int
			org := tokenServer(t, func(w http.ResponseWriter, _ *http.Request) {
				calls++
				writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok%d","token_type":"Bearer","expires_in":%s}`, calls, form))
			})
			clock := t0
			a := newAuthorizer(t, org, false, func() time.Time { return clock })
			authorizeOK(t, a, org)
			clock = clock.Add(47 * time.Minute)
			authorizeOK(t, a, org)
			if calls != 1 {
				t.Errorf("%d token requests within 47 minutes of a 1-hour token", calls)
			}
			clock = clock.Add(2 * time.Minute)
			authorizeOK(t, a, org)
			if calls != 2 {
				t.Errorf("%d token requests after 49 minutes, want 2", calls)
			}
		})
	}
}

// A token endpoint (or a broken proxy) that echoes the request's client assertion and DPoP proof, whole or
// in parts, in every place the authorizer reads: none of it reaches the error or the log.
func TestTokenEndpointEchoIsRedacted(t *testing.T) {
	echo := func(r *http.Request) string {
		_ = r.ParseForm()
		assertion, proof := r.PostForm.Get("client_assertion"), r.Header.Get("DPoP")
		return "assertion " + assertion + " segments " + strings.ReplaceAll(assertion, ".", " ") +
			" proof " + proof + " proof segments " + strings.ReplaceAll(proof, ".", " ") + " prefix " + proof[:30]
	}
	tests := []struct {
		name  string
		write func(w http.ResponseWriter, r *http.Request)
		want  string
	}{
		{"error_description", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, fmt.Sprintf(`{"error":"invalid_client","error_description":%q}`, echo(r)))
		}, "invalid_client (assertion [REDACTED] segments [REDACTED] [REDACTED] [REDACTED] proof [REDACTED]"},
		{"error code", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, fmt.Sprintf(`{"error":%q}`, echo(r)))
		}, "Okta answered HTTP 400 assertion [REDACTED]"},
		{"Content-Type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", echo(r))
			w.WriteHeader(http.StatusServiceUnavailable)
		}, "answered 503 Service Unavailable with assertion [REDACTED]"},
		{"request id", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Okta-Request-Id", echo(r))
			writeJSON(w, 500, `{"error":"server_error"}`)
		}, "[X-Okta-Request-Id assertion [REDACTED]"},
		{"token type", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, fmt.Sprintf(`{"access_token":"eyJx.eyJy.z","token_type":%q,"expires_in":3600}`, echo(r)))
		}, `issued a "assertion [REDACTED]`},
		{"long description", func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 400, fmt.Sprintf(`{"error":"invalid_request","error_description":%q}`, strings.Repeat("long ", 12000)))
		}, "…(cut, 60000 bytes)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var secrets []string
			org := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				mu.Lock()
				secrets = append(secrets, r.PostForm.Get("client_assertion"), r.Header.Get("DPoP"))
				mu.Unlock()
				tc.write(w, r)
			})
			a, logs := newAuthorizerLogs(t, org, true, func() time.Time { return t0 })
			err := a.Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if len(err.Error()) > 3000 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
			mu.Lock()
			defer mu.Unlock()
			assertNoCredentialParts(t, err.Error(), secrets)
			assertNoCredentialParts(t, logText(logs), secrets)
		})
	}
}

// assertNoCredentialParts checks that no credential, no segment of one and no 10-byte piece of one is in text.
func assertNoCredentialParts(t *testing.T, text string, creds []string) {
	t.Helper()
	for _, c := range creds {
		for _, seg := range strings.Split(c, ".") {
			for i := 0; i+10 <= len(seg); i += 10 {
				if strings.Contains(text, seg[i:i+10]) {
					t.Errorf("a piece of a credential is in %q", text)
					return
				}
			}
		}
	}
}

// A malformed token answer that echoes the client assertion is quoted by net/http's error: redacted too.
func TestMalformedTokenAnswerEchoIsRedacted(t *testing.T) {
	assertion := make(chan string, 1)
	srv, err := oktasim.NewRawServer(func(req *http.Request) string {
		_ = req.ParseForm()
		a := req.PostForm.Get("client_assertion")
		assertion <- a
		return fmt.Sprintf("HTTP/1.1 200 OK\r\nbroken %s\r\n\r\n", a)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	org := srv.URL
	a := newAuthorizer(t, org, false, nil)
	err = a.Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
	var te *TokenError
	if !errors.As(err, &te) || te.Status != 0 || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("Authorize = %v", err)
	}
	assertNoCredentialParts(t, err.Error(), []string{<-assertion})
}
