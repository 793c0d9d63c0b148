package markdown

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ruleFiles are the shipped alerting rules: Prometheus' rule file and the PrometheusRule that carries the
// same groups.
var ruleFiles = []string{
	filepath.Join("deploy", "monitoring", "alerts.yaml"),
	filepath.Join("deploy", "kubernetes", "monitoring", "prometheusrule.yaml"),
}

var (
	// docRef is a reference to a document of the repository in an annotation: its path from the top folder
	// and, optionally, the anchor of a heading.
	docRef = regexp.MustCompile(`\b((?:README|CHANGELOG|docs/[\w-]+)\.md)(?:#([\w-]+))?`)
	// proseRef is a reference written as a path through headings ("README > Troubleshooting"), which no
	// test can follow and which goes stale unseen.
	proseRef = regexp.MustCompile(`\b(README|docs/[\w-]+(?:\.md)?)\s*[>›]`)
)

// TestRunbooksResolve checks every annotation of the shipped alerting rules: each document it names exists,
// each anchor names a heading that exists exactly once, and no reference is a path through headings.
func TestRunbooksResolve(t *testing.T) {
	refs := 0
	anchors := map[string]map[string]int{}
	for _, file := range ruleFiles {
		for alert, text := range annotations(t, file) {
			if m := proseRef.FindString(text); m != "" {
				t.Errorf("%s: %s refers to %q…: write the document's path and a heading's anchor, e.g. docs/troubleshooting.md#symptoms-and-fixes", file, alert, m)
			}
			for _, m := range docRef.FindAllStringSubmatch(text, -1) {
				refs++
				doc := filepath.Join(root, filepath.FromSlash(m[1]))
				if _, err := os.Stat(doc); err != nil {
					t.Errorf("%s: %s names %s, which does not exist", file, alert, m[1])
					continue
				}
				if m[2] == "" {
					continue
				}
				if anchors[doc] == nil {
					anchors[doc] = headingAnchors(prose(t, doc))
				}
				if p := anchorProblem(anchors[doc], m[2]); p != "" {
					t.Errorf("%s: %s: %s#%s %s of %s", file, alert, m[1], m[2], p, m[1])
				}
			}
		}
	}
	// Both rule files name the troubleshooting guide and the scaling guide at least: a pattern that finds
	// nothing would pass every file.
	if refs < 2*len(ruleFiles) {
		t.Errorf("found %d references to documents in %v, expected at least %d", refs, ruleFiles, 2*len(ruleFiles))
	}
}

func TestProseReferencesAreRefused(t *testing.T) {
	for _, text := range []string{"(README > Troubleshooting)", "see README > Kubernetes > Adding", "docs/scaling.md > Sizing"} {
		if !proseRef.MatchString(text) {
			t.Errorf("%q is not refused", text)
		}
	}
	if proseRef.MatchString("(docs/troubleshooting.md#symptoms-and-fixes); a value > 5") {
		t.Error("a path with an anchor is refused")
	}
}

// annotations returns every annotation of every rule in a rule file (or a PrometheusRule's spec), keyed by
// the alert and the annotation's name.
func annotations(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	type group struct {
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	}
	var doc struct {
		Groups []group `yaml:"groups"`
		Spec   struct {
			Groups []group `yaml:"groups"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	out := map[string]string{}
	for _, g := range append(doc.Groups, doc.Spec.Groups...) {
		for _, r := range g.Rules {
			for name, text := range r.Annotations {
				out[r.Alert+" "+name] = text
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no annotations found", file)
	}
	return out
}

// TestPerformanceNamesTheBuildToolchain: docs/performance.md says which Go builds the distribution it
// measures, the Makefile's GO_TOOLCHAIN.
func TestPerformanceNamesTheBuildToolchain(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GO_TOOLCHAIN := (\S+)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile sets no GO_TOOLCHAIN")
	}
	if perf := prose(t, filepath.Join(root, "docs", "performance.md")); !strings.Contains(perf, string(m[1])) {
		t.Errorf("docs/performance.md does not name %s, the Go that make build and make bench use", m[1])
	}
}
