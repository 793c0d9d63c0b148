// Package receiver runs the okta receiver: it follows the org's System Log through Okta's polling query and
// its next links, hands each page to the pipeline, and checkpoints its place only after the pipeline
// accepted the page.
package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	rcvr "go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/version"
)

// Settings is the validated configuration the receiver runs with.
type Settings struct {
	// Org is the org's base URL: scheme and host only.
	Org             *url.URL
	APIToken        configopaque.String
	APITokenFile    string
	OAuth           *oauth.Config
	PollInterval    time.Duration
	InitialLookback time.Duration
	PageSize        int
	RateLimitBudget float64
	MaxBodySize     int64
	Filter          string
	Query           string
	Storage         *component.ID
	Body            string
	HTTPClient      confighttp.ClientConfig
	BackOff         configretry.BackOffConfig
}

// Receiver is a running okta receiver.
type Receiver struct {
	set    rcvr.Settings
	cfg    Settings
	next   consumer.Logs
	obs    *receiverhelper.ObsReport
	mapper *mapping.Mapper
	now    func() time.Time
	// progressEvery is how often a progress line is logged while catching up.
	progressEvery time.Duration

	client    *okta.Client
	store     storage.Client
	status    statusReporter
	telemetry *telemetry

	// cancelPoll stops polling and waiting; cancelConsume stops a page in the pipeline's hands, which
	// Shutdown allows to finish while its own deadline lasts.
	cancelPoll    context.CancelFunc
	cancelConsume context.CancelFunc
	done          chan struct{}
}

// New returns a receiver that is not started yet.
func New(set rcvr.Settings, cfg Settings, next consumer.Logs) (*Receiver, error) {
	obs, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "http",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	return &Receiver{
		set:  set,
		cfg:  cfg,
		next: next,
		obs:  obs,
		mapper: mapping.New(mapping.Options{
			OrgDomain:    cfg.Org.Hostname(),
			Body:         mapping.BodyMode(cfg.Body),
			ScopeName:    metadata.ScopeName,
			ScopeVersion: version.Version,
		}),
		now:           time.Now,
		progressEvery: progressEvery,
	}, nil
}

// Start builds the HTTP client, opens storage and starts polling in the background; it makes no request.
func (r *Receiver) Start(ctx context.Context, host component.Host) error {
	hc, err := r.cfg.HTTPClient.ToClient(ctx, host.GetExtensions(), r.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("building the HTTP client: %w", err)
	}
	auth, err := r.authorizer(hc)
	if err != nil {
		return err
	}
	store, err := openStorage(ctx, host, r.cfg.Storage, r.set.ID)
	if err != nil {
		return err
	}
	r.store = store
	tel, err := newTelemetry(r.set.ID, r.set.TelemetrySettings, r.now)
	if err != nil {
		return err
	}
	r.telemetry = tel
	r.client = okta.NewClient(r.cfg.Org, hc, auth, userAgent(), r.cfg.MaxBodySize)
	r.client.OnAttempt(tel.attempt)
	r.status = statusReporter{host: host, last: componentstatus.StatusOK}

	pollCtx, cancelPoll := context.WithCancel(context.WithoutCancel(ctx))
	consumeCtx, cancelConsume := context.WithCancel(context.WithoutCancel(ctx))
	r.cancelPoll, r.cancelConsume = cancelPoll, cancelConsume
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		r.run(pollCtx, consumeCtx)
	}()
	return nil
}

// Shutdown stops polling. A page already in the pipeline's hands may finish, and its checkpoint is written,
// while ctx allows; so a graceful shutdown neither loses nor repeats an event.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.done != nil {
		r.cancelPoll()
		select {
		case <-r.done:
		case <-ctx.Done():
			r.cancelConsume()
			<-r.done
		}
		r.cancelConsume()
	}
	if r.telemetry != nil {
		r.telemetry.shutdown()
	}
	if r.store == nil {
		return nil
	}
	return r.store.Close(ctx)
}

func openStorage(ctx context.Context, host component.Host, id *component.ID, self component.ID) (storage.Client, error) {
	if id == nil {
		return storage.NewNopClient(), nil
	}
	ext, ok := host.GetExtensions()[*id]
	if !ok {
		return nil, fmt.Errorf("`storage: %s`: no such extension; define it under `extensions:` and list it in `service.extensions`", id)
	}
	se, ok := ext.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("`storage: %s` is not a storage extension: name a storage extension such as file_storage", id)
	}
	client, err := se.GetClient(ctx, component.KindReceiver, self, "")
	if err != nil {
		return nil, fmt.Errorf("opening storage %s: %w", id, err)
	}
	return client, nil
}

// authorizer is the configured source of credentials.
func (r *Receiver) authorizer(hc *http.Client) (okta.Authorizer, error) {
	switch {
	case r.cfg.OAuth != nil:
		a, err := oauth.New(*r.cfg.OAuth, r.cfg.Org, hc, r.set.Logger, r.now)
		if err != nil {
			return nil, fmt.Errorf("`oauth`: %w", err)
		}
		return a, nil
	case r.cfg.APITokenFile != "":
		return okta.NewTokenFile(r.cfg.APITokenFile)
	}
	return okta.APIToken{Token: r.cfg.APIToken}, nil
}

// userAgent names the receiver and its release in every request to Okta.
func userAgent() string {
	return "datable-okta-receiver/" + version.Version
}

// failureLog logs a failure once per kind of failure, so a long outage does not flood the log; a repeat of
// the same kind is logged at debug level.
type failureLog struct{ last string }

func (f *failureLog) logAt(logger *zap.Logger, level zapcore.Level, msg string, err error, wait time.Duration) {
	kind := failureKind(err)
	if kind == f.last {
		level = zapcore.DebugLevel
		msg += " (again)"
	}
	f.last = kind
	logger.Log(level, msg, zap.Error(err), zap.Stringer("retry_in", wait))
}

// reset forgets the last failure after a success, so the next failure is logged again.
func (f *failureLog) reset() { f.last = "" }

func failureKind(err error) string {
	var ae *okta.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("http %d %s %t", ae.StatusCode, ae.Code, ae.NotOkta)
	}
	var te *okta.TransportError
	if errors.As(err, &te) {
		return "transport"
	}
	var oe *oauth.TokenError
	if errors.As(err, &oe) {
		return fmt.Sprintf("oauth %d %s", oe.Status, oe.Code)
	}
	return fmt.Sprintf("%T", err)
}
