package okta

import (
	"net/http"
	"net/netip"
	"strings"
)

// Okta refuses a credential for reasons a 401 or 403 alone does not tell apart: an API token, or an OAuth
// app's access token, may be restricted to network zones, and a request from an address outside them is
// refused; a token stops working when the admin user it was issued for is deactivated. Okta documents no
// error code of its own for either, so the client reads the words of the answer (errorSummary and
// errorCauses) and says what it recognised, and nothing more when it recognised nothing.

// zoneWords are phrases of an answer that refuses a request for where it came from.
var zoneWords = []string{"network zone", "network restriction", "allowed zone", "allowed range", "allowed network",
	"outside the allowed", "outside of the allowed", "ip address is not allowed", "ip is not allowed", "not allowed from this ip"}

// inactiveWords are phrases of an answer that refuses a credential for its user's status.
var inactiveWords = []string{"deactivated", "user is not active", "inactive user", "suspended", "user's current status"}

// codeUserStatus is E0000038, "This operation is not allowed in the user's current status".
const codeUserStatus = "E0000038"

// NetworkZone reports whether Okta refused the credential for the network zones it is restricted to: the
// request came from an address outside them.
func (e *APIError) NetworkZone() bool {
	return e.credentialRefusal() && containsAny(e.words(), zoneWords)
}

// UserInactive reports whether Okta refused the credential because of its user's status: the admin the API
// token was issued for is deactivated or suspended.
func (e *APIError) UserInactive() bool {
	return e.credentialRefusal() && !e.NetworkZone() && (e.Code == codeUserStatus || containsAny(e.words(), inactiveWords))
}

// EgressAddress is the address Okta saw the request come from, when its answer names one (the collector's
// egress address, or its proxy's or NAT's); "" when it names none.
func (e *APIError) EgressAddress() string {
	for _, text := range append([]string{e.Summary}, e.Causes...) {
		for field := range strings.FieldsFuncSeq(text, func(r rune) bool {
			return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' || r == '"' || r == '\'' || r == '[' || r == ']'
		}) {
			field = strings.TrimRight(field, ".:")
			a, err := netip.ParseAddr(field)
			if err != nil {
				ap, perr := netip.ParseAddrPort(field)
				a, err = ap.Addr(), perr
			}
			if err == nil && !a.IsUnspecified() {
				return a.String()
			}
		}
	}
	return ""
}

// refusalHint is the fix for a recognised refusal of the credential, "" for any other answer.
func (e *APIError) refusalHint() string {
	switch {
	case e.NetworkZone():
		from := "this collector's egress address"
		if a := e.EgressAddress(); a != "" {
			from = "the address Okta saw, " + a + ","
		}
		return "Okta refused the credential for its network zone: " + from + " is outside the zones the credential may be used from; " +
			"allow the collector's egress addresses in the token's network zone (Security > Networks; the token's " +
			"\"API calls made with this token must originate from\" in Security > API > Tokens, or the OAuth app's network restriction), " +
			"or run the collector behind the fixed egress addresses the zone allows (docs/security.md)"
	case e.UserInactive():
		return "Okta refused the credential because its admin user is deactivated or suspended, and a token stops working with its user: " +
			"create the token as a read-only administrator service account that will not be deactivated, and put it in `api_token` or `api_token_file`"
	}
	return ""
}

func (e *APIError) credentialRefusal() bool {
	return !e.NotOkta && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// words is the answer's text, lower case, for recognising phrases.
func (e *APIError) words() string {
	return strings.ToLower(e.Summary + " " + strings.Join(e.Causes, " "))
}

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
