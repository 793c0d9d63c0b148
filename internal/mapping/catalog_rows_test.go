package mapping_test

import (
	"path/filepath"
	"testing"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/mapping/eventcatalog"
)

func readShipped(t *testing.T) *eventcatalog.Catalog {
	t.Helper()
	c, err := eventcatalog.ReadFile(filepath.Join("..", "samples", "catalog", "okta-event-types-2026.08.1.json"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEveryRowDecidesACatalogType keeps the table free of rows that no documented type needs.
func TestEveryRowDecidesACatalogType(t *testing.T) {
	used := map[string]bool{}
	for _, ty := range readShipped(t).Types {
		if _, rule, ok := mapping.CategoryOf(ty.ID); ok {
			used[rule.Pattern] = true
		}
	}
	for _, r := range mapping.CategoryRules() {
		if r.Pattern != "" && !used[r.Pattern] {
			t.Errorf("row %s (%s) decides no type of the catalog", r.Pattern, r.Category)
		}
	}
}
