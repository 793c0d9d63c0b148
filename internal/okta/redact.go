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

// Redact makes server text fit for a log line. It first makes the text what a log line prints
// (printable): invalid UTF-8, U+FFFD replacement characters and invisible characters (zero-width spaces and
// joiners, soft hyphens, bidirectional controls, variation selectors, byte order marks) are dropped, control
// characters and line separators become spaces. Then every secret in it, and every run of at least eight
// token characters that is a part of a secret, becomes [REDACTED]: a secret the server echoed in pieces
// between such characters is matched as one, so no piece of eight characters or more survives. Text
// longer than limit bytes is cut, saying how long it was: "…(cut, N bytes)".
func Redact(s string, limit int, secrets []string) string {
	total := len(s)
	// Only the first limit bytes are kept: a secret that starts in them ends within the longest secret's
	// length after them, so nothing beyond that needs looking at (a 5 MB errorSummary costs no more than
	// a short one). The raw text read for it is bounded too, however much of it the normaliser drops.
	longest := 0
	for _, sec := range secrets {
		longest = max(longest, len(sec))
	}
	window := limit + longest + minSecretPart
	p, truncated := printable(s, window, 4*window)
	for _, sec := range secrets {
		if len(sec) >= minSecretPart {
			p = strings.ReplaceAll(p, sec, redacted)
		}
	}
	p = redactParts(p, secrets)
	if truncated {
		// The last run may be a secret's first characters, its rest beyond what was read: it goes.
		p = strings.TrimRightFunc(p, func(r rune) bool { return r < utf8.RuneSelf && isRunChar(byte(r)) })
	}
	p = strings.ReplaceAll(p, separator, " ")
	if total > limit {
		cut := min(limit, len(p))
		for cut > 0 && cut < len(p) && !utf8.RuneStart(p[cut]) {
			cut--
		}
		p = p[:cut] + fmt.Sprintf("…(cut, %d bytes)", total)
	}
	return p
}

// separator stands, while Redact matches, for a space the normaliser put in place of a control character:
// matching looks through it, as through the characters the normaliser dropped. No printable text has it.
const separator = "\x00"

// printable is s as a log line prints it, read until it is out bytes long or in bytes of s were read
// (truncated then says s goes on): invalid UTF-8, U+FFFD and invisible characters dropped, control
// characters and line or paragraph separators as separator.
func printable(s string, out, in int) (p string, truncated bool) {
	var b strings.Builder
	b.Grow(min(len(s), out) + utf8.UTFMax)
	i := 0
	for i < len(s) && b.Len() < out && i < in {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError, invisible(r): // an invalid byte, or U+FFFD itself
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			b.WriteString(separator)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), i < len(s)
}

// invisible reports whether r shows as nothing, or changes nothing visible, where it is printed: the
// default-ignorable code points (format characters such as U+200B, U+200D, U+00AD, U+FEFF, U+202E;
// variation selectors; fillers) and noncharacters.
func invisible(r rune) bool {
	return r >= 0x80 && (unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point,
		unicode.Noncharacter_Code_Point))
}

// redactParts replaces each stretch of token characters that is covered by runs of minSecretPart
// consecutive token characters each found inside a secret (a JWT segment, a token cut short, a token glued
// to other text). Separators inside a stretch are looked through: a secret split by control characters is
// matched as a whole, and redacted with them.
func redactParts(p string, secrets []string) string {
	if len(secrets) == 0 {
		return p
	}
	runs := tokenRuns(p)
	if len(runs) == 0 {
		return p
	}
	inSecret := gramFinder(runs, secrets)
	var b strings.Builder
	last := 0 // p[:last] has been written
	for _, r := range runs {
		covered, from := -1, 0 // r.skel[from:covered] is covered by matches
		emit := func() {
			if covered >= 0 {
				b.WriteString(p[last:r.pos[from]])
				b.WriteString(redacted)
				last = r.pos[covered-1] + 1
				covered = -1
			}
		}
		for i := 0; i+minSecretPart <= len(r.skel); i++ {
			if !inSecret(r.skel[i : i+minSecretPart]) {
				continue
			}
			if covered < i {
				emit()
				from = i
			}
			covered = i + minSecretPart
		}
		emit()
	}
	b.WriteString(p[last:])
	return b.String()
}

// tokenRun is a maximal run of token characters and separators in a text: skel holds its token
// characters, pos the byte offset of each in the text.
type tokenRun struct {
	skel string
	pos  []int
}

// tokenRuns lists the runs of p that hold at least minSecretPart token characters.
func tokenRuns(p string) []tokenRun {
	var runs []tokenRun
	var skel []byte
	var pos []int
	for i := 0; i <= len(p); i++ {
		if i < len(p) && isRunChar(p[i]) {
			if isTokenChar(p[i]) {
				skel, pos = append(skel, p[i]), append(pos, i)
			}
			continue
		}
		if len(skel) >= minSecretPart {
			runs = append(runs, tokenRun{skel: string(skel), pos: pos})
			pos = nil
		}
		skel, pos = skel[:0], pos[:0]
	}
	return runs
}

// gramFinder returns a function that reports whether a run of minSecretPart token characters of runs is
// inside a secret. A few runs are looked up in the secrets directly; many are put in a set first, and each
// secret's runs looked up in it once: a body excerpt costs a pass over the secrets, not one per position.
func gramFinder(runs []tokenRun, secrets []string) func(string) bool {
	grams := 0
	for _, r := range runs {
		grams += len(r.skel) - minSecretPart + 1
	}
	if grams <= 32 {
		return func(g string) bool { return partOfAny(g, secrets) }
	}
	found := make(map[uint64]bool, grams)
	for _, r := range runs {
		for i := 0; i+minSecretPart <= len(r.skel); i++ {
			found[gramKey(r.skel[i:])] = false
		}
	}
	for _, sec := range secrets {
		for i := 0; i+minSecretPart <= len(sec); i++ {
			k := gramKey(sec[i:])
			if _, ok := found[k]; ok {
				found[k] = true
			}
		}
	}
	return func(g string) bool { return found[gramKey(g)] }
}

// A gram's key holds eight bytes: minSecretPart must stay 8 (this does not compile otherwise).
const _ = uint(minSecretPart-8) + uint(8-minSecretPart)

// gramKey is the first minSecretPart (eight) bytes of s as one number.
func gramKey(s string) uint64 {
	_ = s[minSecretPart-1]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func partOfAny(run string, secrets []string) bool {
	for _, sec := range secrets {
		if strings.Contains(sec, run) {
			return true
		}
	}
	return false
}

// isTokenChar reports whether c can be in a credential: base64url (Okta's API tokens, JWTs), the dots
// between a JWT's segments, and the rest of RFC 6750's b64token (~ + / =).
func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~+/=", c) >= 0
}

// isRunChar is a token character or a separator: a run of them is matched as one.
func isRunChar(c byte) bool { return isTokenChar(c) || c == separator[0] }
