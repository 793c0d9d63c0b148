//go:build image

package container

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/deploy/kubernetes"
)

// The parts of the OCI image layout (image-spec v1) the test reads.
type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
}

type imageConfig struct {
	Created string `json:"created"`
	Config  struct {
		User         string
		Entrypoint   []string
		Cmd          []string
		Volumes      map[string]struct{}
		ExposedPorts map[string]struct{}
		Labels       map[string]string
	} `json:"config"`
}

// image is the unpacked image: its manifest's digest, its configuration, its root filesystem in a
// directory, and the tar header of every path (owners and modes as the image holds them).
type image struct {
	digest  string
	config  imageConfig
	layers  int
	rootfs  string
	headers map[string]*tar.Header
}

// TestImage checks the image `make image` built, from the OCI layout in OTELCOL_OKTA_IMAGE_LAYOUT, as a
// container runtime would get it from a registry. It needs neither root nor a container runtime: the
// binary of the image's layer runs on the test's machine, as the test's user.
func TestImage(t *testing.T) {
	layout, version := os.Getenv("OTELCOL_OKTA_IMAGE_LAYOUT"), os.Getenv("OTELCOL_OKTA_VERSION")
	if layout == "" || version == "" {
		t.Fatal("OTELCOL_OKTA_IMAGE_LAYOUT and OTELCOL_OKTA_VERSION are not set: run this test with `make image-test`")
	}
	img := unpack(t, layout)
	cfg := img.config.Config

	t.Run("one layer", func(t *testing.T) {
		if img.layers != 1 {
			t.Errorf("the image has %d layers, want 1 on an empty base", img.layers)
		}
	})

	t.Run("configuration", func(t *testing.T) {
		want := map[string]any{
			"User":         "10001:10001",
			"Entrypoint":   []string{"/otelcol-okta"},
			"Cmd":          []string{"--config=/etc/otelcol-okta/config.yaml"},
			"Volumes":      []string{"/var/lib/otelcol/okta"},
			"ExposedPorts": []string{"13133/tcp", "8888/tcp"},
		}
		got := map[string]any{"User": cfg.User, "Entrypoint": cfg.Entrypoint, "Cmd": cfg.Cmd,
			"Volumes": keys(cfg.Volumes), "ExposedPorts": keys(cfg.ExposedPorts)}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("image configuration = %v, want %v", got, want)
		}
		for k, v := range map[string]string{
			"org.opencontainers.image.version":  version,
			"org.opencontainers.image.licenses": "Apache-2.0",
			"org.opencontainers.image.source":   "https://github.com/datableio/oktareceiver",
			"org.opencontainers.image.title":    "otelcol-okta",
		} {
			if cfg.Labels[k] != v {
				t.Errorf("label %s = %q, want %q", k, cfg.Labels[k], v)
			}
		}
	})

	t.Run("user", func(t *testing.T) {
		users := colonFile(t, filepath.Join(img.rootfs, "etc/passwd"))
		groups := colonFile(t, filepath.Join(img.rootfs, "etc/group"))
		if u := users["10001"]; len(u) < 4 || u[3] != "10001" {
			t.Errorf("/etc/passwd has no user 10001 with group 10001: %v", users)
		}
		if _, ok := groups["10001"]; !ok {
			t.Errorf("/etc/group has no group 10001: %v", groups)
		}
	})

	t.Run("volume owned by the user", func(t *testing.T) {
		for p, want := range map[string][2]int{"var/lib/otelcol/okta": {10001, 10001}, "var/lib/otelcol": {0, 0}, "var": {0, 0}} {
			h := img.headers[p]
			if h == nil || h.Typeflag != tar.TypeDir {
				t.Errorf("/%s is not a directory of the image", p)
				continue
			}
			if [2]int{h.Uid, h.Gid} != want || h.Mode&0o700 != 0o700 {
				t.Errorf("/%s is owned by %d:%d mode %o, want %d:%d and rwx for the owner", p, h.Uid, h.Gid, h.Mode, want[0], want[1])
			}
		}
	})

	// The test runs the binary as its own user; the image's user (not root, who owns the files) must be
	// able to run it and read what it reads.
	t.Run("files usable by the user", func(t *testing.T) {
		for p, perm := range map[string]int64{"otelcol-okta": 0o005, strings.TrimPrefix(ConfigPath, "/"): 0o004, "etc/passwd": 0o004, "etc/group": 0o004} {
			h := img.headers[p]
			if h == nil || h.Typeflag != tar.TypeReg {
				t.Errorf("/%s is not a file of the image", p)
				continue
			}
			if h.Uid != 10001 && h.Mode&perm != perm {
				t.Errorf("/%s has mode %o: user 10001 cannot use it", p, h.Mode)
			}
		}
	})

	t.Run("static binary", func(t *testing.T) {
		f, err := elf.Open(filepath.Join(img.rootfs, "otelcol-okta"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("/otelcol-okta asks for a dynamic loader: build it with CGO_ENABLED=0 (ocb's default, `cgo_enabled: false`)")
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("/otelcol-okta needs shared libraries %v, which a scratch image does not have", libs)
		}
	})

	t.Run("licence", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(img.rootfs, "LICENSE"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "Apache License") || !strings.Contains(string(data), "Version 2.0") {
			t.Error("/LICENSE is not the Apache License 2.0 the image's label names")
		}
	})

	// The image has no CA bundle: the binary carries its roots, used when the system has none.
	t.Run("CA roots in the binary", func(t *testing.T) {
		info, err := buildinfo.ReadFile(filepath.Join(img.rootfs, "otelcol-okta"))
		if err != nil {
			t.Fatal(err)
		}
		const fallback = "golang.org/x/crypto/x509roots/fallback"
		for _, d := range info.Deps {
			if d.Path == fallback {
				return
			}
		}
		t.Errorf("/otelcol-okta does not hold %s: build it with `make build`, which adds it", fallback)
	})

	t.Run("reproducible", func(t *testing.T) {
		// The same files and time give the same image: rebuild it from the files of its layer.
		created, err := time.Parse(time.RFC3339, img.config.Created)
		if err != nil {
			t.Fatalf("created %q: %v", img.config.Created, err)
		}
		rebuilt, err := Image(Files{
			Binary:  filepath.Join(img.rootfs, "otelcol-okta"),
			License: filepath.Join(img.rootfs, "LICENSE"),
			Config:  filepath.Join(img.rootfs, ConfigPath),
			Passwd:  filepath.Join(img.rootfs, "etc/passwd"),
			Group:   filepath.Join(img.rootfs, "etc/group"),
		}, version, created)
		if err != nil {
			t.Fatal(err)
		}
		d, err := rebuilt.Digest()
		if err != nil {
			t.Fatal(err)
		}
		if d.String() != img.digest {
			t.Errorf("rebuilt from its own files and time, the image is %s, not %s", d, img.digest)
		}
	})

	t.Run("baked-in configuration validates", func(t *testing.T) {
		validate(t, img, cfg.Cmd, map[string]string{
			"OKTA_ENDPOINT":         "example.okta.com",
			"OKTA_API_TOKEN":        "placeholder-token",
			"DATABLE_OTLP_ENDPOINT": "https://otlp.example.com",
			"DATABLE_API_KEY":       "placeholder-key",
		})
	})

	// Each pod of the Kubernetes manifests, with its files where the pod has them (the file_storage
	// directory is the image's volume), moved under the unpacked root filesystem, and its environment.
	for _, dir := range []string{"single", "sharded"} {
		m, err := kubernetes.Load(filepath.Join("..", "kubernetes", dir))
		if err != nil {
			t.Fatal(err)
		}
		pods, err := m.Pods()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pods {
			t.Run("Kubernetes pod "+p.Name+" validates", func(t *testing.T) {
				args := []string{"validate"}
				for _, f := range p.ConfigFiles {
					inImage := path.Join("/kubernetes", p.Name, f.Path)
					write(t, filepath.Join(img.rootfs, inImage), f.Data)
					args = append(args, "--config="+inImage)
				}
				validate(t, img, args, p.Env)
			})
		}
	}
}

