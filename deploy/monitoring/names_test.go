package monitoring

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

// collectorMetrics are the collector's own receiver metrics the rules, the dashboard and the documentation
// may use: every receiver reports them, with the attributes receiver and transport.
var collectorMetrics = []string{
	"otelcol_receiver_accepted_log_records",
	"otelcol_receiver_refused_log_records",
	"otelcol_receiver_failed_log_records",
}

// promName is the name the collector's Prometheus endpoint gives a telemetry metric of metadata.yaml: its
// name with the `otelcol_` prefix, and no unit or type suffix (no `_total`, no `_seconds`), as
// TestCollectorExposesTheseNames checks on a running collector.
func promName(metadataKey string) string { return "otelcol_" + metadataKey }

// emitted is every metric name a query may use: the receiver's (metadata.yaml) and the collector's own.
func emitted(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../../metadata.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Telemetry struct {
			Metrics map[string]any `json:"metrics"`
		} `json:"telemetry"`
	}
	if err := yaml.Unmarshal(b, &md); err != nil {
		t.Fatalf("metadata.yaml: %v", err)
	}
	if len(md.Telemetry.Metrics) == 0 {
		t.Fatal("metadata.yaml lists no telemetry.metrics")
	}
	names := map[string]bool{}
	for k := range md.Telemetry.Metrics {
		names[promName(k)] = true
	}
	for _, n := range collectorMetrics {
		names[n] = true
	}
	return names
}

var promql = parser.NewParser(parser.Options{})

// metricNames parses expr as PromQL and returns the metric names its selectors name. A selector without a
// fixed name (a regular expression on __name__, or none) is an error: it could not be checked.
func metricNames(expr string) ([]string, error) {
	node, err := promql.ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(node, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		for _, m := range vs.LabelMatchers {
			if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
				name = m.Value
			}
		}
		if name == "" {
			err = fmt.Errorf("selector %s names no metric", vs)
		}
		names = append(names, name)
		return nil
	})
	return names, err
}

// checkQuery reports what is wrong with a query: it does not parse, or names a metric nobody emits.
func checkQuery(known map[string]bool, expr string) error {
	names, err := metricNames(expr)
	if err != nil {
		return fmt.Errorf("%q does not parse as PromQL: %w", expr, err)
	}
	if len(names) == 0 {
		return fmt.Errorf("%q names no metric", expr)
	}
	var unknown []string
	for _, n := range names {
		if !known[n] {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%q names %s, which the receiver does not emit (metadata.yaml) nor the collector: one of %s",
			expr, strings.Join(unknown, ", "), strings.Join(sortedKeys(known), ", "))
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The checks themselves must catch what they are for.
func TestQueryCheckRefusesWhatItMust(t *testing.T) {
	known := map[string]bool{"otelcol_receiver_okta_lag": true}
	for name, tc := range map[string]struct {
		expr, frag string
	}{
		"a suffix the endpoint does not add": {"rate(otelcol_receiver_okta_lag_seconds[5m])", "otelcol_receiver_okta_lag_seconds, which the receiver does not emit"},
		"not PromQL":                         {"otelcol_receiver_okta_lag >", "does not parse"},
		"a regular expression for the name":  {`{__name__=~"otelcol_.*"}`, "names no metric"},
		"no metric at all":                   {"1 + 1", "names no metric"},
	} {
		t.Run(name, func(t *testing.T) {
			err := checkQuery(known, tc.expr)
			if err == nil || !strings.Contains(err.Error(), tc.frag) {
				t.Fatalf("checkQuery(%q) = %v, want an error with %q", tc.expr, err, tc.frag)
			}
		})
	}
	if err := checkQuery(known, `max by (receiver) (otelcol_receiver_okta_lag{receiver=~"okta/.*"}) > 900`); err != nil {
		t.Fatal(err)
	}
}

// inlineCode is a code span of one line of Markdown.
var inlineCode = regexp.MustCompile("`([^`]+)`")

// docQueries returns the PromQL of a Markdown text: its ```promql blocks, and its code spans that name an
// otelcol_ metric (a bare metric name is a PromQL selector too). Other fenced blocks (YAML, shell) are not
// queries.
func docQueries(md string) []string {
	var qs []string
	var block []string
	fence, promqlBlock := "", false
	for line := range strings.SplitSeq(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if trimmed == fence {
				if promqlBlock {
					qs = append(qs, strings.TrimSpace(strings.Join(block, "\n")))
				}
				fence, block = "", nil
				continue
			}
			block = append(block, line)
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			fence, promqlBlock = "```", strings.TrimPrefix(trimmed, "```") == "promql"
			continue
		}
		for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
			if q := m[1]; strings.Contains(q, "otelcol_") && !strings.Contains(q, "<") {
				if strings.HasPrefix(trimmed, "|") {
					q = strings.ReplaceAll(q, `\|`, "|") // a | inside a table cell is written \|
				}
				qs = append(qs, q)
			}
		}
	}
	return slices.Compact(qs)
}

func TestDocQueriesFindsSpansAndPromQLBlocksOnly(t *testing.T) {
	md := "a `otelcol_x > 1` and `other`\n```yaml\nk: `otelcol_in_yaml`\n```\n```promql\nsum(otelcol_y)\n```\n"
	got := docQueries(md)
	if len(got) != 2 || got[0] != "otelcol_x > 1" || got[1] != "sum(otelcol_y)" {
		t.Fatalf("docQueries = %q, want the span and the promql block", got)
	}
}

// docs/monitoring.md's table of metrics lists exactly the receiver's metrics of metadata.yaml, each with
// its kind and unit.
func TestDocsListEveryMetric(t *testing.T) {
	b, err := os.ReadFile("../../metadata.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var md struct {
		Telemetry struct {
			Metrics map[string]struct {
				Unit  string `json:"unit"`
				Gauge any    `json:"gauge"`
				Sum   *struct {
					Monotonic bool `json:"monotonic"`
				} `json:"sum"`
			} `json:"metrics"`
		} `json:"telemetry"`
	}
	if err := yaml.Unmarshal(b, &md); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for line := range strings.SplitSeq(string(doc), "\n") {
		if strings.HasPrefix(line, "| `otelcol_receiver_okta_") {
			cells := strings.Split(line, "|")
			rows[strings.Trim(cells[1], " `")] = cells
		}
	}
	units := map[string]string{"s": "seconds", "By": "bytes"}
	for key, m := range md.Telemetry.Metrics {
		name := promName(key)
		cells, ok := rows[name]
		if !ok {
			t.Errorf("docs/monitoring.md has no row for %s", name)
			continue
		}
		kind := strings.TrimSpace(cells[2])
		want := "gauge"
		if m.Sum != nil && m.Sum.Monotonic {
			want = "counter"
		}
		if !strings.HasPrefix(kind, want) {
			t.Errorf("docs/monitoring.md says %s is a %q; metadata.yaml makes it a %s", name, kind, want)
		}
		if u, ok := units[m.Unit]; ok != strings.Contains(kind, ", "+u) || (ok && !strings.HasSuffix(kind, u)) {
			t.Errorf("docs/monitoring.md gives %s the kind %q; its unit in metadata.yaml is %q", name, kind, m.Unit)
		}
		delete(rows, name)
	}
	for name := range rows {
		t.Errorf("docs/monitoring.md lists %s, which metadata.yaml does not define", name)
	}
}
