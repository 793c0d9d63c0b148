// Package oktasim simulates the Okta System Log API (GET /api/v1/logs) closely enough to test a
// client that polls it: polling queries ordered by persistence time with endless next links,
// bounded queries ordered by published time, Okta's Link headers, validation errors, the SCIM
// filter subset, keyword search, rate and concurrency limits, and faults injected on demand
// (5xx, truncated bodies, slow answers, proxy HTML pages, foreign next links, replayed pages, forced
// statuses, a network-zone refusal). It also answers the management calls oktacheck makes to tell what a
// credential may do: the API token's user and its admin roles, the API tokens' metadata, and an OAuth app's
// admin roles (management.go).
//
// The facts it models are those of Okta's API documentation and OpenAPI spec. A Sim is an http.Handler: run it
// in-process with httptest.NewServer, or as a separate process with the oktasim command (tools/cmd/oktasim,
// in the tooling module). The package stays in the receiver's module because the receiver's own tests poll
// it; it needs nothing the receiver does not, and no build of the receiver compiles it.
//
// # Model
//
// The simulated org holds events. Each event keeps its raw JSON object (served byte for byte),
// its uuid, its published time, and a persistence time plus a sequence number assigned when it is
// stored. Add stores events "now" (the simulator clock, Options.Now), so an event whose published
// time is older than now is an event Okta stored late: a polling query still returns it, a
// bounded query over its published window made earlier did not. Events published more than 90
// days before now are never returned.
//
// # Answering a request
//
// A /api/v1/logs request is counted (Stats, including its Host and Authorization header), then
// checked against the concurrency limit and the rate-limit window, then gets its fault if one is
// drawn or forced (faults come before authentication, as a proxy or an outage would), then is
// authenticated, validated and answered. Every answer from "Okta" carries Content-Type, Date (the
// simulator clock), X-Okta-Request-Id and the X-Rate-Limit-* headers; the HTML pages of the proxy
// faults carry none of Okta's headers.
//
// Besides the API, a Sim serves a few admin endpoints without authentication (it is a loopback
// test tool): GET /sim/ledger, GET /sim/stats, GET and POST /sim/faults, POST /sim/events.
package oktasim
