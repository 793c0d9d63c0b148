package okta

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingAuth is an API token that counts the 401s it is told of.
type countingAuth struct {
	APIToken
	rejected atomic.Int32
}

func (a *countingAuth) Rejected(*http.Response) bool { a.rejected.Add(1); return true }

// Each header the receiver reads has a limit: an answer with a longer one is refused whole, says which
// header, how long and the limit, and nothing reads the value (no 401 retry with a nonce from it).
func TestFetchRefusesHeadersOverTheirLimit(t *testing.T) {
	require.Len(t, headerLimits, 8)
	for _, l := range headerLimits {
		for _, status := range []int{http.StatusOK, http.StatusUnauthorized} {
			t.Run(l.Name+" "+strconv.Itoa(status), func(t *testing.T) {
				var requests atomic.Int32
				var value string
				h := func(w http.ResponseWriter, _ *http.Request) {
					requests.Add(1)
					w.Header().Set(l.Name, value)
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("X-Okta-Request-Id", "req-7")
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`[]`))
				}
				auth := &countingAuth{APIToken: APIToken{Token: secret}}
				c, srv := newTestClient(t, h, 0)
				c.auth = auth

				value = strings.Repeat("7", l.Limit) // at the limit: read as usual
				_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
				var he *HeaderTooLongError
				require.NotErrorAs(t, err, &he, "at the limit")

				requests.Store(0)
				auth.rejected.Store(0)
				value = strings.Repeat("7", l.Limit+1)
				_, err = c.Fetch(context.Background(), srv.URL+LogsPath, nil)
				require.ErrorAs(t, err, &he)
				assert.Equal(t, l.Name, he.Header)
				assert.Contains(t, err.Error(), "a "+l.Name+" header of "+strconv.Itoa(l.Limit+1)+" bytes, longer than the "+strconv.Itoa(l.Limit)+" bytes")
				assert.Contains(t, err.Error(), "check `endpoint` and `proxy_url`")
				assert.Contains(t, err.Error(), "[X-Okta-Request-Id req-7]")
				assert.NotContains(t, err.Error(), "7777777777", "the value is not quoted")
				assert.False(t, he.Permanent())
				assert.Equal(t, int32(1), requests.Load(), "one request, no retry")
				assert.Zero(t, auth.rejected.Load(), "the authorizer never saw the answer")
			})
		}
	}
}

// The lines of a header count together: many short Link lines are as long as one long one.
func TestHeaderLinesCountTogether(t *testing.T) {
	h := http.Header{}
	line := `<https://example.okta.com/api/v1/logs?after=1_1>; rel="self"`
	for range 2000 {
		h.Add("Link", line)
	}
	he := CheckHeaders(h)
	require.NotNil(t, he)
	assert.Equal(t, 2000*len(line)+1999, he.Length)
	he.Host = "example.okta.com"
	assert.Contains(t, he.Error(), "a Link header of 121999 bytes (in 2000 lines), longer than the 65536 bytes")
	assert.Nil(t, CheckHeaders(http.Header{"Link": {line, line}, "Dpop-Nonce": {"n-1"}, "Retry-After": {"30"}}))
}
