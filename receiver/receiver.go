// Package receiver runs the okta receiver: it follows the org's System Log through Okta's polling query and
// its next links, hands each page to the pipeline, and checkpoints its place only after the pipeline
// accepted the page.
package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
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
	// ShutdownTimeout bounds how long Shutdown waits for a page in the pipeline's hands.
	ShutdownTimeout time.Duration
	// PagesInFlight is what this receiver asks of the collector-wide page gate, whose size is the largest
	// ask of the running receivers; 0 asks DefaultPagesInFlight.
	PagesInFlight int
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

	client *okta.Client
	store  storage.Client
	// pagesAsked is what the receiver asked of the page gate while it runs.
	pagesAsked int
	// storeMu guards store against a checkpoint written while Shutdown closes it.
	storeMu     sync.Mutex
	storeClosed bool
	status      statusReporter
	telemetry   *telemetry

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
	if err := r.prepare(ctx, host); err != nil {
		return err
	}
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

// prepare builds everything a poll step needs: the HTTP client and its credentials, storage, telemetry
// and the status reporter.
func (r *Receiver) prepare(ctx context.Context, host component.Host) error {
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
	r.pagesAsked = r.cfg.PagesInFlight
	if r.pagesAsked <= 0 {
		r.pagesAsked = DefaultPagesInFlight
	}
	pages.ask(r.pagesAsked)
	return nil
}

// Shutdown stops polling. A page already in the pipeline's hands may finish, and its checkpoint is written,
// for at most shutdown_timeout (less if ctx ends sooner); then the pipeline is asked to stop, and a page it
// had not accepted is not checkpointed: the next start reads it again. Shutdown returns within
// shutdown_timeout plus abandonWait whatever the pipeline does, so a collector whose backend is down still
// stops.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.done != nil {
		r.cancelPoll()
		timer := time.NewTimer(r.cfg.ShutdownTimeout)
		select {
		case <-r.done:
		case <-ctx.Done():
		case <-timer.C:
		}
		timer.Stop()
		r.cancelConsume()
		select {
		case <-r.done:
		case <-time.After(abandonWait):
			r.set.Logger.Warn("the pipeline did not give back a page of Okta events after it was asked to stop; shutting down without it: it is not checkpointed, and the next start reads it again")
		}
	}
	if r.pagesAsked > 0 {
		pages.withdraw(r.pagesAsked)
		r.pagesAsked = 0
	}
	if r.telemetry != nil {
		r.telemetry.shutdown()
	}
	r.storeMu.Lock()
	defer r.storeMu.Unlock()
	if r.store == nil || r.storeClosed {
		return nil
	}
	r.storeClosed = true
	return r.store.Close(ctx)
}

// abandonWait is how long Shutdown waits, after cancelling the pipeline's context, for a pipeline that
// does not heed it.
const abandonWait = 2 * time.Second

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
		if id.Type().String() == "file_storage" {
			return nil, fmt.Errorf("opening storage %s: %w: the receiver's checkpoint file %s in file_storage's `directory` cannot be opened; if it is damaged, stop the collector and move that file aside (this receiver then starts from initial_lookback) or restore it from a backup; if it is locked, another collector is using the same directory: give each its own",
				id, err, storageFileName(self))
		}
		return nil, fmt.Errorf("opening storage %s: %w", id, err)
	}
	return client, nil
}

// storageFileName is the file file_storage keeps a receiver's data in: receiver_<type>_<name>.
func storageFileName(id component.ID) string {
	return fmt.Sprintf("receiver_%s_%s", id.Type(), id.Name())
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
