// Package version holds the release of the okta receiver: the one place its version is written. The
// instrumentation scope of every record, the User-Agent sent to Okta and the otelcol-okta distribution
// (builder-config.yaml, checked by this package's test) carry it.
package version // import "github.com/datableio/oktareceiver/internal/version"

// Version is the receiver's semantic version, without the leading "v" of its Git tag.
const Version = "0.1.0"
