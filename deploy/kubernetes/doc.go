// Package kubernetes reads the Kubernetes manifests of the otelcol-okta collector (the directories
// single/ and sharded/ next to it) the way the API server would, strictly: a field Kubernetes does not
// know is an error. It works out, for every pod a StatefulSet makes, the collector configuration files
// that pod reads and the environment it gets, and checks the invariants the deployment relies on: one
// replica reads each org, checkpoints land on the persistent volume, no secret is written into a
// manifest, and the probes, ports and resources match the collector's configuration.
package kubernetes
