package receiver

import (
	"errors"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

// statusReporter reports the receiver's component status on change only: a failure only a new credential
// or configuration can fix is a permanent error, any other failure a recoverable one, and the first good
// page after a failure is OK again.
type statusReporter struct {
	host component.Host
	last componentstatus.Status
}

func (s *statusReporter) ok() {
	s.report(componentstatus.NewEvent(componentstatus.StatusOK))
}

func (s *statusReporter) failed(err error) {
	if isPermanent(err) {
		s.report(componentstatus.NewPermanentErrorEvent(err))
		return
	}
	s.report(componentstatus.NewRecoverableErrorEvent(err))
}

// isPermanent reports whether only a new credential or configuration can fix err: Okta refused the
// credential (401, 403) or the OAuth token endpoint refused the service app.
func isPermanent(err error) bool {
	var ae *okta.APIError
	if errors.As(err, &ae) {
		return ae.Permanent()
	}
	var te *oauth.TokenError
	return errors.As(err, &te) && te.Permanent
}

func (s *statusReporter) report(ev *componentstatus.Event) {
	if ev.Status() == s.last {
		return
	}
	s.last = ev.Status()
	componentstatus.ReportStatus(s.host, ev)
}
