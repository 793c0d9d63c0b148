package container

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The image's constants: where its files go, its user, its volume and its ports.
const (
	// User is the image's user and group (uid:gid), the otelcol entry of its /etc/passwd.
	User = "10001:10001"
	// Entrypoint is the collector binary's path in the image.
	Entrypoint = "/otelcol-okta"
	// ConfigPath is where the baked-in configuration goes.
	ConfigPath = "/etc/otelcol-okta/config.yaml"
	// Volume is the file_storage directory of the baked-in configuration, owned by User.
	Volume = "/var/lib/otelcol/okta"

	uid, gid = 10001, 10001
)

// Files are the paths on the build machine of what the image holds.
type Files struct {
	Binary  string // the static otelcol-okta binary (`make build`)
	License string // LICENSE
	Config  string // deploy/container/config.yaml
	Passwd  string // deploy/container/passwd
	Group   string // deploy/container/group
}

// Image builds the otelcol-okta image: one layer on an empty base, holding the binary, its licence, the
// baked-in configuration, /etc/passwd and /etc/group, and the volume's directory owned by the image's
// user. Every time in it (file times, the layer's history, the image's creation) is created, so the same
// files and the same time always give the same image, byte for byte. The image carries no CA bundle: the
// binary holds its own roots (golang.org/x/crypto/x509roots/fallback, see the Makefile's build target).
func Image(f Files, version string, created time.Time) (v1.Image, error) {
	binary, err := os.ReadFile(f.Binary)
	if err != nil {
		return nil, err
	}
	arch, err := elfArch(f.Binary)
	if err != nil {
		return nil, err
	}
	entries := []entry{
		{name: "otelcol-okta", mode: 0o755, data: binary},
		{name: strings.TrimPrefix(Volume, "/"), dir: true, mode: 0o755, uid: uid, gid: gid},
	}
	for src, dst := range map[string]string{f.License: "LICENSE", f.Config: ConfigPath, f.Passwd: "/etc/passwd", f.Group: "/etc/group"} {
		data, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{name: strings.TrimPrefix(dst, "/"), mode: 0o644, data: data})
	}
	layerTar, err := tarLayer(entries, created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(gzip.DefaultCompression))
	if err != nil {
		return nil, err
	}

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created:   v1.Time{Time: created},
		CreatedBy: "otelcol-okta image build (deploy/container)",
	}})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.Created = v1.Time{Time: created}
	cfg.OS, cfg.Architecture = "linux", arch
	cfg.Config = v1.Config{
		User:       User,
		Entrypoint: []string{Entrypoint},
		Cmd:        []string{"--config=" + ConfigPath},
		Volumes:    map[string]struct{}{Volume: {}},
		// health_check, and the collector's own metrics (Prometheus)
		ExposedPorts: map[string]struct{}{"13133/tcp": {}, "8888/tcp": {}},
		Labels:       Labels(version),
	}
	return mutate.ConfigFile(img, cfg)
}

// Labels are the image's OCI annotations-as-labels for a release.
func Labels(version string) map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       "otelcol-okta",
		"org.opencontainers.image.description": "OpenTelemetry Collector with Datable's okta receiver for the Okta System Log",
		"org.opencontainers.image.vendor":      "Datable",
		"org.opencontainers.image.version":     version,
		"org.opencontainers.image.licenses":    "Apache-2.0",
		"org.opencontainers.image.source":      "https://github.com/datableio/oktareceiver",
	}
}

// WriteLayout writes img as the one image of a new OCI image layout in dir (replacing what dir held),
// named by its version as a registry tag would.
func WriteLayout(dir string, img v1.Image, version string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.WriteImage(img); err != nil {
		return err
	}
	desc, err := partial.Descriptor(img)
	if err != nil {
		return err
	}
	// An image, not an artifact: its descriptor names no artifactType (go-containerregistry sets the
	// config's media type there).
	desc.ArtifactType = ""
	desc.Annotations = map[string]string{"org.opencontainers.image.ref.name": version}
	return p.AppendDescriptor(*desc)
}

// entry is a file or directory of the layer.
type entry struct {
	name     string // without a leading slash
	dir      bool
	mode     int64
	uid, gid int
	data     []byte
}

// tarLayer writes the entries, with every parent directory they need (root's, mode 0755), in name order.
func tarLayer(entries []entry, mtime time.Time) ([]byte, error) {
	all := map[string]entry{}
	for _, e := range entries {
		if _, dup := all[e.name]; dup {
			return nil, fmt.Errorf("image path /%s given twice", e.name)
		}
		all[e.name] = e
	}
	for _, e := range entries {
		for d := path.Dir(e.name); d != "."; d = path.Dir(d) {
			if _, ok := all[d]; !ok {
				all[d] = entry{name: d, dir: true, mode: 0o755}
			}
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		e := all[n]
		h := &tar.Header{Name: n, Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: mtime.UTC()}
		if e.dir {
			h.Typeflag, h.Name = tar.TypeDir, n+"/"
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// elfArch is the image architecture (GOARCH's name) of a Linux binary, which must be static: the image
// has no dynamic loader and no shared library.
func elfArch(p string) (string, error) {
	f, err := elf.Open(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return "", fmt.Errorf("%s asks for a dynamic loader: build it with CGO_ENABLED=0 (ocb's default, `cgo_enabled: false`)", p)
		}
	}
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64", nil
	case elf.EM_AARCH64:
		return "arm64", nil
	default:
		return "", errors.New(p + ": only amd64 and arm64 binaries are expected, found " + f.Machine.String())
	}
}
