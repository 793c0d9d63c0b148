package okta

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fetchRefusal serves one Okta error answer and returns the client's error for it.
func fetchRefusal(t *testing.T, status int, body string) *APIError {
	t.Helper()
	c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}, 0)
	_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, err.Error(), secret)
	return ae
}

func TestNetworkZoneRefusalIsExplained(t *testing.T) {
	for _, tt := range []struct {
		name, body, addr string
	}{
		{"address in a cause", `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action",` +
			`"errorCauses":[{"errorSummary":"The request from 203.0.113.7 is outside the network zones allowed for this API token."}]}`, "203.0.113.7"},
		{"IPv6 address and port in the summary", `{"errorCode":"E0000006","errorSummary":"Forbidden by network zone: [2001:db8::5]:443"}`, "2001:db8::5"},
		{"no address", `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[{"errorSummary":"API token is restricted by a network restriction"}]}`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status := http.StatusForbidden
			if tt.addr == "" {
				status = http.StatusUnauthorized
			}
			ae := fetchRefusal(t, status, tt.body)
			assert.True(t, ae.NetworkZone())
			assert.False(t, ae.UserInactive())
			assert.Equal(t, tt.addr, ae.EgressAddress())
			assert.True(t, ae.Permanent())
			hint := ae.Hint()
			assert.Contains(t, hint, "allow the collector's egress addresses in the token's network zone")
			assert.Contains(t, hint, "docs/security.md")
			if tt.addr != "" {
				assert.Contains(t, hint, "the address Okta saw, "+tt.addr)
			} else {
				assert.Contains(t, hint, "this collector's egress address")
			}
			assert.Contains(t, ae.Error(), hint)
		})
	}
}

func TestDeactivatedAdminIsNamed(t *testing.T) {
	for _, body := range []string{
		`{"errorCode":"E0000038","errorSummary":"This operation is not allowed in the user's current status."}`,
		`{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[{"errorSummary":"The token's user is deactivated"}]}`,
	} {
		ae := fetchRefusal(t, http.StatusUnauthorized, body)
		assert.True(t, ae.UserInactive(), body)
		assert.False(t, ae.NetworkZone(), body)
		assert.Contains(t, ae.Hint(), "admin user is deactivated or suspended")
		assert.Contains(t, ae.Hint(), "read-only administrator service account that will not be deactivated")
	}
}

func TestOrdinaryRefusalKeepsTheCredentialHint(t *testing.T) {
	ae := fetchRefusal(t, http.StatusForbidden, `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}`)
	assert.False(t, ae.NetworkZone())
	assert.False(t, ae.UserInactive())
	assert.Empty(t, ae.EgressAddress())
	assert.Contains(t, ae.Hint(), "Read-only Administrator")
	// An answer that is not a refusal says nothing of zones, whatever its words.
	ae = fetchRefusal(t, http.StatusBadRequest, `{"errorCode":"E0000001","errorSummary":"outside the allowed range: 10.0.0.1"}`)
	assert.False(t, ae.NetworkZone())
	assert.Contains(t, ae.Hint(), "check `filter`")
}
