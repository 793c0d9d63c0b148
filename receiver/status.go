package receiver

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
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

func (s *statusReporter) failed(f failure) {
	if f.permanent {
		s.report(componentstatus.NewPermanentErrorEvent(f.err))
		return
	}
	s.report(componentstatus.NewRecoverableErrorEvent(f.err))
}

func (s *statusReporter) report(ev *componentstatus.Event) {
	if ev.Status() == s.last {
		return
	}
	s.last = ev.Status()
	componentstatus.ReportStatus(s.host, ev)
}
