package vulndb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var snapshot = time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)

// The entries as the vulndb module holds them: no modification time (0001-01-01), stdlib and module entries.
const (
	entryModule = `{"schema_version":"1.3.1","id":"GO-2026-0002","modified":"0001-01-01T00:00:00Z",
 "aliases":["CVE-2026-2","GHSA-xxxx-yyyy-zzzz"],
 "affected":[{"package":{"name":"example.com/compress","ecosystem":"Go"},
  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.20.2"}]}]}]}`
	entryStdlib = `{"schema_version":"1.3.1","id":"GO-2026-0001","modified":"0001-01-01T00:00:00Z",
 "affected":[
  {"package":{"name":"stdlib","ecosystem":"Go"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.10"},{"introduced":"1.27.0-0"},{"fixed":"1.27.3"}]}]},
  {"package":{"name":"toolchain","ecosystem":"Go"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.27.3"}]}]}]}`
	entryDated = `{"schema_version":"1.3.1","id":"GO-2025-0003","modified":"2025-03-01T10:00:00Z",
 "affected":[{"package":{"name":"example.com/compress","ecosystem":"Go"},
  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`
)

func source(t *testing.T, files map[string]string) string {
	t.Helper()
	src := t.TempDir()
	dir := filepath.Join(src, "data", "osv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConvertWritesTheLayoutGovulncheckReads(t *testing.T) {
	src := source(t, map[string]string{
		"GO-2026-0002.json": entryModule,
		"GO-2026-0001.json": entryStdlib,
		"GO-2025-0003.json": entryDated,
		"README":            "not an entry",
	})
	dst := filepath.Join(t.TempDir(), "db")
	sum, err := Convert(src, dst, snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Summary{Entries: 3, Modules: 3, Modified: snapshot}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}

	if got, want := readFile(t, filepath.Join(dst, "index", "db.json")), `{"modified":"2026-11-05T23:49:57Z"}`; got != want {
		t.Errorf("index/db.json\n got %s\nwant %s", got, want)
	}
	// Sorted by path, then id; an entry without a time gets the snapshot's; "fixed" is the last fix, and is
	// absent where there is none.
	wantModules := `[` +
		`{"path":"example.com/compress","vulns":[` +
		`{"id":"GO-2025-0003","modified":"2025-03-01T10:00:00Z"},` +
		`{"id":"GO-2026-0002","modified":"2026-11-05T23:49:57Z","fixed":"1.20.2"}]},` +
		`{"path":"stdlib","vulns":[{"id":"GO-2026-0001","modified":"2026-11-05T23:49:57Z","fixed":"1.27.3"}]},` +
		`{"path":"toolchain","vulns":[{"id":"GO-2026-0001","modified":"2026-11-05T23:49:57Z","fixed":"1.27.3"}]}]`
	if got := readFile(t, filepath.Join(dst, "index", "modules.json")); got != wantModules {
		t.Errorf("index/modules.json\n got %s\nwant %s", got, wantModules)
	}
	wantVulns := `[` +
		`{"id":"GO-2025-0003","modified":"2025-03-01T10:00:00Z"},` +
		`{"id":"GO-2026-0001","modified":"2026-11-05T23:49:57Z"},` +
		`{"id":"GO-2026-0002","modified":"2026-11-05T23:49:57Z","aliases":["CVE-2026-2","GHSA-xxxx-yyyy-zzzz"]}]`
	if got := readFile(t, filepath.Join(dst, "index", "vulns.json")); got != wantVulns {
		t.Errorf("index/vulns.json\n got %s\nwant %s", got, wantVulns)
	}
	// The entries themselves are served as the database holds them.
	for id, body := range map[string]string{"GO-2026-0002": entryModule, "GO-2026-0001": entryStdlib, "GO-2025-0003": entryDated} {
		if got := readFile(t, filepath.Join(dst, "ID", id+".json")); got != body {
			t.Errorf("ID/%s.json differs from the source entry", id)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dst, "ID"))
	if err != nil || len(entries) != 3 {
		t.Errorf("ID/ holds %d files (%v), want the 3 entries", len(entries), err)
	}
}

func TestConvertReplacesThePreviousDatabaseWhole(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "db")
	if _, err := Convert(source(t, map[string]string{"GO-2026-0002.json": entryModule}), dst, snapshot); err != nil {
		t.Fatal(err)
	}
	if _, err := Convert(source(t, map[string]string{"GO-2026-0001.json": entryStdlib}), dst, snapshot); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, "ID", "GO-2026-0002.json")); !os.IsNotExist(err) {
		t.Errorf("an entry of the previous database is left behind: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "ID", "GO-2026-0001.json")); err != nil {
		t.Error(err)
	}
	siblings, err := os.ReadDir(filepath.Dir(dst))
	if err != nil || len(siblings) != 1 {
		t.Errorf("next to the database: %v (%v), want only the database", siblings, err)
	}
}

