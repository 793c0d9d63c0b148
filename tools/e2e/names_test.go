//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// componentKinds are the sections of a collector configuration that name components by type.
var componentKinds = []string{"receivers", "processors", "exporters", "extensions", "connectors"}

// currentNames lists the component types the built distribution registers under their current names (the
// `components` command lists no deprecated alias such as `otlphttp`), by section.
func currentNames(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out, err := exec.Command(binary(t, "OTELCOL_OKTA"), "components").Output()
	if err != nil {
		t.Fatalf("otelcol-okta components: %v", err)
	}
	ret, err := confmap.NewRetrievedFromYAML(out)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := ret.AsConf()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]map[string]bool{}
	for _, kind := range componentKinds {
		names[kind] = map[string]bool{}
		list, _ := conf.Get(kind).([]any)
		for _, c := range list {
			if m, ok := c.(map[string]any); ok {
				names[kind][m["name"].(string)] = true
			}
		}
	}
	if !names["receivers"]["okta"] || !names["exporters"]["otlp_http"] {
		t.Fatalf("unexpected components listing:\n%s", out)
	}
	return names
}

// checkNames reports every component in conf whose type is not one of the distribution's current names.
func checkNames(t *testing.T, where string, conf *confmap.Conf, names map[string]map[string]bool) {
	t.Helper()
	for _, kind := range componentKinds {
		section, ok := conf.Get(kind).(map[string]any)
		if !ok {
			continue // absent, or a list (an ocb builder config)
		}
		for id := range section {
			typ, _, _ := strings.Cut(id, "/")
			if !names[kind][typ] {
				t.Errorf("%s: %s %q is not a current component name of otelcol-okta (a deprecated alias or a component not in the distribution)", where, kind, id)
			}
		}
	}
}

// TestShippedConfigsUseCurrentNames checks that every example config and every YAML snippet of the README
// and of docs/ names its components as the distribution does today, so none of them makes the collector log
// a deprecation warning (e.g. `"otlphttp" alias is deprecated; use "otlp_http" instead`).
func TestShippedConfigsUseCurrentNames(t *testing.T) {
	names := currentNames(t)
	examples, err := filepath.Glob(filepath.Join("..", "..", "testdata", "examples", "*.yaml"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, ex := range examples {
		conf, err := confmaptest.LoadConf(ex)
		if err != nil {
			t.Fatalf("%s: %v", ex, err)
		}
		checkNames(t, ex, conf, names)
	}

	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	snippets := 0
	for _, doc := range append([]string{filepath.Join("..", "..", "README.md")}, docs...) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.ToSlash(strings.TrimPrefix(doc, filepath.Join("..", "..")+string(filepath.Separator)))
		blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(text, -1)
		snippets += len(blocks)
		for i, b := range blocks {
			ret, err := confmap.NewRetrievedFromYAML(b[1])
			if err != nil {
				t.Fatalf("%s YAML snippet %d: %v", name, i+1, err)
			}
			conf, err := ret.AsConf()
			if err != nil {
				t.Fatalf("%s YAML snippet %d: %v", name, i+1, err)
			}
			checkNames(t, name+" YAML snippet "+strings.SplitN(string(b[1]), "\n", 2)[0], conf, names)
		}
	}
	if snippets < 5 {
		t.Fatalf("found %d YAML snippets in README.md and docs/, expected more", snippets)
	}
}
