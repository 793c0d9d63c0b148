package bench

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/datableio/oktareceiver/internal/oktasim"
)

// Token is the API token the simulated org accepts, unless its OrgOptions say otherwise.
const Token = "bench-token"

// OrgOptions configure the simulated org.
type OrgOptions struct {
	Events     int           // the backlog
	Span       time.Duration // the backlog's published times span [now-Span, now]
	Seed       uint64
	RateLimit  int           // requests per window; 0: unlimited
	RateWindow time.Duration // default 60s
	// Progress, when set, is called as the backlog grows.
	Progress func(added, total int)
	// Token is the API token the org accepts; "" is Token.
	Token string
	// Host is the loopback address to listen on; "" is 127.0.0.1.
	Host string
	// TLS, when set, is the certificate to serve (it must name Host) and the file that trusts it;
	// nil serves httptest's certificate, which names 127.0.0.1, and writes it to ca.pem in dir.
	TLS *LoopbackCert
	// Dribble, when > 0, makes the org slow: each answer's headers go at once, its body over Dribble.
	Dribble time.Duration
}

// Org is the Okta simulator serving HTTPS on a loopback address with a backlog.
type Org struct {
	Sim    *oktasim.Sim
	URL    string // https://HOST:PORT
	CAFile string // the PEM certificate a client must trust
	Token  string // the API token it accepts
	srv    *httptest.Server
	timing *requestTiming
}

// StartOrg fills a simulator with the backlog, then serves it over TLS on o.Host (with o.TLS, or
// with a certificate it writes to ca.pem in dir). It gives up, with ctx's error, when ctx ends
// while the backlog is generated.
func StartOrg(ctx context.Context, o OrgOptions, dir string) (*Org, error) {
	clk := &clock{}
	token := o.Token
	if token == "" {
		token = Token
	}
	sim, err := oktasim.New(oktasim.Options{Token: token, Now: clk.now, Seed: o.Seed, RateLimit: o.RateLimit, RateWindow: o.RateWindow})
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if err := addBacklog(ctx, sim, clk, backlogSpec{n: o.Events, from: now.Add(-o.Span), to: now, seed: o.Seed}, o.Progress); err != nil {
		return nil, err
	}
	var h http.Handler = sim
	if o.Dribble > 0 {
		h = dribble{next: sim, over: o.Dribble}
	}
	timing := &requestTiming{next: h}
	srv := httptest.NewUnstartedServer(timing)
	if o.Host != "" {
		ln, err := net.Listen("tcp", net.JoinHostPort(o.Host, "0"))
		if err != nil {
			return nil, fmt.Errorf("listening on %s: %w", o.Host, err)
		}
		srv.Listener.Close()
		srv.Listener = ln
	}
	if o.TLS != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{o.TLS.Cert}}
		srv.StartTLS()
		return &Org{Sim: sim, URL: srv.URL, CAFile: o.TLS.CAFile, Token: token, srv: srv, timing: timing}, nil
	}
	srv.StartTLS()
	ca := filepath.Join(dir, "ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, certPEM, 0o600); err != nil {
		srv.Close()
		return nil, err
	}
	return &Org{Sim: sim, URL: srv.URL, CAFile: ca, Token: token, srv: srv, timing: timing}, nil
}

// OnRequest sets a function called as each System Log request arrives, before it is answered.
// Set it before a client makes requests.
func (o *Org) OnRequest(fn func()) { o.timing.onRequest = fn }

// Timing returns how the org's answers were timed since the last call, and starts afresh.
func (o *Org) Timing() OrgTiming { return o.timing.reset() }

// Close stops serving.
func (o *Org) Close() { o.srv.Close() }

// clock is the simulator's clock: real time, except while the backlog is stored, when it is pinned
// to each chunk's persistence time.
type clock struct{ pinned atomic.Int64 } // Unix nanoseconds; 0: real time

func (c *clock) now() time.Time {
	if ns := c.pinned.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Now()
}

func (c *clock) pin(t time.Time) { c.pinned.Store(t.UnixNano()) }
func (c *clock) release()        { c.pinned.Store(0) }
