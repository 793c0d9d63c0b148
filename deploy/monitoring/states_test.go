package monitoring

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// receiverStates are the values of the state metric's `state`, as the receiver's code defines them.
func receiverStates(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../receiver/state.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^\s+state[A-Z]\w* += "([a-z_]+)"`).FindAllSubmatch(b, -1) {
		out = append(out, string(m[1]))
	}
	if len(out) < 5 {
		t.Fatalf("found %d states in receiver/state.go: the pattern no longer matches its constants", len(out))
	}
	sort.Strings(out)
	return out
}

// TestNotCollectingNamesTheStatesItCatches: OktaOrgNotCollecting fires for every state its expression does
// not leave out, and docs/monitoring.md and its runbook name exactly those.
func TestNotCollectingNamesTheStatesItCatches(t *testing.T) {
	var expr, runbook string
	for _, r := range loadRules(t) {
		if r.Alert == "OktaOrgNotCollecting" {
			expr, runbook = r.Expr, r.Annotations["runbook"]
		}
	}
	m := regexp.MustCompile(`state!~"([a-z_|]+)"`).FindStringSubmatch(expr)
	if m == nil {
		t.Fatalf("OktaOrgNotCollecting's expression leaves out no states: %q", expr)
	}
	left := map[string]bool{}
	for _, s := range strings.Split(m[1], "|") {
		left[s] = true
	}
	var caught []string
	for _, s := range receiverStates(t) {
		if !left[s] {
			caught = append(caught, s)
		}
	}

	b, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `OktaOrgNotCollecting` \\|([^|]*)\\|").FindSubmatch(b)
	if row == nil {
		t.Fatal("docs/monitoring.md has no row for OktaOrgNotCollecting")
	}
	_, named, _ := strings.Cut(string(row[1]), ":")
	var documented []string
	for _, w := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(named, -1) {
		documented = append(documented, w[1])
	}
	sort.Strings(documented)
	if strings.Join(documented, " ") != strings.Join(caught, " ") {
		t.Errorf("docs/monitoring.md says OktaOrgNotCollecting fires for %v; its expression catches %v", documented, caught)
	}
	for _, s := range caught {
		if !strings.Contains(runbook, s) {
			t.Errorf("OktaOrgNotCollecting's runbook does not name %s, a state it fires for", s)
		}
	}
}
