package oauth

// UnauthorizedHint is the fix when the System Log API refuses the service app's access token even after a
// fresh one was fetched.
func (a *Authorizer) UnauthorizedHint() string {
	return "Okta refused the service app's access token: check that the app's `dpop` setting matches its \"Require Demonstrating Proof of Possession\" setting in the Okta admin console, and that the app is active"
}

// ForbiddenHint is the fix when the service app may not read the System Log.
func (a *Authorizer) ForbiddenHint() string {
	return "the service app may not read the System Log: grant it the okta.logs.read scope (Okta API Scopes tab) and assign it an admin role that can read the System Log (e.g. Read-only Administrator)"
}
