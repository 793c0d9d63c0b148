//go:build unix

package mapping

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, in user and system mode, all threads included.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
