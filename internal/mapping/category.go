package mapping

import (
	"slices"
	"strings"

	"github.com/datableio/oktareceiver/internal/mapping/typepattern"
)

// Category is the value of okta.event.category: the kind of event, for routing.
type Category string

// The categories, and other for an event that fits none of them.
const (
	CategorySecurity       Category = "security"
	CategoryAuthentication Category = "authentication"
	CategoryUserManagement Category = "user_management"
	CategoryApplication    Category = "application"
	CategoryAdministrative Category = "administrative"
	CategoryOther          Category = "other"
)

// Categories lists the categories in the order the documentation gives them.
var Categories = []Category{
	CategorySecurity, CategoryAuthentication, CategoryUserManagement, CategoryApplication, CategoryAdministrative,
	CategoryOther,
}

// CategoryRule is one row of the category table: an event whose type matches gets the category.
type CategoryRule struct {
	Category Category
	// Pattern matches eventType: "x.*" matches every type that starts with "x."; "x.y*" every type that
	// starts with "x.y"; anything else only that exact type (see typepattern).
	Pattern string
	// Reason says why a type is deliberately left in CategoryOther; only rows of that category have one.
	Reason string
	// threatSuspected, in place of a pattern, matches every event whose
	// debugContext.debugData.threatSuspected is "true".
	threatSuspected bool
	// oauth2Tokens narrows the pattern to the events about tokens (see isTokenEvent).
	oauth2Tokens bool
}

