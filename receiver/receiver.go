package receiver // import "github.com/datableio/oktareceiver/receiver"

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	rcvr "go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/metadata"
	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
	"github.com/datableio/oktareceiver/internal/problem"
	"github.com/datableio/oktareceiver/internal/version"
)

// oktaReceiver is a running okta receiver.
type oktaReceiver struct {
	set rcvr.Settings
	cfg *Config
	// org is the org's base URL (scheme and host only), from cfg's endpoint.
	org *url.URL
	// apiToken is cfg's api_token without the whitespace around it.
	apiToken configopaque.String
	next     consumer.Logs
	obs      *receiverhelper.ObsReport
	mapper   *mapping.Mapper
	now      func() time.Time
	// progressEvery is how often a progress line is logged while catching up.
	progressEvery time.Duration

	client *okta.Client
	store  storage.Client
	// shared is what every okta receiver of the collector shares: the memory pool and the stop clock.
	shared *shared
	// memoryAsked is the capacity the receiver asked of the collector-wide memory pool while it runs.
	memoryAsked int64
	// storeMu guards store against a checkpoint written while Shutdown closes it. storeClosed is set as
	// Shutdown begins to close it: no checkpoint is written after that.
	storeMu     sync.Mutex
	storeClosed atomic.Bool
	status      statusReporter
	telemetry   *telemetry

	// cancelPoll stops polling and waiting; cancelConsume stops a page in the pipeline's hands, which
	// Shutdown allows to finish while its own deadline lasts.
	cancelPoll    context.CancelFunc
	cancelConsume context.CancelFunc
	done          chan struct{}
}

// newReceiver returns a receiver of the validated cfg that is not started yet.
func newReceiver(set rcvr.Settings, cfg *Config, next consumer.Logs, sh *shared) (*oktaReceiver, error) {
	org, err := orgURL(cfg.ClientConfig.Endpoint)
	if err != nil {
		return nil, err
	}
	obs, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "http",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	return &oktaReceiver{
		set:      set,
		cfg:      cfg,
		org:      org,
		apiToken: trimmedToken(cfg.APIToken, set.Logger),
		next:     next,
		obs:      obs,
		shared:   sh,
		mapper: mapping.New(mapping.Options{
			OrgDomain:    org.Hostname(),
			Body:         cfg.Body,
			ScopeName:    metadata.ScopeName,
			ScopeVersion: version.Version,
			// The collector's own credential: an event it made that is not a read of the System Log is flagged.
			CollectorClientID: oauthClientID(cfg),
			CollectorTokenID:  cfg.APITokenID,
		}),
		now:           time.Now,
		progressEvery: progressEvery,
	}, nil
}

