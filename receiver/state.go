package receiver

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// The org's states, as the `state` of receiver_okta_state: a few words an operator understands.
const (
	// stateStarting: no answer from Okta yet.
	stateStarting = "starting"
	// stateCollecting: caught up, polling every poll_interval.
	stateCollecting = "collecting"
	// stateCatchingUp: following full pages through a backlog (receiver_okta_lag says how far behind).
	stateCatchingUp = "catching_up"
	// stateRateLimited: waiting for the org's rate-limit window (the budget, or a 429).
	stateRateLimited = "rate_limited"
	// stateCredentialRefused: Okta refused the credential, or it cannot be used: only a fix by the user helps.
	stateCredentialRefused = "credential_refused" //nolint:gosec // the name of a state, not a credential
	// stateUnreachable: no answer from Okta (DNS, TCP, TLS, proxy, timeout).
	stateUnreachable = "unreachable"
	// stateFailing: Okta, or something in between, answers with something that is not a page.
	stateFailing = "failing"
	// stateWaitingPipeline: the org's own pipeline has not accepted a page for longer than poll_interval.
	stateWaitingPipeline = "waiting_pipeline"
	// stateWaitingMemory: waiting longer than poll_interval for memory shared with other orgs.
	stateWaitingMemory = "waiting_memory"
	// statePageRefused: an answer too large to be handled within the memory bound (larger than
	// max_response_body_size, or more events than Okta puts in a page): refused, asked again only after the
	// longest backoff.
	statePageRefused = "page_refused"
	// stateStorageFailed: the receiver's storage cannot be opened (error.type "start"), and it does not run
	// until that is fixed; or a checkpoint write failed (error.type "checkpoint_write"), and until one
	// succeeds the org collects on but a restart would repeat what it delivered since the last one written.
	// A failing write outranks every other state: it is what an operator must fix before a restart.
	stateStorageFailed = "storage_failed"
	// errCheckpointWrite is the error.type of storage_failed while checkpoint writes fail.
	errCheckpointWrite = "checkpoint_write"
)

// orgState is the state and, when failing or unreachable, the kind of the last failure.
type orgState struct {
	name    string
	errType string
}

// setState reports the org's state from now on.
func (t *telemetry) setState(name, errType string) {
	if cur := t.state.Load(); cur != nil && cur.name == name && cur.errType == errType {
		return
	}
	t.state.Store(&orgState{name: name, errType: errType})
}

// checkpointWriteFailing reports whether checkpoint writes fail: while they do, the state reported is
// storage_failed whatever the org does meanwhile, and the state it is in shows again once one succeeds.
func (t *telemetry) checkpointWriteFailing(failing bool) { t.writeFailing.Store(failing) }

func (t *telemetry) observeState(_ context.Context, o metric.Int64Observer) error {
	s := t.state.Load()
	if t.writeFailing.Load() {
		s = &orgState{name: stateStorageFailed, errType: errCheckpointWrite}
	}
	attrs := []attribute.KeyValue{t.id, attribute.String("state", s.name)}
	if s.errType != "" {
		attrs = append(attrs, attribute.String("error.type", s.errType))
	}
	o.Observe(1, metric.WithAttributes(attrs...))
	return nil
}
