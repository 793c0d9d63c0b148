package monitoring

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int     `json:"id"`
	Type       string  `json:"type"`
	Title      string  `json:"title"`
	Datasource *source `json:"datasource"`
	Targets    []struct {
		Expr       string  `json:"expr"`
		Datasource *source `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

type source struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type variable struct {
	Name  string          `json:"name"`
	Type  string          `json:"type"`
	Query json.RawMessage `json:"query"`
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	b, err := os.ReadFile("dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}
	return d
}

// allPanels flattens rows.
func allPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

// grafanaVars are the variables a query may use, with a value that makes it PromQL.
var grafanaVars = strings.NewReplacer(
	"${receiver}", "okta/x", "$receiver", "okta/x",
	"$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h",
)

var leftVariable = regexp.MustCompile(`\$\{?\w+`)

// promQLOf turns a panel's query into PromQL: Grafana's variables replaced by values.
func promQLOf(expr string) (string, error) {
	q := grafanaVars.Replace(expr)
	if v := leftVariable.FindString(q); v != "" {
		return "", fmt.Errorf("%q uses %s, which is not a variable of the dashboard", expr, v)
	}
	return q, nil
}

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)

// Every panel's query parses as PromQL, names only metrics the receiver or the collector emits, and is per
// org (filtered by the receiver variable).
func TestDashboardQueries(t *testing.T) {
	known := emitted(t)
	d := loadDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Error("the dashboard has no uid or title: importing it twice would make two")
	}
	ids := map[int]bool{}
	queried := map[string]bool{}
	for _, p := range allPanels(d.Panels) {
		if ids[p.ID] {
			t.Errorf("panel id %d is used twice", p.ID)
		}
		ids[p.ID] = true
		if p.Type == "row" || p.Type == "text" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			if tg.Datasource == nil || tg.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q: a query not on the dashboard's ${datasource}", p.Title)
			}
			q, err := promQLOf(tg.Expr)
			if err == nil {
				err = checkQuery(known, q)
			}
			if err != nil {
				t.Errorf("panel %q: %v", p.Title, err)
				continue
			}
			if !strings.Contains(tg.Expr, `receiver=~"$receiver"`) {
				t.Errorf("panel %q: %q is not filtered by the org variable (receiver=~\"$receiver\")", p.Title, tg.Expr)
			}
			names, _ := metricNames(q)
			for _, n := range names {
				queried[n] = true
			}
		}
	}
	// docs/monitoring.md lists every panel with its query.
	doc, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range allPanels(d.Panels) {
		for _, tg := range p.Targets {
			row := "| " + p.Title + " | `" + strings.ReplaceAll(tg.Expr, "|", `\|`) + "` |"
			if !strings.Contains(string(doc), row) {
				t.Errorf("docs/monitoring.md lacks the row of panel %q:\n%s", p.Title, row)
			}
		}
	}
	// The per-org panels an operator needs at a glance.
	for _, m := range []string{"state", "events_received", "lag", "requests", "rate_limit_remaining", "checkpoint_age"} {
		if !queried["otelcol_receiver_okta_"+m] {
			t.Errorf("no panel shows otelcol_receiver_okta_%s", m)
		}
	}
}

// The org variable lists the receivers from a metric that exists.
func TestDashboardVariables(t *testing.T) {
	known := emitted(t)
	d := loadDashboard(t)
	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			var s string
			if json.Unmarshal(v.Query, &s) != nil {
				t.Fatalf("variable %s: a query that is neither a string nor an object: %s", v.Name, v.Query)
			}
			q.Query = s
		}
		m := labelValues.FindStringSubmatch(q.Query)
		if m == nil {
			t.Errorf("variable %s: %q is not label_values(<metric>, <label>)", v.Name, q.Query)
			continue
		}
		if err := checkQuery(known, m[1]); err != nil {
			t.Errorf("variable %s: %v", v.Name, err)
		}
	}
	for _, want := range []string{"datasource", "receiver"} {
		if !vars[want] {
			t.Errorf("the dashboard has no %s variable", want)
		}
	}
}

func TestPromQLOfRefusesUnknownVariables(t *testing.T) {
	if _, err := promQLOf(`rate(otelcol_receiver_okta_requests{pod=~"$pod"}[5m])`); err == nil || !strings.Contains(err.Error(), "$pod") {
		t.Fatalf("promQLOf with an unknown variable: %v", err)
	}
}
