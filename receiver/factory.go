package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	rcvr "go.opentelemetry.io/collector/receiver"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oauth"
)

// Defaults. The client timeout is longer than Okta's own 30 s limit on one query, so a slow query is
// answered by Okta (with an error the receiver can report) before the client gives up.
const (
	defaultTimeout         = 60 * time.Second
	defaultPollInterval    = 15 * time.Second
	defaultInitialLookback = 24 * time.Hour
	defaultRateLimitBudget = 0.5
	// defaultMaxResponseBodySize holds a full page of 1000 large events (about 10 KB each) with room to
	// spare, and keeps the worst case of one page in memory, body and records, under about 200 MB.
	defaultMaxResponseBodySize = 16 << 20
	defaultShutdownTimeout     = 5 * time.Second
	// defaultPagesInFlight is how many pages' worth of memory every okta receiver of a collector may hold at
	// once, together, unless a receiver's configuration says otherwise: one page being mapped or exported per
	// CPU of a small machine, which keeps every core busy while many orgs catch up.
	defaultPagesInFlight = 2
)

// NewFactory returns the factory of the okta receiver. Every receiver it creates shares one memory pool and
// one stop clock: those of the collector it is built into.
func NewFactory() rcvr.Factory {
	sh := newShared()
	return rcvr.NewFactory(
		metadata.Type,
		createDefaultConfig,
		rcvr.WithLogs(func(_ context.Context, set rcvr.Settings, cfg component.Config, next consumer.Logs) (rcvr.Logs, error) {
			return newReceiver(set, cfg.(*Config), next, sh)
		}, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	client := confighttp.NewDefaultClientConfig()
	client.Timeout = defaultTimeout
	backOff := configretry.NewDefaultBackOffConfig()
	backOff.InitialInterval = time.Second
	backOff.MaxInterval = time.Minute
	backOff.MaxElapsedTime = 0
	return &Config{
		ClientConfig:        client,
		PollInterval:        defaultPollInterval,
		InitialLookback:     defaultInitialLookback,
		PageSize:            maxPageSize,
		RateLimitBudget:     defaultRateLimitBudget,
		MaxResponseBodySize: defaultMaxResponseBodySize,
		Body:                mapping.BodyMap,
		BackOff:             backOff,
		ShutdownTimeout:     defaultShutdownTimeout,
		PagesInFlight:       defaultPagesInFlight,
		OAuth:               configoptional.Default(oauth.Config{Scopes: []string{oauth.DefaultScope}}),
	}
}

// trimmedToken is the API token without the whitespace around it (a trailing newline from ${file:…} or a
// Kubernetes Secret), which would make every request fail; the trim is logged, the token never.
func trimmedToken(token configopaque.String, logger *zap.Logger) configopaque.String {
	trimmed := strings.TrimSpace(string(token))
	if removed := len(token) - len(trimmed); removed > 0 {
		logger.Warn("`api_token` has whitespace around it", zap.Int("whitespace_bytes_removed", removed),
			zap.String("then", "using it without the whitespace (a trailing newline from ${file:…} or a Secret?)"))
	}
	return configopaque.String(trimmed)
}
