package bench

import (
	"strings"
	"testing"
	"time"
)

func TestPairOrderAlternates(t *testing.T) {
	if got := PairOrder(1, "base", "cur"); got != [2]string{"base", "cur"} {
		t.Errorf("round 1: %v", got)
	}
	if got := PairOrder(2, "base", "cur"); got != [2]string{"cur", "base"} {
		t.Errorf("round 2: %v", got)
	}
}

func TestFormatPair(t *testing.T) {
	run := func(build string, round int, cpu, drain float64) PairRun {
		return PairRun{Build: build, Round: round, Events: 100000, CPU: time.Duration(cpu * float64(time.Second)),
			Drain: time.Duration(drain * float64(time.Second)), Others: time.Second, MachineCPU: 20 * time.Second, PeakRSSMiB: 100}
	}
	runs := []PairRun{run("f6e26a4", 1, 3.6, 8.6), run("current", 1, 4.8, 10), run("current", 2, 4.4, 9.6),
		run("f6e26a4", 2, 3.8, 8.8), run("f6e26a4", 3, 3.7, 8.7), run("current", 3, 4.6, 9.8)}
	var b strings.Builder
	FormatPair(&b, "f6e26a4", "current", runs)
	out := b.String()
	for _, want := range []string{
		"median f6e26a4    3.70 CPU-s per 100k, drain 8.70 s (3 runs)",
		"median current    4.60 CPU-s per 100k, drain 9.80 s (3 runs)",
		"current/baseline CPU ×1.243, drain ×1.126",
		"bench-pair: baseline=f6e26a4 rounds=3 baseline_cpu_s_per_100k=3.70 current_cpu_s_per_100k=4.60 cpu_ratio=1.243",
		"  2     current      100000           4.40      9.60     100.0          5%",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestPairRunPer100k(t *testing.T) {
	r := PairRun{Events: 50000, CPU: 2 * time.Second}
	if got := r.CPUPer100k(); got != 4 {
		t.Errorf("2 CPU-s for 50,000 events: %v per 100k, want 4", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{4, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
