package mapping

import (
	"encoding/json"
	"testing"

	"github.com/datableio/oktareceiver/internal/samples"
)

func TestCategory(t *testing.T) {
	tests := []struct {
		eventType string
		threat    bool
		want      Category
	}{
		// 1. security
		{"security.threat.detected", false, CategorySecurity},
		{"security.request.blocked", false, CategorySecurity},
		{"user.risk.detect", false, CategorySecurity},
		{"user.risk.change", false, CategorySecurity},
		{"system.org.rate_limit.violation", false, CategorySecurity},
		{"system.org.rate_limit.warning", false, CategorySecurity},
		{"system.operation.rate_limit.violation", false, CategorySecurity},
		{"core.concurrency.org.limit.violation", false, CategorySecurity},
		{"user.session.start", true, CategorySecurity},
		{"application.lifecycle.update", true, CategorySecurity},
		{"device.enrollment.create", true, CategorySecurity},

		// 2. authentication
		{"user.authentication.sso", false, CategoryAuthentication},
		{"user.authentication.auth_via_mfa", false, CategoryAuthentication},
		{"user.session.start", false, CategoryAuthentication},
		{"user.session.end", false, CategoryAuthentication},
		{"user.mfa.factor.activate", false, CategoryAuthentication},
		{"user.mfa.okta_verify.deny_push", false, CategoryAuthentication},
		{"user.credential.enroll", false, CategoryAuthentication},
		{"user.account.lock", false, CategoryAuthentication},
		{"user.account.lock.limit", false, CategoryAuthentication},
		{"user.account.unlock", false, CategoryAuthentication},
		{"user.account.unlock_by_admin", false, CategoryAuthentication},
		{"user.account.unlock_token", false, CategoryAuthentication},
		{"user.account.reset_password", false, CategoryAuthentication},
		{"user.account.update_password", false, CategoryAuthentication},
		{"policy.evaluate_sign_on", false, CategoryAuthentication},
		{"app.oauth2.token.grant", false, CategoryAuthentication},
		{"app.oauth2.token.grant.refresh_token", false, CategoryAuthentication},
		{"app.oauth2.token.revoke", false, CategoryAuthentication},
		{"app.oauth2.token.detect_reuse", false, CategoryAuthentication},
		{"app.oauth2.as.token.grant", false, CategoryAuthentication},
		{"app.oauth2.as.token.grant.access_token", false, CategoryAuthentication},
		{"app.oauth2.as.token.grant.id_token", false, CategoryAuthentication},
		{"app.oauth2.as.token.revoke", false, CategoryAuthentication},
		{"app.oauth2.as.authorize.implicit.access_token", false, CategoryAuthentication},
		{"app.oauth2.authorize.implicit.id_token", false, CategoryAuthentication},

		// 3. user_management
		{"user.lifecycle.create", false, CategoryUserManagement},
		{"user.lifecycle.deactivate", false, CategoryUserManagement},
		{"user.account.privilege.grant", false, CategoryUserManagement},
		{"user.account.update_profile", false, CategoryUserManagement},
		{"user.account.update_primary_email", false, CategoryUserManagement},
		{"group.user_membership.add", false, CategoryUserManagement},
		{"group.user_membership.remove", false, CategoryUserManagement},

		// 4. application
		{"application.lifecycle.create", false, CategoryApplication},
		{"application.user_membership.add", false, CategoryApplication},
		{"app.oauth2.as.authorize.code", false, CategoryApplication},
		{"app.oauth2.as.authorize", false, CategoryApplication},
		{"app.oauth2.as.consent.grant", false, CategoryApplication},
		{"app.oauth2.signon", false, CategoryApplication},
		{"app.oauth2.tokens", false, CategoryApplication},
		{"app.oauth2.invalid_client_credentials", false, CategoryApplication},
		{"app.generic.unauth_app_access_attempt", false, CategoryApplication},
		{"app.inbound_del_auth.login_success", false, CategoryApplication},
		{"app.token.grant", false, CategoryApplication},

		// 5. administrative
		{"policy.lifecycle.update", false, CategoryAdministrative},
		{"policy.rule.add", false, CategoryAdministrative},
		{"group.lifecycle.create", false, CategoryAdministrative},
		{"group.privilege.grant", false, CategoryAdministrative},
		{"system.api_token.create", false, CategoryAdministrative},
		{"system.import.start", false, CategoryAdministrative},
		{"zone.update", false, CategoryAdministrative},
		{"iam.role.create", false, CategoryAdministrative},
		{"org.setting.update", false, CategoryAdministrative},

		// 6. other
		{"device.enrollment.create", false, CategoryOther},
		{"core.user_auth.login_success", false, CategoryOther},
		{"user.import.start", false, CategoryOther},
		{"user.account", false, CategoryOther},
		{"securityx.event", false, CategoryOther},
		{"system", false, CategoryOther},
		{"application", false, CategoryOther},
		{"", false, CategoryOther},
	}
	used := make([]bool, len(categoryRules))
	for _, tt := range tests {
		if got := category(tt.eventType, tt.threat); got != tt.want {
			t.Errorf("category(%q, threat %v) = %s, want %s", tt.eventType, tt.threat, got, tt.want)
		}
		if i := matchRule(tt.eventType, tt.threat); i >= 0 {
			used[i] = true
		}
	}
	for i, u := range used {
		if !u {
			t.Errorf("rule %d (%+v) has no example", i, categoryRules[i])
		}
	}
}

