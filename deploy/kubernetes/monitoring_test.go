package kubernetes

import (
	"os"
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// podMonitor is the part of the Prometheus Operator's PodMonitor (monitoring.coreos.com/v1) the example
// uses; decoding it strictly refuses any other field, a misspelt one included.
type podMonitor struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string            `json:"name"`
		Namespace string            `json:"namespace,omitempty"`
		Labels    map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		Selector            metav1.LabelSelector `json:"selector"`
		PodMetricsEndpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

func loadPodMonitor(t *testing.T) *podMonitor {
	t.Helper()
	b, err := os.ReadFile("monitoring/podmonitor.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pm := &podMonitor{}
	if err := yaml.UnmarshalStrict(b, pm); err != nil {
		t.Fatalf("monitoring/podmonitor.yaml: %v", err)
	}
	return pm
}

// checkPodMonitor says what keeps the PodMonitor from scraping every pod of the layouts: a pod its
// selector misses, or an endpoint on a port the pods do not name.
func checkPodMonitor(pm *podMonitor, layouts ...*Manifests) []string {
	var problems []string
	if pm.APIVersion != "monitoring.coreos.com/v1" || pm.Kind != "PodMonitor" {
		problems = append(problems, "not a monitoring.coreos.com/v1 PodMonitor: "+pm.APIVersion+" "+pm.Kind)
	}
	if pm.Metadata.Namespace != "" {
		problems = append(problems, "a namespace: the manifests are applied to a namespace of the user's choice")
	}
	sel, err := metav1.LabelSelectorAsSelector(&pm.Spec.Selector)
	if err != nil {
		return append(problems, "selector: "+err.Error())
	}
	if len(pm.Spec.PodMetricsEndpoints) == 0 {
		problems = append(problems, "no podMetricsEndpoints")
	}
	for _, m := range layouts {
		for _, s := range m.StatefulSets {
			tmpl := s.Spec.Template
			if !sel.Matches(labels.Set(tmpl.Labels)) {
				problems = append(problems, "the selector misses the pods of StatefulSet "+s.Name)
			}
			for _, ep := range pm.Spec.PodMetricsEndpoints {
				found := false
				for _, c := range tmpl.Spec.Containers {
					found = found || containerPort(&c, intstr.FromString(ep.Port)) != ""
				}
				if !found {
					problems = append(problems, "StatefulSet "+s.Name+" has no container port named "+ep.Port)
				}
				if ep.Path != "/metrics" {
					problems = append(problems, "path "+ep.Path+", want /metrics, where the collector serves them")
				}
			}
		}
	}
	return problems
}

// The PodMonitor example scrapes the metrics port of every pod of both layouts.
func TestPodMonitorScrapesEveryPod(t *testing.T) {
	single, sharded := layouts(t)
	if p := checkPodMonitor(loadPodMonitor(t), single, sharded); len(p) > 0 {
		t.Fatal(strings.Join(p, "\n"))
	}
}

func TestPodMonitorCheckCatchesMistakes(t *testing.T) {
	for name, tc := range map[string]struct {
		change func(*podMonitor)
		want   string
	}{
		"a selector for one layout only": {func(pm *podMonitor) {
			pm.Spec.Selector = metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "otelcol-okta"}}
		}, "misses the pods of StatefulSet otelcol-okta-shard"},
		"a port the pods do not name": {func(pm *podMonitor) { pm.Spec.PodMetricsEndpoints[0].Port = "http-metrics" }, "no container port named http-metrics"},
		"a namespace":                 {func(pm *podMonitor) { pm.Metadata.Namespace = "monitoring" }, "a namespace"},
	} {
		t.Run(name, func(t *testing.T) {
			single, sharded := layouts(t)
			pm := loadPodMonitor(t)
			tc.change(pm)
			p := strings.Join(checkPodMonitor(pm, single, sharded), "\n")
			if !strings.Contains(p, tc.want) {
				t.Fatalf("problems %q, want %q", p, tc.want)
			}
		})
	}
}

// The PrometheusRule example holds exactly the rules that promtool tests in deploy/monitoring/alerts.yaml.
func TestPrometheusRuleIsTheTestedRules(t *testing.T) {
	var alerts struct {
		Groups []any `json:"groups"`
	}
	var rule struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name   string            `json:"name"`
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
		Spec struct {
			Groups []any `json:"groups"`
		} `json:"spec"`
	}
	for path, into := range map[string]any{"../monitoring/alerts.yaml": &alerts, "monitoring/prometheusrule.yaml": &rule} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.UnmarshalStrict(b, into); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if rule.APIVersion != "monitoring.coreos.com/v1" || rule.Kind != "PrometheusRule" {
		t.Errorf("monitoring/prometheusrule.yaml is %s %s, want a monitoring.coreos.com/v1 PrometheusRule", rule.APIVersion, rule.Kind)
	}
	if len(alerts.Groups) == 0 || !reflect.DeepEqual(alerts.Groups, rule.Spec.Groups) {
		t.Fatal("monitoring/prometheusrule.yaml's spec.groups differ from ../monitoring/alerts.yaml's groups: copy them over")
	}
}
