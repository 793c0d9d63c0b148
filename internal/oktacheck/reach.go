package oktacheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

// PrivilegePrefix begins the text of a result that says the credential can do more than read the System
// Log, for a script to find (`grep OVER-PRIVILEGED`). Collection still works: only --fail-on-privilege
// makes it fail.
const PrivilegePrefix = "OVER-PRIVILEGED:"

// leastPrivilegeFix is the fix of an over-privileged API token.
const leastPrivilegeFix = "create the token as a read-only administrator service account that will not be deactivated " +
	"(a user of its own whose only admin role is Read-only Administrator), put the new token in `api_token` or `api_token_file`, and revoke this one (Security > API > Tokens)"

// readOnlyRoles are the standard admin roles that may read the System Log and change nothing. Every other
// role can change users, groups, apps, policies or the org (a custom role's permissions are its own).
var readOnlyRoles = []string{"READ_ONLY_ADMIN", "REPORT_ADMIN"}

// customRole is the type of a custom admin role assignment, whose permissions are not in the assignment.
const customRole = "CUSTOM"

// Bounds on what a management answer may make the report print.
const (
	maxRolesShown  = 10
	maxTokensShown = 5
	// tokensPageSize is the largest page GET /api/v1/api-tokens serves.
	tokensPageSize = 200
)

// reach reports what the credential may do besides reading the System Log: for an API token, whose token
// it is, its admin roles and its id; for an OAuth app, the scopes granted and, where readable, its roles.
func (c *checker) reach(ctx context.Context) {
	if c.o.OAuth != nil {
		c.appReach(ctx)
		return
	}
	c.tokenReach(ctx)
}

// user is what GET /api/v1/users/me says of the token's user.
type user struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Profile struct {
		Login string `json:"login"`
	} `json:"profile"`
}

// roleAssignment is one element of a role assignment list.
type roleAssignment struct {
	Type   string `json:"type"`
	Label  string `json:"label"`
	Status string `json:"status"`
}

// apiToken is one element of GET /api/v1/api-tokens.
type apiToken struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	UserID  string `json:"userId"`
	Network *struct {
		Connection string   `json:"connection"`
		Include    []string `json:"include"`
	} `json:"network"`
}

func (c *checker) tokenReach(ctx context.Context) {
	var me user
	if err := c.get(ctx, okta.MePath, nil, &me); err != nil {
		c.r.add(CheckReach, Warn, "cannot tell whose token it is: GET /api/v1/users/me: "+c.errText(err),
			"see the token's owner in the Okta admin console (Security > API > Tokens)")
		return
	}
	who := c.clean(me.Profile.Login)
	if who == "" {
		who = c.clean(me.ID)
	}
	text := fmt.Sprintf("the token is %s's (user %s, %s)", who, c.clean(me.ID), c.clean(me.Status))
	if me.Status != "" && me.Status != "ACTIVE" {
		c.r.add(CheckReach, Warn, text+": a token stops working when its user is deactivated", leastPrivilegeFix)
	} else {
		c.r.add(CheckReach, OK, text, "")
	}
	if me.ID != "" {
		var roles []roleAssignment
		if err := c.get(ctx, okta.UserRolesPath(me.ID), nil, &roles); err != nil {
			c.r.add(CheckReach, Warn, "cannot read the admin roles of "+who+": "+c.errText(err),
				"check them in the Okta admin console (Security > Administrators): only Read-only Administrator is needed")
		} else {
			c.roles("the token", who, roles, leastPrivilegeFix)
		}
	}
	c.tokenID(ctx, me)
}

// roles reports the active role assignments of the token's user or the app: over-privileged when one of
// them can change something.
func (c *checker) roles(what, who string, roles []roleAssignment, fix string) {
	var all, changing []string
	custom := false
	for _, ra := range roles {
		if ra.Status != "" && ra.Status != "ACTIVE" {
			continue
		}
		t := c.clean(ra.Type)
		if t == "" || slices.Contains(all, t) {
			continue
		}
		all = append(all, t)
		switch {
		case t == customRole:
			custom = true
		case !slices.Contains(readOnlyRoles, t):
			changing = append(changing, t)
		}
	}
	shown := listed(all, maxRolesShown)
	switch {
	case len(changing) > 0:
		c.r.add(CheckReach, Warn, fmt.Sprintf("%s %s can do more than read the System Log: %s has the admin roles %s (%s can change users, groups, apps or policies)",
			PrivilegePrefix, what, who, shown, listed(changing, maxRolesShown)), fix)
		c.r.Results[len(c.r.Results)-1].OverPrivileged = true
	case custom:
		c.r.add(CheckReach, Warn, fmt.Sprintf("%s has a custom admin role (%s), whose permissions oktacheck cannot see", who, shown),
			"check in the Okta admin console (Security > Administrators > Roles) that it only views; otherwise "+fix)
	case len(all) == 0:
		c.r.add(CheckReach, OK, who+" has no active admin role assignment listed", "")
	default:
		c.r.add(CheckReach, OK, fmt.Sprintf("%s's admin roles: %s (they read, and change nothing)", who, shown), "")
	}
}

