package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// recordsDoc is the documentation of the records, which shows the categories and an example record.
var recordsDoc = filepath.Join("..", "..", "docs", "records.md")

// docSection returns the text of the section of docs/records.md that starts with heading, up to the next
// heading of level 2 or 3.
func docSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile(recordsDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("docs/records.md has no section %s", heading)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestCategoriesInDocs checks that the category table of docs/records.md lists every row's pattern in the
// line of its category.
func TestCategoriesInDocs(t *testing.T) {
	section := docSection(t, "## Event categories")
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
				t.Errorf("docs/records.md: the %s line does not mention threatSuspected", r.Category)
			}
		case !strings.Contains(lines[r.Category], "`"+r.Pattern+"`"):
			t.Errorf("docs/records.md: the %s line of ## Event categories does not list `%s`", r.Category, r.Pattern)
		}
	}
}

// TestDocsExampleRecord maps the body of the example record of docs/records.md and compares its attributes
// with those it shows, as the debug exporter prints them.
func TestDocsExampleRecord(t *testing.T) {
	section := docSection(t, "## An example record")
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
		t.Errorf("the example record of docs/records.md shows\n%s\n\nthe mapping gives\n%s", shown, want)
	}
}
