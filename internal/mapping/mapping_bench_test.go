package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/samples"
)

// benchPage builds a page of n events as Okta sends them (compact JSON), cycling through the samples and
// giving each event its own uuid.
func benchPage(tb testing.TB, n int) string {
	tb.Helper()
	var events [][]byte
	for _, s := range samples.All() {
		for _, ev := range s.Events {
			var c bytes.Buffer
			if err := json.Compact(&c, ev); err != nil {
				tb.Fatal(err)
			}
			events = append(events, c.Bytes())
		}
	}
	var page bytes.Buffer
	page.WriteByte('[')
	for i := range n {
		ev := events[i%len(events)]
		var head struct{ UUID string }
		if err := json.Unmarshal(ev, &head); err != nil {
			tb.Fatal(err)
		}
		uuid := fmt.Sprintf("%08x-%04x-11ef-8478-%012x", i, i%65536, i*7919)
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(bytes.Replace(ev, []byte(`"`+head.UUID+`"`), []byte(`"`+uuid+`"`), 1))
	}
	page.WriteByte(']')
	return page.String()
}

// BenchmarkMapPage maps a 1000-event page with body: map, body: raw and body: ocsf (attributes included), against a
// baseline of encoding/json into []map[string]any followed by pcommon.Map.FromRaw into each body.
// Besides wall time it reports cpu-ns/op, the CPU time of the whole process (garbage collection
// included) per page, which is steadier than wall time on a shared machine.
func BenchmarkMapPage(b *testing.B) {
	page := benchPage(b, 1000)
	observed := time.Now()
	for _, v := range []struct {
		name string
		body BodyMode
	}{{"map", BodyMap}, {"raw", BodyRaw}, {"ocsf", BodyOCSF}} {
		b.Run(v.name, func(b *testing.B) {
			m := New(testOptions(v.body))
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				logs, _, _, err := m.MapPage(page, observed)
				if err != nil || logs.LogRecordCount() != 1000 {
					b.Fatal(err)
				}
			}
			reportPerPage(b, cpu)
		})
	}
	b.Run("baseline", func(b *testing.B) {
		body := []byte(page)
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			var events []map[string]any
			if err := json.Unmarshal(body, &events); err != nil {
				b.Fatal(err)
			}
			logs := plog.NewLogs()
			lrs := logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
			lrs.EnsureCapacity(len(events))
			for _, ev := range events {
				if err := lrs.AppendEmpty().Body().SetEmptyMap().FromRaw(ev); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportPerPage(b, cpu)
	})
}

// reportPerPage reports ns/event and, where measured, cpu-ns/op: the process's CPU time since cpu per page.
func reportPerPage(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/event")
	if used := cpuTime() - cpu; cpu > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
