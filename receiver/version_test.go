package receiver

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/datableio/oktareceiver/internal/oktasim"
	"github.com/datableio/oktareceiver/internal/version"
)

func TestScopeAndUserAgentCarryTheReceiverVersion(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	o := newOrg(t, oktasim.Options{Authorize: func(r *http.Request) bool {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		return r.Header.Get("Authorization") == "SSWS test-token"
	}})
	o.addEvents(t, 3, time.Now().Add(-time.Minute))
	sink := new(consumertest.LogsSink)
	// The settings' BuildInfo is the collector's version ("latest" here), not the receiver's.
	r := start(t, testConfig(o), componenttest.NewNopHost(), sink)
	waitForCount(t, sink, 3)
	r.stop(t)

	for _, ld := range sink.AllLogs() {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			sls := ld.ResourceLogs().At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				scope := sls.At(j).Scope()
				assert.Equal(t, "github.com/datableio/oktareceiver", scope.Name())
				assert.Equal(t, version.Version, scope.Version())
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, agents)
	for _, ua := range agents {
		assert.Equal(t, "datable-okta-receiver/"+version.Version, ua)
	}
}
