package mapping

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/datableio/oktareceiver/internal/mapping/typepattern"
	"github.com/datableio/oktareceiver/internal/samples"
)

// categoryExamples are event types with the category they must get: each kind's core types, the types
// whose more specific row takes them out of a broader one, and types that no row names.
var categoryExamples = []struct {
	eventType string
	threat    bool
	want      Category
}{
	// security
	{"security.threat.detected", false, CategorySecurity},
	{"security.request.blocked", false, CategorySecurity},
	{"security.breached_credential.detected", false, CategorySecurity},
	{"security.attack.start", false, CategorySecurity},
	{"security.bot_protection.settings.update", false, CategorySecurity},
	{"user.risk.detect", false, CategorySecurity},
	{"user.internal.risk.change", false, CategorySecurity},
	{"policy.entity_risk.evaluate", false, CategorySecurity},
	{"policy.auth_reevaluate.fail", false, CategorySecurity},
	{"analytics.feedback.provide", false, CategorySecurity},
	{"user.account.report_suspicious_activity_by_enduser", false, CategorySecurity},
	{"app.generic.unauth_app_access_attempt", false, CategorySecurity},
	{"system.api_token.request_outside_allowed_range", false, CategorySecurity},
	{"system.org.rate_limit.violation", false, CategorySecurity},
	{"system.operation.rate_limit.violation", false, CategorySecurity},
	{"system.client.rate_limit.violation", false, CategorySecurity},
	{"app.oauth2.client_id_rate_limit_warning", false, CategorySecurity},
	{"core.concurrency.org.limit.violation", false, CategorySecurity},
	{"user.session.start", true, CategorySecurity},
	{"application.lifecycle.update", true, CategorySecurity},
	{"security.zone.make_blacklist", true, CategorySecurity},
	{"no.such.type", true, CategorySecurity},

	// authentication
	{"user.authentication.sso", false, CategoryAuthentication},
	{"user.session.start", false, CategoryAuthentication},
	{"user.session.impersonation.initiate", false, CategoryAuthentication},
	{"user.device_session.start", false, CategoryAuthentication},
	{"user.mfa.okta_verify.deny_push", false, CategoryAuthentication},
	{"user.credential.enroll", false, CategoryAuthentication},
	{"user.account.lock.limit", false, CategoryAuthentication},
	{"user.account.unlock_by_admin", false, CategoryAuthentication},
	{"user.account.update_password", false, CategoryAuthentication},
	{"user.identity_verification", false, CategoryAuthentication},
	{"security.internal.authentication", false, CategoryAuthentication},
	{"policy.evaluate_sign_on", false, CategoryAuthentication},
	{"application.policy.sign_on.deny_access", false, CategoryAuthentication},
	{"app.oauth2.token.grant.refresh_token", false, CategoryAuthentication},
	{"app.oauth2.as.token.revoke", false, CategoryAuthentication},
	{"app.oauth2.authorize.implicit.id_token", false, CategoryAuthentication},
	{"app.oauth2.as.authorize.code", false, CategoryAuthentication},
	{"app.oauth2.signon", false, CategoryAuthentication},
	{"app.inbound_del_auth.login_success", false, CategoryAuthentication},
	{"core.user_auth.login_success", false, CategoryAuthentication},
	{"system.sms.send_factor_verify_message", false, CategoryAuthentication},
	{"system.email.send_factor_verify_message", false, CategoryAuthentication},
	{"pam.server.ssh_login", false, CategoryAuthentication},
	{"pam.secret.reveal", false, CategoryAuthentication},
	{"pam.resource.checkout", false, CategoryAuthentication},
	{"app.oauth2.client.read_client_secret", false, CategoryAuthentication},

	// user_management
	{"user.lifecycle.create", false, CategoryUserManagement},
	{"user.account.update_profile", false, CategoryUserManagement},
	{"group.user_membership.add", false, CategoryUserManagement},
	{"device.enrollment.create", false, CategoryUserManagement},
	{"workload_principal.ai_agent.register", false, CategoryUserManagement},
	{"access.request.create", false, CategoryUserManagement},
	{"certification.campaign.item.decide", false, CategoryUserManagement},

	// application
	{"application.lifecycle.create", false, CategoryApplication},
	{"application.user_membership.add", false, CategoryApplication},
	{"app.oauth2.as.consent.grant", false, CategoryApplication},
	{"app.oauth2.client.lifecycle.create", false, CategoryApplication},
	{"app.oauth2.tokens", false, CategoryApplication},
	{"app.token.grant", false, CategoryApplication},
	{"group.application_assignment.add", false, CategoryApplication},
	{"workflows.user.connection.create", false, CategoryApplication},

	// administrative
	{"policy.lifecycle.update", false, CategoryAdministrative},
	{"application.policy.sign_on.update", false, CategoryAdministrative},
	{"group.privilege.grant", false, CategoryAdministrative},
	{"user.account.privilege.grant", false, CategoryAdministrative},
	{"system.api_token.create", false, CategoryAdministrative},
	{"system.email.template.update", false, CategoryAdministrative},
	{"system.email.delivery", false, CategoryAdministrative},
	{"zone.update", false, CategoryAdministrative},
	{"security.zone.make_blacklist", false, CategoryAdministrative},
	{"security.authenticator.lifecycle.activate", false, CategoryAdministrative},
	{"oauth2.as.created", false, CategoryAdministrative},
	{"app.oauth2.as.key.rollover", false, CategoryAdministrative},
	{"iam.role.create", false, CategoryAdministrative},
	{"pam.project.create", false, CategoryAdministrative},
	{"pam.service_account.password_rotation.start", false, CategoryAdministrative},
	{"device.assurance.policy.add", false, CategoryAdministrative},
	{"workflows.user.flow.create", false, CategoryAdministrative},
	{"org.setting.update", false, CategoryAdministrative},

	// other: a reviewed row, and types no row names
	{"core.el.evaluate", false, CategoryOther},
	{"user.import.start", false, CategoryOther},
	{"user.account", false, CategoryOther},
	{"securityx.event", false, CategoryOther},
	{"system", false, CategoryOther},
	{"application", false, CategoryOther},
	{"newproduct.thing.create", false, CategoryOther},
	{"", false, CategoryOther},
}

