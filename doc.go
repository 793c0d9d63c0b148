// Package oktareceiver is the okta receiver of the OpenTelemetry Collector: it collects an Okta org's System
// Log through the polling query and its next links, hands every page to the pipeline as log records, and
// checkpoints its place in a storage extension only after the pipeline accepted the page.
//
// NewFactory is what a collector build (ocb's builder-config.yaml) imports. The receiver itself, its Config,
// its factory and the running receiver, lives in package receiver
// (github.com/datableio/oktareceiver/receiver); its parts (the Okta client, OAuth, the event mapping) live
// under internal/.
package oktareceiver // import "github.com/datableio/oktareceiver"
