package version

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// root is the module's top folder, where the release's other files live.
var root = filepath.Join("..", "..")

func TestIsSemanticVersion(t *testing.T) {
	// Semantic Versioning 2.0.0 core version with an optional pre-release, no leading "v".
	re := regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$`)
	if !re.MatchString(Version) {
		t.Fatalf("Version %q is not a semantic version such as 0.1.0", Version)
	}
}

func TestDistributionHasTheSameVersion(t *testing.T) {
	conf, err := confmaptest.LoadConf(filepath.Join(root, "builder-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := conf.Get("dist::version"); got != Version {
		t.Errorf("builder-config.yaml dist.version is %v, internal/version says %q: write the same release in both", got, Version)
	}
}

func TestChangelogNewestReleaseIsThisVersion(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	// Release headings read "## 0.1.0 - 2026-12-01"; "## Unreleased" is not a release.
	m := regexp.MustCompile(`(?m)^## v?(\d+\.\d+\.\d+\S*)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("CHANGELOG.md has no release heading such as `## 0.1.0 - 2026-12-01`")
	}
	if string(m[1]) != Version {
		t.Errorf("CHANGELOG.md's newest release is %s, internal/version says %s: add a heading for %s", m[1], Version, Version)
	}
}

func TestReadmeAddsThisVersion(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "gomod: github.com/datableio/oktareceiver v" + Version
	if !regexp.MustCompile(`(?m)^\s*- ` + regexp.QuoteMeta(want) + `\s*$`).Match(raw) {
		t.Errorf("README.md's ocb line must read `- %s`", want)
	}
}
