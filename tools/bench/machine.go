package bench

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"runtime"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs        int    // the CPUs this process may run on, as nproc counts them
	Model       string // /proc/cpuinfo "model name"
	MemTotalKiB int64
	OSArch      string
	GoBench     string // the Go version of this program
	GoCollector string // the Go version the collector was built with ("" when unknown)
}

// ThisMachine describes the machine and the collector binary at collectorPath.
func ThisMachine(collectorPath string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), OSArch: runtime.GOOS + "/" + runtime.GOARCH, GoBench: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		m.Model = cpuModel(f)
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		if kib, err := kibFields(f, "MemTotal"); err == nil {
			m.MemTotalKiB = kib["MemTotal"]
		}
		f.Close()
	}
	if bi, err := buildinfo.ReadFile(collectorPath); err == nil {
		m.GoCollector = bi.GoVersion
	}
	return m
}

// String is one line: "2 CPUs (AMD EPYC), 23.5 GiB, linux/amd64, collector go1.26.8, bench go1.26.8".
func (m Machine) String() string {
	model := m.Model
	if model == "" {
		model = "unknown model"
	}
	col := m.GoCollector
	if col == "" {
		col = "unknown"
	}
	return fmt.Sprintf("%d CPUs (%s), %.1f GiB, %s, collector built with %s, bench %s",
		m.CPUs, model, float64(m.MemTotalKiB)/(1<<20), m.OSArch, col, m.GoBench)
}
