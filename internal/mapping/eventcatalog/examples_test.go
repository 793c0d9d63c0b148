package eventcatalog

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/mapping"
)

// javaMapExamples are the attributes expected of each example the shipped catalog gives of the debugData
// strings written as Java maps. A catalog with an example not listed here fails the test: its shape is
// then to be checked and added.
var javaMapExamples = map[string]map[string]map[string]any{
	"behaviors": {
		"{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=NEGATIVE, New State=BAD_REQUEST, New Country=NEGATIVE, Velocity=NEGATIVE, New City=BAD_REQUEST}": {
			"okta.security.behaviors": map[string]any{"New Geo-Location": "NEGATIVE", "New Device": "POSITIVE", "New IP": "NEGATIVE",
				"New State": "BAD_REQUEST", "New Country": "NEGATIVE", "Velocity": "NEGATIVE", "New City": "BAD_REQUEST"},
		},
		"{Anomalous Location: Country=NEGATIVE, 857d6e8a-1418-483b-9bed-19753635b1bc_1529707130=NEGATIVE, 89cfb2b1-39df-4ab2-9083-cfc743ec95fb=NEGATIVE, 9123fc2e-e5c7-47c4-920b-afecc8571d93=NEGATIVE, 1be3ee59-d12c-42ff-b04e-cc9de57c9a1d=NEGATIVE, bff2f33e-0d48-40e1-8add-a0dd9bc1a587=POSITIVE, 35fd8813-7bb3-4387-b6db-03b5ae95422a=BAD_REQUEST}": {
			"okta.security.behaviors": map[string]any{"Anomalous Location: Country": "NEGATIVE",
				"857d6e8a-1418-483b-9bed-19753635b1bc_1529707130": "NEGATIVE", "89cfb2b1-39df-4ab2-9083-cfc743ec95fb": "NEGATIVE",
				"9123fc2e-e5c7-47c4-920b-afecc8571d93": "NEGATIVE", "1be3ee59-d12c-42ff-b04e-cc9de57c9a1d": "NEGATIVE",
				"bff2f33e-0d48-40e1-8add-a0dd9bc1a587": "POSITIVE", "35fd8813-7bb3-4387-b6db-03b5ae95422a": "BAD_REQUEST"},
		},
	},
	"risk": {
		"{reasons=Anomalous Device, level=MEDIUM}": {
			"okta.security.risk_level": "MEDIUM", "okta.security.risk_reasons": []any{"Anomalous Device"}},
		"{reasons=Anomalous Location, Anomalous Device, level=HIGH}": {
			"okta.security.risk_level": "HIGH", "okta.security.risk_reasons": []any{"Anomalous Location", "Anomalous Device"}},
		"{level=LOW}": {"okta.security.risk_level": "LOW"},
	},
	"threat_suspected": {
		"true":  {"okta.security.threat_suspected": true, "okta.event.category": "security"},
		"false": {"okta.security.threat_suspected": false, "okta.event.category": "authentication"},
	},
}

// securityAttributes are the attributes the examples may produce; any other okta.security.* is unexpected.
var securityAttributes = []string{"okta.security.threat_suspected", "okta.security.risk_level", "okta.security.risk_reasons",
	"okta.security.behaviors", "okta.security.threat_detections"}

// debugDataKey is the debugData member that carries each catalog property in an event.
var debugDataKey = map[string]string{
	"behaviors": "behaviors", "risk": "risk", "threat_suspected": "threatSuspected",
	"log_only_security_data": "logOnlySecurityData", "threat_detections": "threatDetections",
}

// TestCatalogSecurityExamples puts every example the shipped catalog gives of the security signals in
// debugData into a user.session.start event and checks the attributes: the Java map strings against the
// table above, the JSON ones against what encoding/json reads from them.
func TestCatalogSecurityExamples(t *testing.T) {
	c := readShipped(t)
	for prop, key := range debugDataKey {
		examples := c.Examples[prop]
		if len(examples) == 0 {
			t.Errorf("the catalog has no example of %s", prop)
		}
		for _, ex := range examples {
			want, ok := javaMapExamples[prop][ex]
			if !ok {
				if want, ok = jsonExample(prop, ex); !ok {
					t.Errorf("a new shape of %s in the catalog: %s; add its expected attributes to javaMapExamples", prop, ex)
					continue
				}
			}
			got := mapExample(t, key, ex)
			for _, k := range securityAttributes {
				if w, g := want[k], got[k]; !reflect.DeepEqual(w, g) {
					t.Errorf("%s %s: %s = %#v, want %#v", prop, ex, k, g, w)
				}
			}
			if w, ok := want["okta.event.category"]; ok && got["okta.event.category"] != w {
				t.Errorf("%s %s: category %v, want %v", prop, ex, got["okta.event.category"], w)
			}
		}
	}
}

// jsonExample computes the attributes expected of a JSON example of log_only_security_data or
// threat_detections with encoding/json.
func jsonExample(prop, ex string) (map[string]any, bool) {
	var v map[string]any
	if json.Unmarshal([]byte(ex), &v) != nil {
		return nil, false
	}
	want := map[string]any{}
	strs := func(m any) map[string]any {
		out := map[string]any{}
		mm, _ := m.(map[string]any)
		for k, x := range mm {
			if s, ok := x.(string); ok && s != "" {
				out[k] = s
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	switch prop {
	case "threat_detections":
		if m := strs(v); m != nil {
			want["okta.security.threat_detections"] = m
		}
	case "log_only_security_data":
		if m := strs(v["behaviors"]); m != nil {
			want["okta.security.behaviors"] = m
		}
		risk, _ := v["risk"].(map[string]any)
		if level, ok := risk["level"].(string); ok {
			want["okta.security.risk_level"] = level
		}
		if reasons, ok := risk["reasons"].(string); ok {
			want["okta.security.risk_reasons"] = []any{reasons}
		}
	default:
		return nil, false
	}
	return want, true
}

// mapExample maps an event whose debugData member key is the string ex, and returns its attributes.
func mapExample(t *testing.T, key, ex string) map[string]any {
	t.Helper()
	debug, _ := json.Marshal(map[string]string{key: ex})
	page := `[{"uuid":"u1","published":"2026-08-12T14:03:27.418Z","eventType":"user.session.start","severity":"INFO","debugContext":{"debugData":` +
		string(debug) + `}}]`
	logs, _, _, err := mapping.New(mapping.Options{}).MapPage(page, time.Now())
	if err != nil {
		t.Fatalf("MapPage: %v", err)
	}
	return logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().AsRaw()
}
