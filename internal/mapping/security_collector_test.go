package mapping

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
)

const (
	collectorApp   = "0oacollector00000001"
	collectorToken = "00Tcollector00000001"
)

// collectorEvent is an event with the given type, actor id and members after them.
func collectorEvent(eventType, actorID, more string) string {
	ev := fmt.Sprintf(`{"uuid":"u1","published":"2026-08-12T14:03:27.418Z","eventType":%q,"version":"0","severity":"INFO",`+
		`"actor":{"id":%q,"type":"PublicClientApp","alternateId":"collector"}`, eventType, actorID)
	if more != "" {
		ev += "," + more
	}
	return ev + "}"
}

func TestCollectorCredentialUsed(t *testing.T) {
	tokenTx := func(id string) string {
		return `"transaction":{"type":"WEB","id":"tx1","detail":{"requestApiTokenId":"` + id + `"}}`
	}
	for _, tt := range []struct {
		name, event string
		flagged     bool
	}{
		{"the app changes a user", collectorEvent("user.lifecycle.deactivate", collectorApp, ""), true},
		{"the token changes a policy", collectorEvent("policy.lifecycle.update", "00uadmin", tokenTx(collectorToken)), true},
		{"the token used from outside its zone", collectorEvent("system.api_token.request_outside_allowed_range", "00uadmin", tokenTx(collectorToken)), true},
		{"the app asks for more than the log", collectorEvent("app.oauth2.as.token.grant.access_token", collectorApp,
			`"debugContext":{"debugData":{"grantedScopes":"okta.logs.read okta.users.manage"}}`), true},
		{"the app's own token grant", collectorEvent("app.oauth2.as.token.grant.access_token", collectorApp,
			`"debugContext":{"debugData":{"grantedScopes":"okta.logs.read"}}`), false},
		{"the app's token grant without its scopes", collectorEvent("app.oauth2.token.grant.access_token", collectorApp, ""), false},
		{"the collector's reading hits a rate limit", collectorEvent("system.org.rate_limit.warning", "00uadmin",
			tokenTx(collectorToken)+`,"debugContext":{"debugData":{"requestUri":"/api/v1/logs"}}`), false},
		{"another app", collectorEvent("user.lifecycle.deactivate", "0oaanother0000000001", ""), false},
		{"another token", collectorEvent("user.lifecycle.deactivate", "00uadmin", tokenTx("00Tanother0000000001")), false},
		{"an ordinary sign-in", `{"uuid":"u2","eventType":"user.session.start","actor":{"id":"00u1","type":"User"},"transaction":{"detail":{}}}`, false},
		{"a path that only begins like the log's", collectorEvent("user.lifecycle.deactivate", collectorApp,
			`"debugContext":{"debugData":{"requestUri":"/api/v1/logsx"}}`), true},
		{"a token id of the wrong type", collectorEvent("user.lifecycle.deactivate", "00uadmin", `"transaction":{"detail":{"requestApiTokenId":7}}`), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, body := range []BodyMode{BodyMap, BodyRaw, BodyOCSF} {
				opts := testOptions(body)
				opts.CollectorClientID, opts.CollectorTokenID = collectorApp, collectorToken
				logs, _, stats, err := New(opts).MapPage("["+tt.event+"]", observedAt)
				if err != nil {
					t.Fatal(err)
				}
				lr := records(logs)[0]
				v, ok := attr(lr, "okta.security.collector_credential_used")
				if ok != tt.flagged || (ok && v != true) {
					t.Errorf("%s: okta.security.collector_credential_used = %v (%v), want %v", body, v, ok, tt.flagged)
				}
				want := 0
				if tt.flagged {
					want = 1
				}
				if stats.CollectorCredentialUsed != want {
					t.Errorf("%s: Stats.CollectorCredentialUsed = %d, want %d", body, stats.CollectorCredentialUsed, want)
				}
				if body != BodyOCSF {
					continue
				}
				if err := ocsftest.ValidateMap(lr.Body().Map()); err != nil {
					t.Fatalf("not valid OCSF %s: %v", ocsf.Version, err)
				}
				if alert, _ := lr.Body().Map().Get("is_alert"); tt.flagged != (alert.Bool()) {
					t.Errorf("OCSF is_alert = %v, want %v", alert.AsRaw(), tt.flagged)
				}
			}
		})
	}
}

func TestCollectorCredentialUnknown(t *testing.T) {
	ev := collectorEvent("user.lifecycle.deactivate", collectorApp, `"transaction":{"detail":{"requestApiTokenId":"`+collectorToken+`"}}`)
	lr, _, stats := mapOne(t, BodyMap, ev)
	if _, ok := attr(lr, "okta.security.collector_credential_used"); ok || stats.CollectorCredentialUsed != 0 {
		t.Error("flagged without knowing the collector's credential")
	}
}

// A page of several events counts each flagged one once, and a flag never leaks to the next event.
func TestCollectorCredentialCountsPerEvent(t *testing.T) {
	opts := testOptions(BodyMap)
	opts.CollectorTokenID = collectorToken
	mine := collectorEvent("group.user_membership.add", "00uadmin", `"transaction":{"detail":{"requestApiTokenId":"`+collectorToken+`"}}`)
	other := collectorEvent("group.user_membership.add", "00uadmin", "")
	logs, _, stats, err := New(opts).MapPage("["+strings.Join([]string{mine, other, mine, other}, ",")+"]", observedAt)
	if err != nil {
		t.Fatal(err)
	}
	if stats.CollectorCredentialUsed != 2 {
		t.Errorf("Stats.CollectorCredentialUsed = %d, want 2", stats.CollectorCredentialUsed)
	}
	for i, lr := range records(logs) {
		if _, ok := attr(lr, "okta.security.collector_credential_used"); ok != (i%2 == 0) {
			t.Errorf("record %d: flagged %v", i, ok)
		}
	}
}
