//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runScript is `make run`'s script; it finds the binaries `make e2e` built under _build/.
var runScript = filepath.Join("..", "..", "internal", "tools", "run.sh")

// runEnv is a clean environment for run.sh: none of the caller's OKTA_* variables, plus extra.
func runEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, extra...)
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestRunStopsAndNamesWhatIsMissing(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, heldPort, _ := net.SplitHostPort(held.Addr().String())

	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"endpoint without a token", []string{"OKTA_ENDPOINT=example.okta.com"},
			"OKTA_ENDPOINT is set but OKTA_API_TOKEN is not: set OKTA_API_TOKEN"},
		{"OAuth client without its key", []string{"OKTA_ENDPOINT=example.okta.com", "OKTA_OAUTH_CLIENT_ID=0oa1"},
			"OKTA_OAUTH_KEY_FILE is not set"},
		{"OAuth key without its client", []string{"OKTA_ENDPOINT=example.okta.com", "OKTA_OAUTH_KEY_FILE=/etc/otelcol/key.pem"},
			"OKTA_OAUTH_CLIENT_ID is not set"},
		{"token without an endpoint", []string{"OKTA_API_TOKEN=secret"},
			"OKTA_API_TOKEN is set but OKTA_ENDPOINT is not"},
		{"metrics port asked for is taken", []string{"OKTA_METRICS_PORT=" + heldPort, "OKTASIM_ADDR=" + freeAddr(t)},
			"OKTA_METRICS_PORT=" + heldPort + " is taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(runScript)
			cmd.Env = runEnv(tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.Stdout = io.Discard
			start := time.Now()
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Fatalf("run.sh ended with %v, want exit status 2; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr.String())
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s to refuse", d)
			}
			if strings.Contains(stderr.String(), "secret") {
				t.Errorf("the token was printed:\n%s", stderr.String())
			}
		})
	}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunWithTheMetricsPortTaken runs `make run`'s script against the simulator while another process holds
// port 8888 (the collector's default metrics port): it picks another port, prints one line per event,
// serves its metrics there, and stops cleanly on Ctrl-C (SIGINT to its process group).
func TestRunWithTheMetricsPortTaken(t *testing.T) {
	if held, err := net.Listen("tcp", "127.0.0.1:8888"); err == nil {
		defer held.Close()
	} // else another process holds it already, which is the case under test too
	simAddr := freeAddr(t)

	cmd := exec.Command(runScript)
	cmd.Env = runEnv("OKTASIM_ADDR="+simAddr, "OKTA_STORAGE_DIR="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		done <- cmd.Wait()
	}()
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }()

	// The header, then events, one per line.
	event := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  [a-z0-9_.]+ +[a-z_]+ +\S.* +(SUCCESS|FAILURE|ALLOW|DENY|CHALLENGE|SKIPPED|UNKNOWN|-) +\S`)
	var got []string
	deadline := time.After(60 * time.Second)
	for len(got) < 21 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("run.sh ended early; stdout:\n%s\nstderr:\n%s", strings.Join(got, "\n"), stderr.String())
			}
			got = append(got, l)
		case <-deadline:
			t.Fatalf("no events after 60s; stdout:\n%s\nstderr:\n%s", strings.Join(got, "\n"), stderr.String())
		}
	}
	if !strings.HasPrefix(got[0], "TIME (UTC)") {
		t.Errorf("first line %q is not the header", got[0])
	}
	for _, l := range got[1:] {
		if !event.MatchString(l) || len(l) > 200 {
			t.Errorf("not an event line: %q", l)
		}
	}

	m := regexp.MustCompile(`collector metrics on (http://127\.0\.0\.1:(\d+)/metrics)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("run.sh did not say where the metrics are:\n%s", stderr.String())
	}
	if m[2] == "8888" {
		t.Errorf("metrics on the taken port 8888")
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatalf("metrics at %s: %v", m[1], err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte("otelcol_receiver_okta_requests")) {
		t.Errorf("no okta receiver metrics at %s:\n%.500s", m[1], body)
	}

	// Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines {
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run.sh ended with %v after Ctrl-C, want success; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("run.sh still running 30s after Ctrl-C; stderr:\n%s", stderr.String())
	}
	if s := stderr.String(); strings.Contains(s, "address already in use") || strings.Contains(s, "deprecated") {
		t.Errorf("the collector complained:\n%s", s)
	}
	waitFor(t, "the simulator to stop listening on "+simAddr+" once run.sh ended", 5*time.Second, func() bool {
		conn, err := net.DialTimeout("tcp", simAddr, time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	t.Logf("make run printed, e.g.:\n%s\n%s", got[0], got[1])
}
