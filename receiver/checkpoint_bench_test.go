package receiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/storagetest"
	"go.opentelemetry.io/collector/component"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/metadata"
)

// BenchmarkCheckpoint measures what the receiver does for every delivered page of 1000 events: look each
// event up in the recent ids and remember it, move the cursor, encode it (with a full ring of recent ids)
// and write it to storage.
func BenchmarkCheckpoint(b *testing.B) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	// Eight pages in turn: twice the recent window, so every page is new to it, as in a real backlog.
	pages := make([][]mapping.Event, 8)
	for p := range pages {
		pages[p] = make([]mapping.Event, 1000)
		for i := range pages[p] {
			pages[p][i] = mapping.Event{UUID: fmt.Sprintf("00000000-0000-4000-%04d-%012d", p, i), Published: t0.Add(time.Duration(i) * time.Millisecond)}
		}
	}
	client := storagetest.NewInMemoryClient(component.KindReceiver, component.NewID(metadata.Type), "")
	cur := &cursor{Org: "example.okta.com", Since: t0, PageSize: 1000, recent: newRecent()}
	next := "https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1&sortOrder=ASCENDING"
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		events := pages[n%len(pages)]
		n++
		for _, ev := range events {
			if id := idOf(ev.UUID); !cur.recent.has(id) {
				cur.recent.add(id)
			}
		}
		cur.delivered(next, events, t0)
		raw, err := cur.marshal()
		if err != nil {
			b.Fatal(err)
		}
		if err := client.Set(context.Background(), checkpointKey, raw); err != nil {
			b.Fatal(err)
		}
	}
}
