package okta

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// MaxTokenFileSize bounds `api_token_file`: a token file holds one token of a few dozen bytes. The file is
// never read past this, so a wrong path (/dev/zero, a log file) cannot exhaust memory.
const MaxTokenFileSize = 64 << 10

// TokenFile authorizes requests with an API token read from a file. The file is read again when it changes
// and when Okta answers 401, so a rotated token is picked up without a restart.
type TokenFile struct {
	path string

	mu      sync.Mutex
	token   string
	modTime time.Time
	size    int64
}

// NewTokenFile reads the token once, so that a missing, empty or unusable file stops the collector at
// startup.
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
	token, fi, err := readTokenFile(t.path)
	if err != nil {
		return false, err
	}
	changed = token != t.token
	t.token, t.modTime, t.size = token, fi.ModTime(), fi.Size()
	return changed, nil
}

// CheckTokenFile reads path as `api_token_file` is read and says what is wrong with it, if anything.
func CheckTokenFile(path string) error {
	_, _, err := readTokenFile(path)
	return err
}

// readTokenFile reads a token file with ReadSmallFile and checks that it holds one token.
func readTokenFile(path string) (string, fs.FileInfo, error) {
	fail := func(problem, fix string, err error) (string, fs.FileInfo, error) {
		return "", nil, &CredentialError{Key: "api_token_file", Problem: path + " " + problem, Fix: fix, Err: err}
	}
	b, fi, err := ReadSmallFile(path, MaxTokenFileSize)
	var fe *FileError
	switch {
	case errors.As(err, &fe) && fe.Err != nil:
		return fail(fe.Problem, "write the Okta API token into a file the collector can read", fe.Err)
	case errors.As(err, &fe):
		return fail(fe.Problem, "point it at a regular file that holds the Okta API token alone", nil)
	case err != nil:
		return fail("cannot be read", "write the Okta API token into a file the collector can read", err)
	}
	token, problem := trimmedToken(b)
	switch {
	case token == "":
		return fail("is empty", "write the Okta API token into it", nil)
	case strings.ContainsAny(token, "\r\n"):
		return fail("holds more than one line", "it must hold the Okta API token alone, on one line", nil)
	case problem != "":
		return fail("holds a token that "+problem, "write the Okta API token alone into it", nil)
	}
	return token, fi, nil
}

// FileError says why a file the configuration names cannot be read as a small regular file. It does not
// name the path: the caller's message does.
type FileError struct {
	// Problem is e.g. "is a named pipe (FIFO), not a regular file" or "cannot be read".
	Problem string
	// Err is the operating system's error, when there was one.
	Err error
}

func (e *FileError) Error() string {
	if e.Err != nil {
		return e.Problem + ": " + e.Err.Error()
	}
	return e.Problem
}

func (e *FileError) Unwrap() error { return e.Err }

// ReadSmallFile reads a regular file (a symbolic link to one is followed, as Kubernetes mounts Secrets)
// of at most limit bytes. Anything else (a directory, a device such as /dev/zero, a named pipe that would
// block the read, a larger file) is refused with a *FileError before it is read, so a wrong path can
// neither exhaust memory nor hang the start.
func ReadSmallFile(path string, limit int64) ([]byte, fs.FileInfo, error) {
	unreadable := func(err error) ([]byte, fs.FileInfo, error) {
		return nil, nil, &FileError{Problem: "cannot be read", Err: unwrapPath(err)}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return unreadable(err)
	}
	if problem := notSmallRegularFile(fi, limit); problem != "" {
		return nil, nil, &FileError{Problem: problem}
	}
	// O_NONBLOCK: should the path become a named pipe after the check above, opening it does not wait
	// for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return unreadable(err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return unreadable(err)
	}
	if problem := notSmallRegularFile(fi, limit); problem != "" {
		return nil, nil, &FileError{Problem: problem}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return unreadable(err)
	}
	if int64(len(b)) > limit {
		return nil, nil, &FileError{Problem: fmt.Sprintf("is larger than %d bytes", limit)}
	}
	return b, fi, nil
}

// notSmallRegularFile says why fi is not a small regular file; "" when it is one.
func notSmallRegularFile(fi fs.FileInfo, limit int64) string {
	m := fi.Mode()
	switch {
	case m.IsRegular() && fi.Size() > limit:
		return fmt.Sprintf("is %d bytes, larger than %d", fi.Size(), limit)
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "is a directory, not a file"
	case m&fs.ModeNamedPipe != 0:
		return "is a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		return "is a socket, not a regular file"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "is a device, not a regular file"
	}
	return "is not a regular file"
}

// unwrapPath drops the path from an *fs.PathError: the message already names it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// UnauthorizedHint is the fix for a refused token read from the file.
func (t *TokenFile) UnauthorizedHint() string {
	return "the API token in `api_token_file` " + t.path + " is invalid, expired or revoked: write a new token (Okta admin console, Security > API > Tokens) into the file; it is read again without a restart"
}

// ForbiddenHint is the fix for a token whose admin may not read the System Log.
func (t *TokenFile) ForbiddenHint() string { return forbiddenTokenHint }
