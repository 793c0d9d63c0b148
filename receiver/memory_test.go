package receiver

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// worstCaseFactor bounds the memory one page in hand costs, its text and its records, as a multiple of
// its size: the README's figure for max_response_body_size (10 × 16 MiB = 168 MB at the default; measured
// about 8×).
const worstCaseFactor = pageWeight

// The smallest events cost the most memory per byte of page: a page of max_response_body_size filled
// with them is the worst one an upstream can send. What stays in memory while the pipeline has it must
// stay within worstCaseFactor times the page.
func TestWorstCasePageMemoryIsBoundedByItsSize(t *testing.T) {
	for _, mode := range []mapping.BodyMode{mapping.BodyMap, mapping.BodyRaw} {
		t.Run(string(mode), func(t *testing.T) {
			page := smallestEventsPage()
			m := mapping.New(mapping.Options{OrgDomain: "example.okta.com", Body: mode})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			logs, events, _, err := m.MapPage(page, time.Now())
			require.NoError(t, err)
			runtime.GC()
			runtime.ReadMemStats(&after)
			held := int64(after.HeapAlloc) - int64(before.HeapAlloc) + int64(len(page))
			t.Logf("%d events in %d bytes: %.1f MB held, %.1f× the page", len(events), len(page), float64(held)/1e6, float64(held)/float64(len(page)))
			assert.LessOrEqual(t, held, int64(worstCaseFactor*len(page)))
			runtime.KeepAlive(logs)
			runtime.KeepAlive(page)
		})
	}
}

// smallestEventsPage is a page of 4 MiB (scaled down from the default max_response_body_size of 16 MiB: the
// factor is what counts) of the smallest events, which cost the most memory per byte of page.
func smallestEventsPage() string {
	const size = 4 << 20
	var b strings.Builder
	b.WriteString("[")
	for i := 0; b.Len() < size-100; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"uuid":"%d","published":"2026-11-24T10:00:00.000Z"}`, i)
	}
	b.WriteString("]")
	return b.String()
}
