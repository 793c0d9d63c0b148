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

// BenchmarkCheckpoint measures what the receiver does for every delivered page of 1000 events: advance the
// cursor, encode it and write it to storage.
func BenchmarkCheckpoint(b *testing.B) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	events := make([]mapping.Event, 1000)
	for i := range events {
		events[i] = mapping.Event{UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Published: t0.Add(time.Duration(i) * time.Millisecond)}
	}
	client := storagetest.NewInMemoryClient(component.KindReceiver, component.NewID(metadata.Type), "")
	cur := &cursor{Org: "example.okta.com", Since: t0, PageSize: 1000}
	next := "https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1&sortOrder=ASCENDING"
	b.ReportAllocs()
	for b.Loop() {
		for i := range events {
			events[i].Published = events[i].Published.Add(time.Second) // each page newer than the last
		}
		cur.advance(next, events)
		raw, err := cur.marshal()
		if err != nil {
			b.Fatal(err)
		}
		if err := client.Set(context.Background(), checkpointKey, raw); err != nil {
			b.Fatal(err)
		}
	}
}
