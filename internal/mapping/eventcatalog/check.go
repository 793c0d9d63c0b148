package eventcatalog

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/datableio/oktareceiver/internal/mapping"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
)

// MaxOther is the share of a catalog's types that may stay in the category other, each by a reviewed row.
const MaxOther = 0.02

// decided lists what the catalog itself says about a type's kind: a type in one of these product areas, or
// with one of these tags, must get one of the given categories, whatever its prefix says.
var decided = []struct {
	area, tag string
	allowed   []mapping.Category
	why       string
}{
	{area: "itp", allowed: []mapping.Category{mapping.CategorySecurity}, why: "Identity Threat Protection"},
	{tag: "risk", allowed: []mapping.Category{mapping.CategorySecurity}, why: "risk detection"},
	{tag: "threat-insight", allowed: []mapping.Category{mapping.CategorySecurity}, why: "ThreatInsight"},
	{tag: "password-spray", allowed: []mapping.Category{mapping.CategorySecurity}, why: "password spray detection"},
	{tag: "bot-protection", allowed: []mapping.Category{mapping.CategorySecurity}, why: "bot protection"},
	{tag: "behavior-settings", allowed: []mapping.Category{mapping.CategorySecurity}, why: "behavior detection settings"},
	{tag: "behavior-profile", allowed: []mapping.Category{mapping.CategorySecurity}, why: "behavior profiles"},
	{tag: "concurrency-limit", allowed: []mapping.Category{mapping.CategorySecurity}, why: "concurrency limits"},
	{area: "asa", allowed: []mapping.Category{mapping.CategoryAdministrative, mapping.CategoryAuthentication},
		why: "Privileged Access: configuration, or an access to a session or a secret"},
	{tag: "network-zone", allowed: []mapping.Category{mapping.CategoryAdministrative}, why: "network zones"},
	{tag: "admin-role", allowed: []mapping.Category{mapping.CategoryAdministrative}, why: "admin roles"},
	{tag: "oauth2-as-lifecycle", allowed: []mapping.Category{mapping.CategoryAdministrative}, why: "authorization servers"},
	{tag: "oauth2-claim", allowed: []mapping.Category{mapping.CategoryAdministrative}, why: "authorization servers' claims"},
	{tag: "oauth2-scope", allowed: []mapping.Category{mapping.CategoryAdministrative}, why: "authorization servers' scopes"},
	{tag: "session", allowed: []mapping.Category{mapping.CategoryAuthentication, mapping.CategorySecurity}, why: "sessions"},
	{tag: "mfa", allowed: []mapping.Category{mapping.CategoryAuthentication, mapping.CategoryAdministrative, mapping.CategorySecurity},
		why: "MFA, its settings, or attack protection"},
}

// Report is the outcome of checking a catalog against the category table.
type Report struct {
	Release string
	Total   int
	// Counts is the number of types per category.
	Counts map[mapping.Category]int
	// Reviewed are the types that a reviewed row leaves in the category other, with its reason.
	Reviewed []Reviewed
	// Uncovered are the types that no row decides: they fall to other by default.
	Uncovered []Type
	// Disagreements are the types whose category the catalog's product area or tags rule out.
	Disagreements []Disagreement
	// OCSFClasses is the number of types per OCSF class uid (body: ocsf).
	OCSFClasses map[int]int
	// OCSFUnmatched are the types that no row of the OCSF class table decides: they fall to the fallback
	// class.
	OCSFUnmatched []Type
}

// Reviewed is a type deliberately left in the category other.
type Reviewed struct {
	Type   Type
	Reason string
}

// Disagreement is a type whose category the catalog rules out.
type Disagreement struct {
	Type     Type
	Category mapping.Category
	Pattern  string
	Allowed  []mapping.Category
	Why      string
}

// Check puts every type of c through the category table.
func Check(c *Catalog) Report {
	r := Report{Release: c.Release, Total: len(c.Types), Counts: map[mapping.Category]int{}, OCSFClasses: map[int]int{}}
	for _, t := range c.Types {
		dec := ocsf.Decide(t.ID)
		r.OCSFClasses[dec.Class.UID]++
		if !dec.Matched {
			r.OCSFUnmatched = append(r.OCSFUnmatched, t)
		}
		cat, rule, ok := mapping.CategoryOf(t.ID)
		r.Counts[cat]++
		switch {
		case !ok:
			r.Uncovered = append(r.Uncovered, t)
			continue
		case cat == mapping.CategoryOther:
			r.Reviewed = append(r.Reviewed, Reviewed{Type: t, Reason: rule.Reason})
		}
		for _, d := range decided {
			if (d.area != "" && t.Area == d.area || d.tag != "" && t.HasTag(d.tag)) && !slices.Contains(d.allowed, cat) {
				r.Disagreements = append(r.Disagreements, Disagreement{Type: t, Category: cat, Pattern: rule.Pattern, Allowed: d.allowed, Why: d.why})
			}
		}
	}
	return r
}

