package oktacheck

import (
	"fmt"
	"io"
	"strings"

	"github.com/datableio/oktareceiver/internal/okta"
)

// Status is the outcome of one check.
type Status int

// The outcomes, from best to worst. Only Fail means that collection would not work.
const (
	// OK: nothing to do.
	OK Status = iota
	// Skip: the check does not apply (plain http to the simulator) or could not run because an earlier
	// check failed.
	Skip
	// Warn: collection works, but something deserves a look.
	Warn
	// Fail: collection would not work until the fix is applied.
	Fail
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case Skip:
		return "skip"
	case Warn:
		return "warn"
	default:
		return "FAIL"
	}
}

// Check names, in the order they run.
const (
	CheckConfig     = "config"
	CheckDNS        = "dns"
	CheckProxy      = "proxy"
	CheckConnect    = "connect"
	CheckTLS        = "tls"
	CheckAPI        = "okta api"
	CheckCredential = "credential"
	CheckLogAccess  = "log access"
	CheckReach      = "reach"
	CheckRateLimit  = "rate limit"
	CheckClock      = "clock"
	CheckEvents     = "events"
)

// Result is what one check found: a line of text, the fix when there is one, and more lines (the events).
type Result struct {
	Check  string
	Status Status
	Text   string
	Fix    string
	Lines  []string
	// OverPrivileged marks a result that says the credential can do more than read the System Log (its
	// Text begins with PrivilegePrefix).
	OverPrivileged bool
}

// Report is every check's result, in order.
type Report struct {
	// Org is the org checked, e.g. https://example.okta.com; Auth names the credential (never its value).
	Org, Auth string
	Results   []Result
	// red removes the credentials from every line written.
	red *okta.Redactor
}

// Works reports whether collection would work: no check failed.
func (r *Report) Works() bool {
	for _, res := range r.Results {
		if res.Status == Fail {
			return false
		}
	}
	return true
}

// OverPrivileged reports whether the credential can do more than read the System Log: collection works,
// but a credential that can change the org is collecting its log.
func (r *Report) OverPrivileged() bool {
	for _, res := range r.Results {
		if res.OverPrivileged {
			return true
		}
	}
	return false
}

// Result returns the last result of the named check (the proxy has a line of its own and may fail later),
// and whether it ran.
func (r *Report) Result(check string) (Result, bool) {
	for i := len(r.Results) - 1; i >= 0; i-- {
		if r.Results[i].Check == check {
			return r.Results[i], true
		}
	}
	return Result{}, false
}

func (r *Report) add(check string, s Status, text, fix string, lines ...string) {
	r.Results = append(r.Results, Result{Check: check, Status: s, Text: text, Fix: fix, Lines: lines})
}

// maxLine bounds one line of output: server text in it was already cut by the client.
const maxLine = 4096

// Write prints the report as plain lines, each passed through the client's redactor (the credentials the
// client sent, and the configured token, become [REDACTED]), so that no credential is ever printed, even one
// a server echoed.
func (r *Report) Write(w io.Writer) error {
	red := r.red
	var b strings.Builder
	line := func(format string, args ...any) {
		b.WriteString(red.Clean(fmt.Sprintf(format, args...), maxLine))
		b.WriteByte('\n')
	}
	line("oktacheck %s (%s)", r.Org, r.Auth)
	for _, res := range r.Results {
		line("%-4s  %-10s  %s", res.Status, res.Check, res.Text)
		if res.Fix != "" {
			line("      %-10s  fix: %s", "", res.Fix)
		}
		for _, l := range res.Lines {
			line("      %-10s    %s", "", l)
		}
	}
	if r.OverPrivileged() {
		line("the credential can do more than read the System Log: apply the fix shown above")
	}
	if r.Works() {
		line("collection would work")
	} else {
		n := 0
		for _, res := range r.Results {
			if res.Status == Fail {
				n++
			}
		}
		line("collection would NOT work: %d check(s) failed; apply the fix shown and run oktacheck again", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
