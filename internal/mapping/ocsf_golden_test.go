package mapping

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"

	"github.com/datableio/oktareceiver/internal/samples"
)

// The OCSF golden tests: every shared sample and every OCSF sample (samples.OCSF: one or more per class)
// mapped with body: ocsf, checked against the schema and compared with internal/samples/golden/ocsf.
// Regenerate after an intended change and review the diff:
//
//	go test ./internal/mapping -run TestOCSFGolden -update
var ocsfGoldenDir = filepath.Join("..", "samples", "golden", "ocsf")

// ocsfSamples returns the shared samples and the OCSF ones.
func ocsfSamples(testing.TB) []samples.Sample {
	return append(samples.All(), samples.OCSF()...)
}

func TestOCSFGolden(t *testing.T) {
	classes := map[int64]bool{}
	for _, s := range ocsfSamples(t) {
		t.Run(s.Name, func(t *testing.T) {
			logs, _, _, err := New(testOptions(BodyOCSF)).MapPage(pageOf(s), observedAt)
			if err != nil {
				t.Fatalf("MapPage: %v", err)
			}
			checkOCSF(t, s.Name, logs)
			for i, lr := range records(logs) {
				checkNothingLost(t, s.Name, s.Events[i], lr.Body().Map().AsRaw())
			}
			path := filepath.Join(ocsfGoldenDir, s.Name+".yaml")
			if *update {
				if err := golden.WriteLogsToFile(path, logs); err != nil {
					t.Fatal(err)
				}
			}
			want, err := golden.ReadLogs(path)
			if err != nil {
				t.Fatalf("reading golden file (regenerate with -update): %v", err)
			}
			if err := plogtest.CompareLogs(want, logs); err != nil {
				t.Errorf("%s: output differs from the golden file: %v", path, err)
			}
			for _, lr := range records(logs) {
				v, _ := lr.Body().Map().Get("class_uid")
				classes[v.Int()] = true
				// An OCSF sample's name starts with the class it must get.
				if rest, ok := strings.CutPrefix(s.Name, "ocsf-"); ok {
					if want, _ := strconv.ParseInt(rest[:4], 10, 64); v.Int() != want {
						t.Errorf("class %d, want %d", v.Int(), want)
					}
				}
			}
		})
	}
	for _, uid := range []int64{2004, 3001, 3002, 3004, 3005, 3006, 6003} {
		if !classes[uid] {
			t.Errorf("no golden file of class %d", uid)
		}
	}
}

// TestOCSFGoldenFilesHaveSamples keeps internal/samples/golden/ocsf free of files whose sample is gone.
func TestOCSFGoldenFilesHaveSamples(t *testing.T) {
	names := map[string]bool{}
	for _, s := range ocsfSamples(t) {
		names[s.Name+".yaml"] = true
	}
	entries, err := os.ReadDir(ocsfGoldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !names[e.Name()] {
			t.Errorf("%s has no sample; remove it", filepath.Join(ocsfGoldenDir, e.Name()))
		}
	}
}