// TestCategoryThreatSuspected checks that the threat flag is read from debugContext.debugData.threatSuspected,
// as Okta's string "true" or as JSON true, and nothing else.
func TestCategoryThreatSuspected(t *testing.T) {
	for value, want := range map[string]Category{
		`"true"`:  CategorySecurity,
		`"TRUE"`:  CategorySecurity,
		`true`:    CategorySecurity,
		`"false"`: CategoryAuthentication,
		`false`:   CategoryAuthentication,
		`null`:    CategoryAuthentication,
		`"yes"`:   CategoryAuthentication,
	} {
		lr, _, _ := mapOne(t, BodyMap, `{"eventType":"user.session.start","debugContext":{"debugData":{"threatSuspected":`+value+`}}}`)
		if got, _ := attr(lr, "okta.event.category"); got != string(want) {
			t.Errorf("threatSuspected %s: category %v, want %s", value, got, want)
		}
	}
	lr, _, _ := mapOne(t, BodyMap, `{"eventType":"user.session.start","threatSuspected":"true"}`)
	if got, _ := attr(lr, "okta.event.category"); got != string(CategoryAuthentication) {
		t.Errorf("a top-level threatSuspected counted: %v", got)
	}
}

func TestCategoryOfSamples(t *testing.T) {
	want := map[string]Category{
		"okta-docs-event-hook-user.session.start":                                CategoryAuthentication,
		"okta-docs-rl-best-practices-core.concurrency.org.limit.violation":       CategorySecurity,
		"okta-docs-rl-system-log-events-1-system.operation.rate_limit.violation": CategorySecurity,
		"okta-docs-rl-system-log-events-2-system.operation.rate_limit.violation": CategorySecurity,
		"okta-docs-rl-system-log-events-3-system.operation.rate_limit.violation": CategorySecurity,
		"okta-docs-systemlog-reference-example-user.session.start":               CategoryAuthentication,
		"okta-spec-ListLogs-user.session.start":                                  CategoryAuthentication,
		"okta-spec-ListLogsWithAdditionalSecurityContext":                        CategoryAuthentication,
		"thirdparty-elastic-policy.evaluate_sign_on":                             CategoryAuthentication,
		"thirdparty-unattributed-user.authentication.sso":                        CategoryAuthentication,
	}
	for _, s := range samples.All() {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("sample %s has no expected category; add it here", s.Name)
			continue
		}
		logs, _, _, err := New(testOptions(BodyMap)).MapPage(pageOf(s), observedAt)
		if err != nil {
			t.Fatal(err)
		}
		for i, lr := range records(logs) {
			var ev struct{ EventType string }
			_ = json.Unmarshal(s.Events[i], &ev)
			if got, _ := attr(lr, "okta.event.category"); got != string(w) {
				t.Errorf("%s (%s): category %v, want %s", s.Name, ev.EventType, got, w)
			}
		}
	}
}
