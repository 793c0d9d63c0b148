package oktasim

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ServeHTTP serves GET /api/v1/logs, the management calls oktacheck makes (management.go), the /sim/ admin
// endpoints and, with Options.OAuth, the token endpoint.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveOAuth(w, r) {
		return
	}
	if strings.HasPrefix(r.URL.Path, "/sim/") {
		s.serveAdmin(w, r)
		return
	}
	s.counters.request(r.Host, r.Header.Get("Authorization"))
	if isManagement(r.URL.Path) {
		s.serveManagement(w, r, managementHeaders(s.now()))
		return
	}
	if !s.limiter.enter() {
		s.counters.limited(true)
		s.writeError(w, errRateLimit, s.limiter.concurrencyHeaders(s.now()))
		return
	}
	defer s.limiter.leave()
	rh, ok := s.limiter.take(s.now())
	if !ok {
		s.counters.limited(false)
		s.writeError(w, errRateLimit, rh)
		return
	}
	switch {
	case r.URL.Path != logsPath:
		s.writeError(w, errNotFound, rh)
	case r.Method != http.MethodGet:
		s.writeError(w, errBadMethod, rh)
	default:
		s.serveLogs(w, r, rh)
	}
}

// serveLogs answers a logs request admitted by the limits: faults first, then authentication,
// validation and the query.
func (s *Sim) serveLogs(w http.ResponseWriter, r *http.Request, rh rateHeaders) {
	fault, slowDelay, foreignHost, zoneAddress := s.faults.draw()
	if s.answerFault(w, r, rh, fault, slowDelay, zoneAddress) {
		return
	}
	if !s.authorized(w, r) {
		s.writeError(w, errInvalidToken, rh)
		return
	}
	now := s.now()
	q, apiErr := parseLogQuery(r.URL.Query(), now)
	if apiErr != nil {
		s.writeError(w, apiErr, rh)
		return
	}

	var page []*event
	var next string
	base := s.baseURL(r)
	nextBase := base
	if fault == FaultForeignNext {
		foreign := *base
		foreign.Host = foreignHost
		nextBase = &foreign
	}
	if q.bounded {
		var more bool
		page, more = s.store.bounded(q.since, q.until, now, q.desc, q.after, q.limit, q.match)
		if more {
			next = logsURL(nextBase, q.nextParams(page[len(page)-1].publishPos()))
		}
	} else {
		page = s.store.poll(q.cursor, now, q.limit, q.match)
		cursor := q.cursor // an empty page keeps the cursor
		if len(page) > 0 {
			cursor = page[len(page)-1].persistPos()
		}
		next = logsURL(nextBase, q.nextParams(cursor))
	}
	if fault == FaultForeignNext && next != "" {
		s.counters.fault(fault)
	}
	setLinks(w.Header(), logsURL(base, r.URL.Query()), next, s.opts.JoinLinks)

	body := pageJSON(page)
	s.last.set(body)
	if fault != FaultTruncate {
		s.writeJSON(w, http.StatusOK, body, rh)
		return
	}
	s.counters.fault(fault)
	s.writeTruncated(w, body, rh)
}

