package kubernetes

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

// The parts of a collector configuration the checks read. Values are as YAML decodes them: maps,
// lists, strings, numbers.

// component returns the settings of component id (e.g. "okta/acme") of a kind ("receivers",
// "extensions", …), or nil.
func component(cfg map[string]any, kind, id string) map[string]any {
	comps, _ := cfg[kind].(map[string]any)
	c, _ := comps[id].(map[string]any)
	if c == nil {
		if _, ok := comps[id]; ok {
			return map[string]any{} // declared with no settings
		}
	}
	return c
}

// componentIDs returns the ids of kind whose type is typ (the part before any "/").
func componentIDs(cfg map[string]any, kind, typ string) []string {
	comps, _ := cfg[kind].(map[string]any)
	var ids []string
	for id := range comps {
		if strings.SplitN(id, "/", 2)[0] == typ {
			ids = append(ids, id)
		}
	}
	return ids
}

// serviceExtensions returns service.extensions.
func serviceExtensions(cfg map[string]any) []string {
	svc, _ := cfg["service"].(map[string]any)
	return stringList(svc["extensions"])
}

// pipelineReceivers returns every receiver id used by a pipeline.
func pipelineReceivers(cfg map[string]any) map[string]bool {
	svc, _ := cfg["service"].(map[string]any)
	pipelines, _ := svc["pipelines"].(map[string]any)
	used := map[string]bool{}
	for _, p := range pipelines {
		pm, _ := p.(map[string]any)
		for _, r := range stringList(pm["receivers"]) {
			used[r] = true
		}
	}
	return used
}

// prometheusReaders returns the host and port of each pull Prometheus reader of the collector's own
// metrics (service.telemetry.metrics.readers).
func prometheusReaders(cfg map[string]any) []string {
	svc, _ := cfg["service"].(map[string]any)
	tel, _ := svc["telemetry"].(map[string]any)
	metrics, _ := tel["metrics"].(map[string]any)
	readers, _ := metrics["readers"].([]any)
	var addrs []string
	for _, r := range readers {
		rm, _ := r.(map[string]any)
		pull, _ := rm["pull"].(map[string]any)
		exp, _ := pull["exporter"].(map[string]any)
		prom, _ := exp["prometheus"].(map[string]any)
		if prom != nil {
			addrs = append(addrs, net.JoinHostPort(fmt.Sprint(prom["host"]), fmt.Sprint(prom["port"])))
		}
	}
	return addrs
}

// orgHost returns the org of a receiver's endpoint, as a lower-case host: "https://Acme.okta.com/" and
// "acme.okta.com" are the same org.
func orgHost(endpoint string) string {
	h := strings.ToLower(strings.TrimSpace(endpoint))
	h = strings.TrimPrefix(strings.TrimPrefix(h, "https://"), "http://")
	return strings.TrimSuffix(h, "/")
}

var envPlaceholder = regexp.MustCompile(`\$\{env:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// envReferences returns the variables a configuration string refers to with ${env:NAME}.
func envReferences(s string) []string {
	var names []string
	for _, m := range envPlaceholder.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	return names
}

func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

func str(m map[string]any, key string) string {
	if v, ok := m[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}
