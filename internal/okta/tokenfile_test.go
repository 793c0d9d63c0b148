package okta

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func authHeader(t *testing.T, a Authorizer) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "https://example.okta.com/api/v1/logs", http.NoBody)
	require.NoError(t, a.Authorize(req))
	return req.Header.Get("Authorization")
}

func TestTokenFileFollowsRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("first-token\n"), 0o600))
	tf, err := NewTokenFile(path)
	require.NoError(t, err)
	assert.Equal(t, "SSWS first-token", authHeader(t, tf))

	// A rotated token is picked up on the next request.
	require.NoError(t, os.WriteFile(path, []byte("second-token-longer"), 0o600))
	assert.Equal(t, "SSWS second-token-longer", authHeader(t, tf))

	// A 401 reads the file again; a retry is worth it only if the token changed.
	assert.False(t, tf.Rejected(nil))
	require.NoError(t, os.WriteFile(path, []byte("third-token-same-len"), 0o600))
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(path, old, old))
	assert.True(t, tf.Rejected(nil))
	assert.Equal(t, "SSWS third-token-same-len", authHeader(t, tf))
}

func TestTokenFileErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := NewTokenFile(filepath.Join(dir, "missing"))
	require.ErrorContains(t, err, "`api_token_file`")

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte(" \n"), 0o600))
	_, err = NewTokenFile(empty)
	require.ErrorContains(t, err, "is empty")

	two := filepath.Join(dir, "two")
	require.NoError(t, os.WriteFile(two, []byte("secret-a\nsecret-b\n"), 0o600))
	_, err = NewTokenFile(two)
	require.ErrorContains(t, err, "more than one line")
	assert.NotContains(t, err.Error(), "secret-a")

	// A file that becomes empty later: the request fails with the reason, the old token is not sent.
	path := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(path, []byte("token-1"), 0o600))
	tf, err := NewTokenFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	req, _ := http.NewRequest(http.MethodGet, "https://example.okta.com/", http.NoBody)
	assert.ErrorContains(t, tf.Authorize(req), "is empty")
}
