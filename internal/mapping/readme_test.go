package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// readmeSection returns the text of the README section that starts with heading, up to the next heading
// of that level or above.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %s", heading)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestCategoriesInREADME checks that the README's category table lists every row's pattern in the line of
// its category.
func TestCategoriesInREADME(t *testing.T) {
	section := readmeSection(t, "### Event categories")
	lines := map[Category]string{}
	for line := range strings.SplitSeq(section, "\n") {
		for _, c := range Categories {
			if strings.HasPrefix(line, "| `"+string(c)+"` |") {
				lines[c] = line
			}
		}
	}
	for _, r := range categoryRules {
		switch {
		case r.threatSuspected:
			if !strings.Contains(lines[r.Category], "threatSuspected") {
				t.Errorf("README: the %s line does not mention threatSuspected", r.Category)
			}
		case !strings.Contains(lines[r.Category], "`"+r.Pattern+"`"):
			t.Errorf("README: the %s line of ### Event categories does not list `%s`", r.Category, r.Pattern)
		}
	}
}

// TestREADMEExampleRecord maps the body of the README's example record and compares its attributes with
// those the README shows, as the debug exporter prints them.
func TestREADMEExampleRecord(t *testing.T) {
	section := readmeSection(t, "### An example record")
	_, rest, ok := strings.Cut(section, "\nBody: Map(")
	if !ok {
		t.Fatal("the example record has no Body: Map(...) line")
	}
	body, shown, ok := strings.Cut(rest, ")\nAttributes:\n")
	if !ok {
		t.Fatal("the example record has no Attributes: after its body")
	}
	shown, _, _ = strings.Cut(shown, "\nTrace ID:")
	lr, _, _ := mapOne(t, BodyMap, body)
	var got []string
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		got = append(got, fmt.Sprintf("     -> %s: %s(%s)", k, v.Type(), v.AsString()))
		return true
	})
	if want := strings.Join(got, "\n"); shown != want {
		t.Errorf("the README's example record shows\n%s\n\nthe mapping gives\n%s", shown, want)
	}
}
