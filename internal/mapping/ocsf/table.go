package ocsf

import (
	"slices"
	"strings"

	"github.com/datableio/oktareceiver/internal/mapping/typepattern"
)

// Rule is one row of the class table: an event whose type matches Pattern gets Class, and the activity
// Activity, or when Activity is 0 the one the type's verb names (see Decide).
type Rule struct {
	// Pattern matches eventType: "x.*" every type that starts with "x."; "x.y*" every type that starts
	// with "x.y"; anything else only that exact type (see typepattern).
	Pattern  string
	Class    int
	Activity int
}

// rules is the whole class table. Among the rows whose pattern matches a type, the most specific decides:
// the longest pattern, and an exact type before a prefix of the same length; the order of the rows
// decides nothing. The family rows give a class and let the verb decide the activity; exact rows fix the
// activity where the verb does not say it. A type no row matches is API Activity (see Fallback), and
// make catalog lists the documented types that get there.
var rules = []Rule{
	// Authentication: sign-ins and sign-outs, sessions, MFA challenges and the messages that carry them,
	// token grants, sign-on policy evaluation.
	{Pattern: "user.session.*", Class: Authentication},
	{Pattern: "user.session.access_admin_app", Class: Authentication, Activity: 1},
	{Pattern: "user.session.impersonation.*", Class: Authentication, Activity: ActivityOther},
	{Pattern: "user.session.impersonation.initiate", Class: Authentication, Activity: 7},
	{Pattern: "user.session.impersonation.end", Class: Authentication, Activity: 2},
	{Pattern: "user.session.context.change", Class: Authentication, Activity: ActivityOther},
	{Pattern: "user.authentication.*", Class: Authentication, Activity: 1},
	{Pattern: "user.authentication.slo", Class: Authentication, Activity: 2},
	{Pattern: "user.authentication.universal_logout*", Class: Authentication, Activity: 2},
	{Pattern: "user.device_session.*", Class: Authentication},
	{Pattern: "user.internal.authentication.*", Class: Authentication, Activity: ActivityOther},
	{Pattern: "user.internal.session_context_change", Class: Authentication, Activity: ActivityOther},
	{Pattern: "security.internal.authentication", Class: Authentication, Activity: 1},
	{Pattern: "user.mfa.*", Class: Authentication, Activity: 6},
	{Pattern: "user.mfa.attempt_bypass", Class: Authentication, Activity: ActivityOther},
	{Pattern: "user.mfa.promote_enrollment", Class: Authentication, Activity: ActivityOther},
	{Pattern: "user.identity_verification*", Class: Authentication, Activity: 6},
	{Pattern: "user.import.password", Class: Authentication, Activity: 1},
	{Pattern: "user.account.use_token", Class: Authentication, Activity: 1},
	{Pattern: "user.account.access_support_user_app", Class: Authentication, Activity: 1},
	{Pattern: "policy.evaluate_sign_on", Class: Authentication, Activity: 6},
	{Pattern: "application.policy.sign_on.deny_access", Class: Authentication, Activity: 1},
	{Pattern: "app.oauth2.authorize*", Class: Authentication, Activity: 1},
	{Pattern: "app.oauth2.as.authorize*", Class: Authentication, Activity: 1},
	{Pattern: "app.oauth2.token.grant*", Class: Authentication, Activity: 3},
	{Pattern: "app.oauth2.as.token.grant*", Class: Authentication, Activity: 3},
	{Pattern: "app.oauth2.token.revoke*", Class: Authentication, Activity: ActivityOther},
	{Pattern: "app.oauth2.as.token.revoke*", Class: Authentication, Activity: ActivityOther},
	{Pattern: "app.oauth2.token.oauth_sts.*", Class: Authentication, Activity: 3},
	{Pattern: "app.oauth2.signon", Class: Authentication, Activity: 1},
	{Pattern: "app.oauth2.invalid_client_credentials", Class: Authentication, Activity: 1},
	{Pattern: "app.oauth2.interact.*", Class: Authentication, Activity: 6},
	{Pattern: "app.oauth2.as.interact.*", Class: Authentication, Activity: 6},
	{Pattern: "app.oauth2.as.evaluate.*", Class: Authentication, Activity: 3},
	{Pattern: "app.inbound_del_auth.*", Class: Authentication, Activity: 1},
	{Pattern: "app.kerberos_rich_client.*", Class: Authentication, Activity: 1},
	{Pattern: "core.user_auth.*", Class: Authentication, Activity: ActivityOther},
	{Pattern: "device.platform_sso.authentication", Class: Authentication, Activity: 1},
	{Pattern: "device.password_sync.authentication", Class: Authentication, Activity: 1},
	{Pattern: "device.desktop_mfa.device_logout.*", Class: Authentication, Activity: 2},
	{Pattern: "device.custom_push.*", Class: Authentication, Activity: 6},
	{Pattern: "system.push.send_factor_verify_push", Class: Authentication, Activity: 6},
	{Pattern: "system.sms.send_factor_verify_message", Class: Authentication, Activity: 6},
	{Pattern: "system.sms.send_okta_push_verify_message", Class: Authentication, Activity: 6},
	{Pattern: "system.email.send_factor_verify_message", Class: Authentication, Activity: 6},
	{Pattern: "system.email.challenge_factor_redeemed", Class: Authentication, Activity: 6},
	{Pattern: "system.voice.send_mfa_challenge_call", Class: Authentication, Activity: 6},
	{Pattern: "system.ldapi.bind", Class: Authentication, Activity: 1},
	{Pattern: "system.ldapi.unbind", Class: Authentication, Activity: 2},
	{Pattern: "pam.server.ssh_login", Class: Authentication, Activity: 1},

	// Account Change: a user's account, its password, lock and factors.
	{Pattern: "user.lifecycle.*", Class: AccountChange},
	{Pattern: "user.account.*", Class: AccountChange},
	{Pattern: "user.account.lock.limit", Class: AccountChange, Activity: 9},
	{Pattern: "user.mfa.factor.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "user.mfa.factor.activate", Class: AccountChange, Activity: 10},
	{Pattern: "user.mfa.factor.deactivate", Class: AccountChange, Activity: 11},
	{Pattern: "user.mfa.factor.reset_all", Class: AccountChange, Activity: 11},
	{Pattern: "user.credential.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "credential.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "user.privileged_account.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "user.realm.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "user.behavior.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "user.chrome.*", Class: AccountChange, Activity: ActivityOther},
	{Pattern: "account.user.*", Class: AccountChange},
	{Pattern: "system.email.password_reset.*", Class: AccountChange, Activity: 4},
	{Pattern: "system.sms.send_password_reset_message", Class: AccountChange, Activity: 4},
	{Pattern: "system.voice.send_password_reset_call", Class: AccountChange, Activity: 4},
	{Pattern: "system.email.account_unlock.*", Class: AccountChange, Activity: 12},
	{Pattern: "system.sms.send_account_unlock_message", Class: AccountChange, Activity: 12},
	{Pattern: "system.voice.send_account_unlock_call", Class: AccountChange, Activity: 12},

	// User Access Management: privileges and application assignments of a user.
	{Pattern: "user.account.privilege.*", Class: UserAccessManagement},
	{Pattern: "user.privileged_account.privilege.*", Class: UserAccessManagement},
	{Pattern: "application.user_membership.*", Class: UserAccessManagement, Activity: ActivityOther},
	{Pattern: "application.user_membership.add", Class: UserAccessManagement, Activity: 1},
	{Pattern: "application.user_membership.provision", Class: UserAccessManagement, Activity: 1},
	{Pattern: "application.user_membership.approve", Class: UserAccessManagement, Activity: 1},
	{Pattern: "application.user_membership.restore", Class: UserAccessManagement, Activity: 1},
	{Pattern: "application.user_membership.remove", Class: UserAccessManagement, Activity: 2},
	{Pattern: "application.user_membership.revoke", Class: UserAccessManagement, Activity: 2},
	{Pattern: "application.user_membership.deprovision", Class: UserAccessManagement, Activity: 2},
	{Pattern: "master_application.user_membership.*", Class: UserAccessManagement},

	// Group Management: groups and their members.
	{Pattern: "group.*", Class: GroupManagement},
	{Pattern: "group.user_membership.rule.*", Class: GroupManagement, Activity: ActivityOther},
	{Pattern: "group.application_assignment.*", Class: GroupManagement, Activity: ActivityOther},
	{Pattern: "group.profile.*", Class: GroupManagement, Activity: ActivityOther},
	{Pattern: "directory.external.group.membership.*", Class: GroupManagement},

	// Detection Finding: Okta's detections of threats and risk, and what users report as suspicious.
	{Pattern: "security.threat.detected", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.request.blocked", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.attack.*", Class: DetectionFinding},
	{Pattern: "security.attack.start", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.breached_credential.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.password_spray.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.internal.threat.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.internal.valid_password_sprayed.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.internal.dco_*", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.session.detect_client_roaming", Class: DetectionFinding, Activity: 1},
	{Pattern: "security.protected_action.attempt", Class: DetectionFinding, Activity: 1},
	{Pattern: "user.risk.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "user.internal.risk.*", Class: DetectionFinding, Activity: 1},
	{Pattern: "user.account.report_suspicious_activity_by_enduser", Class: DetectionFinding, Activity: 1},
	{Pattern: "app.generic.unauth_app_access_attempt", Class: DetectionFinding, Activity: 1},
	{Pattern: "system.api_token.request_outside_allowed_range", Class: DetectionFinding, Activity: 1},
	{Pattern: "system.oauth2.token.request_outside_allowed_range", Class: DetectionFinding, Activity: 1},
	{Pattern: "app.oauth2.token.detect_reuse", Class: DetectionFinding, Activity: 1},
	{Pattern: "app.oauth2.as.token.detect_reuse", Class: DetectionFinding, Activity: 1},
	{Pattern: "device.signals.*", Class: DetectionFinding, Activity: 1},

	// Entity Management: the configuration objects of the org (policies, zones, devices, authenticators,
	// authorization servers, roles, hooks, applications, defenses' settings).
	{Pattern: "policy.*", Class: EntityManagement},
	{Pattern: "zone.*", Class: EntityManagement},
	{Pattern: "network_zone.*", Class: EntityManagement},
	{Pattern: "device.*", Class: EntityManagement},
	{Pattern: "device.enrollment.create", Class: EntityManagement, Activity: 6},
	{Pattern: "device.platform_sso.enrollment.create", Class: EntityManagement, Activity: 6},
	{Pattern: "device.password_sync.enrollment.create", Class: EntityManagement, Activity: 6},
	{Pattern: "device.desktop_mfa.enrollment.create", Class: EntityManagement, Activity: 6},
	{Pattern: "device.token.enrollment.create", Class: EntityManagement, Activity: 6},
	{Pattern: "application.lifecycle.*", Class: EntityManagement},
	{Pattern: "application.configuration.*", Class: EntityManagement},
	{Pattern: "application.integration.*", Class: EntityManagement},
	{Pattern: "application.policy.*", Class: EntityManagement},
	{Pattern: "application.registration_policy.*", Class: EntityManagement},
	{Pattern: "app.oauth2.client.*", Class: EntityManagement},
	{Pattern: "app.oauth2.client.privilege.grant", Class: EntityManagement, Activity: 3},
	{Pattern: "app.oauth2.client.privilege.revoke", Class: EntityManagement, Activity: 3},
	{Pattern: "app.oauth2.client.read_client_secret", Class: EntityManagement, Activity: 2},
	{Pattern: "app.oauth2.credentials.lifecycle.*", Class: EntityManagement},
	{Pattern: "app.oauth2.as.resource_server.credentials.lifecycle.*", Class: EntityManagement},
	{Pattern: "app.oauth2.key.*", Class: EntityManagement},
	{Pattern: "app.oauth2.as.key.*", Class: EntityManagement},
	{Pattern: "app.oauth2.trusted_server.*", Class: EntityManagement},
	{Pattern: "security.authenticator.*", Class: EntityManagement},
	{Pattern: "security.trusted_origin.*", Class: EntityManagement},
	{Pattern: "security.events.*", Class: EntityManagement},
	{Pattern: "security.events.provider.receive_event", Class: APIActivity, Activity: ActivityOther},
	{Pattern: "security.behavior.*", Class: EntityManagement},
	{Pattern: "security.attack_protection.*", Class: EntityManagement},
	{Pattern: "security.bot_protection.*", Class: EntityManagement},
	{Pattern: "security.session_protection.*", Class: EntityManagement},
	{Pattern: "security.protected_action.settings.*", Class: EntityManagement},
	{Pattern: "security.threat.configuration.*", Class: EntityManagement},
	{Pattern: "security.zone.*", Class: EntityManagement, Activity: 3},
	{Pattern: "security.voice.*", Class: EntityManagement, Activity: 3},
	{Pattern: "security.device.*", Class: EntityManagement, Activity: 3},
	{Pattern: "security.origin.*", Class: EntityManagement, Activity: 3},
	{Pattern: "system.mfa.factor.*", Class: EntityManagement},
	{Pattern: "system.org.captcha.*", Class: EntityManagement},
	{Pattern: "system.email.template.*", Class: EntityManagement},
	{Pattern: "iam.*", Class: EntityManagement},
	{Pattern: "oauth2.*", Class: EntityManagement},
	{Pattern: "event_hook.*", Class: EntityManagement},
	{Pattern: "event_hook.delivery", Class: APIActivity, Activity: ActivityOther},
	{Pattern: "inline_hook.*", Class: EntityManagement},
	{Pattern: "inline_hook.executed", Class: APIActivity, Activity: ActivityOther},
	{Pattern: "inline_hook.response.*", Class: APIActivity, Activity: ActivityOther},
	{Pattern: "pki.ca.*", Class: EntityManagement},
	{Pattern: "pki.cert.*", Class: EntityManagement},
	{Pattern: "mim.createEnrollment.*", Class: EntityManagement, Activity: 6},

	// API Activity: every other action through Okta's admin console, API, agents and products (Privileged
	// Access, Workflows, Identity Governance, ...), rate and concurrency limits, and messages sent.
	{Pattern: "access.*", Class: APIActivity},
	{Pattern: "account.*", Class: APIActivity},
	{Pattern: "analytics.*", Class: APIActivity},
	{Pattern: "app.*", Class: APIActivity},
	{Pattern: "application.*", Class: APIActivity},
	{Pattern: "certification.*", Class: APIActivity},
	{Pattern: "core.*", Class: APIActivity},
	{Pattern: "directory.*", Class: APIActivity},
	{Pattern: "entitlement.*", Class: APIActivity},
	{Pattern: "governance.*", Class: APIActivity},
	{Pattern: "integration.*", Class: APIActivity},
	{Pattern: "mim.*", Class: APIActivity},
	{Pattern: "org.*", Class: APIActivity},
	{Pattern: "pam.*", Class: APIActivity},
	{Pattern: "personal.*", Class: APIActivity},
	{Pattern: "plugin.*", Class: APIActivity},
	{Pattern: "resource.*", Class: APIActivity},
	{Pattern: "resource_servers.*", Class: APIActivity},
	{Pattern: "scheduled_action.*", Class: APIActivity},
	{Pattern: "security.*", Class: APIActivity},
	{Pattern: "self_service.*", Class: APIActivity},
	{Pattern: "support.*", Class: APIActivity},
	{Pattern: "system.*", Class: APIActivity},
	{Pattern: "task.*", Class: APIActivity},
	{Pattern: "user.*", Class: APIActivity},
	{Pattern: "workflows.*", Class: APIActivity},
	{Pattern: "workload_principal.*", Class: APIActivity},
}

// Fallback is the class of an event whose type no row matches: an action recorded by Okta's API.
const Fallback = APIActivity

// Decision is the class and activity of an event.
type Decision struct {
	Class      *Class
	ActivityID int
	// ActivityName is the activity's caption, or for Other the event's own verb: the last segment of its
	// type (e.g. "deny_push" for user.mfa.okta_verify.deny_push).
	ActivityName string
	// Rule is the row that decided; Matched is false when none did and the class is Fallback.
	Rule    Rule
	Matched bool
}

// TypeUID is the event's type_uid: class uid × 100 + activity id.
func (d Decision) TypeUID() int64 { return int64(d.Class.UID)*100 + int64(d.ActivityID) }

// Decide returns the class and activity of an event of type eventType. The most specific row that matches
// gives the class; its activity, or when it has none the activity that the type's verb names in that class
// (its last segment that the class knows, read from the end), or Other. An empty type is Fallback with the
// activity Unknown.
func Decide(eventType string) Decision {
	if eventType == "" {
		c := Classes[Fallback]
		return Decision{Class: c, ActivityID: ActivityUnknown, ActivityName: c.ActivityName(ActivityUnknown)}
	}
	d := Decision{Class: Classes[Fallback]}
	if i := match(eventType); i >= 0 {
		d.Rule, d.Matched = rules[i], true
		d.Class = Classes[d.Rule.Class]
	}
	d.ActivityID = d.Rule.Activity
	if d.ActivityID == 0 {
		d.ActivityID = d.Class.verb(eventType)
	}
	if d.ActivityID == ActivityOther {
		d.ActivityName = lastSegment(eventType)
	} else {
		d.ActivityName = d.Class.ActivityName(d.ActivityID)
	}
	return d
}

// verb returns the activity the type's verb names in class c, or Other.
func (c *Class) verb(eventType string) int {
	rest := eventType
	for rest != "" {
		seg := lastSegment(rest)
		if id, ok := c.verbs[seg]; ok {
			return id
		}
		rest = strings.TrimSuffix(rest[:len(rest)-len(seg)], ".")
	}
	return ActivityOther
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Rules returns a copy of the class table.
func Rules() []Rule { return slices.Clone(rules) }

// index finds the most specific row of the class table that matches a type.
var index = typepattern.MustNew(rules, func(r Rule) string { return r.Pattern })

// match returns the index of the most specific row matching eventType, or -1.
func match(eventType string) int { return index.First(eventType, nil) }