// Clean tells whether every type has a deliberate category, the catalog agrees with each, and at most
// MaxOther of the types stay in other.
func (r Report) Clean() bool {
	return len(r.Uncovered) == 0 && len(r.Disagreements) == 0 && !r.TooManyOther() && len(r.OCSFUnmatched) == 0
}

// TooManyOther tells whether more than MaxOther of the types are in the category other.
func (r Report) TooManyOther() bool {
	return float64(r.Counts[mapping.CategoryOther]) > MaxOther*float64(r.Total)
}

// Write prints the report for a person keeping the table up to date with Okta.
func (r Report) Write(w io.Writer) {
	fmt.Fprintf(w, "Okta event-type catalog, release %s: %d types\n", r.Release, r.Total)
	var counts []string
	for _, c := range mapping.Categories {
		counts = append(counts, fmt.Sprintf("%s %d", c, r.Counts[c]))
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(counts, ", "))
	var classes []string
	for _, uid := range slices.Sorted(maps.Keys(r.OCSFClasses)) {
		classes = append(classes, fmt.Sprintf("%d %s %d", uid, ocsf.Classes[uid].Name, r.OCSFClasses[uid]))
	}
	fmt.Fprintf(w, "  OCSF classes: %s\n", strings.Join(classes, ", "))
	if len(r.Reviewed) > 0 {
		fmt.Fprintf(w, "left in other by a reviewed row (%d):\n", len(r.Reviewed))
		for _, x := range r.Reviewed {
			fmt.Fprintf(w, "  %s: %s\n", x.Type.ID, x.Reason)
		}
	}
	if len(r.Uncovered) > 0 {
		fmt.Fprintf(w, "\n%d types fall to other because no row of the category table decides them.\n", len(r.Uncovered))
		fmt.Fprintf(w, "Add a row for each to categoryRules in internal/mapping/category.go (an \"other\" row needs a reason):\n")
		for _, t := range r.Uncovered {
			fmt.Fprintf(w, "  %s  [%s]\n", t.ID, describe(t))
		}
	}
	if len(r.Disagreements) > 0 {
		fmt.Fprintf(w, "\n%d types get a category that the catalog rules out; change or add their rows:\n", len(r.Disagreements))
		for _, d := range r.Disagreements {
			fmt.Fprintf(w, "  %s is %s (row %s), but as %s it must be %s  [%s]\n", d.Type.ID, d.Category, d.Pattern, d.Why,
				joinCategories(d.Allowed), describe(d.Type))
		}
	}
	if len(r.OCSFUnmatched) > 0 {
		fmt.Fprintf(w, "\n%d types have no row in the OCSF class table and fall to %s.\n", len(r.OCSFUnmatched), ocsf.Classes[ocsf.Fallback].Name)
		fmt.Fprintf(w, "Add a row for each to rules in internal/mapping/ocsf/table.go:\n")
		for _, t := range r.OCSFUnmatched {
			fmt.Fprintf(w, "  %s  [%s]\n", t.ID, describe(t))
		}
	}
	if r.TooManyOther() {
		fmt.Fprintf(w, "\n%d of %d types are in other, more than %.0f %%: give some of them a category\n",
			r.Counts[mapping.CategoryOther], r.Total, MaxOther*100)
	}
	if r.Clean() {
		fmt.Fprintln(w, "all categorised")
	}
}

// describe gives what the catalog says of a type, to decide its row.
func describe(t Type) string {
	s := "area " + t.Area
	if len(t.Tags) > 0 {
		s += ", tags " + strings.Join(t.Tags, ",")
	}
	if t.Since != "" {
		s += ", since " + t.Since
	}
	if d := strings.TrimSpace(t.Description); d != "" {
		if r := []rune(d); len(r) > 100 {
			d = string(r[:100]) + "…"
		}
		s += ": " + d
	}
	return s
}

func joinCategories(cs []mapping.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, " or ")
}
