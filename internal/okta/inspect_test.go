package okta

import (
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectMakesOnlyTheManagementCalls(t *testing.T) {
	var asked atomic.Int64
	var lastPath, lastAuth atomic.Value
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		lastPath.Store(r.URL.RequestURI())
		lastAuth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		// A next link off the System Log API: an inspect answer's links are never followed nor refused.
		w.Header().Add("Link", `<http://elsewhere.example.com/api/v1/api-tokens?after=x>; rel="next"`)
		_, _ = w.Write([]byte(`[]`))
	}, 0)
	for _, path := range []string{MePath, APITokensPath, UserRolesPath("00u1abcDEF"), ClientRolesPath("0oa1abcDEF")} {
		page, err := c.Inspect(context.Background(), path, url.Values{"limit": {"200"}})
		require.NoError(t, err, path)
		assert.Empty(t, page.Next)
		assert.Equal(t, path+"?limit=200", lastPath.Load())
		assert.Equal(t, "SSWS "+secret, lastAuth.Load())
	}
	require.Equal(t, int64(4), asked.Load())
	for _, path := range []string{"/api/v1/users", "/api/v1/users/00u1/../../groups/roles", UserRolesPath("00u1/lifecycle"), UserRolesPath(""),
		"/api/v1/users/me/", "/api/v1/groups", ClientRolesPath("0oa1%2F..")} {
		_, err := c.Inspect(context.Background(), path, nil)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), "not one of the management calls")
	}
	assert.Equal(t, int64(4), asked.Load(), "no refused path was asked for")
}

func TestOnInspectPath(t *testing.T) {
	org, _ := url.Parse("https://example.okta.com")
	for raw, want := range map[string]bool{
		"https://example.okta.com/api/v1/users/me":                    true,
		"https://example.okta.com:443/api/v1/api-tokens?limit=200":    true,
		"https://example.okta.com/api/v1/users/00u1/roles":            true,
		"https://example.okta.com/oauth2/v1/clients/0oa1/roles":       true,
		"https://other.okta.com/api/v1/users/me":                      false,
		"http://example.okta.com/api/v1/users/me":                     false,
		"https://example.okta.com/api/v1/users/00u1/roles/x":          false,
		"https://example.okta.com/api/v1/users/%30%30u1/roles":        false,
		"https://user@example.okta.com/api/v1/users/me":               false,
		"https://example.okta.com/api/v1/users/me#x":                  false,
		"https://example.okta.com/api/v1/logs":                        false,
		"https://example.okta.com/api/v1/api-tokens/00T1234567890123": false,
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		assert.Equal(t, want, OnInspectPath(u, org), raw)
	}
}
