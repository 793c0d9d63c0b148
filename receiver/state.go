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
	// stateStorageFailed: the receiver's storage cannot be opened; it does not run until that is fixed.
	stateStorageFailed = "storage_failed"
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

func (t *telemetry) observeState(_ context.Context, o metric.Int64Observer) error {
	s := t.state.Load()
	attrs := []attribute.KeyValue{t.id, attribute.String("state", s.name)}
	if s.errType != "" {
		attrs = append(attrs, attribute.String("error.type", s.errType))
	}
	o.Observe(1, metric.WithAttributes(attrs...))
	return nil
}
