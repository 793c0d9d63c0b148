package okta // import "github.com/datableio/oktareceiver/internal/okta"

import (
	"net/http"
	"net/url"
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

// OnSystemLog reports whether u may be sent the org's credential: it has the org's scheme, host and port
// (a missing port is the scheme's), and the System Log API's path exactly as LogsPath spells it, with any
// query. The path is compared as it is sent, not as a server might read it: a path with a dot segment
// (/api/v1/logs/../users), a percent-encoded character, a doubled or trailing slash, or another case is
// not the System Log API, whatever the server behind it would make of it; so is a URL with user
// information or a fragment, which no next link of Okta's has.
func OnSystemLog(u, org *url.URL) bool {
	return SameOrigin(u, org) && onLogsPath(u)
}

func onLogsPath(u *url.URL) bool {
	return u.Opaque == "" && u.User == nil && u.Fragment == "" && u.RawFragment == "" &&
		u.Path == LogsPath && u.EscapedPath() == LogsPath
}

// SameOrigin reports whether u has the scheme, host and port of org (a missing port is the scheme's).
func SameOrigin(u, org *url.URL) bool {
	return strings.EqualFold(u.Scheme, org.Scheme) && strings.EqualFold(hostPort(u), hostPort(org))
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

// CheckLink returns nil when rawURL may be fetched with the org's credential (OnSystemLog), else a
// *ForeignLinkError that says where it leads. It is the one check for next links from answers, links read
// back from the checkpoint, and redirects.
func (c *Client) CheckLink(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return &ForeignLinkError{Link: "(unparseable)", Org: c.org.Host}
	}
	return c.checkLink(u, false)
}

func (c *Client) checkLink(u *url.URL, redirect bool) error {
	switch {
	case !SameOrigin(u, c.org):
		return &ForeignLinkError{Link: c.linkText(u), Org: c.org.Host, Redirect: redirect}
	case !onLogsPath(u):
		return &ForeignLinkError{Link: c.linkText(u), Org: c.org.Host, Redirect: redirect, OffPath: true}
	}
	return nil
}

// linkText names where a link points without its query, which may carry anything, and without any
// credential the server put in its host or path. The path is shown as it would be sent.
func (c *Client) linkText(u *url.URL) string {
	return c.redactor.Clean((&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String(), MaxServerWord*2)
}
