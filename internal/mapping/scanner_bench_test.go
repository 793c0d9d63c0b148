package mapping

import "testing"

// BenchmarkScanPage measures the scanner alone on the 1000-event page, looking for repeated keys as it does
// for body: map (the default) and body: ocsf.
func BenchmarkScanPage(b *testing.B) {
	page := []byte(benchPage(b, 1000))
	s := scanner{checkKeys: true}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	nodes := 0
	for b.Loop() {
		nodes = 0
		if err := s.begin(page); err != nil {
			b.Fatal(err)
		}
		for {
			_, ok, err := s.next()
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			nodes += len(s.nodes)
		}
	}
	b.ReportMetric(float64(nodes), "nodes")
}
