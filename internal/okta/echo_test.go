package okta

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// dpopLike authorizes every request as an OAuth client with DPoP would: a JWT access token and a new
// JWT proof each time.
type dpopLike struct{ token string }

func jwtLike() string {
	return "eyJ" + rand.Text() + "." + "eyJ" + rand.Text() + rand.Text() + "." + rand.Text() + rand.Text()
}

func (a *dpopLike) Authorize(req *http.Request) error {
	req.Header.Set("Authorization", "DPoP "+a.token)
	req.Header.Set("DPoP", jwtLike())
	return nil
}

func (*dpopLike) Rejected(*http.Response) bool { return false }

// A server (or a broken proxy) that echoes the request's credentials in every place the client reads:
// none of them reaches the error, whole or in parts, and long server text is cut.
func TestServerEchoedCredentialsAreRedacted(t *testing.T) {
	// echo renders the request's credentials into a body or header value.
	type echo func(r *http.Request) string
	all := func(r *http.Request) string {
		return "Authorization: " + r.Header.Get("Authorization") + " DPoP: " + r.Header.Get("DPoP")
	}
	parts := func(r *http.Request) string {
		_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		segs := strings.Split(r.Header.Get("DPoP"), ".")
		return "token prefix " + tok[:min(len(tok), 20)] + " proof segments " + strings.Join(segs, " ")
	}
	tests := []struct {
		name   string
		status int
		ctype  string
		body   func(echo) func(r *http.Request) string
		header string // a response header that echoes
		want   string
	}{
		{name: "errorSummary", status: 401, ctype: "application/json", body: func(e echo) func(*http.Request) string {
			return func(r *http.Request) string { return fmt.Sprintf(`{"errorCode":"E0000011","errorSummary":%q}`, e(r)) }
		}, want: "HTTP 401 E0000011: "},
		{name: "errorCauses", status: 400, ctype: "application/json", body: func(e echo) func(*http.Request) string {
			return func(r *http.Request) string {
				return fmt.Sprintf(`{"errorCode":"E0000001","errorSummary":"bad","errorCauses":[{"errorSummary":%q}]}`, e(r))
			}
		}, want: "check `filter`"},
		{name: "HTML error body", status: 502, ctype: "text/html", body: func(e echo) func(*http.Request) string {
			return func(r *http.Request) string { return "<html><body>" + e(r) + "</body></html>" }
		}, want: "answered 502 Bad Gateway with text/html, not Okta's error JSON (it begins \"<html><body>"},
		{name: "HTML page with 200", status: 200, ctype: "text/html", body: func(e echo) func(*http.Request) string {
			return func(r *http.Request) string { return "<html>" + e(r) + "</html>" }
		}, want: "not Okta's JSON (it begins"},
		{name: "request id header", status: 500, ctype: "application/json", header: "X-Okta-Request-Id", body: func(echo) func(*http.Request) string {
			return func(*http.Request) string { return `{"errorCode":"E0000009","errorSummary":"Internal Server Error"}` }
		}, want: "[X-Okta-Request-Id"},
		{name: "content type header", status: 503, header: "Content-Type", body: func(echo) func(*http.Request) string {
			return func(*http.Request) string { return "down" }
		}, want: "answered 503 Service Unavailable with"},
	}
	for _, tt := range tests {
		for ename, e := range map[string]echo{"whole": all, "parts": parts} {
			t.Run(tt.name+"/"+ename, func(t *testing.T) {
				var sent []string
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
					sent = append(sent, tok, r.Header.Get("DPoP"))
					if tt.ctype != "" {
						w.Header().Set("Content-Type", tt.ctype)
					}
					if tt.header != "" {
						w.Header().Set(tt.header, e(r))
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body(e)(r)))
				}))
				defer srv.Close()
				u, _ := url.Parse(srv.URL)
				c := NewClient(u, srv.Client(), &dpopLike{token: jwtLike()}, "ua", testMaxBody)
				_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
				require.Error(t, err)
				msg := err.Error()
				assert.Contains(t, msg, tt.want)
				assert.Contains(t, msg, "[REDACTED]")
				assertNoCredentials(t, msg, sent)
			})
		}
	}
}

// assertNoCredentials checks that no credential, nor any segment of one, nor a 10-byte piece of one,
// is in text.
func assertNoCredentials(t *testing.T, text string, creds []string) {
	t.Helper()
	for _, c := range creds {
		if c == "" {
			continue
		}
		assert.NotContains(t, text, c)
		for _, seg := range strings.Split(c, ".") {
			for i := 0; i+10 <= len(seg); i += 10 {
				assert.NotContains(t, text, seg[i:i+10], "a piece of a credential")
			}
		}
	}
}

