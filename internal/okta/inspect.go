package okta

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// The credential goes to the System Log API and nowhere else, with one exception: oktacheck asks Okta what
// the credential may do besides (whose token it is, its admin roles, the token's id, an OAuth app's roles).
// Those calls are GETs of the few fixed paths below, built from the org's origin and an id, never from a
// link of an answer; an answer's links are not followed, and a redirect off the System Log API is refused
// as for any request of the client.

// The fixed paths of the management calls.
const (
	// MePath answers the API token's user.
	MePath = "/api/v1/users/me"
	// APITokensPath lists the metadata of the org's active API tokens: their ids (00T…), names and users.
	APITokensPath = "/api/v1/api-tokens" //nolint:gosec // a path of Okta's API, not a credential
)

// maxInspectID bounds an id put in an inspect path: Okta's are about 20 characters.
const maxInspectID = 64

// UserRolesPath is the path of the admin role assignments of the user id.
func UserRolesPath(id string) string { return "/api/v1/users/" + id + "/roles" }

// ClientRolesPath is the path of the admin role assignments of the OAuth app clientID.
func ClientRolesPath(clientID string) string { return "/oauth2/v1/clients/" + clientID + "/roles" }

// Inspect makes one of the read-only management calls above (path, with query) with the credential and
// returns its answer as a Page without a next link. Any other path is refused before a credential is
// attached.
func (c *Client) Inspect(ctx context.Context, path string, query url.Values) (*Page, error) {
	if !inspectable(path) {
		return nil, fmt.Errorf("refused to send the credential to %q: not one of the management calls oktacheck makes", c.redactor.Clean(path, MaxServerWord))
	}
	u := *c.org
	u.Path, u.RawQuery = path, query.Encode()
	return c.get(ctx, &u, nil, false)
}

// OnInspectPath reports whether u is one of the management calls on the org's origin: the only URLs besides
// the System Log API's (OnSystemLog) that may be sent the credential. Like OnSystemLog it compares the path
// as it is sent, and refuses user information and fragments.
func OnInspectPath(u, org *url.URL) bool {
	return SameOrigin(u, org) && u.Opaque == "" && u.User == nil && u.Fragment == "" && u.RawFragment == "" &&
		u.EscapedPath() == u.Path && inspectable(u.Path)
}

// inspectable tells whether path is one of the management calls: a fixed path, or a roles path of an id
// of letters and digits.
func inspectable(path string) bool {
	switch path {
	case MePath, APITokensPath:
		return true
	}
	for _, prefix := range []string{"/api/v1/users/", "/oauth2/v1/clients/"} {
		if id, ok := strings.CutPrefix(path, prefix); ok {
			id, ok = strings.CutSuffix(id, "/roles")
			return ok && isID(id)
		}
	}
	return false
}

// isID tells whether s can be an Okta id or client ID: 1 to maxInspectID letters and digits.
func isID(s string) bool {
	if s == "" || len(s) > maxInspectID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !('0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z') {
			return false
		}
	}
	return true
}
