package oktasim

import (
	"net/http"
	"net/url"
)

// logsPath is the System Log endpoint.
const logsPath = "/api/v1/logs"

// baseURL is the scheme://host the links point at: Options.BaseURL, or the request's own.
func (s *Sim) baseURL(r *http.Request) *url.URL {
	if s.opts.BaseURL != "" {
		u, _ := url.Parse(s.opts.BaseURL) // validated by New
		return &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return &url.URL{Scheme: scheme, Host: r.Host}
}

// logsURL is the logs endpoint on base with the query v.
func logsURL(base *url.URL, v url.Values) string {
	u := *base
	u.Path = logsPath
	u.RawQuery = v.Encode()
	return u.String()
}

// setLinks writes the Link headers the way Okta does: `<url>; rel="self"` then, when next is not
// empty, `<url>; rel="next"`, as two header lines, or as one comma-joined line when join is set.
func setLinks(h http.Header, self, next string, join bool) {
	selfLink := "<" + self + `>; rel="self"`
	switch {
	case next == "":
		h.Set("Link", selfLink)
	case join:
		h.Set("Link", selfLink+", <"+next+`>; rel="next"`)
	default:
		h.Set("Link", selfLink)
		h.Add("Link", "<"+next+`>; rel="next"`)
	}
}
