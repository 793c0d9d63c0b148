// Command imagebuild builds the otelcol-okta container image from the built distribution and writes it as
// an OCI image layout (and, with -tarball, as a tarball `docker load` takes). `make image` runs it:
//
//	imagebuild -binary _build/otelcol-okta -version 0.1.0 -layout _build/image-oci [-tarball _build/otelcol-okta-image.tar]
//
// The image's times are SOURCE_DATE_EPOCH (seconds since 1970, UTC), 0 when it is not set: the same
// binary and files always give the same image digest.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/datableio/oktareceiver/deploy/container"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("imagebuild", flag.ContinueOnError)
	var f container.Files
	fs.StringVar(&f.Binary, "binary", "_build/otelcol-okta", "the static otelcol-okta binary")
	fs.StringVar(&f.License, "license", "LICENSE", "the licence file")
	fs.StringVar(&f.Config, "config", "deploy/container/config.yaml", "the baked-in collector configuration")
	fs.StringVar(&f.Passwd, "passwd", "deploy/container/passwd", "the image's /etc/passwd")
	fs.StringVar(&f.Group, "group", "deploy/container/group", "the image's /etc/group")
	version := fs.String("version", "", "the distribution's version (builder-config.yaml's dist.version)")
	dir := fs.String("layout", "_build/image-oci", "the OCI image layout to write (replaced)")
	tarPath := fs.String("tarball", "", "also write a tarball `docker load` takes, tagged otelcol-okta:<version>")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *version == "" {
		return fmt.Errorf("-version is required")
	}
	epoch := int64(0)
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		var err error
		if epoch, err = strconv.ParseInt(s, 10, 64); err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds: %w", s, err)
		}
	}
	img, err := container.Image(f, *version, time.Unix(epoch, 0).UTC())
	if err != nil {
		return err
	}
	if err := container.WriteLayout(*dir, img, *version); err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("wrote otelcol-okta:%s (%s) to %s\n", *version, digest, *dir)
	if *tarPath != "" {
		tag, err := name.NewTag("otelcol-okta:" + *version)
		if err != nil {
			return err
		}
		if err := tarball.WriteToFile(*tarPath, tag, img); err != nil {
			return err
		}
		fmt.Printf("wrote %s (docker load -i %s)\n", *tarPath, *tarPath)
	}
	return nil
}
