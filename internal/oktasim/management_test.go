package oktasim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func decodeJSON[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("answer %d %s: %v", r.status, r.body, err)
	}
	return v
}

func TestManagementAnswersTheTokensAdmin(t *testing.T) {
	admin := &Admin{ID: "00uadmin000000000001", Login: "ops@example.com", Status: "ACTIVE", Roles: []string{"SUPER_ADMIN", "READ_ONLY_ADMIN"},
		Tokens: []APITokenInfo{{ID: "00Tcollector00000001", Name: "collector", Connection: "ZONE", Include: []string{"nzo1"}}}}
	f := newFixture(t, Options{Admin: admin, RateLimit: 1})

	me := decodeJSON[struct {
		ID, Status string
		Profile    struct{ Login string }
	}](t, f.get(t, f.srv.URL+"/api/v1/users/me"))
	if me.ID != admin.ID || me.Status != "ACTIVE" || me.Profile.Login != "ops@example.com" {
		t.Errorf("users/me = %+v", me)
	}
	roles := decodeJSON[[]struct{ Type, Status, AssignmentType string }](t, f.get(t, f.srv.URL+"/api/v1/users/"+admin.ID+"/roles"))
	if len(roles) != 2 || roles[0].Type != "SUPER_ADMIN" || roles[1].Type != "READ_ONLY_ADMIN" || roles[0].Status != "ACTIVE" || roles[0].AssignmentType != "USER" {
		t.Errorf("roles = %+v", roles)
	}
	tokens := decodeJSON[[]struct {
		ID      string `json:"id"`
		UserID  string `json:"userId"`
		Network struct {
			Connection string
			Include    []string
		}
	}](t, f.get(t, f.srv.URL+"/api/v1/api-tokens"))
	if len(tokens) != 1 || tokens[0].ID != "00Tcollector00000001" || tokens[0].UserID != admin.ID || tokens[0].Network.Connection != "ZONE" || tokens[0].Network.Include[0] != "nzo1" {
		t.Errorf("api-tokens = %+v", tokens)
	}
	// None of it spent the System Log's window of one request.
	if r := f.logs(t); r.status != http.StatusOK {
		t.Errorf("the logs request after the management calls: %d %s", r.status, r.body)
	}
	if r := f.get(t, f.srv.URL+"/api/v1/users/someoneelse/roles"); r.status != http.StatusNotFound {
		t.Errorf("another user's roles: %d", r.status)
	}
	if r := do(t, f.srv.URL+"/api/v1/users/me", "SSWS wrong"); r.status != http.StatusUnauthorized || oktaError(t, r).ErrorCode != codeInvalidTok {
		t.Errorf("users/me with a wrong token: %d %s", r.status, r.body)
	}
}

func TestManagementDefaultsToAReadOnlyAdmin(t *testing.T) {
	f := newFixture(t, Options{})
	roles := decodeJSON[[]struct{ Type string }](t, f.get(t, f.srv.URL+"/api/v1/users/"+DefaultAdmin().ID+"/roles"))
	if len(roles) != 1 || roles[0].Type != "READ_ONLY_ADMIN" {
		t.Errorf("roles = %+v", roles)
	}
	f = newFixture(t, Options{Admin: &Admin{ID: "00u1", TokensForbidden: true}})
	if r := f.get(t, f.srv.URL+"/api/v1/api-tokens"); r.status != http.StatusForbidden || oktaError(t, r).ErrorCode != codeForbidden {
		t.Errorf("api-tokens forbidden: %d %s", r.status, r.body)
	}
}

func TestClientRolesNeedTheRolesScope(t *testing.T) {
	f := newOAuthFixture(t, OAuthApp{Scopes: []string{"okta.logs.read", "okta.roles.read"}, Roles: []string{"ORG_ADMIN"}})
	rolesURL := f.srv.URL + "/oauth2/v1/clients/" + testClientID + "/roles"
	logsOnly := decodeToken(t, f.postToken(t, grantForm(f.assertion(t)), ""))
	if r := do(t, rolesURL, "Bearer "+logsOnly.AccessToken); r.status != http.StatusForbidden {
		t.Errorf("roles with okta.logs.read alone: %d %s", r.status, r.body)
	}
	form := grantForm(f.assertion(t))
	form.Set("scope", "okta.logs.read okta.roles.read")
	both := decodeToken(t, f.postToken(t, form, ""))
	r := do(t, rolesURL, "Bearer "+both.AccessToken)
	roles := decodeJSON[[]struct{ Type, AssignmentType string }](t, r)
	if r.status != http.StatusOK || len(roles) != 1 || roles[0].Type != "ORG_ADMIN" || roles[0].AssignmentType != "CLIENT" {
		t.Errorf("roles with okta.roles.read: %d %s", r.status, r.body)
	}
	if r := do(t, f.srv.URL+"/api/v1/users/me", "Bearer "+both.AccessToken); r.status != http.StatusNotFound {
		t.Errorf("users/me of a service app: %d %s", r.status, r.body)
	}
}

func TestNetworkZoneFault(t *testing.T) {
	f := newFixture(t, Options{Faults: Faults{Next: []FaultKind{FaultNetworkZone, FaultNetworkZone}, NetworkZoneAddress: "198.51.100.23"}})
	r := f.logs(t)
	e := oktaError(t, r)
	if r.status != http.StatusForbidden || e.ErrorCode != codeForbidden || len(e.ErrorCauses) != 1 ||
		!strings.Contains(e.ErrorCauses[0].ErrorSummary, "198.51.100.23") || !strings.Contains(e.ErrorCauses[0].ErrorSummary, "network zones") {
		t.Errorf("network-zone fault: %d %s", r.status, r.body)
	}
	if err := f.sim.SetFaults(Faults{Next: []FaultKind{FaultNetworkZone}}); err != nil {
		t.Fatal(err)
	}
	if e := oktaError(t, f.logs(t)); !strings.Contains(e.ErrorCauses[0].ErrorSummary, DefaultNetworkZoneAddress) {
		t.Errorf("default address: %+v", e)
	}
	if f.sim.Stats().Faults[FaultNetworkZone] != 2 {
		t.Errorf("faults %v", f.sim.Stats().Faults)
	}
}