func TestConvertRefusesWhatWouldHideAVulnerability(t *testing.T) {
	for name, tc := range map[string]struct {
		files    map[string]string
		snapshot time.Time
	}{
		"no entries (not the vulndb module)": {files: map[string]string{}, snapshot: snapshot},
		"an entry that does not parse":       {files: map[string]string{"GO-2026-0002.json": `{"id":`}, snapshot: snapshot},
		"an entry named after another id":    {files: map[string]string{"GO-2026-0009.json": entryModule}, snapshot: snapshot},
		"an affected package without a name": {
			files:    map[string]string{"GO-2026-0004.json": `{"id":"GO-2026-0004","affected":[{"package":{}}]}`},
			snapshot: snapshot,
		},
		"no snapshot time": {files: map[string]string{"GO-2026-0002.json": entryModule}},
	} {
		t.Run(name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "db")
			// A previous, good database must survive a failed conversion.
			if _, err := Convert(source(t, map[string]string{"GO-2026-0001.json": entryStdlib}), dst, snapshot); err != nil {
				t.Fatal(err)
			}
			if _, err := Convert(source(t, tc.files), dst, tc.snapshot); err == nil {
				t.Fatal("converted")
			} else {
				t.Log(err)
			}
			var db map[string]string
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dst, "index", "db.json"))), &db); err != nil {
				t.Errorf("the previous database is damaged: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dst, "ID", "GO-2026-0001.json")); err != nil {
				t.Errorf("the previous database is damaged: %v", err)
			}
		})
	}
}

func TestLatestFixed(t *testing.T) {
	type ev = struct {
		Introduced string `json:"introduced,omitempty"`
		Fixed      string `json:"fixed,omitempty"`
	}
	semverRange := func(events ...ev) osvRange { return osvRange{Type: "SEMVER", Events: events} }
	for _, tc := range []struct {
		name   string
		ranges []osvRange
		want   string
	}{
		{"one fix", []osvRange{semverRange(ev{Introduced: "0"}, ev{Fixed: "0.62.0"})}, "0.62.0"},
		{"the later of two fixes", []osvRange{semverRange(ev{Introduced: "0"}, ev{Fixed: "1.26.10"}, ev{Introduced: "1.27.0-0"}, ev{Fixed: "1.27.3"})}, "1.27.3"},
		{"semver order, not string order", []osvRange{semverRange(ev{Introduced: "0"}, ev{Fixed: "1.9.0"}, ev{Introduced: "1.10.0"}, ev{Fixed: "1.10.2"})}, "1.10.2"},
		{"never fixed", []osvRange{semverRange(ev{Introduced: "0"})}, ""},
		{"introduced again after the last fix", []osvRange{semverRange(ev{Introduced: "0"}, ev{Fixed: "1.2.0"}, ev{Introduced: "1.3.0"})}, ""},
		{"a pre-release fix", []osvRange{semverRange(ev{Introduced: "0"}, ev{Fixed: "0.0.0-20260610131716-5dc8f53b70a3"})}, "0.0.0-20260610131716-5dc8f53b70a3"},
		{"other range types are not versions", []osvRange{{Type: "GIT", Events: []ev{{Fixed: "5dc8f53b"}}}}, ""},
	} {
		if got := latestFixed(tc.ranges); got != tc.want {
			t.Errorf("%s: latestFixed = %q, want %q", tc.name, got, tc.want)
		}
	}
}
