package samples

import (
	"encoding/json"
	"testing"
)

func TestAllSamplesAreEventObjects(t *testing.T) {
	all := All()
	if len(all) < 10 {
		t.Fatalf("expected the 10 bundled samples, got %d", len(all))
	}
	for _, s := range all {
		if len(s.Events) == 0 {
			t.Fatalf("%s: no events", s.Name)
		}
		for _, raw := range s.Events {
			var ev map[string]any
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatalf("%s: not a JSON object: %v", s.Name, err)
			}
			for _, k := range []string{"uuid", "published", "eventType", "severity", "actor"} {
				if _, ok := ev[k]; !ok {
					t.Errorf("%s: missing %q", s.Name, k)
				}
			}
		}
	}
}
