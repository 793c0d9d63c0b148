// Package okta is the receiver's client for Okta's System Log API: it builds the polling query, fetches
// pages, follows only next links that stay on the org's System Log API, and turns Okta's answers into typed errors.
package okta // import "github.com/datableio/oktareceiver/internal/okta"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LogsPath is the System Log API.
const LogsPath = "/api/v1/logs"

// Authorizer adds credentials to a request bound for the org.
type Authorizer interface {
	// Authorize sets the request's credentials. It is called for every attempt, the retry included.
	Authorize(req *http.Request) error
	// Rejected is told of a 401 answer to a request it authorized. It returns true when new credentials
	// are worth one more attempt (a token read again from its file, a new OAuth access token, a DPoP nonce).
	Rejected(resp *http.Response) bool
}

// Client fetches System Log pages from one org.
type Client struct {
	org                 *url.URL
	http                *http.Client
	auth                Authorizer
	userAgent           string
	maxResponseBodySize int64
	onAttempt           func(status int)
	// redactor knows the credentials sent, to remove them from server text in errors.
	redactor *Redactor
}

// NewClient returns a client for the org at base (scheme and host only). The http.Client is changed so that
// it never follows a redirect away from the org's System Log API.
func NewClient(base *url.URL, hc *http.Client, auth Authorizer, userAgent string, maxResponseBodySize int64) *Client {
	c := &Client{org: base, http: hc, auth: auth, userAgent: userAgent, maxResponseBodySize: maxResponseBodySize, redactor: &Redactor{}}
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := c.checkLink(req.URL, true); err != nil {
			return err
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		return nil
	}
	return c
}

// OnAttempt sets a function told of every request sent, with the answer's HTTP status or 0 when none arrived.
func (c *Client) OnAttempt(fn func(status int)) { c.onAttempt = fn }

// PollingURL is the polling query Okta prescribes for export: since, limit and ascending order, no until.
func (c *Client) PollingURL(since time.Time, limit int, filter, query string) string {
	v := url.Values{}
	v.Set("since", since.UTC().Format("2006-01-02T15:04:05.000Z"))
	v.Set("limit", strconv.Itoa(limit))
	v.Set("sortOrder", "ASCENDING")
	if filter != "" {
		v.Set("filter", filter)
	}
	if query != "" {
		v.Set("q", query)
	}
	u := *c.org
	u.Path = LogsPath
	u.RawQuery = v.Encode()
	return u.String()
}

// Page is one successful answer of the System Log API.
type Page struct {
	// Body is the JSON array as Okta sent it.
	Body string
	// Next is the rel="next" link, already checked to stay on the org's System Log API (CheckLink); "" when Okta sent none.
	Next      string
	RequestID string
	RateLimit RateLimit
}

// Meter counts the memory an answer's body takes as it arrives.
type Meter interface {
	// Expected is the size of the answer its request expects. A body whose announced size (Content-Length)
	// is within twice that (pages of a backlog vary) is read into one buffer of its size: an upstream that
	// announces more than it sends then holds at most that much; any other body grows as its bytes arrive.
	Expected() int64
	// Charge counts n more bytes held; it may make the read wait, and its error ends the read.
	Charge(ctx context.Context, n int64) error
}

// Fetch gets one page. It refuses a URL off the org's System Log API before any credential is attached. meter, when not
// nil, is told of the memory the body takes as it arrives, so a slow answer counts only what it brought.
func (c *Client) Fetch(ctx context.Context, rawURL string, meter Meter) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("invalid page URL: %w", err)
	}
	if err := c.checkLink(u, false); err != nil {
		return nil, err
	}
	return c.get(ctx, u, meter, true)
}

