// Package container builds the otelcol-okta container image in Go, as ko builds images: one layer on an
// empty base holding the static binary, its licence, the baked-in configuration (config.yaml), /etc/passwd
// and /etc/group (passwd, group) and the volume's directory, owned by the image's user. cmd/imagebuild
// writes it as an OCI image layout (`make image`); the test (build tag image, `make image-test`) reads that
// layout as a registry would serve it and runs the binary of its layer, without root.
package container
