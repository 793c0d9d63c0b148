package bench

import (
	"bytes"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// simPage is a page of PageSize simulated events, as the bench's org serves them.
func simPage() string {
	gen := oktasim.NewGenerator(1)
	var buf bytes.Buffer
	buf.WriteByte('[')
	t0 := time.Now().Add(-time.Hour)
	for i := range PageSize {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(gen.Event(t0.Add(time.Duration(i) * time.Millisecond)))
	}
	buf.WriteByte(']')
	return buf.String()
}

// BenchmarkExportFloor splits what a page of 1000 simulated events costs between the receiver's mapping
// and the otlp_http exporter's work on the records it made, per event: map (the page to log records,
// body: map), proto (the export request encoded as protobuf, what the records' shape drives) and zstd (that
// request compressed as the exporter compresses it: zstd's fastest level, one goroutine, an encoder
// reused). proto and zstd together are the floor: what any receiver handing the exporter the same records
// costs. cpu-ns/event is the process's CPU, garbage collection included.
func BenchmarkExportFloor(b *testing.B) {
	page := simPage()
	m := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: mapping.BodyMap, ScopeName: "bench"})
	logs, _, _, err := m.MapPage(page, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	proto, err := plogotlp.NewExportRequestFromLogs(logs).MarshalProto()
	if err != nil {
		b.Fatal(err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(0)))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	steps := []struct {
		name string
		run  func() error
	}{
		{"map", func() error { _, _, _, err := m.MapPage(page, time.Now()); return err }},
		{"proto", func() error { _, err := plogotlp.NewExportRequestFromLogs(logs).MarshalProto(); return err }},
		{"zstd", func() error {
			out.Reset()
			enc.Reset(&out)
			if _, err := enc.Write(proto); err != nil {
				return err
			}
			return enc.Close()
		}},
	}
	for _, s := range steps {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := selfCPU()
			for b.Loop() {
				if err := s.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((selfCPU()-cpu).Nanoseconds())/float64(b.N*PageSize), "cpu-ns/event")
		})
	}
	b.ReportMetric(float64(len(page))/PageSize, "page-B/event")
	b.ReportMetric(float64(len(proto))/PageSize, "proto-B/event")
}
