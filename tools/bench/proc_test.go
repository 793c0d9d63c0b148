package bench

import (
	"os"
	"strings"
	"testing"
	"time"
)

const statusText = `Name:	otelcol-okta
Umask:	0022
State:	S (sleeping)
VmPeak:	 1933556 kB
VmHWM:	  131072 kB
VmRSS:	  110592 kB
RssAnon:	   90000 kB
Threads:	9
`

func TestKiBFields(t *testing.T) {
	got, err := kibFields(strings.NewReader(statusText), "VmRSS", "VmHWM", "VmSwap")
	if err != nil {
		t.Fatal(err)
	}
	if got["VmRSS"] != 110592 || got["VmHWM"] != 131072 {
		t.Errorf("got %v", got)
	}
	if _, ok := got["VmSwap"]; ok {
		t.Error("a missing key was reported")
	}
	if _, err := kibFields(strings.NewReader("VmRSS:\t12 MB\n"), "VmRSS"); err == nil {
		t.Error("a unit other than kB was accepted")
	}
	if _, err := kibFields(strings.NewReader("VmRSS:\tlots kB\n"), "VmRSS"); err == nil {
		t.Error("a value that is not a number was accepted")
	}
}

func TestStatCPU(t *testing.T) {
	// The command name may hold spaces and parentheses; utime 250 and stime 30 ticks follow it.
	stat := "4242 (otel col (x)) S 1 4242 4242 0 -1 4194560 2000 0 0 0 250 30 0 0 20 0 9 0 100 2000000 27000 18446744073709551615\n"
	got, err := statCPU([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	if want := 2800 * time.Millisecond; got != want {
		t.Errorf("statCPU = %s, want %s", got, want)
	}
	if _, err := statCPU([]byte("4242 (short) S 1 2")); err == nil {
		t.Error("a truncated stat was accepted")
	}
}

func TestReadSampleSelf(t *testing.T) {
	s, err := readSample(os.Getpid(), time.Now())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if s.RSSKiB <= 0 || s.HWMKiB < s.RSSKiB {
		t.Errorf("implausible sample %+v", s)
	}
}

func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := cpuModel(strings.NewReader(info)); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
	if got := cpuModel(strings.NewReader("processor\t: 0\nBogoMIPS\t: 50.00\n")); got != "" {
		t.Errorf("cpuModel without a model name = %q", got)
	}
}

func TestCPUBefore(t *testing.T) {
	t0 := time.Now()
	samples := []Sample{{At: t0, CPU: time.Second}, {At: t0.Add(time.Second), CPU: 2 * time.Second}}
	if got := cpuBefore(samples, t0.Add(500*time.Millisecond)); got != time.Second {
		t.Errorf("cpuBefore = %s", got)
	}
	if got := cpuBefore(samples, t0.Add(-time.Second)); got != 0 {
		t.Errorf("cpuBefore the first sample = %s", got)
	}
}

func TestMachineCPU(t *testing.T) {
	stat := "cpu  325663 10 99619 193651 999 5 3659 7 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
	busy, total, err := machineCPU(strings.NewReader(stat))
	if err != nil {
		t.Fatal(err)
	}
	wantBusy := time.Duration(325663+10+99619+5+3659+7) * 10 * time.Millisecond
	if busy != wantBusy || total != wantBusy+time.Duration(193651+999)*10*time.Millisecond {
		t.Errorf("busy %s, total %s", busy, total)
	}
	if _, _, err := machineCPU(strings.NewReader("intr 1 2 3\n")); err == nil {
		t.Error("a line that is not the cpu line was accepted")
	}
}

func TestSchedstatCPU(t *testing.T) {
	got, err := schedstatCPU([]byte("78957655 153690460 188\n"))
	if err != nil || got != 78957655*time.Nanosecond {
		t.Errorf("schedstatCPU = %s, %v", got, err)
	}
	for _, bad := range []string{"", "x 1 2"} {
		if _, err := schedstatCPU([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestProcessCPUSelf(t *testing.T) {
	before, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x := 0
	for i := range 20_000_000 {
		x ^= i
	}
	after, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if before <= 0 || after <= before {
		t.Errorf("processCPU %s then %s after a busy loop (%d)", before, after, x)
	}
}
