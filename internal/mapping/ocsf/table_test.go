package ocsf

import "testing"

func TestDecide(t *testing.T) {
	for _, tt := range []struct {
		eventType string
		class     int
		activity  int
		name      string
	}{
		{"user.session.start", Authentication, 1, "Logon"},
		{"user.session.end", Authentication, 2, "Logoff"},
		{"user.authentication.sso", Authentication, 1, "Logon"},
		{"user.authentication.slo", Authentication, 2, "Logoff"},
		{"user.authentication.auth_via_mfa", Authentication, 1, "Logon"},
		{"policy.evaluate_sign_on", Authentication, 6, "Preauth"},
		{"app.oauth2.as.token.grant.refresh_token", Authentication, 3, "Authentication Ticket"},
		{"user.mfa.okta_verify.deny_push", Authentication, 6, "Preauth"},
		{"user.session.impersonation.grant", Authentication, 99, "grant"},
		{"user.lifecycle.create", AccountChange, 1, "Create"},
		{"user.lifecycle.activate", AccountChange, 2, "Enable"},
		{"user.lifecycle.deactivate", AccountChange, 5, "Disable"},
		{"user.lifecycle.suspend", AccountChange, 5, "Disable"},
		{"user.lifecycle.delete.completed", AccountChange, 6, "Delete"},
		{"user.account.update_password", AccountChange, 3, "Password Change"},
		{"user.account.reset_password", AccountChange, 4, "Password Reset"},
		{"user.account.lock", AccountChange, 9, "Lock"},
		{"user.account.lock.limit", AccountChange, 9, "Lock"},
		{"user.account.unlock", AccountChange, 12, "Unlock"},
		{"user.account.unlock_by_admin", AccountChange, 12, "Unlock"},
		{"user.account.update_profile", AccountChange, 99, "update_profile"},
		{"user.mfa.factor.activate", AccountChange, 10, "MFA Factor Enable"},
		{"user.mfa.factor.deactivate", AccountChange, 11, "MFA Factor Disable"},
		{"user.mfa.factor.reset_all", AccountChange, 11, "MFA Factor Disable"},
		{"user.mfa.factor.suspend", AccountChange, 99, "suspend"},
		{"user.account.privilege.grant", UserAccessManagement, 1, "Assign Privileges"},
		{"user.account.privilege.revoke", UserAccessManagement, 2, "Revoke Privileges"},
		{"application.user_membership.add", UserAccessManagement, 1, "Assign Privileges"},
		{"application.user_membership.remove", UserAccessManagement, 2, "Revoke Privileges"},
		{"application.user_membership.change_username", UserAccessManagement, 99, "change_username"},
		{"group.user_membership.add", GroupManagement, 3, "Add User"},
		{"group.user_membership.remove", GroupManagement, 4, "Remove User"},
		{"group.lifecycle.create", GroupManagement, 6, "Create"},
		{"group.lifecycle.delete", GroupManagement, 5, "Delete"},
		{"group.privilege.grant", GroupManagement, 1, "Assign Privileges"},
		{"group.application_assignment.add", GroupManagement, 99, "add"},
		{"policy.lifecycle.create", EntityManagement, 1, "Create"},
		{"policy.lifecycle.update", EntityManagement, 3, "Update"},
		{"policy.lifecycle.delete", EntityManagement, 4, "Delete"},
		{"policy.lifecycle.activate", EntityManagement, 10, "Activate"},
		{"policy.rule.deactivate", EntityManagement, 11, "Deactivate"},
		{"zone.make_blacklist", EntityManagement, 99, "make_blacklist"},
		{"device.enrollment.create", EntityManagement, 6, "Enroll"},
		{"device.lifecycle.suspend", EntityManagement, 12, "Suspend"},
		{"device.lifecycle.unsuspend", EntityManagement, 13, "Resume"},
		{"security.threat.detected", DetectionFinding, 1, "Create"},
		{"security.request.blocked", DetectionFinding, 1, "Create"},
		{"security.attack.start", DetectionFinding, 1, "Create"},
		{"security.attack.end", DetectionFinding, 3, "Close"},
		{"user.risk.detect", DetectionFinding, 1, "Create"},
		{"system.api_token.create", APIActivity, 1, "Create"},
		{"system.operation.rate_limit.violation", APIActivity, 99, "violation"},
		{"core.concurrency.org.limit.violation", APIActivity, 99, "violation"},
		{"newproduct.widget.delete", APIActivity, 4, "Delete"},
		{"system.ldapi.bind", Authentication, 1, "Logon"},
		{"directory.external.group.membership.remove", GroupManagement, 4, "Remove User"},
		{"mim.createEnrollment.IOS", EntityManagement, 6, "Enroll"},
		{"", APIActivity, 0, "Unknown"},
	} {
		d := Decide(tt.eventType)
		if d.Class.UID != tt.class || d.ActivityID != tt.activity || d.ActivityName != tt.name {
			t.Errorf("%q: %d/%d %q, want %d/%d %q (row %q)", tt.eventType, d.Class.UID, d.ActivityID, d.ActivityName,
				tt.class, tt.activity, tt.name, d.Rule.Pattern)
		}
		if d.TypeUID() != int64(tt.class)*100+int64(tt.activity) {
			t.Errorf("%q: type_uid %d", tt.eventType, d.TypeUID())
		}
	}
}

// TestDecideUnmatched: a type no row names falls to the fallback class, and says so.
func TestDecideUnmatched(t *testing.T) {
	if d := Decide("newproduct.widget.create"); d.Matched || d.Class.UID != Fallback {
		t.Errorf("an unknown type: matched %v, class %d", d.Matched, d.Class.UID)
	}
	if d := Decide("user.session.start"); !d.Matched || d.Rule.Pattern != "user.session.*" {
		t.Errorf("user.session.start decided by %+v", d.Rule)
	}
}

// TestRules keeps the table sound: every row names a class of Classes and an activity of its class, and
// no two rows have the same pattern.
func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		c, ok := Classes[r.Class]
		if !ok {
			t.Errorf("row %q: class %d is not in Classes", r.Pattern, r.Class)
			continue
		}
		if _, ok := c.Activities[r.Activity]; !ok && r.Activity != 0 && r.Activity != ActivityOther {
			t.Errorf("row %q: activity %d is not one of %s's", r.Pattern, r.Activity, c.Name)
		}
		if seen[r.Pattern] {
			t.Errorf("row %q appears twice", r.Pattern)
		}
		seen[r.Pattern] = true
	}
	for uid, c := range Classes {
		if c.UID != uid {
			t.Errorf("class %d has uid %d", uid, c.UID)
		}
		for verb, id := range c.verbs {
			if _, ok := c.Activities[id]; !ok {
				t.Errorf("%s: verb %q names activity %d, which the class does not have", c.Name, verb, id)
			}
		}
	}
}
