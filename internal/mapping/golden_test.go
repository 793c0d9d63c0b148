package mapping

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"

	"github.com/datableio/oktareceiver/internal/samples"
)

// update rewrites the golden files from the current output instead of comparing against them.
var update = flag.Bool("update", false, "rewrite the golden files in internal/samples/golden")

// goldenDir holds one golden file per sample: <sample>.yaml for body: map, <sample>.raw.yaml for body: raw
// (for the samples in rawGolden).
var goldenDir = filepath.Join("..", "samples", "golden", "map")

// rawGolden are the samples that also have a body: raw golden file: a page as Okta returns it, and the
// event whose published does not parse.
var rawGolden = map[string]bool{
	"okta-spec-ListLogs-user.session.start":                    true,
	"okta-docs-systemlog-reference-example-user.session.start": true,
}

// TestGolden maps every sample and compares the records with the golden files in internal/samples/golden/map.
// After an intended change of the output, regenerate the files and review the diff:
//
//	go test ./internal/mapping -run TestGolden -update
func TestGolden(t *testing.T) {
	all := samples.All()
	if len(all) == 0 {
		t.Fatal("no samples")
	}
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			checkGolden(t, s, BodyMap, filepath.Join(goldenDir, s.Name+".yaml"))
			if rawGolden[s.Name] {
				checkGolden(t, s, BodyRaw, filepath.Join(goldenDir, s.Name+".raw.yaml"))
			}
		})
	}
}

func checkGolden(t *testing.T, s samples.Sample, body BodyMode, path string) {
	t.Helper()
	logs, events, _, err := New(testOptions(body)).MapPage(pageOf(s), observedAt)
	if err != nil {
		t.Fatalf("MapPage: %v", err)
	}
	if *update {
		if err := golden.WriteLogsToFile(path, logs); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
	want, err := golden.ReadLogs(path)
	if err != nil {
		t.Fatalf("reading golden file (regenerate with -update): %v", err)
	}
	if err := plogtest.CompareLogs(want, logs); err != nil {
		t.Errorf("%s: output differs from the golden file: %v", path, err)
	}

	// plogtest does not compare EventName; check it and the per-event cursor data against the sample.
	recs := records(logs)
	if len(recs) != len(s.Events) || len(events) != len(s.Events) {
		t.Fatalf("%d records, %d events for %d sample events", len(recs), len(events), len(s.Events))
	}
	for i, raw := range s.Events {
		var ev struct{ UUID, Published, EventType string }
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		if got := recs[i].EventName(); got != ev.EventType {
			t.Errorf("record %d EventName = %q, want %q", i, got, ev.EventType)
		}
		if events[i].UUID != ev.UUID || events[i].PublishedRaw != ev.Published {
			t.Errorf("event %d = %+v, want uuid %q published %q", i, events[i], ev.UUID, ev.Published)
		}
	}
}

// TestGoldenFilesHaveSamples keeps internal/samples/golden/map free of files whose sample is gone.
func TestGoldenFilesHaveSamples(t *testing.T) {
	names := map[string]bool{}
	for _, s := range samples.All() {
		names[s.Name+".yaml"] = true
		if rawGolden[s.Name] {
			names[s.Name+".raw.yaml"] = true
		}
	}
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !names[e.Name()] {
			t.Errorf("%s has no sample; remove it", filepath.Join(goldenDir, e.Name()))
		}
	}
}