// categoryRules is the whole category table. The threatSuspected row comes first: such an event is security
// whatever its type. Among the rows whose pattern matches an event's type, the most specific one decides:
// the longest pattern, and an exact type before a prefix of the same length. So a row such as
// user.account.privilege.* (administrative) takes its types out of user.account.* (user_management)
// wherever the two stand in the table. The table is grouped by category for reading; its order decides
// nothing else. An event that matches no row is CategoryOther; the catalog test makes sure that no type
// Okta documents gets there without a row of its own.
var categoryRules = []CategoryRule{
	{Category: CategorySecurity, threatSuspected: true},

	// security: Okta's detections of threats and risk (ThreatInsight, Identity Threat Protection, breached
	// credentials, password spray, bot protection, blocklists), what users report as suspicious, rate and
	// concurrency limits being hit, and the settings of those defenses.
	{Category: CategorySecurity, Pattern: "security.*"},
	{Category: CategorySecurity, Pattern: "user.risk.*"},
	{Category: CategorySecurity, Pattern: "user.internal.risk.*"},
	{Category: CategorySecurity, Pattern: "user.behavior.*"},          // ITP: a user's behavior profile reset
	{Category: CategorySecurity, Pattern: "user.chrome.*"},            // ITP: managed Chrome data cleared
	{Category: CategorySecurity, Pattern: "analytics.feedback.*"},     // ITP: an admin's feedback on a detection
	{Category: CategorySecurity, Pattern: "policy.entity_risk.*"},     // ITP: entity risk policy evaluated, acted on
	{Category: CategorySecurity, Pattern: "policy.auth_reevaluate.*"}, // ITP: post-authentication session evaluation
	{Category: CategorySecurity, Pattern: "policy.continuous_access.*"},
	{Category: CategorySecurity, Pattern: "device.signals.*"}, // a device behind a live session stopped reporting
	{Category: CategorySecurity, Pattern: "user.account.report_suspicious_activity_by_enduser"},
	{Category: CategorySecurity, Pattern: "app.generic.unauth_app_access_attempt"},
	{Category: CategorySecurity, Pattern: "system.api_token.request_outside_allowed_range"},
	{Category: CategorySecurity, Pattern: "system.oauth2.token.request_outside_allowed_range"},
	{Category: CategorySecurity, Pattern: "system.org.rate_limit.*"},
	{Category: CategorySecurity, Pattern: "system.operation.rate_limit.*"},
	{Category: CategorySecurity, Pattern: "system.operation.concurrency_limit.*"},
	{Category: CategorySecurity, Pattern: "system.client.rate_limit.*"},
	{Category: CategorySecurity, Pattern: "system.client.concurrency_rate_limit.*"},
	{Category: CategorySecurity, Pattern: "app.oauth2.client_id_rate_limit_warning"},
	{Category: CategorySecurity, Pattern: "core.concurrency.*"},

	// authentication: sign-ins and sign-outs, sessions (device sessions included), MFA and the messages that
	// carry its challenges, credentials and recovery, token grants and the OAuth 2.0 authorization requests
	// that lead to them.
	{Category: CategoryAuthentication, Pattern: "user.authentication.*"},
	{Category: CategoryAuthentication, Pattern: "user.session.*"},
	{Category: CategoryAuthentication, Pattern: "user.device_session.*"},
	{Category: CategoryAuthentication, Pattern: "user.internal.authentication.*"},
	{Category: CategoryAuthentication, Pattern: "user.internal.session_context_change"},
	{Category: CategoryAuthentication, Pattern: "security.internal.authentication"}, // one sign-in's steps in one event
	{Category: CategoryAuthentication, Pattern: "user.mfa.*"},
	{Category: CategoryAuthentication, Pattern: "user.credential.*"},
	{Category: CategoryAuthentication, Pattern: "credential.*"},
	{Category: CategoryAuthentication, Pattern: "user.identity_verification*"},
	{Category: CategoryAuthentication, Pattern: "user.identity_snapshot.*"},
	{Category: CategoryAuthentication, Pattern: "user.import.password"}, // a password imported at sign-in
	{Category: CategoryAuthentication, Pattern: "user.account.lock*"},
	{Category: CategoryAuthentication, Pattern: "user.account.unlock*"},
	{Category: CategoryAuthentication, Pattern: "user.account.reset_password"},
	{Category: CategoryAuthentication, Pattern: "user.account.update_password"},
	{Category: CategoryAuthentication, Pattern: "user.account.expire_password"},
	{Category: CategoryAuthentication, Pattern: "user.account.use_token"},
	{Category: CategoryAuthentication, Pattern: "user.account.access_support_user_app"},
	{Category: CategoryAuthentication, Pattern: "policy.evaluate_sign_on"},
	{Category: CategoryAuthentication, Pattern: "application.policy.sign_on.deny_access"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.*", oauth2Tokens: true},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.authorize*"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.as.authorize*"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.interact.*"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.as.interact.*"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.as.evaluate.*"}, // claims evaluated for a token
	{Category: CategoryAuthentication, Pattern: "app.oauth2.signon"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.invalid_client_credentials"},
	{Category: CategoryAuthentication, Pattern: "app.inbound_del_auth.*"},
	{Category: CategoryAuthentication, Pattern: "app.kerberos_rich_client.*"},
	{Category: CategoryAuthentication, Pattern: "core.user_auth.*"},
	{Category: CategoryAuthentication, Pattern: "device.platform_sso.*"},
	{Category: CategoryAuthentication, Pattern: "device.password_sync.*"},
	{Category: CategoryAuthentication, Pattern: "device.desktop_mfa.enrollment.*"},
	{Category: CategoryAuthentication, Pattern: "device.desktop_mfa.device_logout.*"},
	{Category: CategoryAuthentication, Pattern: "device.custom_push.*"},
	{Category: CategoryAuthentication, Pattern: "pki.cert.*"}, // device certificates: credentials issued, bound, revoked
	{Category: CategoryAuthentication, Pattern: "system.email.*"},
	{Category: CategoryAuthentication, Pattern: "system.sms.*"},
	{Category: CategoryAuthentication, Pattern: "system.voice.*"},
	{Category: CategoryAuthentication, Pattern: "system.push.*"},
	{Category: CategoryAuthentication, Pattern: "system.mfa.preregister.*"},
	{Category: CategoryAuthentication, Pattern: "system.ldapi.bind"},
	{Category: CategoryAuthentication, Pattern: "system.ldapi.unbind"},
	// Accesses to a session or a secret, where the type would otherwise be administrative or application:
	// a person opens a session on a server, or obtains a credential (a vaulted password revealed, a resource
	// checked out, a client secret read). They are the privileged counterpart of a sign-in or a token grant,
	// and an analyst looks for them next to those, not among configuration changes.
	{Category: CategoryAuthentication, Pattern: "pam.server.ssh_login"},
	{Category: CategoryAuthentication, Pattern: "pam.user_creds.*"},
	{Category: CategoryAuthentication, Pattern: "pam.gateway_creds.*"},
	{Category: CategoryAuthentication, Pattern: "pam.auth_token.*"},
	{Category: CategoryAuthentication, Pattern: "pam.security_policy.evaluate"},
	{Category: CategoryAuthentication, Pattern: "pam.resource.checkout"},
	{Category: CategoryAuthentication, Pattern: "pam.resource.checkin.*"},
	{Category: CategoryAuthentication, Pattern: "pam.secret.reveal"},
	{Category: CategoryAuthentication, Pattern: "pam.server_account.password.reveal"},
	{Category: CategoryAuthentication, Pattern: "pam.service_account.password.reveal"},
	{Category: CategoryAuthentication, Pattern: "pam.password.*"},
	{Category: CategoryAuthentication, Pattern: "app.oauth2.client.read_client_secret"},
	{Category: CategoryAuthentication, Pattern: "application.configuration.read_client_secret"},
	{Category: CategoryAuthentication, Pattern: "application.user_membership.show_password"},
	{Category: CategoryAuthentication, Pattern: "system.idp.lifecycle.read_client_secret"},
	{Category: CategoryAuthentication, Pattern: "device.desktop_mfa.recovery_pin.generate"},

	// user_management: the lifecycle of users and of the other identities (devices, workload principals and
	// AI agents), their profiles, group memberships, and the access they request, are reviewed for and
	// are entitled to.
	{Category: CategoryUserManagement, Pattern: "user.lifecycle.*"},
	{Category: CategoryUserManagement, Pattern: "user.account.*"},
	{Category: CategoryUserManagement, Pattern: "user.privileged_account.*"},
	{Category: CategoryUserManagement, Pattern: "user.realm.*"},
	{Category: CategoryUserManagement, Pattern: "account.user.*"},
	{Category: CategoryUserManagement, Pattern: "group.user_membership.*"},
	{Category: CategoryUserManagement, Pattern: "directory.external.group.membership.*"},
	{Category: CategoryUserManagement, Pattern: "scheduled_action.user_suspension.*"},
	{Category: CategoryUserManagement, Pattern: "device.lifecycle.*"},
	{Category: CategoryUserManagement, Pattern: "device.user.*"},
	{Category: CategoryUserManagement, Pattern: "device.enrollment.*"},
	{Category: CategoryUserManagement, Pattern: "device.token.enrollment.*"},
	{Category: CategoryUserManagement, Pattern: "device.local_account.*"},
	{Category: CategoryUserManagement, Pattern: "device.user_os_account.*"},
	{Category: CategoryUserManagement, Pattern: "mim.createEnrollment.*"},
	{Category: CategoryUserManagement, Pattern: "workload_principal.*"},
	{Category: CategoryUserManagement, Pattern: "access.*"}, // access requests and reviews
	{Category: CategoryUserManagement, Pattern: "app.access_request.*"},
	{Category: CategoryUserManagement, Pattern: "certification.*"},
	{Category: CategoryUserManagement, Pattern: "resource.user_entitlements.*"},

	// application: applications, their settings and keys, users' and groups' assignments to them,
	// provisioning into them, and the integrations and agents that connect them.
	{Category: CategoryApplication, Pattern: "application.*"},
	{Category: CategoryApplication, Pattern: "app.*"},
	{Category: CategoryApplication, Pattern: "integration.*"},
	{Category: CategoryApplication, Pattern: "master_application.*"},
	{Category: CategoryApplication, Pattern: "group.application_assignment.*"},
	{Category: CategoryApplication, Pattern: "self_service.*"},
	{Category: CategoryApplication, Pattern: "plugin.*"}, // the browser plugin that signs in to applications
	{Category: CategoryApplication, Pattern: "personal.user.*"},
	{Category: CategoryApplication, Pattern: "workflows.user.connection.*"},

	// administrative: configuration of the org and its products (policies, network zones, authorization and
	// resource servers, roles and admin privileges, authenticators, Privileged Access, directories, devices'
	// platforms, hooks, Workflows), imports and agents, and Okta support's own actions.
	{Category: CategoryAdministrative, Pattern: "policy.*"},
	{Category: CategoryAdministrative, Pattern: "application.policy.*"},
	{Category: CategoryAdministrative, Pattern: "application.registration_policy.*"},
	{Category: CategoryAdministrative, Pattern: "app.policy.*"},
	{Category: CategoryAdministrative, Pattern: "zone.*"},
	{Category: CategoryAdministrative, Pattern: "network_zone.*"},
	{Category: CategoryAdministrative, Pattern: "security.zone.*"},
	{Category: CategoryAdministrative, Pattern: "security.trusted_origin.*"},
	{Category: CategoryAdministrative, Pattern: "security.origin.*"},
	{Category: CategoryAdministrative, Pattern: "security.authenticator.*"},
	{Category: CategoryAdministrative, Pattern: "oauth2.*"},
	{Category: CategoryAdministrative, Pattern: "app.oauth2.key.*"},
	{Category: CategoryAdministrative, Pattern: "app.oauth2.as.key.*"},
	{Category: CategoryAdministrative, Pattern: "app.oauth2.as.resource_server.*"},
	{Category: CategoryAdministrative, Pattern: "app.oauth2.trusted_server.*"},
	{Category: CategoryAdministrative, Pattern: "app.oauth2.client.privilege.*"},
	{Category: CategoryAdministrative, Pattern: "resource_servers.*"},
	{Category: CategoryAdministrative, Pattern: "iam.*"},
	{Category: CategoryAdministrative, Pattern: "group.*"},
	{Category: CategoryAdministrative, Pattern: "user.account.privilege.*"},
	{Category: CategoryAdministrative, Pattern: "user.privileged_account.privilege.*"},
	{Category: CategoryAdministrative, Pattern: "user.account.subscriptions.*"},
	{Category: CategoryAdministrative, Pattern: "pam.*"},
	{Category: CategoryAdministrative, Pattern: "system.*"},
	{Category: CategoryAdministrative, Pattern: "system.email.template.*"},
	{Category: CategoryAdministrative, Pattern: "system.email.bounce.*"},
	{Category: CategoryAdministrative, Pattern: "system.email.delivery"},
	{Category: CategoryAdministrative, Pattern: "org.*"},
	{Category: CategoryAdministrative, Pattern: "account.*"}, // the orgs of a multi-org account
	{Category: CategoryAdministrative, Pattern: "directory.*"},
	{Category: CategoryAdministrative, Pattern: "device.*"},
	{Category: CategoryAdministrative, Pattern: "mim.*"},
	{Category: CategoryAdministrative, Pattern: "pki.*"},
	{Category: CategoryAdministrative, Pattern: "event_hook.*"},
	{Category: CategoryAdministrative, Pattern: "inline_hook.*"},
	{Category: CategoryAdministrative, Pattern: "workflows.*"},
	{Category: CategoryAdministrative, Pattern: "task.*"},
	{Category: CategoryAdministrative, Pattern: "access.request.condition.*"},
	{Category: CategoryAdministrative, Pattern: "access.request.sequence.*"},
	{Category: CategoryAdministrative, Pattern: "access.request.settings.*"},
	{Category: CategoryAdministrative, Pattern: "certification.campaign.context.*"},
	{Category: CategoryAdministrative, Pattern: "governance.*"},
	{Category: CategoryAdministrative, Pattern: "resource.*"}, // governed resources, entitlements, labels, risk rules
	{Category: CategoryAdministrative, Pattern: "entitlement.*"},
	{Category: CategoryAdministrative, Pattern: "analytics.*"},
	{Category: CategoryAdministrative, Pattern: "personal.*"},
	{Category: CategoryAdministrative, Pattern: "support.*"}, // Okta staff viewing or changing the org

	// other, reviewed: types that are none of the five kinds.
	{Category: CategoryOther, Pattern: "core.el.evaluate",
		Reason: "a diagnostic: Okta evaluated an Expression Language expression; it records no action on users, applications, sessions or settings"},
}

// CategoryOf returns the category the table gives an event of type eventType (threatSuspected aside), and
// the row that decided it; ok is false when no row matches and the category falls to CategoryOther.
func CategoryOf(eventType string) (c Category, rule CategoryRule, ok bool) {
	if i := matchRule(eventType, false); i >= 0 {
		return categoryRules[i].Category, categoryRules[i], true
	}
	return CategoryOther, CategoryRule{}, false
}

// category returns the category of an event of type eventType; threatSuspected says whether its
// debugContext.debugData.threatSuspected is "true".
func category(eventType string, threatSuspected bool) Category {
	if i := matchRule(eventType, threatSuspected); i >= 0 {
		return categoryRules[i].Category
	}
	return CategoryOther
}

// ruleIndex finds the most specific row of the table that matches a type; the threatSuspected row, which
// has no pattern, is not in it.
var ruleIndex = typepattern.MustNew(categoryRules, rulePattern)

func rulePattern(r CategoryRule) string { return r.Pattern }

// matchRule returns the index of the row that decides an event's category, or -1.
func matchRule(eventType string, threatSuspected bool) int {
	return matchIn(categoryRules, ruleIndex, eventType, threatSuspected)
}

// matchIn is matchRule for a table and its index.
func matchIn(rules []CategoryRule, index *typepattern.Index, eventType string, threatSuspected bool) int {
	if threatSuspected {
		if i := slices.IndexFunc(rules, func(r CategoryRule) bool { return r.threatSuspected }); i >= 0 {
			return i
		}
	}
	return index.First(eventType, func(i int) bool { return !rules[i].oauth2Tokens || isTokenEvent(eventType) })
}

// isTokenEvent tells whether an app.oauth2 event is about tokens: one of its dot-separated segments is
// "token" (app.oauth2.token.grant, app.oauth2.as.token.grant.refresh_token, app.oauth2.token.revoke,
// app.oauth2.as.token.detect_reuse, ...) or names a kind of token, ending in "_token"
// (app.oauth2.as.authorize.implicit.access_token, app.oauth2.authorize.implicit.id_token).
func isTokenEvent(eventType string) bool {
	for seg := range strings.SplitSeq(eventType, ".") {
		if seg == "token" || strings.HasSuffix(seg, "_token") {
			return true
		}
	}
	return false
}
