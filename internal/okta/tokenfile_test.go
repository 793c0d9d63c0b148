package okta

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// Anything but a small regular file is refused with what it is and what to do, before it is read: a
// device such as /dev/zero would exhaust memory, a named pipe would block the start.
func TestTokenFileRefusesWhatIsNotASmallRegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("x", MaxTokenFileSize+1)), 0o600))
	sock := filepath.Join(dir, "sock")
	ln, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer ln.Close()
	spaced := filepath.Join(dir, "spaced")
	require.NoError(t, os.WriteFile(spaced, []byte("secret part\n"), 0o600))
	tests := []struct{ path, want string }{
		{"/dev/zero", "/dev/zero is a device, not a regular file; point it at a regular file that holds the Okta API token alone"},
		{fifo, fifo + " is a named pipe (FIFO), not a regular file"},
		{dir, dir + " is a directory, not a file"},
		{sock, sock + " is a socket, not a regular file"},
		{big, big + " is 65537 bytes, larger than 65536"},
		{spaced, spaced + " holds a token that has whitespace inside it (at byte 6)"},
		{filepath.Join(dir, "missing"), "`api_token_file` " + filepath.Join(dir, "missing") + " cannot be read: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := NewTokenFile(tt.path)
				done <- err
			}()
			select {
			case err := <-done:
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				assert.NotContains(t, err.Error(), "secret")
				var ce *CredentialError
				require.ErrorAs(t, err, &ce)
				assert.True(t, ce.Permanent())
				assert.Equal(t, err, CheckTokenFile(tt.path), "validate says the same")
			case <-time.After(10 * time.Second):
				t.Fatal("reading the token file hangs")
			}
		})
	}
}

// A token file reached through a symbolic link (as Kubernetes mounts a Secret) is read, and so is a
// rotation that swaps the link.
func TestTokenFileFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v1"), []byte("token-one\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v2"), []byte("token-two-longer\n"), 0o600))
	link := filepath.Join(dir, "token")
	require.NoError(t, os.Symlink("v1", link))
	tf, err := NewTokenFile(link)
	require.NoError(t, err)
	assert.Equal(t, "SSWS token-one", authHeader(t, tf))
	require.NoError(t, os.Remove(link))
	require.NoError(t, os.Symlink("v2", link))
	assert.Equal(t, "SSWS token-two-longer", authHeader(t, tf))
}

// A token file replaced by something unusable after the start: the request fails with the reason, and the
// old token is not sent.
func TestTokenFileReplacedByADevice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(path, []byte("token-1"), 0o600))
	tf, err := NewTokenFile(path)
	require.NoError(t, err)
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.Symlink("/dev/zero", path))
	req, _ := http.NewRequest(http.MethodGet, "https://example.okta.com/", http.NoBody)
	require.ErrorContains(t, tf.Authorize(req), "is a device")
	assert.Empty(t, req.Header.Get("Authorization"))
}
