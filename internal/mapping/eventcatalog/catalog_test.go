package eventcatalog

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// shipped is the copy of Okta's catalog the category table is kept against.
var shipped = filepath.Join("..", "..", "samples", "catalog", "okta-event-types-2026.08.1.json")

func readShipped(t *testing.T) *Catalog {
	t.Helper()
	c, err := ReadFile(shipped)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShippedCatalog puts every type of the shipped catalog through the category table: each must be
// decided by a row, agree with what the catalog says of it, and at most 2 % stay in other, each by a
// reviewed row with its reason.
func TestShippedCatalog(t *testing.T) {
	c := readShipped(t)
	if c.Release != "2026.08.1" || len(c.Types) != 1274 {
		t.Fatalf("catalog release %s with %d types, want 2026.08.1 with 1274", c.Release, len(c.Types))
	}
	r := Check(c)
	for _, u := range r.Uncovered {
		t.Errorf("%s has no deliberate category: no row of the category table decides it", u.ID)
	}
	for _, u := range r.OCSFUnmatched {
		t.Errorf("%s has no row in the OCSF class table", u.ID)
	}
	for _, d := range r.Disagreements {
		t.Errorf("%s is %s (row %s), but as %s it must be %s", d.Type.ID, d.Category, d.Pattern, d.Why, joinCategories(d.Allowed))
	}
	if r.TooManyOther() {
		t.Errorf("%d of %d types are other, more than %.0f %%", r.Counts[mapping.CategoryOther], r.Total, MaxOther*100)
	}
	if len(r.Reviewed) != r.Counts[mapping.CategoryOther] {
		t.Errorf("%d types are other, %d of them by a reviewed row", r.Counts[mapping.CategoryOther], len(r.Reviewed))
	}
	for _, x := range r.Reviewed {
		if x.Reason == "" {
			t.Errorf("%s is left in other without a reason", x.Type.ID)
		}
	}
	var out bytes.Buffer
	r.Write(&out)
	if !r.Clean() || !strings.HasSuffix(out.String(), "all categorised\n") {
		t.Errorf("the report is not clean:\n%s", out.String())
	}
}

// newer is a catalog as a later release could publish it: a type of a new product, an ITP type under a
// prefix the table gives another kind, and the reviewed other type.
const newer = `{"release":"2027.01.0","versions":[{"version":"V2","eventTypes":[
 {"id":"core.el.evaluate","category":"inbound-federation","description":"Evaluate Expression Language.","tags":["okta-el"]},
 {"id":"newproduct.widget.create","category":"new-product","description":"Create a widget.","tags":["widget"],"info":{"release":"2027.01.0"}},
 {"id":"user.lifecycle.risk_reset","category":"itp","description":"Reset a user's risk.","tags":[]},
 {"id":"newproduct.widget.create","category":"new-product","description":"listed twice","tags":[]}
]},{"version":"V1","eventTypes":[{"id":"user.session.start","category":"passwordless","tags":["session"]}]}]}`

func TestCheckReportsWhatNeedsARow(t *testing.T) {
	c, err := Parse([]byte(newer))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Types) != 4 || c.Release != "2027.01.0" {
		t.Fatalf("parsed %d types of release %s, want 4 of 2027.01.0", len(c.Types), c.Release)
	}
	r := Check(c)
	if len(r.Uncovered) != 1 || r.Uncovered[0].ID != "newproduct.widget.create" {
		t.Errorf("uncovered %v, want newproduct.widget.create", r.Uncovered)
	}
	if len(r.Disagreements) != 1 || r.Disagreements[0].Type.ID != "user.lifecycle.risk_reset" ||
		r.Disagreements[0].Category != mapping.CategoryUserManagement {
		t.Errorf("disagreements %+v, want user.lifecycle.risk_reset (user_management, itp)", r.Disagreements)
	}
	if len(r.Reviewed) != 1 || r.Reviewed[0].Type.ID != "core.el.evaluate" || !r.TooManyOther() || r.Clean() {
		t.Errorf("reviewed %v, too many other %v, clean %v", r.Reviewed, r.TooManyOther(), r.Clean())
	}
	var out bytes.Buffer
	r.Write(&out)
	for _, want := range []string{
		"release 2027.01.0: 4 types",
		"authentication 1, user_management 1, application 0, administrative 0, other 2",
		"core.el.evaluate: a diagnostic",
		"1 types fall to other because no row of the category table decides them",
		"  newproduct.widget.create  [area new-product, tags widget, since 2027.01.0: Create a widget.]",
		"user.lifecycle.risk_reset is user_management (row user.lifecycle.*), but as Identity Threat Protection it must be security",
		"2 of 4 types are in other, more than 2 %",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "all categorised") {
		t.Errorf("an unclean report says all categorised:\n%s", out.String())
	}
}

func TestParseRejectsWhatIsNotACatalog(t *testing.T) {
	for _, text := range []string{``, `[]`, `{"release":"x"}`, `{"versions":[{"eventTypes":[]}]}`, `<html>`} {
		if _, err := Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), "not an Okta event-type catalog") {
			t.Errorf("Parse(%q) = %v, want an error naming the problem", text, err)
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("ReadFile of a missing file: no error")
	}
}
