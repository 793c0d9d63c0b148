package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// sampleEvery is how often the collector's memory and CPU time are read from /proc.
const sampleEvery = 100 * time.Millisecond

// Collector is a running collector process whose RSS and CPU time are sampled.
type Collector struct {
	Started time.Time
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	logDone chan struct{}

	mu      sync.Mutex
	samples []Sample
}

// Usage is what the collector used, from wait4's rusage and the /proc samples.
type Usage struct {
	User, System time.Duration
	MaxRSSKiB    int64 // rusage ru_maxrss
	HWMKiB       int64 // the last VmHWM sampled
	MaxSampled   int64 // the largest VmRSS sampled
	Samples      []Sample
	ExitErr      error // the exit status, when not 0
}

// CPU is user plus system time.
func (u Usage) CPU() time.Duration { return u.User + u.System }

// StartCollector runs `bin --config config`, writes its output to log and passes each line to
// onLine (when not nil), and samples /proc every 100 ms until it exits.
func StartCollector(bin, config string, log io.Writer, onLine func(time.Time, string)) (*Collector, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--config", config)
	cmd.Stdout, cmd.Stderr = pw, pw
	c := &Collector{cmd: cmd, exited: make(chan struct{}), logDone: make(chan struct{})}
	c.Started = time.Now()
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, err
	}
	pw.Close()
	go c.copyLog(pr, log, onLine)
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	go c.sample()
	return c, nil
}

func (c *Collector) copyLog(r io.ReadCloser, log io.Writer, onLine func(time.Time, string)) {
	defer close(c.logDone)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		now := time.Now()
		fmt.Fprintln(log, sc.Text())
		if onLine != nil {
			onLine(now, sc.Text())
		}
	}
	_, _ = io.Copy(log, r) // after a line too long to scan: keep draining, or the collector blocks
}

func (c *Collector) sample() {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		select {
		case <-c.exited:
			return
		case now := <-t.C:
			s, err := readSample(c.cmd.Process.Pid, now)
			if err != nil {
				continue // exiting: wait4 has the final figures
			}
			c.mu.Lock()
			c.samples = append(c.samples, s)
			c.mu.Unlock()
		}
	}
}

// Exited is closed when the process has exited.
func (c *Collector) Exited() <-chan struct{} { return c.exited }

// Stop sends SIGTERM, waits up to grace for a clean exit (then kills it) and returns the usage.
func (c *Collector) Stop(grace time.Duration) (Usage, error) {
	if s, err := readSample(c.cmd.Process.Pid, time.Now()); err == nil {
		c.mu.Lock()
		c.samples = append(c.samples, s)
		c.mu.Unlock()
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-c.exited:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.exited
		err = fmt.Errorf("the collector did not stop within %s of SIGTERM and was killed", grace)
	}
	<-c.logDone
	return c.usage(), err
}

func (c *Collector) usage() Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := Usage{Samples: append([]Sample(nil), c.samples...), ExitErr: c.waitErr}
	if st := c.cmd.ProcessState; st != nil {
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			u.User = time.Duration(ru.Utime.Nano())
			u.System = time.Duration(ru.Stime.Nano())
			u.MaxRSSKiB = ru.Maxrss // KiB on Linux
		}
	}
	for _, s := range c.samples {
		u.HWMKiB = max(u.HWMKiB, s.HWMKiB)
		u.MaxSampled = max(u.MaxSampled, s.RSSKiB)
	}
	return u
}

// cpuBefore is the collector's CPU time at the last sample before t (0 when there is none).
func cpuBefore(samples []Sample, t time.Time) time.Duration {
	var cpu time.Duration
	for _, s := range samples {
		if s.At.After(t) {
			break
		}
		cpu = s.CPU
	}
	return cpu
}

// rssBefore is the VmRSS of the last sample not after t (0 when there is none).
func rssBefore(samples []Sample, t time.Time) int64 {
	var rss int64
	for _, s := range samples {
		if s.At.After(t) {
			break
		}
		rss = s.RSSKiB
	}
	return rss
}
