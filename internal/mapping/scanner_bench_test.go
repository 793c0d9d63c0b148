package mapping

import "testing"

// BenchmarkScanPage measures the scanner alone on the 1000-event page.
func BenchmarkScanPage(b *testing.B) {
	page := benchPage(b, 1000)
	var s scanner
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.scanPage(page); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s.nodes)), "nodes")
}
