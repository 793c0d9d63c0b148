package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of utime and stime in /proc/PID/stat (USER_HZ, 100 on Linux).
const clockTicks = 100

// kibFields reads the "Key:   123 kB" lines of /proc/PID/status or /proc/meminfo and returns the
// values, in KiB, of the keys asked for; a key that is missing is absent from the map.
func kibFields(r io.Reader, keys ...string) (map[string]int64, error) {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	out := make(map[string]int64, len(keys))
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || !want[key] {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return nil, fmt.Errorf("%s: no value", key)
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if len(f) > 1 && f[1] != "kB" {
			return nil, fmt.Errorf("%s: unit %q, want kB", key, f[1])
		}
		out[key] = v
	}
	return out, sc.Err()
}

// statCPU returns utime+stime from the contents of /proc/PID/stat.
func statCPU(stat []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("stat: no command name")
	}
	f := strings.Fields(string(stat[i+1:]))
	// After the name: state is field 3, utime field 14 and stime field 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("stat: %d fields after the name", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat: %w", err)
		}
		ticks += v
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// Sample is one reading of a process's memory and CPU time.
type Sample struct {
	At     time.Time
	RSSKiB int64 // VmRSS
	HWMKiB int64 // VmHWM: the peak RSS so far
	CPU    time.Duration
}

// readSample reads /proc/PID/status and /proc/PID/stat.
func readSample(pid int, now time.Time) (Sample, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Sample{}, err
	}
	kib, err := kibFields(bytes.NewReader(status), "VmRSS", "VmHWM")
	if err != nil {
		return Sample{}, err
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Sample{}, err
	}
	cpu, err := statCPU(stat)
	if err != nil {
		return Sample{}, err
	}
	return Sample{At: now, RSSKiB: kib["VmRSS"], HWMKiB: kib["VmHWM"], CPU: cpu}, nil
}

// cpuModel returns the first "model name" of /proc/cpuinfo ("" when there is none, as on arm64).
func cpuModel(r io.Reader) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return ""
}

// machineCPU reads the first line of /proc/stat: the CPU time all CPUs spent busy (user, nice,
// system, irq, softirq, steal) and in all (busy plus idle and iowait) since boot.
func machineCPU(stat io.Reader) (busy, total time.Duration, err error) {
	line, err := bufio.NewReader(stat).ReadString('\n')
	if err != nil && line == "" {
		return 0, 0, err
	}
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var v [8]int64
	for i := range v {
		if v[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
	}
	tick := time.Second / clockTicks
	busyTicks := v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	return time.Duration(busyTicks) * tick, time.Duration(busyTicks+v[3]+v[4]) * tick, nil
}

// readMachineCPU is machineCPU of this machine; zeros when /proc/stat cannot be read.
func readMachineCPU() (busy, total time.Duration) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	busy, total, _ = machineCPU(f)
	return busy, total
}

// schedstatCPU returns the first field of a /proc/PID/task/TID/schedstat: the nanoseconds the
// thread has run on a CPU.
func schedstatCPU(b []byte) (time.Duration, error) {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, fmt.Errorf("schedstat: empty")
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("schedstat: %w", err)
	}
	return time.Duration(ns), nil
}

// processCPU is the CPU time the process's live threads have used, summed from their schedstat
// files: to the nanosecond, where /proc/PID/stat counts 10 ms ticks. A thread that exited no
// longer counts (a Go program's threads rarely exit).
func processCPU(pid int) (time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited since the listing
		}
		ns, err := schedstatCPU(b)
		if err != nil {
			return 0, err
		}
		sum += ns
	}
	return sum, nil
}
