// Package eventview prints Okta events as a person watching `make run` wants to read them: one aligned
// line per event with its time, event type, category, actor, outcome and client address. It reads the
// OTLP JSON that the collector's file exporter writes (one ExportLogsServiceRequest per line) and relies
// only on the attributes the receiver's mapping sets.
package eventview // import "github.com/datableio/oktareceiver/tools/eventview"
