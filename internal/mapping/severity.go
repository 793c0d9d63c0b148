package mapping

import "go.opentelemetry.io/collector/pdata/plog"

// severityNumber maps Okta's severity to the OpenTelemetry severity number: DEBUG, INFO, WARN and ERROR to
// the first number of their range; anything else is unspecified (0).
func severityNumber(severity string) plog.SeverityNumber {
	switch severity {
	case "DEBUG":
		return plog.SeverityNumberDebug
	case "INFO":
		return plog.SeverityNumberInfo
	case "WARN":
		return plog.SeverityNumberWarn
	case "ERROR":
		return plog.SeverityNumberError
	}
	return plog.SeverityNumberUnspecified
}
