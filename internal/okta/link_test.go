package okta

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestNextLink(t *testing.T) {
	const self = `<https://example.okta.com/api/v1/logs?limit=1000&since=2026-11-24T10%3A00%3A00.000Z>; rel="self"`
	const next = `<https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1>; rel="next"`
	const want = "https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1"
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"two header lines, self first", []string{self, next}, want},
		{"one comma-joined line", []string{self + ", " + next}, want},
		{"next first", []string{next + "," + self}, want},
		{"unquoted rel", []string{`<https://a/x>; rel=next`}, "https://a/x"},
		{"rel with several types", []string{`<https://a/x>; rel="prefetch next"`}, "https://a/x"},
		{"comma inside the target", []string{`<https://a/x?filter=a,b>; rel="next"`}, "https://a/x?filter=a,b"},
		{"comma inside a quoted param", []string{`<https://a/self>; title="a, b"; rel="self", <https://a/n>; rel="next"`}, "https://a/n"},
		{"case of the header values", []string{`<https://a/n>; REL="Next"`}, "https://a/n"},
		{"self only: the last page of a bounded query", []string{self}, ""},
		{"no header", nil, ""},
		{"garbage", []string{`not a link`}, ""},
		{"unterminated target", []string{`<https://a/n; rel="next"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.lines {
				h.Add("Link", l)
			}
			if got := NextLink(h); got != tt.want {
				t.Errorf("NextLink() = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzNextLink(f *testing.F) {
	f.Add(`<https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1>; rel="next"`)
	f.Add(`<https://a/self>; rel="self", <https://a/n>; rel="next"`)
	f.Add(`<https://a/self>; title="a, \"b"; rel="self", <https://a/n>; rel=next`)
	f.Fuzz(func(t *testing.T, line string) {
		h := http.Header{}
		h.Add("Link", line)
		got := NextLink(h) // must not panic or loop
		if got != "" && !strings.Contains(line, "<"+got+">") {
			t.Fatalf("NextLink(%q) = %q, which is not a <target> of the header", line, got)
		}
		if got != "" && !strings.Contains(strings.ToLower(line), "next") {
			t.Fatalf("NextLink(%q) = %q without any rel=next", line, got)
		}
	})
}

func TestOnSystemLog(t *testing.T) {
	org, err := url.Parse("https://example.okta.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		link string
		want bool
	}{
		{"https://example.okta.com/api/v1/logs?limit=1000&after=1627500044869_1", true},
		{"https://example.okta.com/api/v1/logs", true},
		{"https://EXAMPLE.okta.com:443/api/v1/logs?", true},
		{"https://example.okta.com/api/v1/users?limit=200", false},
		{"https://example.okta.com/api/v1/logs/../users", false},
		{"https://example.okta.com/api/v1/logs/%2e%2e/users", false},
		{"https://example.okta.com/api/v1/logs%2F..%2Fusers", false},
		{"https://example.okta.com/api/v1/%6Cogs", false},
		{"https://example.okta.com//api/v1/logs", false},
		{"https://example.okta.com/api//v1/logs", false},
		{"https://example.okta.com/api/v1/logs/", false},
		{"https://example.okta.com/api/v1/logs/x", false},
		{"https://example.okta.com/API/V1/LOGS", false},
		{"https://example.okta.com/api/v1/Logs", false},
		{"https://example.okta.com/api/v1/logs;x=1", false},
		{"https://example.okta.com/./api/v1/logs", false},
		{"https://example.okta.com/api/v1/logs#frag", false},
		{"https://user:pw@example.okta.com/api/v1/logs", false},
		{"https://example.okta.com", false},
		{"/api/v1/logs?after=1", false},
		{"//example.okta.com/api/v1/logs", false},
		{"http://example.okta.com/api/v1/logs", false},
		{"https://example.okta.com:8443/api/v1/logs", false},
		{"https://example.okta.com.evil.example/api/v1/logs", false},
		{"https://evil.example/api/v1/logs?x=https://example.okta.com/api/v1/logs", false},
		{"https:example.okta.com/api/v1/logs", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.link)
		if err != nil {
			t.Fatalf("%s: %v", tt.link, err)
		}
		if got := OnSystemLog(u, org); got != tt.want {
			t.Errorf("OnSystemLog(%s) = %t, want %t", tt.link, got, tt.want)
		}
	}
}
