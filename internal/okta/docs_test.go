package okta

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTroubleshootingNamesTheCutLengths: docs/troubleshooting.md says how long server text may be in an
// error, with this package's own lengths.
func TestTroubleshootingNamesTheCutLengths(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "troubleshooting.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	for _, want := range []string{
		fmt.Sprintf("an `error_description` to %d bytes", MaxServerText),
		fmt.Sprintf("the first bytes of a body to %d", maxServerExcerpt),
		fmt.Sprintf("or an error code to %d", MaxServerWord),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/troubleshooting.md does not say %q", want)
		}
	}
}
