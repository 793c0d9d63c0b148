package receiver

import (
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/problem"
)

// failure is what the receiver makes of a request that brought no page: the org's state, how long to wait,
// and what to log. What the failure is (its kind, whether only the user can fix it, the problem and its
// fix) is problem.Of's, as oktacheck's.
type failure struct {
	err error
	// kind names the failure, so that a run of the same failure is logged once.
	kind string
	// rateLimited is Okta's rate limit doing its job (a 429): not an error, no change of status.
	rateLimited bool
	// systemLogWindowSpent is a 429 of the System Log API: the org's window is spent, and the wait covers
	// it. A 429 of the OAuth token endpoint, whose limit is its own, says nothing of the System Log's.
	systemLogWindowSpent bool
	// permanent is a failure only a new credential or configuration can fix (401, 403, an OAuth app refused).
	permanent bool
	// wait is how long Okta asked to wait, already bounded (okta.MaxRateLimitWait); 0 when the receiver's
	// own backoff decides.
	wait time.Duration
	// rejectedCursor is Okta refusing the saved next link (a 400 to an `after` it no longer accepts).
	rejectedCursor bool
	// rateLimit is what the answer said about the org's rate-limit window, when there was an answer.
	rateLimit okta.RateLimit
	// msg is the log message; problem and fix, its fields, say what went wrong and what to change.
	msg, problem, fix string
	// state is the org's state while this failure lasts; errType names its kind in the state metric
	// (problem.Problem's Type), empty while rate limited.
	state   string
	errType string
}

// classify decides what err means for the poll loop; following says whether the request was a saved next
// link. What the failure is (its kind, whether it is permanent, the problem and its fix) is decided by
// problem.Of, which oktacheck uses too; this turns it into the org's state and what the loop does.
func classify(err error, now time.Time, following bool) failure {
	p := problem.Of(err)
	f := failure{err: err, kind: fmt.Sprintf("%s %d %s", p.Type, p.Status, p.Code), msg: "Okta request failed", state: stateFailing, errType: p.Type,
		permanent: p.Permanent, rateLimit: p.RateLimit, problem: p.Text, fix: p.Fix}
	if p.Kind == problem.Unknown {
		f.kind = fmt.Sprintf("%T", err)
	}
	switch {
	case p.Kind == problem.RateLimited:
		f.rateLimited, f.systemLogWindowSpent, f.wait = true, !p.TokenEndpoint, p.Wait(now)
		f.state, f.errType = stateRateLimited, ""
		f.msg = "Okta's rate limit for the org is spent"
		if p.TokenEndpoint {
			f.msg = "the rate limit of Okta's OAuth token endpoint is spent"
		}
	case p.Type == "foreign_link":
		f.msg = "refused a link that leaves the org's System Log"
	case p.Type == "too_many_events":
		f.state, f.msg = statePageRefused, "refused a page with more events than Okta sends in one"
	case p.Type == "body_too_large":
		f.state, f.msg = statePageRefused, "refused an answer larger than max_response_body_size"
	case p.Kind == problem.Unreachable && !p.TokenEndpoint:
		f.state = stateUnreachable
	case p.Permanent && (p.Kind == problem.Credential || p.Kind == problem.LogAccess || p.TokenEndpoint):
		f.state = stateCredentialRefused
	}
	f.rejectedCursor = following && !p.TokenEndpoint && p.Status == http.StatusBadRequest
	return f
}

// level is the log level of a first occurrence: a 429 is information, a failure only the user can fix an
// error, anything else a warning: it is retried, and most heal on the next try.
func (f failure) level() zapcore.Level {
	switch {
	case f.rateLimited:
		return zapcore.InfoLevel
	case f.permanent:
		return zapcore.ErrorLevel
	}
	return zapcore.WarnLevel
}

// failureLog logs a run of failures so that the level tells an operator what to act on: each kind of
// failure once (a repeat at debug level), an error once the org has made no progress for persistAfter (or
// at once for a failure only the user can fix), and, at info, when it collects again.
type failureLog struct {
	last string
	// since is when the run of failures began; zero while Okta answers.
	since time.Time
	// failed is set when the run holds a failure other than Okta's rate limit; escalated once it was
	// logged as an error.
	failed, escalated bool
}

// persistAfter is how long an org may fail to get a page before the failure is an error: a few poll
// intervals, and never less than half a minute, so a failure the next try heals stays a warning.
func persistAfter(pollInterval time.Duration) time.Duration {
	return max(3*pollInterval, 30*time.Second)
}

func (l *failureLog) log(logger *zap.Logger, f failure, wait, persist time.Duration, now time.Time) {
	if l.since.IsZero() {
		l.since = now
	}
	level, msg := f.level(), f.msg
	fields := []zap.Field{zap.String("error", f.problem)}
	if f.fix != "" {
		fields = append(fields, zap.String("fix", f.fix))
	}
	if f.kind == l.last {
		level = zapcore.DebugLevel
		msg += " (again)"
	}
	l.last = f.kind
	if !f.rateLimited {
		l.failed = true
		switch {
		case f.permanent && level == zapcore.ErrorLevel:
			l.escalated = true
		case !l.escalated && now.Sub(l.since) >= persist:
			level, l.escalated = zapcore.ErrorLevel, true
			fields = append(fields, zap.Stringer("for", now.Sub(l.since).Round(time.Second)), zap.String("failure", f.msg))
			msg = "no page from Okta"
		}
	}
	fields = append(fields, zap.Stringer("retry_in", wait), zap.Time("retry_at", now.Add(wait).UTC()))
	logger.Log(level, msg, fields...)
}

// recovered ends a run of failures with a page: said at info when the run held a failure, and the next
// failure is logged again.
func (l *failureLog) recovered(logger *zap.Logger, now time.Time) {
	if l.failed {
		logger.Info("Okta answers with pages again", zap.Stringer("after", now.Sub(l.since).Round(time.Second)))
	}
	*l = failureLog{}
}