func TestCategory(t *testing.T) {
	for _, tt := range categoryExamples {
		if got := category(tt.eventType, tt.threat); got != tt.want {
			t.Errorf("category(%q, threat %v) = %s, want %s", tt.eventType, tt.threat, got, tt.want)
		}
	}
}

// TestCategoryIgnoresTableOrder checks that the most specific row decides, wherever it stands: the
// examples get the same category from the table reversed.
func TestCategoryIgnoresTableOrder(t *testing.T) {
	reversed := slices.Clone(categoryRules)
	slices.Reverse(reversed)
	index := typepattern.MustNew(reversed, rulePattern)
	for _, tt := range categoryExamples {
		got := CategoryOther
		if i := matchIn(reversed, index, tt.eventType, tt.threat); i >= 0 {
			got = reversed[i].Category
		}
		if got != tt.want {
			t.Errorf("with the table reversed, %q (threat %v) is %s, want %s", tt.eventType, tt.threat, got, tt.want)
		}
	}
}

// TestCategoryTable checks the rows themselves: the threat row first, then patterns that each name one
// first segment, no pattern twice, and a reason on every other row and only there.
func TestCategoryTable(t *testing.T) {
	if !categoryRules[0].threatSuspected || categoryRules[0].Category != CategorySecurity {
		t.Errorf("the first row is %+v, want the threatSuspected row (security)", categoryRules[0])
	}
	seen := map[string]bool{}
	for i, r := range categoryRules[1:] {
		switch {
		case r.threatSuspected:
			t.Errorf("row %d: a second threatSuspected row", i+1)
		case r.Pattern == "" || !validPattern(r.Pattern):
			t.Errorf("row %d %q: a pattern must start with a whole segment, e.g. x.* or x.y*", i+1, r.Pattern)
		case seen[r.Pattern]:
			t.Errorf("row %d: pattern %q appears twice", i+1, r.Pattern)
		case (r.Category == CategoryOther) != (r.Reason != ""):
			t.Errorf("row %d %q: an other row needs a reason, and only an other row has one", i+1, r.Pattern)
		case !slices.Contains(Categories, r.Category):
			t.Errorf("row %d %q: unknown category %q", i+1, r.Pattern, r.Category)
		}
		seen[r.Pattern] = true
	}
}

func validPattern(p string) bool {
	_, err := typepattern.New([]CategoryRule{{Pattern: p}}, rulePattern)
	return err == nil
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
	auth, sec := CategoryAuthentication, CategorySecurity
	want := map[string][]Category{
		"okta-catalog-debugdata-security-signals":                                {auth, sec},
		"okta-docs-event-hook-user.session.start":                                {auth},
		"okta-docs-rl-best-practices-core.concurrency.org.limit.violation":       {sec},
		"okta-docs-rl-system-log-events-1-system.operation.rate_limit.violation": {sec},
		"okta-docs-rl-system-log-events-2-system.operation.rate_limit.violation": {sec},
		"okta-docs-rl-system-log-events-3-system.operation.rate_limit.violation": {sec},
		"okta-docs-systemlog-reference-example-user.session.start":               {auth},
		"okta-spec-ListLogs-user.session.start":                                  {auth},
		"okta-spec-ListLogsWithAdditionalSecurityContext":                        {auth},
		"thirdparty-elastic-policy.evaluate_sign_on":                             {auth},
		"thirdparty-unattributed-user.authentication.sso":                        {auth},
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
		recs := records(logs)
		if len(recs) != len(w) {
			t.Fatalf("%s: %d records, %d expected categories", s.Name, len(recs), len(w))
		}
		for i, lr := range recs {
			var ev struct{ EventType string }
			_ = json.Unmarshal(s.Events[i], &ev)
			if got, _ := attr(lr, "okta.event.category"); got != string(w[i]) {
				t.Errorf("%s (%s): category %v, want %s", s.Name, ev.EventType, got, w[i])
			}
		}
	}
}
