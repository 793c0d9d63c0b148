package bench

import (
	"bytes"
	"runtime"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkPageMemory reports what one page of 1000 simulated events holds in memory at each step
// of its way through a receiver and an otlp_http exporter without a sending queue, in MiB: the page
// body as read (page-MiB), the log records mapped from it on top of the page (records-MiB), the
// export request encoded as protobuf (proto-MiB), and a zstd encoder as the exporter's compressor
// pool makes it (zstd level -1, one goroutine) after compressing that request, its output
// included (zstd-MiB). A receiver holds the page and its records while its ConsumeLogs runs; the
// exporter adds the protobuf and an encoder for each export in flight.
func BenchmarkPageMemory(b *testing.B) {
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
	for _, body := range []mapping.BodyMode{mapping.BodyMap, mapping.BodyRaw} {
		b.Run(string(body), func(b *testing.B) {
			m := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: body, ScopeName: "bench"})
			var page string
			var logs plog.Logs
			var proto []byte
			var enc *zstd.Encoder
			var out bytes.Buffer
			var pageB, recordsB, protoB, zstdB int64
			for b.Loop() {
				h0 := heapInUse()
				page = buf.String()
				h1 := heapInUse()
				var err error
				logs, _, _, err = m.MapPage(page, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				h2 := heapInUse()
				proto, err = plogotlp.NewExportRequestFromLogs(logs).MarshalProto()
				if err != nil {
					b.Fatal(err)
				}
				h3 := heapInUse()
				enc, _ = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(-1)))
				out.Reset()
				enc.Reset(&out)
				if _, err := enc.Write(proto); err != nil {
					b.Fatal(err)
				}
				if err := enc.Close(); err != nil {
					b.Fatal(err)
				}
				h4 := heapInUse()
				pageB, recordsB, protoB, zstdB = h1-h0, h2-h1, h3-h2, h4-h3
				runtime.KeepAlive(page)
				runtime.KeepAlive(logs)
				runtime.KeepAlive(proto)
				runtime.KeepAlive(enc)
			}
			mib := func(n int64) float64 { return float64(n) / (1 << 20) }
			b.ReportMetric(mib(pageB), "page-MiB")
			b.ReportMetric(mib(recordsB), "records-MiB")
			b.ReportMetric(mib(protoB), "proto-MiB")
			b.ReportMetric(mib(zstdB), "zstd-MiB")
			b.ReportMetric(float64(out.Len())/(1<<20), "sent-MiB")
		})
	}
}