// get sends the authorized GET to u, already checked, and reads the answer; withNext checks the answer's
// next link and keeps it in the Page, or else leaves it out.
func (c *Client) get(ctx context.Context, u *url.URL, meter Meter, withNext bool) (*Page, error) {
	resp, err := c.do(ctx, u)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && c.auth.Rejected(resp) {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		resp, err = c.do(ctx, u)
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	rl := ParseRateLimit(resp.Header)
	reqID := c.redactor.Clean(resp.Header.Get("X-Okta-Request-Id"), MaxServerWord)
	body, err := c.readBody(ctx, resp, meter)
	if err != nil {
		var tooLarge *BodyTooLargeError
		if errors.As(err, &tooLarge) {
			tooLarge.Host, tooLarge.RequestID, tooLarge.RateLimit = c.org.Host, reqID, rl
			return nil, tooLarge
		}
		return nil, newTransportError(err, c.org.Host, reqID, rl, c.redactor)
	}
	if resp.StatusCode != http.StatusOK {
		e := newAPIError(resp, body, reqID, rl, c.redactor)
		if h, ok := c.auth.(CredentialHints); ok {
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				e.credentialHint = h.UnauthorizedHint()
			case http.StatusForbidden:
				e.credentialHint = h.ForbiddenHint()
			}
		}
		return nil, e
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.Contains(strings.ToLower(ct), "json") {
		return nil, &APIError{StatusCode: resp.StatusCode, RequestID: reqID, RateLimit: rl, NotOkta: true,
			Summary: fmt.Sprintf("answered with %s, not Okta's JSON%s", ContentKind(resp, c.redactor), bodyExcerpt(body, c.redactor))}
	}
	next := ""
	if withNext {
		next = NextLink(resp.Header)
	}
	if next != "" {
		if err := c.CheckLink(next); err != nil {
			return nil, err
		}
	}
	return &Page{Body: body, Next: next, RequestID: reqID, RateLimit: rl}, nil
}

// do sends one authorized GET to u. An answer with a header longer than its limit (headerLimits) is refused
// before anything reads it (the authorizer's Rejected included).
func (c *Client) do(ctx context.Context, u *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), http.NoBody)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if err := c.auth.Authorize(req); err != nil {
		return nil, err
	}
	c.redactor.addRequest(req.Header)
	resp, err := c.http.Do(req)
	if c.onAttempt != nil {
		status := 0
		if err == nil {
			status = resp.StatusCode
		}
		c.onAttempt(status)
	}
	if err != nil {
		var fl *ForeignLinkError
		if errors.As(err, &fl) {
			return nil, fl
		}
		return nil, newTransportError(err, c.org.Host, "", RateLimit{}, c.redactor)
	}
	if he := CheckHeaders(resp.Header); he != nil {
		resp.Body.Close()
		he.Host, he.RequestID = c.org.Host, c.redactor.Clean(resp.Header.Get("X-Okta-Request-Id"), MaxServerWord)
		return nil, he
	}
	return resp, nil
}

// readBody reads the whole body, at most maxResponseBodySize, into a strings.Builder, whose memory the runtime
// does not clear first (a page is megabytes, read once and never changed), and tells meter of every growth.
// With a Content-Length the first buffer is that long, up to growFirst, or all of it when it is within twice
// what meter expects, so that a page of the usual size is read into one allocation and never copied; the memory of a longer answer, or of one without a length, is
// taken as its bytes arrive, doubling each time (never past its Content-Length nor maxResponseBodySize), so
// that a slow answer holds only about what it brought.
func (c *Client) readBody(ctx context.Context, resp *http.Response, meter Meter) (string, error) {
	limit := c.maxResponseBodySize
	if resp.ContentLength > limit {
		return "", &BodyTooLargeError{Limit: limit}
	}
	body := new(strings.Builder)
	counted := 0
	// charge tells meter of the memory beyond what it already counted.
	charge := func(size int) error {
		if meter == nil || size <= counted {
			return nil
		}
		more := size - counted
		counted = size
		return meter.Charge(ctx, int64(more))
	}
	// grow moves the body into a buffer of size bytes, told to meter before it is taken (the meter may make
	// the read wait: nothing is held meanwhile), then the runtime's rounding up once it is.
	grow := func(size int) error {
		if err := charge(size); err != nil {
			return err
		}
		next := new(strings.Builder)
		next.Grow(size)
		next.WriteString(body.String())
		body = next
		return charge(body.Cap())
	}
	first := int64(unknownFirst)
	if resp.ContentLength >= 0 {
		first = min(resp.ContentLength, growFirst)
		if meter != nil && resp.ContentLength <= 2*meter.Expected() {
			first = resp.ContentLength
		}
	}
	if err := grow(int(max(first, 1))); err != nil {
		return "", err
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		if int64(body.Len()+n) > limit {
			return "", &BodyTooLargeError{Limit: limit}
		}
		if need := body.Len() + n; need > body.Cap() {
			size := int64(max(2*body.Cap(), need))
			if resp.ContentLength >= int64(need) {
				size = min(size, resp.ContentLength)
			}
			if err := grow(int(min(size, limit))); err != nil {
				return "", err
			}
		}
		body.Write(buf[:n])
		if err == io.EOF {
			return body.String(), nil
		}
		if err != nil {
			return "", fmt.Errorf("reading the response body: %w", err)
		}
	}
}

// growFirst is the most memory a body takes before its bytes arrive, when its Content-Length announces that
// many: a full page of 1000 events of up to about 4 KB.
const growFirst = 4 << 20

// unknownFirst is the first buffer of a body without a Content-Length.
const unknownFirst = 32 << 10
