package eventview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// mapped turns System Log events into records the way the receiver does.
func mapped(t *testing.T, events ...string) plog.Logs {
	t.Helper()
	logs, _, _, err := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: mapping.BodyMap}).
		MapPage("["+strings.Join(events, ",")+"]", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return logs
}

const mfaEvent = `{"uuid":"df7481b0","published":"2026-11-25T16:24:12.856Z","eventType":"user.authentication.auth_via_mfa",
	"severity":"INFO","actor":{"id":"00uaNg1qM6cS5thI6ewo","type":"User","alternateId":"xiaolong.li@example.com","displayName":"李小龙"},
	"outcome":{"result":"SUCCESS","reason":null},
	"client":{"ipAddress":"24.177.218.73","geographicalContext":{"country":"Brazil"}}}`

const failedEvent = `{"uuid":"a1","published":"2026-11-25T16:25:00.000Z","eventType":"user.session.start",
	"actor":{"id":"00u2","type":"User","alternateId":"someone.with.a.very.long.address@subsidiary.example.com"},
	"outcome":{"result":"FAILURE","reason":"INVALID_CREDENTIALS"},"client":{"ipAddress":"2001:db8::1"}}`

const systemEvent = `{"uuid":"a2","published":"2026-11-25T16:26:00.000Z","eventType":"system.org.rate_limit.warning",
	"actor":{"id":"0oa1","type":"PublicClientApp","displayName":"SIEM export"}}`

func TestLine(t *testing.T) {
	logs := mapped(t, mfaEvent, failedEvent, systemEvent, `{"uuid":"a3"}`)
	lrs := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	// The category is the mapping's to decide; the line shows whatever the record carries.
	category := func(i int) string {
		v, _ := lrs.At(i).Attributes().Get("okta.event.category")
		return fmt.Sprintf("%-15s", v.Str())
	}
	want := []string{
		"2026-11-25T16:24:12Z  user.authentication.auth_via_mfa          " + category(0) + "  xiaolong.li@example.com           SUCCESS    24.177.218.73 (BR)",
		"2026-11-25T16:25:00Z  user.session.start                        " + category(1) + "  someone.with.a.very.long.addres…  FAILURE    2001:db8::1  INVALID_CREDENTIALS",
		"2026-11-25T16:26:00Z  system.org.rate_limit.warning             " + category(2) + "  SIEM export                       -          -",
		"-                     -                                         " + category(3) + "  -                                 -          -",
	}
	for i, w := range want {
		if strings.TrimSpace(category(i)) == "" {
			t.Fatalf("record %d has no okta.event.category", i)
		}
		if got := Line(lrs.At(i)); got != w {
			t.Errorf("record %d:\n got %q\nwant %q", i, got, w)
		}
	}
}

func TestHeaderAlignsWithLines(t *testing.T) {
	h := Header()
	l := Line(mapped(t, mfaEvent).ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0))
	for _, col := range []struct{ title, value string }{
		{"EVENT TYPE", "user.authentication"}, {"CATEGORY", "authentication"}, {"ACTOR", "xiaolong"},
		{"OUTCOME", "SUCCESS"}, {"CLIENT", "24.177"},
	} {
		if strings.Index(h, col.title) != strings.LastIndex(l, col.value) {
			t.Errorf("column %s at %d, its value %q at %d\n%s\n%s", col.title, strings.Index(h, col.title), col.value, strings.LastIndex(l, col.value), h, l)
		}
	}
}
