package oktacheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsNameTheTimeout: docs/oktacheck.md gives oktacheck's own timeout default, the one way its client
// differs from the receiver's.
func TestDocsNameTheTimeout(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "oktacheck.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	for _, want := range []string{
		"it waits " + DefaultTimeout.String() + " for each answer by default (`--timeout`)",
		"| `--timeout` | | how long to wait for each answer (" + DefaultTimeout.String() + ") |",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/oktacheck.md does not say %q", want)
		}
	}
}
