package oktacheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// reachResults are the texts of the reach check's results, with their fixes.
func reachResults(r *Report) []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Check == CheckReach {
			out = append(out, res)
		}
	}
	return out
}

// wantReach asserts that one reach result has status s and holds every fragment.
func wantReach(t *testing.T, r *Report, s Status, fragments ...string) Result {
	t.Helper()
	for _, res := range reachResults(r) {
		all := res.Text + " fix: " + res.Fix
		found := true
		for _, f := range fragments {
			found = found && strings.Contains(all, f)
		}
		if found {
			if res.Status != s {
				t.Errorf("reach %q: status %s, want %s", res.Text, res.Status, s)
			}
			return res
		}
	}
	t.Fatalf("no reach result holds %q: %+v", fragments, reachResults(r))
	return Result{}
}

func admin(roles ...string) *oktasim.Admin {
	return &oktasim.Admin{ID: "00uopsadmin000000001", Login: "ops@example.com", Status: "ACTIVE", Roles: roles,
		Tokens: []oktasim.APITokenInfo{{ID: "00Topsadmintoken0001", Name: "siem", Connection: "ANYWHERE"}}}
}

func TestOverPrivilegedTokenIsWarnedWithTheFix(t *testing.T) {
	for _, role := range []string{"SUPER_ADMIN", "ORG_ADMIN", "APP_ADMIN", "USER_ADMIN", "HELP_DESK_ADMIN"} {
		t.Run(role, func(t *testing.T) {
			_, srv := newSim(t, oktasim.Options{Admin: admin("READ_ONLY_ADMIN", role)})
			r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
			wantWorks(t, r, out, true) // the exit status stays about collection
			res := wantReach(t, r, Warn, PrivilegePrefix+" the token can do more than read the System Log", "ops@example.com", role,
				"fix: create the token as a read-only administrator service account that will not be deactivated")
			if !res.OverPrivileged || !r.OverPrivileged() {
				t.Error("the result is not marked over-privileged")
			}
			if !strings.Contains(out, "warn  reach       "+PrivilegePrefix) {
				t.Errorf("no line a script can find with %q", PrivilegePrefix)
			}
			wantReach(t, r, OK, "the token's id is 00Topsadmintoken0001", "`api_token_id: 00Topsadmintoken0001`")
		})
	}
}

func TestReadOnlyTokenIsNotWarned(t *testing.T) {
	for name, roles := range map[string][]string{"read-only": {"READ_ONLY_ADMIN"}, "report admin": {"REPORT_ADMIN", "READ_ONLY_ADMIN"}} {
		t.Run(name, func(t *testing.T) {
			_, srv := newSim(t, oktasim.Options{Admin: admin(roles...)})
			r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
			wantWorks(t, r, out, true)
			if r.OverPrivileged() || strings.Contains(out, PrivilegePrefix) {
				t.Errorf("a read-only token was warned:\n%s", out)
			}
			for _, res := range reachResults(r) {
				if res.Status != OK {
					t.Errorf("reach %s: %s", res.Status, res.Text)
				}
			}
			wantReach(t, r, OK, "the token is ops@example.com's (user 00uopsadmin000000001, ACTIVE)")
			wantReach(t, r, OK, "admin roles: "+strings.Join(roles, ", "), "change nothing")
		})
	}
}

func TestTokenReachEdges(t *testing.T) {
	t.Run("a custom role", func(t *testing.T) {
		_, srv := newSim(t, oktasim.Options{Admin: admin("CUSTOM")})
		r, _ := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
		wantReach(t, r, Warn, "custom admin role", "only views")
		if r.OverPrivileged() {
			t.Error("a custom role, whose permissions are unknown, counted as over-privileged")
		}
	})
	t.Run("a suspended user", func(t *testing.T) {
		a := admin("READ_ONLY_ADMIN")
		a.Status = "SUSPENDED"
		_, srv := newSim(t, oktasim.Options{Admin: a})
		r, _ := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
		wantReach(t, r, Warn, "SUSPENDED", "a token stops working when its user is deactivated", "will not be deactivated")
	})
	t.Run("tokens not listed", func(t *testing.T) {
		a := admin("READ_ONLY_ADMIN")
		a.TokensForbidden = true
		_, srv := newSim(t, oktasim.Options{Admin: a})
		r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
		wantWorks(t, r, out, true)
		wantReach(t, r, Skip, "does not list the API tokens", "HTTP 403 E0000006", "Security > API > Tokens")
	})
	t.Run("several tokens", func(t *testing.T) {
		a := admin("READ_ONLY_ADMIN")
		a.Tokens = append(a.Tokens, oktasim.APITokenInfo{ID: "00Topsadmintoken0002", Name: "scripts", Connection: "ZONE", Include: []string{"nzoegress"}},
			oktasim.APITokenInfo{ID: "not-an-id", Name: "odd"})
		_, srv := newSim(t, oktasim.Options{Admin: a})
		r, _ := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
		res := wantReach(t, r, OK, "this user has 2 API tokens", "00Topsadmintoken0001", "00Topsadmintoken0002", "zones nzoegress")
		if strings.Contains(res.Text, "not-an-id") {
			t.Errorf("an id Okta never issues was shown: %s", res.Text)
		}
	})
}

