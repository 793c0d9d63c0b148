package okta

import (
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/collector/config/configopaque"
)

// maxAPITokenLen bounds an API token: Okta's are 42 characters; anything far longer is not a token.
const maxAPITokenLen = 4096

// APIToken authorizes requests with an Okta API token: `Authorization: SSWS <token>`.
type APIToken struct {
	Token configopaque.String
}

// Authorize sets the SSWS header.
func (a APIToken) Authorize(req *http.Request) error {
	if a.Token == "" {
		return &CredentialError{Key: "api_token", Problem: "no API token configured", Fix: "set `api_token`"}
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

// APITokenProblem says why token (already trimmed of surrounding whitespace) cannot be sent as an API
// token in an HTTP header; "" when it can. It never quotes the token.
func APITokenProblem(token string) string {
	if token == "" {
		return "is empty"
	}
	if len(token) > maxAPITokenLen {
		return fmt.Sprintf("is %d bytes long; an Okta API token is about 42 characters (is it the right value?)", len(token))
	}
	return headerValueProblem(token)
}

// headerValueProblem says why s cannot be one credential in an HTTP header: it holds whitespace, a
// control character or a character outside ASCII. "" when it can.
func headerValueProblem(s string) string {
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r':
			return fmt.Sprintf("has a line break inside it (at byte %d): it must be one line, the token alone", i)
		case r == ' ' || r == '\t':
			return fmt.Sprintf("has whitespace inside it (at byte %d): copy the token alone, without spaces", i)
		case r < 0x20 || r == 0x7f:
			return fmt.Sprintf("has a control character inside it (at byte %d): copy the token alone", i)
		case r > 0x7e:
			return fmt.Sprintf("has a character outside ASCII inside it (at byte %d), which a token never has: copy it again from Okta", i)
		}
	}
	return ""
}

// CredentialError is a configured credential that cannot be used as it is: a missing or unreadable token
// file, a token that cannot be sent. Only a change of the credential fixes it.
type CredentialError struct {
	// Key is the configuration key, e.g. "api_token_file".
	Key string
	// Problem says what is wrong; Fix what to do. Neither holds the credential.
	Problem string
	Fix     string
	Err     error
}

func (e *CredentialError) Error() string {
	msg := e.What()
	if e.Fix != "" {
		msg += "; " + e.Fix
	}
	return msg
}

// What says which key is wrong and how, without the fix (the field Problem is taken by the problem alone).
func (e *CredentialError) What() string {
	msg := "`" + e.Key + "` " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *CredentialError) Unwrap() error { return e.Err }

// Hint is what to change.
func (e *CredentialError) Hint() string { return e.Fix }

// Permanent is true: only a change of the credential fixes it.
func (e *CredentialError) Permanent() bool { return true }

// trimmedToken trims surrounding whitespace off a token read from a file and checks what is left.
func trimmedToken(raw []byte) (string, string) {
	token := strings.TrimSpace(string(raw))
	return token, APITokenProblem(token)
}
