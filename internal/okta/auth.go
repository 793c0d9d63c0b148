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