// tokenID reports the id of the token, where Okta lists it: the one the receiver's `api_token_id` names,
// for it to flag the events made with it.
func (c *checker) tokenID(ctx context.Context, me user) {
	var list []apiToken
	err := c.get(ctx, okta.APITokensPath, url.Values{"limit": {fmt.Sprint(tokensPageSize)}}, &list)
	if err != nil {
		c.r.add(CheckReach, Skip, "Okta does not list the API tokens to this token's admin ("+c.errText(err)+
			"): find the token's id in Security > API > Tokens and set it as `api_token_id`", "")
		return
	}
	var mine []apiToken
	for _, t := range list {
		if t.UserID == me.ID && okta.APITokenIDProblem(t.ID) == "" {
			mine = append(mine, t)
		}
	}
	switch len(mine) {
	case 0:
		c.r.add(CheckReach, Skip, "Okta lists no API token of this user: find the token's id in Security > API > Tokens and set it as `api_token_id`", "")
	case 1:
		t := mine[0]
		c.r.add(CheckReach, OK, fmt.Sprintf("the token's id is %s (%q), %s: set `api_token_id: %s` for the receiver to flag every event made with it that is not a read of the System Log",
			t.ID, c.clean(t.Name), c.tokenNetwork(t), t.ID), "")
	default:
		ids := make([]string, len(mine))
		for i, t := range mine {
			ids[i] = fmt.Sprintf("%s (%q, %s)", t.ID, c.clean(t.Name), c.tokenNetwork(t))
		}
		c.r.add(CheckReach, OK, fmt.Sprintf("this user has %d API tokens, the collector's among them: %s; set the collector's as `api_token_id`",
			len(mine), listed(ids, maxTokensShown)), "")
	}
}

// tokenNetwork says where the token may be used from.
func (c *checker) tokenNetwork(t apiToken) string {
	if t.Network == nil || t.Network.Connection == "" || t.Network.Connection == "ANYWHERE" {
		return "usable from any address (restrict it to the collector's egress addresses: docs/security.md)"
	}
	s := "usable only as its network condition " + c.clean(t.Network.Connection) + " allows"
	if len(t.Network.Include) > 0 {
		s += " (zones " + listed(cleanAll(c, t.Network.Include), maxTokensShown) + ")"
	}
	return s
}

// appReach reports the scopes Okta granted the OAuth app and, where the granted scopes let it read them,
// its admin roles.
func (c *checker) appReach(ctx context.Context) {
	var granted []string
	if g, ok := c.s.auth.(interface{ GrantedScopes() []string }); ok {
		granted = cleanAll(c, g.GrantedScopes())
	}
	fix := "ask for okta.logs.read alone (`scopes`), and revoke the other grants on the app's Okta API Scopes tab"
	if len(granted) == 0 {
		c.r.add(CheckReach, Skip, "Okta's token answer named no granted scope", "")
	} else {
		var extra []string
		for _, s := range granted {
			if s != oauth.DefaultScope {
				extra = append(extra, s)
			}
		}
		if len(extra) > 0 {
			c.r.add(CheckReach, Warn, fmt.Sprintf("%s the app was granted scopes beyond %s: %s", PrivilegePrefix, oauth.DefaultScope, listed(extra, maxRolesShown)), fix)
			c.r.Results[len(c.r.Results)-1].OverPrivileged = true
		} else {
			c.r.add(CheckReach, OK, "the app's access token was granted "+oauth.DefaultScope+" alone (Okta names the scopes asked for; others granted on the app's Okta API Scopes tab are not shown)", "")
		}
	}
	var roles []roleAssignment
	err := c.get(ctx, okta.ClientRolesPath(c.o.OAuth.ClientID), nil, &roles)
	var ae *okta.APIError
	switch {
	case errors.As(err, &ae) && ae.StatusCode == http.StatusForbidden:
		c.r.add(CheckReach, Skip, "the app's admin roles cannot be read with its scopes (they need okta.roles.read, not worth granting for this): check them on the app's Admin roles tab; Read-only Administrator is all it needs", "")
	case err != nil:
		c.r.add(CheckReach, Warn, "cannot read the app's admin roles: "+c.errText(err), "check them on the app's Admin roles tab: Read-only Administrator is all it needs")
	default:
		c.roles("the app", "the app "+c.o.OAuth.ClientID, roles,
			"give the app the Read-only Administrator role alone (its Admin roles tab), and revoke the others")
	}
}

// get makes the management call path (with query) with the credential and decodes the JSON answer into v.
func (c *checker) get(ctx context.Context, path string, query url.Values, v any) error {
	page, err := c.s.client.Inspect(ctx, path, query)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(page.Body), v); err != nil {
		return fmt.Errorf("the answer is not what Okta sends (it begins %q)", c.r.red.Clean(page.Body, 80))
	}
	return nil
}

// errText says what a management call's failure was, without the fix meant for reading the System Log.
func (c *checker) errText(err error) string {
	var ae *okta.APIError
	if errors.As(err, &ae) {
		return ae.Problem()
	}
	return c.r.red.Clean(err.Error(), okta.MaxServerText)
}

// clean is a server string as a field of a line: redacted and cut.
func (c *checker) clean(s string) string { return c.r.red.Clean(s, maxField) }

func cleanAll(c *checker, list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = c.clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listed joins items with ", ", at most n of them and how many more.
func listed(items []string, n int) string {
	if len(items) > n {
		return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
	}
	return strings.Join(items, ", ")
}