// answerFault answers the request in an injected fault's place and reports whether it did. A slow answer
// waits first; the body faults (a foreign next link, a truncated body) and a replay with no page to replay
// are served with the page.
func (s *Sim) answerFault(w http.ResponseWriter, r *http.Request, rh rateHeaders, fault FaultKind, slowDelay time.Duration, zoneAddress string) bool {
	if fault != "" && fault != FaultForeignNext && fault != FaultTruncate && fault != FaultReplay {
		s.counters.fault(fault) // the body faults count only when a page is served
	}
	switch fault {
	case FaultSlow:
		t := time.NewTimer(slowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // the client gave up; nothing to answer
		}
	case Fault500:
		s.writeError(w, errTimeout, rh)
		return true
	case Fault503HTML:
		s.writeHTML(w, http.StatusServiceUnavailable, html503)
		return true
	case FaultHTML200:
		s.writeHTML(w, http.StatusOK, htmlProxyLogin)
		return true
	case FaultHTML502:
		s.writeHTML(w, http.StatusBadGateway, html502)
		return true
	case Fault401:
		s.writeError(w, errInvalidToken, rh)
		return true
	case Fault403:
		s.writeError(w, errForbidden, rh)
		return true
	case FaultNetworkZone:
		s.writeError(w, networkZoneError(zoneAddress), rh)
		return true
	case Fault400:
		s.writeError(w, validationError("request", "rejected by an injected fault"), rh)
		return true
	case Fault429:
		rh.remaining = 0
		s.writeError(w, errRateLimit, rh)
		return true
	case FaultNotArray:
		s.writeJSON(w, http.StatusOK, []byte(`{"status":"OK","events":[]}`), rh)
		return true
	case FaultReplay:
		if body, ok := s.last.get(); ok {
			s.counters.fault(fault)
			self := logsURL(s.baseURL(r), r.URL.Query())
			setLinks(w.Header(), self, self, s.opts.JoinLinks)
			s.writeJSON(w, http.StatusOK, body, rh)
			return true
		}
	}
	return false
}

// writeTruncated promises the whole body, sends part of it, then drops the connection.
func (s *Sim) writeTruncated(w http.ResponseWriter, body []byte, rh rateHeaders) {
	s.writeHeaders(w, "application/json", rh)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.counters.response(http.StatusOK)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:max(1, len(body)/2)])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}

// lastPage holds the last page served.
type lastPage struct {
	mu   sync.Mutex
	body []byte
}

func (l *lastPage) set(body []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.body = body
}

func (l *lastPage) get() ([]byte, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.body, l.body != nil
}

// authorized checks the credentials: Options.Authorize when set, else the SSWS token and, with
// Options.OAuth, an access token (a refusal of which sets WWW-Authenticate on w).
func (s *Sim) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Authorize != nil {
		return s.opts.Authorize(r)
	}
	if s.opts.oauth != nil {
		if s.opts.Token != "" && r.Header.Get("Authorization") == "SSWS "+s.opts.Token {
			return true
		}
		return s.opts.oauth.authorizeAPI(w, r, s.bases(r))
	}
	return s.opts.Token == "" || r.Header.Get("Authorization") == "SSWS "+s.opts.Token
}

// pageJSON renders events as a JSON array, each event byte for byte as stored.
func pageJSON(page []*event) []byte {
	n := 2
	for _, e := range page {
		n += len(e.raw) + 1
	}
	b := bytes.NewBuffer(make([]byte, 0, n))
	b.WriteByte('[')
	for i, e := range page {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(e.raw)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// writeHeaders sets the headers every Okta answer carries: Content-Type, Date (simulator
// clock), X-Okta-Request-Id and the rate-limit headers.
func (s *Sim) writeHeaders(w http.ResponseWriter, contentType string, rh rateHeaders) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Date", s.now().UTC().Format(http.TimeFormat))
	h.Set("X-Okta-Request-Id", newRequestID())
	rh.set(h)
}

func (s *Sim) writeJSON(w http.ResponseWriter, status int, body []byte, rh rateHeaders) {
	s.writeHeaders(w, "application/json", rh)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.counters.response(status)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Sim) writeError(w http.ResponseWriter, e *apiError, rh rateHeaders) {
	w.Header().Del("Link")
	s.writeJSON(w, e.status, e.body(), rh)
}

// writeHTML answers as a proxy or load balancer in front of Okta would: an HTML page without
// Okta's headers.
func (s *Sim) writeHTML(w http.ResponseWriter, status int, page string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Date", s.now().UTC().Format(http.TimeFormat))
	h.Set("Content-Length", strconv.Itoa(len(page)))
	s.counters.response(status)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(page))
}

const html503 = `<!DOCTYPE html>
<html><head><title>503 Service Temporarily Unavailable</title></head>
<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>
`

const html502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>corporate-proxy</center></body></html>
`

const htmlProxyLogin = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to continue - Corporate Web Gateway</title></head>
<body><form method="post" action="/login"><h1>Authentication required</h1>
<p>Your request to this site was intercepted by the web gateway. Sign in to continue.</p>
<input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>
`