// Start builds the HTTP client, opens storage and starts polling in the background; it makes no request.
// A `storage` that names no extension, or one that is not a storage extension, is a mistake in the
// collector's configuration: Start returns a *storageRefError naming the id and the fix, and the collector
// does not start. What else goes wrong here is this org's problem only: a storage that cannot be opened (a
// damaged file), a credential file that cannot be read, a TLS setting that cannot be loaded. It is logged
// with its fix and reported as a permanent error status, the receiver stays idle, and Start returns nil so
// the collector and every other org run on. A failure of the collector's own telemetry stops the start too.
func (r *oktaReceiver) Start(ctx context.Context, host component.Host) error {
	r.shared.stops.started()
	ext, err := storageExtension(host, r.cfg.Storage)
	if err != nil {
		return err
	}
	if err := r.instrument(host); err != nil {
		return err
	}
	if err := r.prepare(ctx, host, ext); err != nil {
		r.startFailed(err)
		return nil
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

// instrument sets up what the receiver reports through: its telemetry and its component status.
func (r *oktaReceiver) instrument(host component.Host) error {
	tel, err := newTelemetry(r.set.ID, r.set.TelemetrySettings, r.now)
	if err != nil {
		return err
	}
	r.telemetry = tel
	r.status = statusReporter{host: host, last: componentstatus.StatusOK}
	return nil
}

// prepare builds everything a poll step needs: the HTTP client and its credentials, and storage; then it
// asks the collector-wide memory pool for its share.
func (r *oktaReceiver) prepare(ctx context.Context, host component.Host, ext storage.Extension) error {
	warnVoidedTLS(r.cfg.ClientConfig.TLS, r.org, r.set.Logger)
	hc, err := r.cfg.ClientConfig.ToClient(ctx, host.GetExtensions(), r.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("building the HTTP client: %w", err)
	}
	auth, err := r.authorizer(hc)
	if err != nil {
		return err
	}
	store, err := openStorage(ctx, ext, r.cfg.Storage, r.set.ID)
	if err != nil {
		return err
	}
	r.store = store
	r.client = okta.NewClient(r.org, hc, auth, userAgent(), r.cfg.MaxResponseBodySize)
	r.client.OnAttempt(r.telemetry.attempt)
	r.memoryAsked = int64(r.cfg.PagesInFlight) * r.shared.pageShare
	r.shared.memory.Ask(r.memoryAsked)
	return nil
}

// startFailed reports a start that cannot go on: for this receiver only.
func (r *oktaReceiver) startFailed(err error) {
	state := stateFailing
	p := problem.Of(err)
	var se *storageError
	if errors.As(err, &se) {
		state, p.Text, p.Fix = stateStorageFailed, se.err.Error(), se.fix
	}
	r.telemetry.setState(state, "start")
	fields := []zap.Field{zap.String("org", r.org.Host), zap.String("error", p.Text)}
	if p.Fix != "" {
		fields = append(fields, zap.String("fix", p.Fix))
	}
	fields = append(fields, zap.String("then", "restart the collector or reload its configuration; every other receiver runs on meanwhile"))
	r.set.Logger.Error("receiver cannot start: idle until fixed", fields...)
	r.status.report(componentstatus.NewPermanentErrorEvent(err))
}

// Shutdown stops polling. A page already in the pipeline's hands may finish, and its checkpoint is written,
// until the stop's deadline: shutdown_timeout after the first of the okta receivers the collector stops one
// after another began to stop (see stopClock), so a stop or reload takes about one shutdown_timeout however
// many orgs are blocked. Then
// the pipeline is asked to stop, and a page it had not accepted is not checkpointed: the next start reads
// it again. Shutdown returns by the deadline plus abandonWait whatever the pipeline or the storage do.
func (r *oktaReceiver) Shutdown(ctx context.Context) error {
	deadline := r.shared.stops.begin(r.cfg.ShutdownTimeout)
	defer r.shared.stops.end()
	if r.done != nil {
		r.cancelPoll()
		waitUntil(ctx, r.done, deadline)
		r.cancelConsume()
		if !waitUntil(context.Background(), r.done, deadline.Add(abandonWait)) {
			r.set.Logger.Warn("the pipeline did not give back a page of Okta events after it was asked to stop",
				zap.String("then", "shutting down without it: it is not checkpointed, and the next start reads it again"))
		}
	}
	if r.memoryAsked > 0 {
		r.shared.memory.Withdraw(r.memoryAsked)
		r.memoryAsked = 0
	}
	if r.telemetry != nil {
		r.telemetry.shutdown()
	}
	return r.closeStore(ctx, deadline.Add(abandonWait))
}

// closeStore closes the storage client once no checkpoint is being written, but waits no later than until:
// a storage that hangs is left behind rather than holding the collector's stop.
func (r *oktaReceiver) closeStore(ctx context.Context, until time.Time) error {
	if r.storeClosed.Swap(true) {
		return nil
	}
	closed := make(chan error, 1)
	go func() {
		r.storeMu.Lock()
		defer r.storeMu.Unlock()
		if r.store == nil {
			closed <- nil
			return
		}
		closed <- r.store.Close(context.WithoutCancel(ctx))
	}()
	t := time.NewTimer(max(time.Until(until), 0))
	defer t.Stop()
	select {
	case err := <-closed:
		return err
	case <-t.C:
		r.set.Logger.Warn("the storage did not close in time", zap.String("then", "shutting down without waiting for it"))
		return nil
	}
}

// waitUntil waits for done until the deadline or ctx ends; it reports whether done was closed.
func waitUntil(ctx context.Context, done <-chan struct{}, deadline time.Time) bool {
	t := time.NewTimer(max(time.Until(deadline), 0))
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// abandonWait is how long Shutdown waits, after cancelling the pipeline's context, for a pipeline that
// does not heed it.
const abandonWait = 2 * time.Second

// storageError is a storage that cannot be opened, and what to do about it.
type storageError struct {
	err error
	fix string
}

func (e *storageError) Error() string {
	if e.fix == "" {
		return e.err.Error()
	}
	return e.err.Error() + ": " + e.fix
}

func (e *storageError) Unwrap() error { return e.err }

// storageRefError is a `storage` id that names no extension of the collector, or one that is not a storage
// extension: a mistake in the configuration, which Start returns.
type storageRefError struct {
	ID component.ID
	// NotStorage is set when the extension exists but is not a storage extension.
	NotStorage bool
}

func (e *storageRefError) Error() string { return e.Problem() + "; " + e.Fix() }

// Problem says what is wrong with the reference, without the fix.
func (e *storageRefError) Problem() string {
	if e.NotStorage {
		return fmt.Sprintf("`storage: %s` is not a storage extension", e.ID)
	}
	return fmt.Sprintf("`storage: %s`: no such extension", e.ID)
}

// Fix is what to change in the configuration.
func (e *storageRefError) Fix() string {
	if e.NotStorage {
		return "name a storage extension such as file_storage"
	}
	return fmt.Sprintf("define %s under `extensions:` and list it in `service.extensions`, or correct the id", e.ID)
}

// storageExtension is the storage extension id names; nil when no storage is configured.
func storageExtension(host component.Host, id *component.ID) (storage.Extension, error) {
	if id == nil {
		return nil, nil
	}
	ext, ok := host.GetExtensions()[*id]
	if !ok {
		return nil, &storageRefError{ID: *id}
	}
	se, ok := ext.(storage.Extension)
	if !ok {
		return nil, &storageRefError{ID: *id, NotStorage: true}
	}
	return se, nil
}

// openStorage opens the receiver's client of se, the extension id names; without storage, a client that
// keeps nothing.
func openStorage(ctx context.Context, se storage.Extension, id *component.ID, self component.ID) (storage.Client, error) {
	if se == nil {
		return storage.NewNopClient(), nil
	}
	client, err := se.GetClient(ctx, component.KindReceiver, self, "")
	if err != nil {
		if id.Type().String() == "file_storage" {
			return nil, &storageError{err: fmt.Errorf("opening storage %s: %w", id, err),
				fix: fmt.Sprintf("the receiver's checkpoint file %s in file_storage's `directory` cannot be opened; if it is damaged, stop the collector and move that file aside (this receiver then starts from initial_lookback) or restore it from a backup; if it is locked, another collector is using the same directory: give each its own",
					storageFileName(self))}
		}
		return nil, &storageError{err: fmt.Errorf("opening storage %s: %w", id, err)}
	}
	return client, nil
}

// storageFileName is the file file_storage keeps a receiver's data in: receiver_<type>_<name>.
func storageFileName(id component.ID) string {
	return fmt.Sprintf("receiver_%s_%s", id.Type(), id.Name())
}

// authorizer is the configured source of credentials.
func (r *oktaReceiver) authorizer(hc *http.Client) (okta.Authorizer, error) {
	switch {
	case r.cfg.OAuth.HasValue():
		a, err := oauth.New(*r.cfg.OAuth.Get(), r.org, hc, r.set.Logger, r.now)
		if err != nil {
			return nil, fmt.Errorf("`oauth`: %w", err)
		}
		return a, nil
	case r.cfg.APITokenFile != "":
		return okta.NewTokenFile(r.cfg.APITokenFile)
	}
	return okta.APIToken{Token: r.apiToken}, nil
}

// userAgent names the receiver and its release in every request to Okta.
func userAgent() string {
	return "datable-okta-receiver/" + version.Version
}
