package okta

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Lengths to which server text is cut before it goes into an error or a log line.
const (
	// MaxServerText bounds one field of server text: an errorSummary, one errorCause, an error_description.
	MaxServerText = 512
	// maxServerExcerpt bounds the first bytes of a body that is not what was expected (an HTML page).
	maxServerExcerpt = 160
	// MaxServerWord bounds a short server value: a request id, a Content-Type, an error code.
	MaxServerWord = 128
)

const (
	// redacted replaces a credential found in server text.
	redacted = "[REDACTED]"
	// minSecretPart is the shortest run of token characters that is redacted when it is a part of a
	// credential (a JWT's header, payload or signature segment, or a token cut short by the server).
	minSecretPart = 8
	// maxSecrets is how many of the most recently sent credentials a Redactor remembers.
	maxSecrets = 16
)

// Redactor removes the credentials the client sent from text the server sent back, before that text goes
// into an error or a log line: a broken proxy may echo the request's Authorization or DPoP header in its
// error body. The client tells it every credential it sends (the Authorization header's credential and the
// DPoP proof); it remembers the most recent few. Safe for concurrent use; a nil *Redactor only cuts.
type Redactor struct {
	mu      sync.Mutex
	secrets []string
}

// NewRedactor returns a Redactor that knows the given credentials.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add remembers credentials that were sent; empty strings are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s == "" || containsString(r.secrets, s) {
			continue
		}
		if len(r.secrets) == maxSecrets {
			r.secrets = append(r.secrets[:0], r.secrets[1:]...)
		}
		r.secrets = append(r.secrets, s)
	}
}

// addRequest remembers the credentials of a request: the Authorization header's credential (after its
// scheme) and the DPoP proof.
func (r *Redactor) addRequest(h map[string][]string) {
	var found []string
	for _, v := range h["Authorization"] {
		_, cred, ok := strings.Cut(v, " ")
		if !ok {
			cred = v
		}
		found = append(found, strings.TrimSpace(cred))
	}
	found = append(found, h["Dpop"]...)
	r.Add(found...)
}

// Clean is Redact with the credentials the Redactor remembers.
func (r *Redactor) Clean(s string, limit int) string {
	if r == nil {
		return Redact(s, limit, nil)
	}
	r.mu.Lock()
	secrets := r.secrets
	r.mu.Unlock()
	return Redact(s, limit, secrets)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Redact makes server text fit for a log line: every secret in it, and every run of at least eight token
// characters that is a part of a secret (a JWT segment, a token the server cut short), becomes
// [REDACTED]; control characters become spaces; invalid UTF-8 is dropped; and text longer than limit bytes
// is cut, saying how long it was: "…(cut, N bytes)".
func Redact(s string, limit int, secrets []string) string {
	total := len(s)
	// Only the first limit bytes are kept: a secret that starts in them ends within the longest secret's
	// length after them, so nothing beyond that needs looking at (a 5 MB errorSummary costs no more than
	// a short one).
	longest := 0
	for _, sec := range secrets {
		longest = max(longest, len(sec))
	}
	if window := limit + longest; len(s) > window {
		s = s[:window]
	}
	for _, sec := range secrets {
		if len(sec) >= minSecretPart {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	s = redactParts(s, secrets)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if total > limit {
		cut := min(limit, len(s))
		for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + fmt.Sprintf("…(cut, %d bytes)", total)
	}
	return s
}

// redactParts replaces each maximal run of base64url characters that is at least minSecretPart long and
// occurs inside a secret.
func redactParts(s string, secrets []string) string {
	if len(secrets) == 0 {
		return s
	}
	var b strings.Builder
	start := -1
	flush := func(end int) {
		run := s[start:end]
		if len(run) >= minSecretPart && partOfAny(run, secrets) {
			b.WriteString(redacted)
		} else {
			b.WriteString(run)
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		if isTokenChar(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			flush(i)
		}
		b.WriteByte(s[i])
	}
	if start >= 0 {
		flush(len(s))
	}
	return b.String()
}

func partOfAny(run string, secrets []string) bool {
	for _, sec := range secrets {
		if strings.Contains(sec, run) {
			return true
		}
	}
	return false
}

// isTokenChar reports whether c belongs to base64url, the alphabet of Okta's API tokens and of JWTs.
func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}
