package mapping

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

func TestSeverity(t *testing.T) {
	tests := []struct {
		json    string
		text    string
		number  plog.SeverityNumber
		unknown bool
	}{
		{`"DEBUG"`, "DEBUG", 5, false},
		{`"INFO"`, "INFO", 9, false},
		{`"WARN"`, "WARN", 13, false},
		{`"ERROR"`, "ERROR", 17, false},
		{`"info"`, "info", 0, true},
		{`"CRITICAL"`, "CRITICAL", 0, true},
		{`""`, "", 0, true},
		{`null`, "", 0, true},
		{`3`, "", 0, true},
	}
	for _, tt := range tests {
		lr, _, stats := mapOne(t, BodyMap, `{"severity":`+tt.json+`}`)
		if lr.SeverityText() != tt.text || lr.SeverityNumber() != tt.number {
			t.Errorf("severity %s: text %q number %d, want %q %d", tt.json, lr.SeverityText(), lr.SeverityNumber(), tt.text, tt.number)
		}
		if (stats.UnknownSeverity == 1) != tt.unknown {
			t.Errorf("severity %s: UnknownSeverity = %d", tt.json, stats.UnknownSeverity)
		}
	}
	lr, _, stats := mapOne(t, BodyMap, `{}`)
	if lr.SeverityNumber() != 0 || stats.UnknownSeverity != 1 {
		t.Errorf("missing severity: number %d, UnknownSeverity %d", lr.SeverityNumber(), stats.UnknownSeverity)
	}
}
