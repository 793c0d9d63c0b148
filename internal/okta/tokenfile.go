package okta

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// TokenFile authorizes requests with an API token read from a file. The file is read again when it changes
// and when Okta answers 401, so a rotated token is picked up without a restart.
type TokenFile struct {
	path string

	mu      sync.Mutex
	token   string
	modTime time.Time
	size    int64
}

// NewTokenFile reads the token once, so that a missing or empty file stops the collector at startup.
func NewTokenFile(path string) (*TokenFile, error) {
	t := &TokenFile{path: path}
	if _, err := t.reload(); err != nil {
		return nil, err
	}
	return t, nil
}

// Authorize sets the SSWS header with the file's current token.
func (t *TokenFile) Authorize(req *http.Request) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fi, err := os.Stat(t.path); err == nil && (!fi.ModTime().Equal(t.modTime) || fi.Size() != t.size) {
		if _, err := t.reloadLocked(); err != nil {
			return err
		}
	}
	req.Header.Set("Authorization", "SSWS "+t.token)
	return nil
}

// Rejected reads the file again; a retry is worth it only when the token changed.
func (t *TokenFile) Rejected(*http.Response) bool {
	changed, err := t.reload()
	return err == nil && changed
}

func (t *TokenFile) reload() (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reloadLocked()
}

func (t *TokenFile) reloadLocked() (changed bool, err error) {
	fi, err := os.Stat(t.path)
	if err != nil {
		return false, fmt.Errorf("`api_token_file`: %w", err)
	}
	b, err := os.ReadFile(t.path)
	if err != nil {
		return false, fmt.Errorf("`api_token_file`: %w", err)
	}
	token := string(bytes.TrimSpace(b))
	if token == "" {
		return false, errors.New("`api_token_file` " + t.path + " is empty: write the Okta API token into it")
	}
	if bytes.ContainsAny([]byte(token), "\r\n") {
		return false, errors.New("`api_token_file` " + t.path + " holds more than one line: it must hold the API token alone")
	}
	changed = token != t.token
	t.token, t.modTime, t.size = token, fi.ModTime(), fi.Size()
	return changed, nil
}

// UnauthorizedHint is the fix for a refused token read from the file.
func (t *TokenFile) UnauthorizedHint() string {
	return "the API token in `api_token_file` " + t.path + " is invalid, expired or revoked: write a new token (Okta admin console, Security > API > Tokens) into the file; it is read again without a restart"
}

// ForbiddenHint is the fix for a token whose admin may not read the System Log.
func (t *TokenFile) ForbiddenHint() string { return forbiddenTokenHint }
