package oktareceiver // import "github.com/datableio/oktareceiver"

import "github.com/datableio/oktareceiver/receiver"

// NewFactory returns the factory of the okta receiver (component type okta), whose configuration is
// receiver.Config.
var NewFactory = receiver.NewFactory
