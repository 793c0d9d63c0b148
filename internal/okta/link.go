package okta // import "github.com/datableio/oktareceiver/internal/okta"

import (
	"net/http"
	"strings"
)

// NextLink returns the target of the `rel="next"` link in h, or "" when there is none. Okta sends one
// `Link` header line per link, but proxies may join them into one comma-separated line; both are read.
func NextLink(h http.Header) string {
	for _, line := range h.Values("Link") {
		for rest := line; rest != ""; {
			var target, params string
			var ok bool
			target, params, rest, ok = cutLink(rest)
			if !ok {
				break
			}
			if hasRel(params, "next") {
				return target
			}
		}
	}
	return ""
}

// cutLink reads one `<target>; params` element from s and returns what follows its separating comma.
// A comma inside <…> or inside a quoted parameter value does not end the element.
func cutLink(s string) (target, params, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t,")
	if !strings.HasPrefix(s, "<") {
		return "", "", "", false
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", "", "", false
	}
	target = s[1:end]
	s = s[end+1:]
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			if inQuote {
				i++
			}
		case ',':
			if !inQuote {
				return target, s[:i], s[i+1:], true
			}
		}
	}
	return target, s, "", true
}

// hasRel reports whether the link parameters carry rel=want (rel may list several space-separated types).
func hasRel(params, want string) bool {
	for _, p := range strings.Split(params, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "rel") {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"`)
		for _, rel := range strings.Fields(value) {
			if strings.EqualFold(rel, want) {
				return true
			}
		}
	}
	return false
}
