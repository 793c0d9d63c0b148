package bench

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// requestTiming wraps the org's handler and times its /api/v1/logs answers: how long the org
// took to answer, and how long the client took between an answer and its next request.
type requestTiming struct {
	next http.Handler
	// onRequest, when set, is called as each /api request arrives.
	onRequest func()

	mu      sync.Mutex
	n       int
	serving time.Duration
	between time.Duration
	lastEnd time.Time
}

// OrgTiming sums the org's answers.
type OrgTiming struct {
	Requests int
	Serving  time.Duration // the org answering: from the request to the last byte written
	Between  time.Duration // the client: from one answer's end to the next request
}

func (t *requestTiming) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		t.next.ServeHTTP(w, r)
		return
	}
	if t.onRequest != nil {
		t.onRequest()
	}
	start := time.Now()
	t.next.ServeHTTP(w, r)
	end := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	t.serving += end.Sub(start)
	if !t.lastEnd.IsZero() && start.After(t.lastEnd) {
		t.between += start.Sub(t.lastEnd)
	}
	t.lastEnd = end
}

// snapshot returns the sums so far and starts the gaps afresh (a new client).
func (t *requestTiming) reset() OrgTiming {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := OrgTiming{Requests: t.n, Serving: t.serving, Between: t.between}
	t.n, t.serving, t.between, t.lastEnd = 0, 0, 0, time.Time{}
	return s
}
