package receiver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/oktasim"
)

func serviceAppKey(t *testing.T) (*ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func TestOAuthServiceAppWithDPoP(t *testing.T) {
	for _, dpop := range []bool{false, true} {
		t.Run(map[bool]string{false: "bearer", true: "dpop"}[dpop], func(t *testing.T) {
			key, pemKey := serviceAppKey(t)
			o := newOrg(t, oktasim.Options{OAuth: &oktasim.OAuthApp{ClientID: "0oaservice", PublicKey: &key.PublicKey, RequireDPoP: dpop}})
			want := o.addEvents(t, 150, time.Now().Add(-time.Minute))
			cfg := testConfig(o)
			cfg.APIToken = ""
			cfg.OAuth = configoptional.Some(oauth.Config{ClientID: "0oaservice", PrivateKey: configopaque.String(pemKey), Scopes: []string{oauth.DefaultScope}, DPoP: dpop})
			sink := new(consumertest.LogsSink)
			r := start(t, cfg, componenttest.NewNopHost(), sink)
			waitForCount(t, sink, len(want))
			r.stop(t)
			assert.Equal(t, want, uids(sink))
			assert.Equal(t, 1, o.sim.OAuthStats().TokensIssued, "one access token serves every page while it lives")
			for _, entry := range r.logs.All() {
				assert.NotContains(t, entry.Message, "PRIVATE KEY")
			}
		})
	}
}

func TestOAuthDPoPMismatchIsPermanentWithFix(t *testing.T) {
	key, pemKey := serviceAppKey(t)
	o := newOrg(t, oktasim.Options{OAuth: &oktasim.OAuthApp{ClientID: "0oaservice", PublicKey: &key.PublicKey, RequireDPoP: true}})
	cfg := testConfig(o)
	cfg.APIToken = ""
	cfg.OAuth = configoptional.Some(oauth.Config{ClientID: "0oaservice", PrivateKey: configopaque.String(pemKey), Scopes: []string{oauth.DefaultScope}})
	host := &statusHost{Host: componenttest.NewNopHost()}
	r := start(t, cfg, host, new(consumertest.LogsSink))
	require.Eventually(t, func() bool { return len(host.reported()) > 0 }, 5*time.Second, 5*time.Millisecond)
	r.stop(t)
	assert.Equal(t, componentstatus.StatusPermanentError, host.reported()[0])
	failed := r.logs.FilterMessageSnippet("Okta request failed").All()
	require.NotEmpty(t, failed)
	assert.Contains(t, failed[0].ContextMap()["error"], "dpop")
}
