package mapping

import "strings"

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

// categoryRule is one row of the category table: an event that matches gets the category.
type categoryRule struct {
	category Category
	// pattern matches eventType: "x.*" matches every type that starts with "x."; "x*" every type that starts
	// with "x"; anything else only that exact type.
	pattern string
	// threatSuspected, in place of a pattern, matches every event whose
	// debugContext.debugData.threatSuspected is "true".
	threatSuspected bool
	// oauth2Tokens, with pattern "app.oauth2.*", narrows it to the events about tokens (see isTokenEvent).
	oauth2Tokens bool
}

// categoryRules is the whole category table. Rows are tried in order and the first match wins; an event
// that matches no row is CategoryOther.
var categoryRules = []categoryRule{
	{category: CategorySecurity, pattern: "security.*"},
	{category: CategorySecurity, pattern: "user.risk.*"},
	{category: CategorySecurity, pattern: "system.org.rate_limit.*"},
	{category: CategorySecurity, pattern: "system.operation.rate_limit.*"},
	{category: CategorySecurity, pattern: "core.concurrency.*"},
	{category: CategorySecurity, threatSuspected: true},

	{category: CategoryAuthentication, pattern: "user.authentication.*"},
	{category: CategoryAuthentication, pattern: "user.session.*"},
	{category: CategoryAuthentication, pattern: "user.mfa.*"},
	{category: CategoryAuthentication, pattern: "user.credential.*"},
	{category: CategoryAuthentication, pattern: "user.account.lock*"},
	{category: CategoryAuthentication, pattern: "user.account.unlock*"},
	{category: CategoryAuthentication, pattern: "user.account.reset_password"},
	{category: CategoryAuthentication, pattern: "user.account.update_password"},
	{category: CategoryAuthentication, pattern: "policy.evaluate_sign_on"},
	{category: CategoryAuthentication, pattern: "app.oauth2.*", oauth2Tokens: true},

	{category: CategoryUserManagement, pattern: "user.lifecycle.*"},
	{category: CategoryUserManagement, pattern: "user.account.*"},
	{category: CategoryUserManagement, pattern: "group.user_membership.*"},

	{category: CategoryApplication, pattern: "application.*"},
	{category: CategoryApplication, pattern: "app.*"},

	{category: CategoryAdministrative, pattern: "policy.*"},
	{category: CategoryAdministrative, pattern: "group.*"},
	{category: CategoryAdministrative, pattern: "system.*"},
	{category: CategoryAdministrative, pattern: "zone.*"},
	{category: CategoryAdministrative, pattern: "iam.*"},
	{category: CategoryAdministrative, pattern: "org.*"},
}

// category returns the category of an event of type eventType; threatSuspected says whether its
// debugContext.debugData.threatSuspected is "true".
func category(eventType string, threatSuspected bool) Category {
	if i := matchRule(eventType, threatSuspected); i >= 0 {
		return categoryRules[i].category
	}
	return CategoryOther
}

// matchRule returns the index of the first rule that matches, or -1.
func matchRule(eventType string, threatSuspected bool) int {
	for i := range categoryRules {
		r := &categoryRules[i]
		if r.threatSuspected {
			if threatSuspected {
				return i
			}
			continue
		}
		if matchPattern(r.pattern, eventType) && (!r.oauth2Tokens || isTokenEvent(eventType)) {
			return i
		}
	}
	return -1
}

func matchPattern(pattern, eventType string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(eventType, prefix)
	}
	return eventType == pattern
}

// isTokenEvent tells whether an app.oauth2 event is about tokens: one of its dot-separated segments is
// "token" (app.oauth2.token.grant, app.oauth2.as.token.grant.refresh_token, app.oauth2.token.revoke,
// app.oauth2.as.token.detect_reuse, ...) or names a kind of token, ending in "_token"
// (app.oauth2.as.authorize.implicit.access_token, app.oauth2.authorize.implicit.id_token).
// Other app.oauth2 events (authorize.code, consent.grant, signon, client settings) are not, and fall to
// the application rule.
func isTokenEvent(eventType string) bool {
	for seg := range strings.SplitSeq(eventType, ".") {
		if seg == "token" || strings.HasSuffix(seg, "_token") {
			return true
		}
	}
	return false
}
