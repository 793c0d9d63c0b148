// Package oktacheck answers, in seconds, whether the okta receiver could collect an org's System Log with a
// given endpoint and credential, and if not, what to fix: whether the org can be reached (DNS, proxy, TCP,
// TLS), whether Okta accepts the credential and lets it read the System Log, how much of the org's rate
// limit is in use, whether this host's clock is close to Okta's, the newest events, and what else the
// credential may do (an API token's user, admin roles and id; an OAuth app's scopes and roles: a
// credential that can change the org is a warning). It builds its HTTP client, credentials and Okta client
// as the receiver does (package okta, package oauth, the receiver's own configuration checks; only its
// timeout default is shorter, DefaultTimeout), classifies a failure as the receiver does (package problem),
// and makes one System Log request (plus the token request of an OAuth app) and a few read-only management
// calls. No output ever holds a credential: every line passes through the client's redactor.
package oktacheck // import "github.com/datableio/oktareceiver/internal/oktacheck"

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/problem"
)

// Clock skew thresholds: above warnSkew a line says so; at failSkew collection would not work. Okta refuses
// OAuth client assertions and DPoP proofs a few minutes off, the receiver counts its first `since`
// (initial_lookback), its lag and checkpoint age from the local clock, and it treats events published more
// than 5 minutes ahead of it as anomalies.
const (
	warnSkew = 5 * time.Second
	failSkew = 5 * time.Minute
)

// defaultBudget is the receiver's default rate_limit_budget: the share of the window it uses at most.
const defaultBudget = 0.5

// Run runs every check and returns the report; it never returns early with an error: a problem is a failed
// check in the report.
func Run(ctx context.Context, o Options) *Report {
	r := &Report{Org: o.Endpoint, Auth: o.authName(), red: &okta.Redactor{}}
	r.red.Add(strings.TrimSpace(o.APIToken))
	tr := &trace{}
	s, problems := o.prepare(ctx, tr)
	if problems != nil {
		for _, p := range problems {
			r.add(CheckConfig, Fail, p, "")
		}
		r.Results[len(r.Results)-1].Fix = configFix
		return r
	}
	r.Org, r.red = s.org.String(), s.red
	if s.proxy != nil {
		if pw, ok := s.proxy.User.Password(); ok {
			r.red.Add(pw)
		}
	}
	defer s.hc.CloseIdleConnections()
	c := &checker{o: &o, s: s, r: r, tr: tr}
	if !c.resolve(ctx) {
		return r
	}
	c.fetch(ctx)
	return r
}

// configFix names where each option lives in the receiver's configuration.
const configFix = "the receiver's configuration would be refused the same way (--endpoint is `endpoint`, OKTA_API_TOKEN `api_token`, --api-token-file `api_token_file`, --client-id, --private-key-file, --key-id, --scopes and --dpop the `oauth` keys, --proxy-url `proxy_url`, --ca-file `tls: {ca_file}`)"

type checker struct {
	o  *Options
	s  *setup
	r  *Report
	tr *trace
}

// resolve looks up the name this host must resolve: the org's, or the proxy's when requests go through one.
func (c *checker) resolve(ctx context.Context) bool {
	host := c.s.org.Hostname()
	if p := c.s.proxy; p != nil {
		c.r.add(CheckProxy, OK, fmt.Sprintf("requests go through the proxy %s (from %s), which resolves and connects to %s itself",
			p.Redacted(), c.s.proxyFrom, c.s.org.Host), "")
		host = p.Hostname()
	}
	if net.ParseIP(host) != nil {
		c.r.add(CheckDNS, Skip, host+" is an IP address: nothing to resolve", "")
		return true
	}
	lookup := c.o.LookupHost
	if lookup == nil {
		lookup = net.DefaultResolver.LookupHost
	}
	lctx, cancel := context.WithTimeout(ctx, c.o.timeout())
	defer cancel()
	addrs, err := lookup(lctx, host)
	if err != nil {
		c.r.add(CheckDNS, Fail, fmt.Sprintf("cannot resolve %s: %s", host, c.r.red.Clean(err.Error(), okta.MaxServerText)), c.dnsFix(err))
		return false
	}
	if len(addrs) > 4 {
		addrs = append(addrs[:4:4], fmt.Sprintf("and %d more", len(addrs)-4))
	}
	c.r.add(CheckDNS, OK, fmt.Sprintf("%s resolves to %s", host, strings.Join(addrs, ", ")), "")
	return true
}

