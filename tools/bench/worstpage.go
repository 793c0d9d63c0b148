package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// The worst page: what an answer within the default max_response_body_size (16 MiB) can cost the collector
// at most. Okta puts at most 1000 events in a page, and the mapping explodes each event's values only up to
// a budget in proportion to its text (64 values and one for every 6 bytes, docs/scaling.md, "What a page
// costs"): the costliest page is 1000 events of about 15.7 KB, each a pad the budget is earned on, then as
// many small numbers as it allows.
const (
	worstPageEvents  = 1000
	worstPagePad     = 10000
	worstPageNumbers = 2500
)

// WorstPage is a page as costly once mapped as an answer within max_response_body_size can be.
func WorstPage() string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range worstPageEvents {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"uuid":"worst-%d","published":"2026-11-24T10:00:00.000Z","eventType":"user.session.start","pad":"%s","x":[0%s]}`,
			i, strings.Repeat("p", worstPagePad), strings.Repeat(",0", worstPageNumbers-1))
	}
	b.WriteByte(']')
	return b.String()
}

// WorstPageResult is the collector's memory while it read, mapped and exported the worst page.
type WorstPageResult struct {
	PageBytes int
	Events    int
	// Bound is what the mapping says the page may cost once mapped (mapping.PageCost).
	Bound int64
	Usage Usage
	Wall  time.Duration
}

// RunWorstPage runs the collector bin against an origin that answers the worst page once, then empty
// pages, with an OTLP/HTTP sink, until every event of the page is at the sink, and returns its memory.
func RunWorstPage(ctx context.Context, bin, dir string, timeout time.Duration) (WorstPageResult, error) {
	page := WorstPage()
	res := WorstPageResult{PageBytes: len(page), Events: worstPageEvents, Bound: mapping.PageCost(len(page), worstPageEvents)}
	var served atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	origin := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v1/logs?after=w%d>; rel="next"`, r.Host, n))
		if n == 1 {
			_, _ = io.WriteString(w, page)
			return
		}
		_, _ = io.WriteString(w, "[]")
	})}
	go func() { _ = origin.Serve(ln) }()
	defer origin.Close()
	tally := NewTally(worstPageEvents)
	sink := NewSink(tally)
	if err := sink.Start(); err != nil {
		return res, err
	}
	defer sink.Close()
	runDir, err := os.MkdirTemp(dir, "worst-page-")
	if err != nil {
		return res, err
	}
	storage := filepath.Join(runDir, "storage")
	if err := os.Mkdir(storage, 0o700); err != nil {
		return res, err
	}
	cfg := CollectorConfig{OrgURL: "http://" + ln.Addr().String(), StorageDir: storage, Body: "map", PageSize: PageSize,
		Exporter: ExporterOTLPHTTP, SinkURL: sink.URL, Compression: "zstd", NoQueue: true}
	cfgPath := filepath.Join(runDir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.YAML()), 0o600); err != nil {
		return res, err
	}
	log, err := os.Create(filepath.Join(runDir, "collector.log"))
	if err != nil {
		return res, err
	}
	defer log.Close()
	col, err := StartCollector(bin, cfgPath, log, nil)
	if err != nil {
		return res, err
	}
	var waitErr error
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	select {
	case <-tally.Done():
	case <-ctx.Done():
		waitErr = ctx.Err()
	case <-col.Exited():
		waitErr = fmt.Errorf("the collector exited before the worst page reached the sink (%v)", col.waitErr) //nolint:errorlint // waitErr may be nil
	case <-deadline.C:
		waitErr = fmt.Errorf("timed out after %s: %d of %d events of the worst page at the sink", timeout, tally.Snapshot().Records, worstPageEvents)
	}
	res.Wall = time.Since(col.Started)
	res.Usage, err = col.Stop(10 * time.Second)
	if waitErr != nil {
		return res, waitErr
	}
	return res, err
}

// Format writes the worst page's figures, one a line, then a summary line starting "bench-worst-page:".
func (r WorstPageResult) Format(w io.Writer) {
	fmt.Fprintf(w, "worst page\n")
	fmt.Fprintf(w, "  page             %.1f MiB, %d events as dense as the mapping explodes\n", float64(r.PageBytes)/(1<<20), r.Events)
	fmt.Fprintf(w, "  bound            %.1f MiB once mapped (mapping.PageCost)\n", float64(r.Bound)/(1<<20))
	fmt.Fprintf(w, "  peak rss         %.1f MiB (the whole collector, the page read, mapped and exported)\n", kibToMiB(r.Usage.HWMKiB))
	fmt.Fprintf(w, "bench-worst-page: page_mb=%.1f events=%d bound_mb=%.1f peak_rss_mb=%.1f cpu_s=%.2f\n",
		float64(r.PageBytes)/(1<<20), r.Events, float64(r.Bound)/(1<<20), kibToMiB(r.Usage.HWMKiB), r.Usage.CPU().Seconds())
}