// A hostile org's answers to the management calls end up as bounded, redacted lines, never as a failure.
func TestReachOfAHostileOrg(t *testing.T) {
	sim, err := oktasim.New(oktasim.Options{Token: simToken})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", sim)
	mux.HandleFunc("/api/v1/users/me", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"00uevil","status":"ACTIVE","profile":{"login":"` + simToken + strings.Repeat("x", 5000) + `"}}`))
	})
	mux.HandleFunc("/api/v1/users/00uevil/roles", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var b strings.Builder
		b.WriteString(`[`)
		for i := range 500 {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"type":"ROLE_` + strings.Repeat("A", i%50) + `","status":"ACTIVE"}`)
		}
		b.WriteString(`]`)
		_, _ = w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/api/v1/api-tokens", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"not":"a list"}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
	wantWorks(t, r, out, true)
	if strings.Contains(out, simToken) {
		t.Error("the token was printed")
	}
	res := wantReach(t, r, Warn, PrivilegePrefix, "and 40 more")
	if len(res.Text) > 2000 {
		t.Errorf("the roles line is %d bytes long", len(res.Text))
	}
	wantReach(t, r, Skip, "does not list the API tokens", "not what Okta sends")
}

// oauthAppSim registers an app granted scopes and roles, and returns the org and the key file.
func oauthAppSim(t *testing.T, scopes, roles []string) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, srv := newSim(t, oktasim.Options{OAuth: &oktasim.OAuthApp{ClientID: "0oacheck", PublicKey: &key.PublicKey, Scopes: scopes, Roles: roles}})
	return srv.URL, writeKey(t, key)
}

func TestOAuthAppReach(t *testing.T) {
	t.Run("okta.logs.read alone", func(t *testing.T) {
		org, keyFile := oauthAppSim(t, nil, []string{"SUPER_ADMIN"})
		r, out := check(t, Options{Endpoint: org, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile}})
		wantWorks(t, r, out, true)
		wantReach(t, r, OK, "granted okta.logs.read alone")
		wantReach(t, r, Skip, "need okta.roles.read", "Admin roles tab")
		if r.OverPrivileged() {
			t.Errorf("warned without knowing:\n%s", out)
		}
	})
	t.Run("an extra scope", func(t *testing.T) {
		org, keyFile := oauthAppSim(t, []string{"okta.logs.read", "okta.users.manage"}, nil)
		r, out := check(t, Options{Endpoint: org, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile,
			Scopes: []string{"okta.logs.read", "okta.users.manage"}}})
		wantWorks(t, r, out, true)
		res := wantReach(t, r, Warn, PrivilegePrefix+" the app was granted scopes beyond okta.logs.read: okta.users.manage",
			"fix: ask for okta.logs.read alone (`scopes`)")
		if !res.OverPrivileged {
			t.Error("not marked over-privileged")
		}
	})
	t.Run("readable roles", func(t *testing.T) {
		org, keyFile := oauthAppSim(t, []string{"okta.logs.read", "okta.roles.read"}, []string{"ORG_ADMIN"})
		r, _ := check(t, Options{Endpoint: org, OAuth: &oauth.Config{ClientID: "0oacheck", PrivateKeyFile: keyFile,
			Scopes: []string{"okta.logs.read", "okta.roles.read"}}})
		wantReach(t, r, Warn, PrivilegePrefix+" the app can do more than read the System Log", "ORG_ADMIN", "Read-only Administrator role alone")
	})
}

func TestNetworkZoneRefusalExplained(t *testing.T) {
	sim, srv := newSim(t, oktasim.Options{Faults: oktasim.Faults{NetworkZoneAddress: "198.51.100.23"}})
	sim.ForceNext(1, oktasim.FaultNetworkZone)
	r, out := check(t, Options{Endpoint: srv.URL, APIToken: simToken})
	wantWorks(t, r, out, false)
	want(t, r, CheckCredential, Fail, "for where the request came from", "HTTP 403 E0000006",
		"fix: Okta refused the credential for its network zone: the address Okta saw, 198.51.100.23,",
		"allow the collector's egress addresses in the token's network zone")
	if _, ok := r.Result(CheckLogAccess); ok {
		t.Error("a network-zone refusal was reported as a lack of log access")
	}
}