func (c *checker) dnsFix(err error) string {
	if c.s.proxy != nil {
		return "check the proxy's name in " + c.s.proxyFrom + " and this host's DNS resolver"
	}
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return "check the spelling of --endpoint (`endpoint`): your org's domain, e.g. example.okta.com, or its custom domain"
	}
	return "this host's DNS resolver gave no answer for it: check the resolver (/etc/resolv.conf) and the network; where the network allows only a proxy, set --proxy-url (`proxy_url`)"
}

// fetch makes the one System Log request, the newest events first, and reports what its answer says.
func (c *checker) fetch(ctx context.Context) {
	u := c.s.org.JoinPath(okta.LogsPath)
	u.RawQuery = url.Values{"limit": {strconv.Itoa(c.o.events())}, "sortOrder": {"DESCENDING"}}.Encode()
	ctx = httptrace.WithClientTrace(ctx, c.tr.clientTrace())
	page, err := c.s.client.Fetch(ctx, u.String(), nil)
	c.connection(err)
	if err != nil {
		c.failure(err)
		return
	}
	c.r.add(CheckCredential, OK, "Okta accepted the "+c.r.Auth, "")
	c.r.add(CheckLogAccess, OK, "the credential may read the System Log", "")
	c.rateLimit(page.RateLimit)
	c.clock()
	c.events(page.Body, page.RateLimit.Date)
	c.reach(ctx)
}

// connection reports the connection the request made (to the org, or to the proxy) and its TLS handshake,
// when they succeeded; failures are reported by failure.
func (c *checker) connection(err error) {
	t := c.tr.snapshot()
	connected := t.connectDone && t.connectErr == nil
	if connected {
		to := "the org at " + t.connectAddr
		if c.s.proxy != nil {
			to = "the proxy at " + t.connectAddr
		}
		c.r.add(CheckConnect, OK, fmt.Sprintf("connected to %s in %.1f ms", to, float64(t.connectTook.Microseconds())/1000), "")
	}
	if !connected && err != nil {
		return
	}
	if c.s.org.Scheme == "http" {
		c.r.add(CheckTLS, Skip, "plain http:// (accepted only for a loopback address: a simulator or a test)", "")
		return
	}
	if t.tlsDone && t.tlsErr == nil {
		c.r.add(CheckTLS, OK, tlsText(c.s.org.Hostname(), t.tlsState), "")
		return
	}
	if err == nil {
		c.r.add(CheckTLS, OK, "TLS to "+c.s.org.Hostname()+" (over a connection reused from the token request)", "")
	}
}

func tlsText(host string, cs tls.ConnectionState) string {
	text := tls.VersionName(cs.Version) + " to " + host
	if len(cs.PeerCertificates) > 0 {
		cert := cs.PeerCertificates[0]
		name := cert.Subject.CommonName
		if name == "" && len(cert.DNSNames) > 0 {
			name = cert.DNSNames[0]
		}
		issuer := cert.Issuer.CommonName
		if issuer == "" && len(cert.Issuer.Organization) > 0 {
			issuer = cert.Issuer.Organization[0]
		}
		text += ", certificate " + name
		if issuer != "" {
			text += " issued by " + issuer
		}
		text += ", valid until " + cert.NotAfter.UTC().Format(time.DateOnly)
	}
	return text
}

// failure reports why the request brought no page, as problem.Of classifies it (as the receiver does).
func (c *checker) failure(err error) {
	p := problem.Of(err)
	switch {
	case p.Kind == problem.Unreachable || p.Kind == problem.Unknown:
		c.network(p.Network)
	case p.TokenEndpoint:
		c.tokenFailure(p)
		c.clock()
	case p.Kind == problem.Credential && p.Status == 0:
		c.r.add(CheckCredential, Fail, p.Text, p.Fix)
	case p.Status != 0:
		c.apiFailure(p)
	default:
		c.r.add(CheckAPI, Fail, p.Text, p.Fix)
	}
}

