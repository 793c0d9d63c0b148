package receiver

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// TestBodyOCSF: with body: ocsf every record's body is a valid OCSF event, and its attributes are the
// same as in map mode.
func TestBodyOCSF(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 20, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	cfg := testConfig(o)
	cfg.Body = "ocsf"
	r := start(t, cfg, componenttest.NewNopHost(), sink)
	waitForCount(t, sink, len(want))
	r.stop(t)
	assert.Equal(t, want, uids(sink))
	for _, ld := range sink.AllLogs() {
		forEachRecord(ld, func(lr plog.LogRecord) {
			if !assert.Equal(t, pcommon.ValueTypeMap, lr.Body().Type()) {
				return
			}
			require.NoError(t, ocsftest.ValidateMap(lr.Body().Map()))
			uid, _ := lr.Attributes().Get("log.record.uid")
			orig, _ := lr.Body().Map().Get("metadata")
			got, _ := orig.Map().Get("original_event_uid")
			assert.Equal(t, uid.Str(), got.Str(), "metadata.original_event_uid is the uuid")
			_, hasCategory := lr.Attributes().Get("okta.event.category")
			assert.True(t, hasCategory, "the attributes stay as in map mode")
		})
	}
}

// TestOCSFPageMemoryIsBoundedByItsSizeAndEvents: with body: ocsf, the page of the smallest events holds at
// most worstCaseFactor times its size plus ocsfEventBytes per event (docs/ocsf.md, Memory).
func TestOCSFPageMemoryIsBoundedByItsSizeAndEvents(t *testing.T) {
	page := smallestEventsPage()
	m := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: mapping.BodyOCSF})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	logs, events, _, err := m.MapPage(page, time.Now())
	require.NoError(t, err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc) + int64(len(page))
	t.Logf("%d events in %d bytes: %.1f MB held, %.0f bytes an event", len(events), len(page), float64(held)/1e6,
		float64(held)/float64(len(events)))
	assert.LessOrEqual(t, held, int64(worstCaseFactor*len(page)+ocsfEventBytes*len(events)))
	runtime.KeepAlive(logs)
	runtime.KeepAlive(page)
}

func TestOCSFPageIsChargedItsEventsToo(t *testing.T) {
	now := time.Now()
	events := []string{okEvent(1, now.Add(-time.Minute)), okEvent(2, now.Add(-time.Minute)), okEvent(3, now.Add(-time.Minute))}
	held := map[string]int64{}
	for _, body := range []string{"map", "ocsf"} {
		s := newStepperWith(t, func(c *Config) { c.Body = body }, answer{events: events})
		s.r.next = consumerFunc(func(context.Context, plog.Logs) error {
			held[body] = s.r.telemetry.memoryHeld.Load()
			return nil
		})
		s.step(t)
	}
	assert.Equal(t, held["map"]+3*ocsfEventBytes, held["ocsf"], "an OCSF page holds a per-event allowance beyond its text's weight")
}
