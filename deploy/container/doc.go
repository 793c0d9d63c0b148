// Package container holds the test of the otelcol-okta container image (the Containerfile at the top of
// the repository): `make image-test` builds the image, writes it as an OCI layout and runs the test
// (build tag image) on it.
package container
