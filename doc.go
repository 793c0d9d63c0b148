// Package oktareceiver is the okta receiver of the OpenTelemetry Collector: it collects an Okta org's System
// Log through the polling query and its next links, hands every page to the pipeline as log records, and
// checkpoints its place in a storage extension only after the pipeline accepted the page. NewFactory is what
// a collector build (ocb's builder-config.yaml) imports; Config is its configuration, which the running
// receiver uses as it is.
package oktareceiver // import "github.com/datableio/oktareceiver"
