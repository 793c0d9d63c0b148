// Package bench measures the otelcol-okta distribution end to end: the built collector reads a
// backlog from the Okta simulator over TLS and exports it to an OTLP/HTTP sink, while the
// collector's CPU time and resident memory are recorded. With a rate limit it shows how the
// receiver's rate_limit_budget shares the org's window. RunOrgs runs one collector with a receiver
// per simulated org (each on its own loopback address) and checks every org's events against its
// ledger. cmd/oktabench runs it; `make bench` builds the distribution first.
package bench
