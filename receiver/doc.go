// Package receiver is the okta receiver: its configuration (Config, used by the running receiver as it was
// read from the collector's YAML), its factory (NewFactory, which the module's root package hands on to
// collector builds), and the receiver that polls one Okta org's System Log, maps every page to log records,
// delivers them to the pipeline and checkpoints its place in a storage extension only after the pipeline
// accepted the page. Every okta receiver of a collector draws on one memory pool (package pool, made in memory.go) and one stop
// clock (stop.go), so that one org's trouble holds no other org back.
package receiver // import "github.com/datableio/oktareceiver/receiver"
