package eventview

import (
	"bytes"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// exported is what the file exporter writes for these pages: each page's OTLP JSON on a line of its own.
func exported(t *testing.T, pages ...plog.Logs) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, p := range pages {
		raw, err := (&plog.JSONMarshaler{}).MarshalLogs(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func TestCopyPrintsHeaderThenOneLinePerEvent(t *testing.T) {
	in := exported(t, mapped(t, mfaEvent, failedEvent), mapped(t, systemEvent))
	var out bytes.Buffer
	if err := Copy(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want the header and 3 events:\n%s", len(lines), out.String())
	}
	if lines[0] != Header() {
		t.Errorf("first line %q is not the header", lines[0])
	}
	for i, want := range []string{"user.authentication.auth_via_mfa", "user.session.start", "system.org.rate_limit.warning"} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("line %d %q lacks %s", i+1, lines[i+1], want)
		}
	}
}

func TestCopyEmptyInputPrintsOnlyTheHeader(t *testing.T) {
	var out bytes.Buffer
	if err := Copy(strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != Header()+"\n" {
		t.Errorf("got %q", out.String())
	}
}

func TestCopyNamesTheBadDocument(t *testing.T) {
	in := append(exported(t, mapped(t, mfaEvent)), []byte("not json\n")...)
	var out bytes.Buffer
	err := Copy(bytes.NewReader(in), &out)
	if err == nil || !strings.Contains(err.Error(), "document 2") {
		t.Fatalf("error %v, want one naming document 2", err)
	}
	if !strings.Contains(out.String(), "user.authentication.auth_via_mfa") {
		t.Errorf("the good document before it was not printed:\n%s", out.String())
	}
}
