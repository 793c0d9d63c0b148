//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A checkpoint write that fails mid-run, as on a full volume, is the org's state storage_failed (with
// error_type checkpoint_write) and says so at error level, while the org goes on collecting and delivers
// nothing twice; once writes succeed again the state goes back and the recovery is said at info. The volume
// fills by the collector's own file-size limit (RLIMIT_FSIZE: a write past it fails with EFBIG, which Go
// returns as an error): its checkpoint file grows past the limit as the ids of delivered events add up.
func TestFullVolumeMidRunIsAStateAndRecovers(t *testing.T) {
	org := startOrgs(t, 1, 6000, 20)[0]
	cfg := configOf([]*testOrg{org}, nil)
	cfg.metricsAddr = freeAddr(t)
	cfg.pageSize = 200
	dir := t.TempDir()
	var log lockedBuffer // a pipe, not a file: the limit is for the storage alone
	cmd := exec.Command(binary(t, "OTELCOL_OKTA"), "--config", cfg.write(t, dir))
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	// file_storage's file starts at 32 KiB; the ids of the last 4096 events need about 70 KiB more.
	limit := func(n uint64) {
		t.Helper()
		if err := unix.Prlimit(cmd.Process.Pid, unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: n, Max: unix.RLIM_INFINITY}, nil); err != nil {
			t.Fatalf("prlimit: %v", err)
		}
	}
	limit(48 << 10)
	failing := `state="storage_failed"`
	waitFor(t, "the state storage_failed with error_type checkpoint_write", 2*time.Minute, func() bool {
		m := metricsText(cfg.metricsAddr)
		return strings.Contains(m, failing) && strings.Contains(m, `error_type="checkpoint_write"`)
	})
	if !strings.Contains(log.String(), "could not write the checkpoint") {
		t.Errorf("no error line for the failed write:\n%s", log.String())
	}
	limit(unix.RLIM_INFINITY)
	waitFor(t, "the checkpoint written again", time.Minute, func() bool {
		return strings.Contains(log.String(), "the checkpoint is written again") && !strings.Contains(metricsText(cfg.metricsAddr), failing)
	})
	deliveredOnce(t, []*testOrg{org}, time.Minute)
	if err := cmd.Process.Signal(os.Interrupt); err == nil {
		_ = cmd.Wait()
	}
}
