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
	ocsf := OCSF()
	if len(ocsf) < 7 {
		t.Fatalf("expected the 7 OCSF class samples, got %d", len(ocsf))
	}
	for _, s := range append(all, ocsf...) {
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
