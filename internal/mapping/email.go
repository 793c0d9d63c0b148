package mapping

import "strings"

// isEmail tells whether s looks like an e-mail address: one '@' between a non-empty local part and a
// domain of at least two non-empty dot-separated labels, without spaces, control characters or the
// punctuation that cannot appear unquoted in an address.
func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if notInEmail[s[i]] || (s[i] == '@' && i != at) {
			return false
		}
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	if !strings.Contains(domain, ".") {
		return false
	}
	for label := range strings.SplitSeq(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
	}
	return true
}

// notInEmail marks the ASCII bytes that cannot appear unquoted in an e-mail address.
var notInEmail = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "\"(),:;<>[\\]" {
		t[c] = true
	}
	return t
}()
