package receiver

import (
	"context"
	"strings"
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

// A page is counted in the memory pool at what it may cost once mapped, whatever the body mode: a page of
// few small events at mapping.PageCost, more than its text's weight.
func TestPageIsCountedAtWhatItMayCostOnceMapped(t *testing.T) {
	now := time.Now()
	events := []string{okEvent(1, now.Add(-time.Minute)), okEvent(2, now.Add(-time.Minute)), okEvent(3, now.Add(-time.Minute))}
	size := len("[" + strings.Join(events, ",") + "]")
	for _, body := range []mapping.BodyMode{mapping.BodyMap, mapping.BodyOCSF} {
		var held int64
		s := newStepperWith(t, func(c *Config) { c.Body = body }, answer{events: events})
		s.r.next = consumerFunc(func(context.Context, plog.Logs) error {
			held = s.r.telemetry.memoryHeld.Load()
			return nil
		})
		s.step(t)
		assert.Equal(t, mapping.PageCost(size, len(events)), held, body)
		assert.Greater(t, held, int64(size*pageWeight), body)
	}
}
