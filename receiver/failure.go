package receiver

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

// failure is what the receiver makes of a request that brought no page, decided in one place: what kind
// of failure it is, whether only the user can fix it, how long Okta asked to wait, and what to log. The
// error itself carries what to tell the user (Okta's code, the fix, the request id).
type failure struct {
	err error
	// kind names the failure, so that a run of the same failure is logged once.
	kind string
	// rateLimited is Okta's rate limit doing its job (a 429): not an error, no change of status.
	rateLimited bool
	// permanent is a failure only a new credential or configuration can fix (401, 403, an OAuth app refused).
	permanent bool
	// wait is how long Okta asked to wait, already bounded (okta.MaxRateLimitWait); 0 when the receiver's
	// own backoff decides.
	wait time.Duration
	// rejectedCursor is Okta refusing the saved next link (a 400 to an `after` it no longer accepts).
	rejectedCursor bool
	// rateLimit is what the answer said about the org's rate-limit window, when there was an answer.
	rateLimit okta.RateLimit
	// msg is the log message.
	msg string
}

// classify decides what err means. following says whether the request was a saved next link. Each error
// type of the okta and oauth packages says whether it is permanent and carries the fix in its text; this is
// the one place that turns that into what the poll loop does.
func classify(err error, now time.Time, following bool) failure {
	f := failure{err: err, kind: fmt.Sprintf("%T", err), msg: "Okta request failed"}
	var p interface{ Permanent() bool }
	if errors.As(err, &p) {
		f.permanent = p.Permanent()
	}
	var (
		ae *okta.APIError
		te *oauth.TokenError
		fl *okta.ForeignLinkError
		pe *okta.PageError
		bl *okta.BodyTooLargeError
		tr *okta.TransportError
	)
	switch {
	case errors.As(err, &ae):
		f.kind = fmt.Sprintf("http %d %s %t", ae.StatusCode, ae.Code, ae.NotOkta)
		f.rateLimit = ae.RateLimit
		switch {
		case ae.RateLimited():
			f.rateLimited, f.wait = true, ae.RateLimit.UntilReset(now)
		case ae.StatusCode == http.StatusBadRequest && following:
			f.rejectedCursor = true
		}
	case errors.As(err, &te):
		f.kind = fmt.Sprintf("oauth %d %s", te.Status, te.Code)
		f.permanent = te.Permanent
		if te.RateLimited() {
			f.rateLimited, f.wait = true, min(te.RetryAfter, okta.MaxRateLimitWait)
		}
	case errors.As(err, &fl):
		f.kind = "foreign link"
		f.msg = "refused a link that leaves the org; fetching the page again from the checkpoint"
	case errors.As(err, &pe):
		f.kind, f.rateLimit = "not a page", pe.RateLimit
	case errors.As(err, &bl):
		f.kind, f.rateLimit = "body too large", bl.RateLimit
	case errors.As(err, &tr):
		f.kind, f.rateLimit = "transport", tr.RateLimit
	}
	if f.rateLimited {
		f.msg = "Okta's rate limit for the org is spent; waiting for the window to reset"
	}
	return f
}

// level is the log level of a first occurrence: a 429 is information, anything else an error.
func (f failure) level() zapcore.Level {
	if f.rateLimited {
		return zapcore.InfoLevel
	}
	return zapcore.ErrorLevel
}

// failureLog logs a failure once per kind of failure, so a long outage does not flood the log; a repeat of
// the same kind is logged at debug level.
type failureLog struct{ last string }

func (l *failureLog) log(logger *zap.Logger, f failure, wait time.Duration, now time.Time) {
	level, msg := f.level(), f.msg
	if f.kind == l.last {
		level = zapcore.DebugLevel
		msg += " (again)"
	}
	l.last = f.kind
	logger.Log(level, msg, zap.Error(f.err), zap.Stringer("retry_in", wait), zap.Time("retry_at", now.Add(wait).UTC()))
}

// reset forgets the last failure after a success, so the next failure is logged again.
func (l *failureLog) reset() { l.last = "" }
