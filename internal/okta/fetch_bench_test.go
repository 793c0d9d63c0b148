package okta

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// BenchmarkFetch fetches a page of 2.4 MB (1000 events of the end-to-end bench's size) from a loopback
// server, with a Content-Length (as Okta and the simulator send) and without one (chunked), metered as the
// receiver meters it: the reading of the body, its buffer's growth and what the garbage collector then has
// to do with it.
func BenchmarkFetch(b *testing.B) {
	page := append([]byte{'['}, bytes.Repeat([]byte(`{"uuid":"x","published":"2026-12-01T00:00:00.000Z","p":"`+string(bytes.Repeat([]byte{'a'}, 2300))+`"},`), 1000)...)
	page[len(page)-1] = ']'
	for _, withLength := range []bool{true, false} {
		name := "content-length"
		if !withLength {
			name = "chunked"
		}
		b.Run(name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if withLength {
					w.Header().Set("Content-Length", strconv.Itoa(len(page)))
				}
				_, _ = w.Write(page)
			}))
			defer srv.Close()
			u, err := url.Parse(srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			c := NewClient(u, srv.Client(), APIToken{Token: secret}, "ua", 16<<20)
			metered := int64(0)
			meter := meterFunc(func(n int64) error { metered += n; return nil })
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				pg, err := c.Fetch(context.Background(), srv.URL+LogsPath, meter)
				if err != nil || len(pg.Body) != len(page) {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(metered)/float64(b.N)/(1<<20), "metered-MiB/op")
		})
	}
}