// validate runs the image's entrypoint with args and nothing but env in its environment. The paths of the
// image (the --config files, the volume they name) are rewritten to their places in the unpacked root
// filesystem, so no chroot is needed: each --config file is copied with the image's volume moved there.
func validate(t *testing.T, img *image, args []string, env map[string]string) {
	t.Helper()
	if args[0] != "validate" {
		args = append([]string{"validate"}, args...)
	}
	args = append([]string{}, args...)
	for i, a := range args {
		file, ok := strings.CutPrefix(a, "--config=")
		if !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(img.rootfs, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for v := range img.config.Config.Volumes {
			text = strings.ReplaceAll(text, v, filepath.Join(img.rootfs, v))
		}
		moved := filepath.Join(t.TempDir(), path.Base(file))
		write(t, moved, text)
		args[i] = "--config=" + moved
	}
	entry := img.config.Config.Entrypoint
	cmd := exec.Command(filepath.Join(img.rootfs, entry[0]), append(entry[1:], args...)...)
	cmd.Dir = img.rootfs
	cmd.Env = []string{}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
}

// unpack reads the one image of an OCI layout and extracts its layers into a temporary directory.
func unpack(t *testing.T, layout string) *image {
	t.Helper()
	var index struct{ Manifests []descriptor }
	readJSON(t, filepath.Join(layout, "index.json"), &index)
	if len(index.Manifests) != 1 {
		t.Fatalf("%s holds %d images, want 1", layout, len(index.Manifests))
	}
	var manifest struct {
		Config descriptor
		Layers []descriptor
	}
	readJSON(t, blob(t, layout, index.Manifests[0]), &manifest)
	img := &image{digest: index.Manifests[0].Digest, layers: len(manifest.Layers), rootfs: t.TempDir(), headers: map[string]*tar.Header{}}
	readJSON(t, blob(t, layout, manifest.Config), &img.config)
	for _, l := range manifest.Layers {
		extract(t, img, blob(t, layout, l), l.MediaType)
	}
	return img
}

// blob returns the path of a descriptor's blob after checking its digest.
func blob(t *testing.T, layout string, d descriptor) string {
	t.Helper()
	alg, hexDigest, _ := strings.Cut(d.Digest, ":")
	if alg != "sha256" {
		t.Fatalf("digest %s: only sha256 is expected", d.Digest)
	}
	p := filepath.Join(layout, "blobs", alg, hexDigest)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != hexDigest {
		t.Fatalf("blob %s has digest sha256:%s", d.Digest, got)
	}
	return p
}

// extract writes a layer's files into the image's root filesystem (owned by the test's user; the image's
// owners are kept in img.headers).
func extract(t *testing.T, img *image, p, mediaType string) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	switch mediaType {
	case "application/vnd.oci.image.layer.v1.tar":
	case "application/vnd.oci.image.layer.v1.tar+gzip":
		gz, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	default:
		t.Fatalf("layer media type %s is not expected", mediaType)
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := path.Clean(h.Name)
		if name == ".." || strings.HasPrefix(name, "../") || path.IsAbs(name) || strings.HasPrefix(path.Base(name), ".wh.") {
			t.Fatalf("layer entry %q: the image's one layer neither deletes nor leaves its root", h.Name)
		}
		img.headers[name] = h
		dst := filepath.Join(img.rootfs, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode).Perm())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(out, tr); err != nil {
				t.Fatal(err)
			}
			if err := out.Close(); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("layer entry %q of type %c: only directories and files are expected", h.Name, h.Typeflag)
		}
	}
}

// colonFile reads /etc/passwd or /etc/group into its entries by id (the third field).
func colonFile(t *testing.T, p string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if f := strings.Split(line, ":"); len(f) >= 3 {
			entries[f[2]] = f
		}
	}
	return entries
}

func readJSON(t *testing.T, p string, v any) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
