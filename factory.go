package oktareceiver // import "github.com/datableio/oktareceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	rcvr "go.opentelemetry.io/collector/receiver"

	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/receiver"
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
)

// NewFactory returns the factory of the okta receiver.
func NewFactory() rcvr.Factory {
	return rcvr.NewFactory(
		metadata.Type,
		createDefaultConfig,
		rcvr.WithLogs(createLogsReceiver, metadata.LogsStability),
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
		Body:                BodyMap,
		BackOff:             backOff,
		ShutdownTimeout:     defaultShutdownTimeout,
		PagesInFlight:       receiver.DefaultPagesInFlight,
	}
}

func createLogsReceiver(_ context.Context, set rcvr.Settings, cfg component.Config, next consumer.Logs) (rcvr.Logs, error) {
	c := cfg.(*Config)
	org, err := orgURL(c.ClientConfig.Endpoint)
	if err != nil {
		return nil, err
	}
	return receiver.New(set, receiver.Settings{
		Org:             org,
		APIToken:        c.APIToken,
		APITokenFile:    c.APITokenFile,
		OAuth:           c.OAuth,
		PollInterval:    c.PollInterval,
		InitialLookback: c.InitialLookback,
		PageSize:        c.PageSize,
		RateLimitBudget: c.RateLimitBudget,
		MaxBodySize:     c.MaxResponseBodySize,
		Filter:          c.Filter,
		Query:           c.Query,
		Storage:         c.Storage,
		Body:            c.Body,
		HTTPClient:      c.ClientConfig,
		BackOff:         c.BackOff,
		ShutdownTimeout: c.ShutdownTimeout,
		PagesInFlight:   c.PagesInFlight,
	}, next)
}