// network reports a request that got no answer: the step that failed, and its fix.
func (c *checker) network(err error) {
	t := c.tr.snapshot()
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err // without `Get "<url>": `, which says nothing more
	}
	msg := c.r.red.Clean(inner.Error(), okta.MaxServerText)
	host := c.s.org.Host
	var (
		de *net.DNSError
		oe *net.OpError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		rh tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &de):
		c.r.add(CheckDNS, Fail, "cannot resolve "+de.Name+": "+msg, c.dnsFix(err))
	case errors.As(err, &oe) && oe.Op == "proxyconnect":
		c.r.add(CheckProxy, Fail, "cannot connect to the proxy: "+msg,
			"check the proxy in "+c.s.proxyFrom+": it must run and accept connections from this host")
	case errors.As(err, &ua):
		c.r.add(CheckTLS, Fail, "the certificate "+host+" presented is not signed by an authority this host trusts: "+msg,
			"a proxy that inspects TLS? give its authority's certificate with --ca-file (`tls: {ca_file: …}`); never turn verification off")
	case errors.As(err, &he):
		c.r.add(CheckTLS, Fail, "the certificate presented is not for "+c.s.org.Hostname()+": "+msg,
			"check --endpoint (`endpoint`): your org's own domain, e.g. example.okta.com, or its custom domain")
	case errors.As(err, &ci):
		c.r.add(CheckTLS, Fail, "the certificate "+host+" presented is not valid: "+msg,
			"an expired or not-yet-valid certificate by this host's clock: check the clock (NTP); otherwise something between this host and Okta presents its own certificate")
	case errors.As(err, &rh) || strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		c.r.add(CheckTLS, Fail, host+" does not speak TLS: "+msg, "check --endpoint: https:// on a port that serves TLS (Okta listens on 443)")
	case t.tlsStarted && (!t.tlsDone || t.tlsErr != nil):
		c.r.add(CheckTLS, Fail, "the TLS handshake with "+host+" failed: "+msg,
			"check --ca-file (`tls`) and what stands between this host and Okta (a proxy, a firewall that inspects TLS)")
	case errors.As(err, &oe) && oe.Op == "dial":
		fix := "check the port in --endpoint (Okta listens on 443) and that a firewall lets this host reach it; where the network allows only a proxy, set --proxy-url (`proxy_url`)"
		c.r.add(CheckConnect, Fail, "cannot connect to "+host+": "+msg, fix)
	case c.s.proxy != nil && t.connectDone && t.connectErr == nil && !t.tlsStarted && c.s.org.Scheme == "https":
		c.r.add(CheckProxy, Fail, "the proxy did not open a tunnel to "+host+": "+msg,
			"allow CONNECT to "+hostPort(c.s.org)+" on the proxy, or check its credentials in "+c.s.proxyFrom)
	case isTimeout(err):
		c.r.add(CheckConnect, Fail, fmt.Sprintf("no answer from %s within %s: %s", host, c.o.timeout(), msg),
			"check the network and the proxy between this host and Okta; --timeout gives a slow path more time")
	default:
		c.r.add(CheckConnect, Fail, "the request to "+host+" failed: "+msg, "check --endpoint, --proxy-url and the network between this host and Okta")
	}
	c.r.add(CheckCredential, Skip, "not checked: Okta could not be reached", "")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return u.Hostname() + ":443"
}

