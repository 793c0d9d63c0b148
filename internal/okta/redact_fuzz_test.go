package okta

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// separators are what the normaliser drops or replaces: invalid UTF-8 (lone bytes, a sequence cut short),
// U+FFFD, control characters, line separators, invisible characters.
var separators = []string{"\xff", "\x80", "\xc3", "\xe2\x80", "\ufffd", "\x00", "\n", "\r\n", "\t", "\x1b", "\x7f", "\u0085",
	"\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2028", "\u2029", "\ufe0f", "\U000e0001", "\ufffe", "\u180e"}

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/="

// FuzzRedact: whatever surrounds a secret and whatever the normaliser removes between its pieces (each of
// eight characters or more), no run of eight of the secret's characters is in Clean's output, let alone the
// whole secret; and the output is what a log line prints as it is: valid UTF-8, without control, invisible
// or replacement characters, cut to its limit.
func FuzzRedact(f *testing.F) {
	f.Add([]byte("00abcDEF123ghiJKL456mnoPQR789stuVWX012yz"), "got SSWS ", " here", []byte{0, 3, 200}, []byte{0, 1, 2}, uint16(512))
	f.Add([]byte("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIwb2ExIn0.c2lnbmF0dXJl"), "{\"errorSummary\":\"", "\"}", []byte{1}, []byte{4, 12}, uint16(160))
	f.Add([]byte("access-token-value-1234"), strings.Repeat("x", 600), "", []byte{}, []byte{5}, uint16(512))
	f.Add([]byte("0123456789abcdef"), "ab", "cd", []byte{0, 0}, []byte{20, 21}, uint16(20))
	f.Fuzz(func(t *testing.T, seed []byte, prefix, suffix string, cuts, seps []byte, limit16 uint16) {
		if len(seed) < minSecretPart || len(seed) > 4096 {
			return
		}
		secret := make([]byte, len(seed))
		for i, c := range seed {
			secret[i] = tokenAlphabet[int(c)%len(tokenAlphabet)]
		}
		sec := string(secret)
		var pieces []string
		for rest, k := sec, 0; rest != ""; k++ {
			n := minSecretPart
			if k < len(cuts) {
				n += int(cuts[k]) % 24
			}
			if len(rest)-n < minSecretPart {
				n = len(rest) // the last piece takes the rest: every piece has eight characters or more
			}
			pieces, rest = append(pieces, rest[:n]), rest[n:]
		}
		var b strings.Builder
		b.WriteString(prefix)
		for k, p := range pieces {
			if k > 0 {
				sep := 0
				if k-1 < len(seps) {
					sep = int(seps[k-1])
				}
				b.WriteString(separators[sep%len(separators)])
			}
			b.WriteString(p)
		}
		b.WriteString(suffix)
		text := b.String()
		limit := 16 + int(limit16)%1024

		out := NewRedactor(sec, "another-secret-0123456789").Clean(text, limit)

		for i := 0; i+minSecretPart <= len(sec); i++ {
			if strings.Contains(out, sec[i:i+minSecretPart]) {
				t.Fatalf("Clean(%q) = %q holds %q, a part of the secret %q", text, out, sec[i:i+minSecretPart], sec)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q is not valid UTF-8", text, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || r == utf8.RuneError || invisible(r) || r == '\u2028' || r == '\u2029' {
				t.Fatalf("Clean(%q) = %q holds %U, which the printer would change or not show", text, out, r)
			}
		}
		if most := limit + len(fmt.Sprintf("…(cut, %d bytes)", len(text))); len(out) > most {
			t.Fatalf("Clean(%d bytes, %d) is %d bytes long, more than %d", len(text), limit, len(out), most)
		}
	})
}
