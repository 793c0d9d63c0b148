package okta

import (
	"net/http"
	"testing"
)

func BenchmarkNextLink(b *testing.B) {
	h := http.Header{}
	h.Add("Link", `<https://example.okta.com/api/v1/logs?limit=1000&since=2026-11-24T10%3A00%3A00.000Z&sortOrder=ASCENDING>; rel="self"`)
	h.Add("Link", `<https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1&sortOrder=ASCENDING>; rel="next"`)
	b.ReportAllocs()
	for b.Loop() {
		if NextLink(h) == "" {
			b.Fatal("no next link")
		}
	}
}