// apiFailure reports an answer of the org's System Log API that is not a page.
func (c *checker) apiFailure(p problem.Problem) {
	switch {
	case p.NotOkta:
		c.r.add(CheckAPI, Fail, p.Text, p.Fix)
		c.r.add(CheckCredential, Skip, "not checked: what answered is not Okta's API", "")
		return
	case p.Kind == problem.Credential && p.NetworkZone:
		c.r.add(CheckCredential, Fail, "Okta refused the "+c.r.Auth+" for where the request came from: "+p.Text, p.Fix)
	case p.Kind == problem.Credential:
		c.r.add(CheckCredential, Fail, "Okta refused the "+c.r.Auth+": "+p.Text, p.Fix)
	case p.Kind == problem.LogAccess:
		c.r.add(CheckCredential, OK, "Okta accepted the "+c.r.Auth+" (it answered 403, not 401)", "")
		c.r.add(CheckLogAccess, Fail, "the credential may not read the System Log: "+p.Text, p.Fix)
	case p.Kind == problem.RateLimited:
		rl, now := p.RateLimit, c.o.now()
		again := now.Add(p.Wait(now)).UTC().Format(time.TimeOnly)
		what := "the org's System Log rate limit is spent"
		if rl.Known && rl.Limit == 0 {
			what = "the org has too many requests in flight (Okta's concurrency limit)"
		}
		c.r.add(CheckRateLimit, Fail, what+": "+p.Text,
			"other clients of the org use all of it; the receiver would wait for the window to reset and lose nothing, but the credential could not be checked: run oktacheck again after "+again+
				" UTC, and find the other clients in the Okta admin console (Reports > Rate Limits)")
		c.r.add(CheckCredential, Skip, "not checked: Okta refused the request for its rate limit", "")
		c.clock()
		return
	default:
		c.r.add(CheckAPI, Fail, p.Text, c.retriedFix(p))
		c.r.add(CheckCredential, Skip, "not checked: Okta did not answer the request", "")
		return
	}
	if p.RateLimit.Known {
		c.rateLimit(p.RateLimit)
	}
	c.clock()
}

// retriedFix is the fix of a failure on Okta's side, which the receiver retries by itself: for oktacheck,
// running again later; otherwise the problem's own fix.
func (c *checker) retriedFix(p problem.Problem) string {
	if p.Status >= 500 {
		return "a failure on Okta's side or a proxy's: the receiver retries by itself; run oktacheck again in a minute, and see status.okta.com if it lasts"
	}
	return p.Fix
}

// tokenFailure reports a token endpoint that answered without a usable access token.
func (c *checker) tokenFailure(p problem.Problem) {
	switch p.Kind {
	case problem.LogAccess:
		c.r.add(CheckCredential, OK, "Okta accepted the client assertion of the "+c.r.Auth, "")
		c.r.add(CheckLogAccess, Fail, "the app may not have the scopes asked for: "+p.Text, p.Fix)
	case problem.RateLimited:
		c.r.add(CheckRateLimit, Fail, "the token endpoint's rate limit is spent: "+p.Text, p.Fix+"; run oktacheck again in a minute")
	case problem.Credential:
		c.r.add(CheckCredential, Fail, "Okta refused the "+c.r.Auth+": "+p.Text, p.Fix)
	default:
		if p.Status >= 500 {
			c.r.add(CheckAPI, Fail, p.Text, "a failure on Okta's side or a proxy's: the receiver retries by itself; run oktacheck again in a minute")
			return
		}
		c.r.add(CheckAPI, Fail, p.Text, p.Fix)
	}
}

// rateLimit reports the org's rate-limit window as the answer described it.
func (c *checker) rateLimit(rl okta.RateLimit) {
	if !rl.Known {
		c.r.add(CheckRateLimit, Warn, "Okta's answer carried no X-Rate-Limit headers (a proxy removes them?)",
			"without them the receiver cannot keep to rate_limit_budget and only waits out 429 answers: let the proxy pass Okta's headers")
		return
	}
	now := c.o.now()
	used := rl.Limit - rl.Remaining
	allowed := max(int(math.Floor(defaultBudget*float64(rl.Limit))), 1)
	text := fmt.Sprintf("%d of the %d System Log requests of the org's current window are used (%.0f%%, this check's own included); the window resets in %s",
		used, rl.Limit, 100*float64(used)/float64(max(rl.Limit, 1)), rl.UntilReset(now).Round(time.Second))
	if used >= allowed {
		c.r.add(CheckRateLimit, Warn, text, fmt.Sprintf("the receiver makes requests only while fewer than %d (rate_limit_budget 0.5) are used, then waits for the window to reset: "+
			"with other clients using this much it collects slowly (it loses nothing); find them in the Okta admin console (Reports > Rate Limits), or raise rate_limit_budget if the org can spare it", allowed))
		return
	}
	c.r.add(CheckRateLimit, OK, text, "")
}

