package bench

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// PairRun is one drain of an interleaved pair: which build ran, and what it cost.
type PairRun struct {
	Build  string // the build's name (the baseline's commit, or "current")
	Round  int    // 1-based
	Events int    // delivered
	CPU    time.Duration
	Drain  time.Duration // from the collector's start to the last event at the end of the pipeline
	Others time.Duration // CPU other processes took of the machine meanwhile
	// MachineCPU is the CPU all the machine's cores offered meanwhile.
	MachineCPU time.Duration
	PeakRSSMiB float64
}

// CPUPer100k is the run's CPU-seconds per 100,000 delivered events.
func (r PairRun) CPUPer100k() float64 { return ratio(r.CPU.Seconds()*100000, float64(r.Events)) }

// OthersShare is the share of the machine's CPU that other processes took during the run.
func (r PairRun) OthersShare() float64 { return ratio(r.Others.Seconds(), r.MachineCPU.Seconds()) }

// PairFrom is a run's figures for the pair's report.
func PairFrom(build string, round int, res Result) PairRun {
	return PairRun{Build: build, Round: round, Events: res.Delivered(), CPU: res.Usage.CPU(), Drain: res.Wall(),
		Others: res.OthersCPU, MachineCPU: res.MachineCPU, PeakRSSMiB: res.PeakRSSMiB()}
}

// PairOrder is the order of the two builds in round i (1-based): baseline first in odd rounds, current first
// in even ones, so that neither always runs on a machine the other just warmed or loaded.
func PairOrder(round int, baseline, current string) [2]string {
	if round%2 == 1 {
		return [2]string{baseline, current}
	}
	return [2]string{current, baseline}
}

// FormatPair writes every run, one a line, then each build's median CPU-seconds per 100k events and
// drain time, the current build's against the baseline's, and a summary line starting "bench-pair:".
func FormatPair(w io.Writer, baseline, current string, runs []PairRun) {
	fmt.Fprintf(w, "oktabench: interleaved pair, %s (baseline) and %s\n", baseline, current)
	fmt.Fprintf(w, "  %-5s %-10s %8s %14s %9s %9s %11s\n", "round", "build", "events", "CPU-s per 100k", "drain s", "RSS MiB", "others' CPU")
	for _, r := range runs {
		fmt.Fprintf(w, "  %-5d %-10s %8d %14.2f %9.2f %9.1f %10.0f%%\n", r.Round, r.Build, r.Events, r.CPUPer100k(),
			r.Drain.Seconds(), r.PeakRSSMiB, 100*r.OthersShare())
	}
	b, c := pairMedians(runs, baseline), pairMedians(runs, current)
	fmt.Fprintf(w, "  median %-10s %.2f CPU-s per 100k, drain %.2f s (%d runs)\n", baseline, b.cpu, b.drain, b.n)
	fmt.Fprintf(w, "  median %-10s %.2f CPU-s per 100k, drain %.2f s (%d runs)\n", current, c.cpu, c.drain, c.n)
	fmt.Fprintf(w, "  current/baseline CPU ×%.3f, drain ×%.3f\n", ratio(c.cpu, b.cpu), ratio(c.drain, b.drain))
	fmt.Fprintf(w, "bench-pair: baseline=%s rounds=%d baseline_cpu_s_per_100k=%.2f current_cpu_s_per_100k=%.2f cpu_ratio=%.3f baseline_drain_s=%.2f current_drain_s=%.2f drain_ratio=%.3f\n",
		baseline, max(b.n, c.n), b.cpu, c.cpu, ratio(c.cpu, b.cpu), b.drain, c.drain, ratio(c.drain, b.drain))
}

type pairMedian struct {
	cpu, drain float64
	n          int
}

func pairMedians(runs []PairRun, build string) pairMedian {
	var cpu, drain []float64
	for _, r := range runs {
		if r.Build == build {
			cpu, drain = append(cpu, r.CPUPer100k()), append(drain, r.Drain.Seconds())
		}
	}
	return pairMedian{cpu: median(cpu), drain: median(drain), n: len(cpu)}
}

// median of xs (the mean of the middle two for an even count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
