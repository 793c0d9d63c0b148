// Package oktareceiver is the okta receiver of the OpenTelemetry Collector: it collects an Okta org's System
// Log through the polling query and hands every event to the pipeline as a log record, keeping its place in
// a storage extension. NewFactory is what a collector build (ocb's builder-config.yaml) imports; Config is
// its configuration.
package oktareceiver // import "github.com/datableio/oktareceiver"