// clock compares this host's clock with the Date of Okta's last answer.
func (c *checker) clock() {
	d, ok := c.tr.date()
	if !ok {
		c.r.add(CheckClock, Skip, "not checked: no answer carried a Date header", "")
		return
	}
	// Date has a resolution of a second: Okta's clock was in [Date, Date+1s) at some point between sending
	// and receiving.
	mid := d.sent.Add(d.received.Sub(d.sent) / 2)
	skew := d.date.Add(500 * time.Millisecond).Sub(mid)
	margin := 500*time.Millisecond + d.received.Sub(d.sent)/2
	off := max(skew.Abs()-margin, 0)
	dir := "ahead of"
	if skew > 0 {
		dir = "behind"
	}
	why := "Okta refuses OAuth client assertions and DPoP proofs a few minutes off, and the receiver counts the first `since` (initial_lookback), its lag and checkpoint age from this clock and counts events published more than 5 minutes ahead of it as anomalies"
	shown := skew.Abs().Round(time.Second)
	switch {
	case off >= failSkew:
		c.r.add(CheckClock, Fail, fmt.Sprintf("this host's clock is %s %s Okta's", shown, dir),
			"set the clock right (NTP: chrony or systemd-timesyncd): "+why)
	case off > warnSkew:
		c.r.add(CheckClock, Warn, fmt.Sprintf("this host's clock is %s %s Okta's", shown, dir),
			"keep the clock synchronised (NTP): "+why)
	default:
		c.r.add(CheckClock, OK, fmt.Sprintf("this host's clock is within %s of Okta's", max(margin, time.Second).Round(100*time.Millisecond)), "")
	}
}

// trace records the connection a request made, through httptrace; and, through dateRecorder, the Date of
// the last answer with the local times around it.
type trace struct {
	mu             sync.Mutex
	connectStarted time.Time
	connectAddr    string
	connectErr     error
	connectDone    bool
	connectTook    time.Duration
	tlsStarted     bool
	tlsDone        bool
	tlsState       tls.ConnectionState
	tlsErr         error
	answerDate     *dated
}

// dated is an answer's Date with the local times the request was sent and its answer arrived.
type dated struct{ date, sent, received time.Time }

func (t *trace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		ConnectStart: func(string, string) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if t.connectStarted.IsZero() {
				t.connectStarted = time.Now()
			}
		},
		ConnectDone: func(_, addr string, err error) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if t.connectDone && t.connectErr == nil {
				return // the first connection that worked is the one reported
			}
			t.connectDone, t.connectAddr, t.connectErr = true, addr, err
			t.connectTook = time.Since(t.connectStarted)
		},
		TLSHandshakeStart: func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			t.tlsStarted = true
		},
		TLSHandshakeDone: func(cs tls.ConnectionState, err error) {
			t.mu.Lock()
			defer t.mu.Unlock()
			if t.tlsDone && t.tlsErr == nil {
				return
			}
			t.tlsDone, t.tlsState, t.tlsErr = true, cs, err
		},
	}
}

func (t *trace) snapshot() trace {
	t.mu.Lock()
	defer t.mu.Unlock()
	return trace{connectAddr: t.connectAddr, connectErr: t.connectErr, connectDone: t.connectDone, connectTook: t.connectTook,
		tlsStarted: t.tlsStarted, tlsDone: t.tlsDone, tlsState: t.tlsState, tlsErr: t.tlsErr}
}

func (t *trace) setDate(d dated) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answerDate = &d
}

func (t *trace) date() (dated, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.answerDate == nil {
		return dated{}, false
	}
	return *t.answerDate, true
}

// dateRecorder is a RoundTripper that tells tr the Date of every answer (the token endpoint's too).
type dateRecorder struct {
	next http.RoundTripper
	now  func() time.Time
	tr   *trace
}

func (d *dateRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	sent := d.now()
	resp, err := d.next.RoundTrip(req)
	if err == nil {
		if date, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			d.tr.setDate(dated{date: date, sent: sent, received: d.now()})
		}
	}
	return resp, err
}

// CloseIdleConnections closes the idle connections of the transport underneath.
func (d *dateRecorder) CloseIdleConnections() {
	if c, ok := d.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
