package receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

// TestBodyOCSF: with body: ocsf every record's body is a valid OCSF event, and its attributes are the
// same as in map mode.
func TestBodyOCSF(t *testing.T) {
	o := newOrg(t, oktasim.Options{})
	want := o.addEvents(t, 20, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	cfg := testSettings(o)
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
