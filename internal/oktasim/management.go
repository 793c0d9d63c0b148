package oktasim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// The management API calls oktacheck makes to tell what a credential may do, answered as Okta does:
//
//	GET /api/v1/users/me                      the API token's user (id, status, profile.login)
//	GET /api/v1/users/{id}/roles              that user's admin role assignments
//	GET /api/v1/api-tokens                    the metadata of the active API tokens (id 00T…, name, userId, network)
//	GET /oauth2/v1/clients/{clientId}/roles   an OAuth service app's admin role assignments (needs okta.roles.read)
//
// They answer an SSWS token (Options.Token) as Options.Admin's, and an OAuth access token as the app's; they
// are outside the System Log's rate limit, whose bucket is its own at Okta, and get no faults.

// Admin is the admin user the simulated API token was issued for (Options.Admin).
type Admin struct {
	// ID is the user's id (00u…); Login its profile.login; Status its status (ACTIVE, SUSPENDED, …).
	ID, Login, Status string
	// Roles are the types of its active admin role assignments, e.g. READ_ONLY_ADMIN, SUPER_ADMIN.
	Roles []string
	// Tokens are the API tokens listed by GET /api/v1/api-tokens (the first is the one Options.Token is).
	Tokens []APITokenInfo
	// TokensForbidden answers GET /api/v1/api-tokens with 403, as for an admin who may not list tokens.
	TokensForbidden bool
}

// APITokenInfo is an API token's metadata, as GET /api/v1/api-tokens lists it.
type APITokenInfo struct {
	// ID is the token's id (00T…); Name its name.
	ID, Name string
	// Connection is its network condition: ANYWHERE (the default), ZONE, or ANY_IP… as Okta names them;
	// Include lists the zones it may be used from.
	Connection string
	Include    []string
}

// DefaultAdmin is the admin of a simulator without Options.Admin: a read-only administrator service
// account, the least privilege that reads the System Log.
func DefaultAdmin() *Admin {
	return &Admin{ID: "00usimcollector00001", Login: "okta-collector@example.com", Status: "ACTIVE",
		Roles:  []string{"READ_ONLY_ADMIN"},
		Tokens: []APITokenInfo{{ID: "00Tsimcollector00001", Name: "System Log collector", Connection: "ANYWHERE"}}}
}

// Paths of the management API.
const (
	usersPrefix   = "/api/v1/users/"
	apiTokensPath = "/api/v1/api-tokens"
	clientsPrefix = "/oauth2/v1/clients/"
)

// isManagement tells whether path is one of the management calls.
func isManagement(path string) bool {
	return strings.HasPrefix(path, usersPrefix) || path == apiTokensPath || strings.HasPrefix(path, clientsPrefix)
}

// serveManagement answers a management call; rh are the headers of the answer (the System Log's window is
// not spent by it).
func (s *Sim) serveManagement(w http.ResponseWriter, r *http.Request, rh rateHeaders) {
	if r.Method != http.MethodGet {
		s.writeError(w, errBadMethod, rh)
		return
	}
	admin := s.opts.Admin
	if admin == nil {
		admin = DefaultAdmin()
	}
	sswsOK := s.opts.Token != "" && r.Header.Get("Authorization") == "SSWS "+s.opts.Token
	if s.opts.Token == "" && s.opts.oauth == nil && s.opts.Authorize == nil {
		sswsOK = true // an unauthenticated simulator
	}
	path := r.URL.Path
	if strings.HasPrefix(path, clientsPrefix) {
		s.serveClientRoles(w, r, rh, strings.TrimPrefix(path, clientsPrefix))
		return
	}
	if !sswsOK {
		if s.opts.oauth != nil && s.opts.oauth.authorizeAPI(w, r, s.bases(r)) {
			// A service app has no user: Okta answers /users/me of an access token without a user so.
			s.writeError(w, &apiError{status: http.StatusNotFound, code: codeNotFound, summary: "Not found: Resource not found: me (User)"}, rh)
			return
		}
		s.writeError(w, errInvalidToken, rh)
		return
	}
	switch {
	case path == usersPrefix+"me":
		s.writeValue(w, map[string]any{"id": admin.ID, "status": admin.Status,
			"profile": map[string]string{"login": admin.Login, "email": admin.Login}}, rh)
	case path == usersPrefix+admin.ID+"/roles":
		s.writeValue(w, roleAssignments(admin.Roles, "USER"), rh)
	case path == apiTokensPath && admin.TokensForbidden:
		s.writeError(w, errForbidden, rh)
	case path == apiTokensPath:
		list := make([]map[string]any, 0, len(admin.Tokens))
		for _, t := range admin.Tokens {
			conn := t.Connection
			if conn == "" {
				conn = "ANYWHERE"
			}
			network := map[string]any{"connection": conn}
			if len(t.Include) > 0 {
				network["include"] = t.Include
			}
			list = append(list, map[string]any{"id": t.ID, "name": t.Name, "userId": admin.ID, "clientName": "Okta API",
				"tokenWindow": "P30D", "network": network})
		}
		s.writeValue(w, list, rh)
	default:
		s.writeError(w, &apiError{status: http.StatusNotFound, code: codeNotFound, summary: "Not found: Resource not found: " + path + " (User)"}, rh)
	}
}

// serveClientRoles answers GET /oauth2/v1/clients/{clientId}/roles with the app's role assignments, for an
// access token of that app granted okta.roles.read; 403 E0000006 for one without it.
func (s *Sim) serveClientRoles(w http.ResponseWriter, r *http.Request, rh rateHeaders, rest string) {
	o := s.opts.oauth
	if o == nil || !o.authorizeAPI(w, r, s.bases(r)) {
		s.writeError(w, errInvalidToken, rh)
		return
	}
	clientID, ok := strings.CutSuffix(rest, "/roles")
	if !ok || clientID != o.app.ClientID {
		s.writeError(w, &apiError{status: http.StatusNotFound, code: codeNotFound, summary: "Not found: Resource not found: " + clientID + " (Client)"}, rh)
		return
	}
	_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !o.granted(token, "okta.roles.read") {
		s.writeError(w, errForbidden, rh)
		return
	}
	s.writeValue(w, roleAssignments(o.app.Roles, "CLIENT"), rh)
}

// roleAssignments renders role types as Okta's role assignment objects.
func roleAssignments(types []string, assignment string) []map[string]any {
	out := make([]map[string]any, 0, len(types))
	for i, t := range types {
		out = append(out, map[string]any{"id": "ra" + t + strconv.Itoa(i), "type": t, "label": t,
			"status": "ACTIVE", "assignmentType": assignment})
	}
	return out
}

func (s *Sim) writeValue(w http.ResponseWriter, v any, rh rateHeaders) {
	body, err := json.Marshal(v)
	if err != nil {
		s.writeError(w, errTimeout, rh)
		return
	}
	s.writeJSON(w, http.StatusOK, body, rh)
}
