package monitoring

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"sigs.k8s.io/yaml"
)

type ruleFile struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []rule `json:"rules"`
	} `json:"groups"`
}

type rule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

func loadRules(t *testing.T) []rule {
	t.Helper()
	b, err := os.ReadFile("alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		t.Fatalf("alerts.yaml: %v", err)
	}
	var rules []rule
	for _, g := range f.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatal("alerts.yaml holds no rule")
	}
	return rules
}

var severities = map[string]bool{"critical": true, "warning": true, "info": true}

// Every alert parses, names only emitted metrics, says how bad it is, what happened and what fixes it.
func TestAlertRules(t *testing.T) {
	known := emitted(t)
	seen := map[string]bool{}
	for _, r := range loadRules(t) {
		if r.Alert == "" {
			t.Errorf("a rule without an alert name (expr %q): only alerting rules belong here", r.Expr)
			continue
		}
		if seen[r.Alert] {
			t.Errorf("%s: defined twice", r.Alert)
		}
		seen[r.Alert] = true
		if err := checkQuery(known, r.Expr); err != nil {
			t.Errorf("%s: %v", r.Alert, err)
		}
		if r.For != "" {
			if _, err := model.ParseDuration(r.For); err != nil {
				t.Errorf("%s: for %q: %v", r.Alert, r.For, err)
			}
		}
		if !severities[r.Labels["severity"]] {
			t.Errorf("%s: severity %q, want critical, warning or info", r.Alert, r.Labels["severity"])
		}
		if !strings.Contains(r.Annotations["summary"], "{{ $labels.receiver }}") {
			t.Errorf("%s: the summary does not name the org ({{ $labels.receiver }})", r.Alert)
		}
		if len(r.Annotations["runbook"]) < 40 {
			t.Errorf("%s: the runbook annotation does not say what fixes it: %q", r.Alert, r.Annotations["runbook"])
		}
		if len(r.Annotations) != 2 {
			t.Errorf("%s: annotations %v, want summary and runbook (alerts_test.yaml expects exactly these)", r.Alert, r.Annotations)
		}
	}
}

type unitTests struct {
	RuleFiles []string `json:"rule_files"`
	Tests     []struct {
		Name  string `json:"name"`
		Cases []struct {
			EvalTime  string `json:"eval_time"`
			Alertname string `json:"alertname"`
			ExpAlerts []any  `json:"exp_alerts"`
		} `json:"alert_rule_test"`
	} `json:"tests"`
}

// Each alert has a case where it must fire and one where it must stay silent, in promtool's unit tests.
func TestEveryAlertIsTestedBothWays(t *testing.T) {
	b, err := os.ReadFile("alerts_test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ut unitTests
	if err := yaml.Unmarshal(b, &ut); err != nil {
		t.Fatalf("alerts_test.yaml: %v", err)
	}
	if len(ut.RuleFiles) != 1 || ut.RuleFiles[0] != "alerts.yaml" {
		t.Fatalf("alerts_test.yaml tests %v, want [alerts.yaml]", ut.RuleFiles)
	}
	fires, silent := map[string]bool{}, map[string]bool{}
	for _, tg := range ut.Tests {
		for _, c := range tg.Cases {
			if _, err := model.ParseDuration(c.EvalTime); err != nil {
				t.Errorf("%s: eval_time %q: %v", tg.Name, c.EvalTime, err)
			}
			if len(c.ExpAlerts) > 0 {
				fires[c.Alertname] = true
			} else {
				silent[c.Alertname] = true
			}
		}
	}
	names := map[string]bool{}
	for _, r := range loadRules(t) {
		names[r.Alert] = true
		if !fires[r.Alert] {
			t.Errorf("%s: no unit test where it must fire", r.Alert)
		}
		if !silent[r.Alert] {
			t.Errorf("%s: no unit test where it must stay silent", r.Alert)
		}
	}
	for n := range fires {
		if !names[n] {
			t.Errorf("alerts_test.yaml tests %s, which alerts.yaml does not define", n)
		}
	}
}

// The documentation lists every alert with its delay and severity, as alerts.yaml defines it.
func TestDocsListEveryAlert(t *testing.T) {
	b, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, "| `Okta") {
			name := strings.Trim(strings.SplitN(line, "|", 3)[1], " `")
			rows[name] = line
		}
	}
	rules := loadRules(t)
	for _, r := range rules {
		row, ok := rows[r.Alert]
		if !ok {
			t.Errorf("docs/monitoring.md has no row | `%s` | for the alert", r.Alert)
			continue
		}
		after := "at once"
		if r.For != "" {
			after = r.For
		}
		for _, want := range []string{"| " + after + " |", "| " + r.Labels["severity"] + " |"} {
			if !strings.Contains(row, want) {
				t.Errorf("docs/monitoring.md, %s: the row lacks %q (alerts.yaml: for %q, severity %s):\n%s", r.Alert, want, r.For, r.Labels["severity"], row)
			}
		}
	}
	if len(rows) != len(rules) {
		t.Errorf("docs/monitoring.md lists %d alerts, alerts.yaml defines %d", len(rows), len(rules))
	}
}

// Every query of the documentation (README.md and docs/) parses and names only emitted metrics.
func TestDocsQueries(t *testing.T) {
	known := emitted(t)
	files := []string{"../../README.md"}
	more, _ := filepath.Glob("../../docs/*.md")
	files = append(files, more...)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range docQueries(string(b)) {
			n++
			q, err := promQLOf(q)
			if err == nil {
				err = checkQuery(known, q)
			}
			if err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no query found in the documentation: the extraction is broken")
	}
}
