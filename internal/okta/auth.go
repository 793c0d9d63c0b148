package okta

import (
	"errors"
	"net/http"

	"go.opentelemetry.io/collector/config/configopaque"
)

// APIToken authorizes requests with an Okta API token: `Authorization: SSWS <token>`.
type APIToken struct {
	Token configopaque.String
}

// Authorize sets the SSWS header.
func (a APIToken) Authorize(req *http.Request) error {
	if a.Token == "" {
		return errors.New("no API token configured: set `api_token`")
	}
	req.Header.Set("Authorization", "SSWS "+string(a.Token))
	return nil
}

// Rejected returns false: a fixed token that Okta refused is refused again.
func (APIToken) Rejected(*http.Response) bool { return false }

// UnauthorizedHint is the fix for a refused API token.
func (APIToken) UnauthorizedHint() string {
	return "the API token is invalid, expired or revoked: create a new token in the Okta admin console (Security > API > Tokens) and update `api_token`"
}

// ForbiddenHint is the fix for a token whose admin may not read the System Log.
func (APIToken) ForbiddenHint() string { return forbiddenTokenHint }

const forbiddenTokenHint = "the token's admin may not read the System Log: use a token of an admin with a role that can read it (e.g. Read-only Administrator)"