// A 5 MB errorSummary, a thousand errorCauses and a long HTML page make a short error.
func TestLongServerTextIsCut(t *testing.T) {
	long := strings.Repeat("too long ", 5<<20/9)
	causes := strings.Repeat(`{"errorSummary":"cause"},`, 1000)
	for name, body := range map[string]string{
		"errorSummary": fmt.Sprintf(`{"errorCode":"E0000001","errorSummary":%q}`, long),
		"errorCauses":  `{"errorCode":"E0000001","errorSummary":"bad","errorCauses":[` + causes + `{"errorSummary":"last"}]}`,
		"HTML":         "<html>" + long + "</html>",
	} {
		t.Run(name, func(t *testing.T) {
			c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(body))
			}, 0)
			_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 4*MaxServerText, "error of %d bytes", len(err.Error()))
			if name == "errorCauses" {
				assert.Contains(t, err.Error(), "and 996 more")
			} else {
				assert.Contains(t, err.Error(), "…(cut, ")
			}
		})
	}
}

// A malformed answer that echoes the Authorization header is quoted by net/http's error: redacted too.
func TestMalformedAnswerEchoIsRedacted(t *testing.T) {
	srv, err := oktasim.NewRawServer(func(req *http.Request) string {
		return fmt.Sprintf("HTTP/1.1 200 OK\r\nbroken line %s\r\n\r\n", req.Header.Get("Authorization"))
	})
	require.NoError(t, err)
	defer srv.Close()
	u := srv.URL
	c := NewClient(u, &http.Client{}, APIToken{Token: secret}, "ua", testMaxBody)
	_, err = c.Fetch(context.Background(), u.String()+LogsPath, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "malformed")
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "[REDACTED]")
}

// Each kind of failure says its own true hint.
func TestFailureHints(t *testing.T) {
	page := func(body string) func(w http.ResponseWriter, _ *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Okta-Request-Id", "req-7")
			_, _ = w.Write([]byte(body))
		}
	}
	mapper := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: mapping.BodyMap})
	tests := []struct {
		name      string
		body      string
		maxBody   int64
		want      []string
		permanent bool
	}{
		{name: "body over the cap", body: "[" + strings.Repeat(`{"uuid":"x"},`, 100) + `{"uuid":"x"}]`, maxBody: 1000, permanent: true,
			want: []string{"larger than 1000 bytes", "raise `max_response_body_size` (now 1000) or lower `page_size`", "[X-Okta-Request-Id req-7]"}},
		{name: "an object, not an array", body: `{"status":"ok","token":"` + secret + `"}`,
			want: []string{"Okta answered 200 with something that is not a System Log page (it begins \"{\\\"status\\\":\\\"ok\\\",\\\"token\\\":\\\"[REDACTED]", "a proxy or gateway", "check `endpoint` and `proxy_url`", "[X-Okta-Request-Id req-7]"}},
		{name: "items not objects", body: `[1,2,3]`, want: []string{"element 0 of the array is a number", "rewrote it?"}},
		{name: "nested too deep", body: `[{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}]`,
			want: []string{"nesting deeper than 10000 levels", "rewrote it?"}},
		{name: "cut short", body: `[{"uuid":"a"},{"uuid":"b","published":"2026-`,
			want: []string{"ended before its end", "page is cut off", "cut the answer short", "`proxy_url`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv := newTestClient(t, page(tt.body), tt.maxBody)
			p, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
			if err == nil {
				_, _, _, mapErr := mapper.MapPage(p.Body, time.Now())
				require.Error(t, mapErr)
				var se *mapping.SyntaxError
				err = c.PageError(p, mapErr, errors.As(mapErr, &se) && se.Offset >= len(p.Body))
			}
			msg := err.Error()
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
			assert.NotContains(t, msg, "check `endpoint`, `proxy_url`, the network and the TLS settings", "not a transport failure")
			assert.NotContains(t, msg, secret)
			f, ok := err.(interface {
				Hint() string
				Permanent() bool
			})
			require.True(t, ok, "%T says its hint and whether it is permanent", err)
			assert.Contains(t, msg, f.Hint())
			assert.Equal(t, tt.permanent, f.Permanent())
		})
	}
}
