package okta

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIwb2ExIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA"
	const token = "00abcDEF123ghiJKL456mnoPQR789stuVWX012yz"
	secrets := []string{jwt, token}
	parts := strings.Split(jwt, ".")
	payload, sig := parts[1], parts[2]
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"plain text", "Invalid token provided", 512, "Invalid token provided"},
		{"whole token", "got SSWS " + token + " here", 512, "got SSWS [REDACTED] here"},
		{"whole JWT", "Authorization: DPoP " + jwt, 512, "Authorization: DPoP [REDACTED]"},
		{"JWT segments apart", "payload " + payload + " signature " + sig, 512, "payload [REDACTED] signature [REDACTED]"},
		{"token cut short by the server", "header was SSWS " + token[:20] + "...", 512, "header was SSWS [REDACTED]..."},
		{"short runs stay", "abc 00ab E0000011", 512, "abc 00ab E0000011"},
		{"control characters", "line1\nline2\r\x1b[31m", 512, "line1 line2  [31m"},
		{"invalid UTF-8 dropped", "a\xffb", 512, "ab"},
		{"cut", strings.Repeat("x", 600), 512, strings.Repeat("x", 512) + "…(cut, 600 bytes)"},
		{"cut on a rune boundary", "é" + strings.Repeat("é", 10), 5, "éé…(cut, 22 bytes)"},
		{"secret across the cut", strings.Repeat("y", 505) + " " + token, 512, strings.Repeat("y", 505) + " [REDAC…(cut, 546 bytes)"},
		{"replacement characters dropped", "a\ufffdb", 512, "ab"},
		{"invisible characters dropped", "a\u200bb\u200dc\u00add\ufeffe\u202ef\ufe0fg\u2060h", 512, "abcdefgh"},
		{"line separators", "a\u2028b\u2029c", 512, "a b c"},
		{"token glued to other text", "xx" + token[:12] + "yy", 512, "xx[REDACTED]yy"},
		{"token with an invalid byte every 3 characters", splitEvery(token, 3, "\xff"), 512, "[REDACTED]"},
		{"token with U+FFFD every 3 characters", "SSWS " + splitEvery(token, 3, "\ufffd"), 512, "SSWS [REDACTED]"},
		{"token with a zero-width space every 2 characters", splitEvery(token, 2, "\u200b"), 512, "[REDACTED]"},
		{"token with a control character every 3 characters", "x " + splitEvery(token, 3, "\x00") + " y", 512, "x [REDACTED] y"},
		{"JWT with a line break every 4 characters", splitEvery(jwt, 4, "\r\n"), 512, "[REDACTED]"},
		{"text with line breaks stays readable", "Invalid\ntoken\r\nprovided", 512, "Invalid token  provided"},
		{"a token's first characters at the end of what is read", strings.Repeat("\xff", 4*(20+len(jwt)+8)-5) + token, 20,
			fmt.Sprintf("…(cut, %d bytes)", 4*(20+len(jwt)+8)-5+len(token))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Redact(tt.in, tt.limit, secrets))
		})
	}
}

func splitEvery(s string, n int, sep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

// A 5 MB errorSummary costs no more than its first bytes.
func TestRedactLongText(t *testing.T) {
	in := strings.Repeat("a-b_c ", 1<<20) + "00abcDEF123ghiJKL456mnoPQR789stuVWX012yz"
	out := Redact(in, MaxServerText, []string{"00abcDEF123ghiJKL456mnoPQR789stuVWX012yz"})
	assert.LessOrEqual(t, len(out), MaxServerText+40)
	assert.True(t, strings.HasSuffix(out, "…(cut, 6291496 bytes)"), out[len(out)-40:])
}

func TestRedactorRemembersRecentCredentials(t *testing.T) {
	var r Redactor
	r.addRequest(map[string][]string{"Authorization": {"SSWS first-token-value"}})
	for i := range maxSecrets {
		r.Add(strings.Repeat(string(rune('a'+i)), 12))
	}
	assert.Equal(t, "first-token-value", (&r).Clean("first-token-value", 100), "the oldest is forgotten")
	assert.Equal(t, "[REDACTED]", (&r).Clean(strings.Repeat("p", 12), 100), "the newest is kept")
	r.addRequest(map[string][]string{"Authorization": {"DPoP access-token-value"}, "Dpop": {"proof-value-1"}})
	assert.Equal(t, "[REDACTED] [REDACTED]", r.Clean("access-token-value proof-value-1", 100))
	var none *Redactor
	assert.Equal(t, "x…(cut, 3 bytes)", none.Clean("xyz", 1))
}

// What redaction costs on each page (the request id) and on a failure (a body excerpt of token-like
// text), with as many credentials remembered as a Redactor keeps, each as long as an OAuth access token.
func BenchmarkRedact(b *testing.B) {
	secrets := make([]string, maxSecrets)
	for i := range secrets {
		secrets[i] = strings.Repeat(string(rune('a'+i)), 300) + strings.Repeat("Zy0_-", 140)
	}
	for name, text := range map[string]string{
		"request id":   "XaBcD3fGhIjKlMnOpQrStUvWx",
		"body excerpt": strings.Repeat("eyJhbGciOiJSUzI1NiJ9.", 40),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Redact(text, MaxServerText, secrets)
			}
		})
	}
}
