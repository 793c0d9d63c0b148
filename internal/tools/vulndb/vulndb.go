// Package vulndb turns the Go vulnerability database's source, the OSV files of the golang.org/x/vulndb
// module (data/osv/GO-YYYY-NNNN.json), into the database layout that govulncheck reads with
// -db file:///dir (https://go.dev/security/vuln/database#api):
//
//	index/db.json       {"modified": <the newest entry's modification time>}
//	index/modules.json  [{"path": <module>, "vulns": [{"id", "modified", "fixed"}]}], sorted by path, then id
//	index/vulns.json    [{"id", "modified", "aliases"}], sorted by id
//	ID/<id>.json        each OSV entry, as the module holds it
//
// The module's files carry no modification times (the database's own generator takes them from Git
// history, which a module does not have): an entry without one is given the snapshot's time, the time of the
// vulndb commit the module version names.
package vulndb

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// OSVDir is where the golang.org/x/vulndb module keeps its OSV entries.
const OSVDir = "data/osv"

// entry is the part of an OSV entry the indexes are made of.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced,omitempty"`
		Fixed      string `json:"fixed,omitempty"`
	} `json:"events"`
}

type dbMeta struct {
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

// Summary says what a conversion wrote.
type Summary struct {
	Entries  int       // OSV entries, one ID/<id>.json each
	Modules  int       // modules with at least one entry (the standard library is "stdlib")
	Modified time.Time // the database's modification time (index/db.json)
}

// Convert reads the OSV entries under src (a golang.org/x/vulndb module: src/data/osv/*.json) and writes
// the database to dst, replacing what dst held. snapshot is the time given to entries that carry none.
// The database is written next to dst and renamed into place, so dst is either the whole new database or
// what it was before: an interrupted run never leaves a partial database that would miss vulnerabilities.
// A source without entries, an entry that does not parse, or one whose file is not named after its id is
// an error.
func Convert(src, dst string, snapshot time.Time) (Summary, error) {
	if snapshot.IsZero() {
		return Summary{}, errors.New("vulndb: the snapshot time is zero: pass the time of the vulndb module version")
	}
	osvDir := filepath.Join(src, filepath.FromSlash(OSVDir))
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return Summary{}, err
	}
	if len(files) == 0 {
		return Summary{}, fmt.Errorf("vulndb: no OSV entries in %s: is %s the golang.org/x/vulndb module's directory?", osvDir, src)
	}
	slices.Sort(files)

	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return Summary{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), filepath.Base(dst)+".tmp-")
	if err != nil {
		return Summary{}, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // gone after the rename; otherwise a partial database to drop
	sum, err := write(files, tmp, snapshot.UTC())
	if err != nil {
		return Summary{}, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return Summary{}, err
	}
	if err := os.RemoveAll(dst); err != nil {
		return Summary{}, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

func write(files []string, dst string, snapshot time.Time) (Summary, error) {
	if err := os.MkdirAll(filepath.Join(dst, "ID"), 0o755); err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(filepath.Join(dst, "index"), 0o755); err != nil {
		return Summary{}, err
	}
	db := dbMeta{}
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return Summary{}, err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return Summary{}, fmt.Errorf("vulndb: %s is not an OSV entry: %w", file, err)
		}
		if e.ID == "" || filepath.Base(file) != e.ID+".json" {
			return Summary{}, fmt.Errorf("vulndb: %s holds the entry %q: each entry must be named <id>.json", file, e.ID)
		}
		modified := e.Modified.UTC()
		if modified.IsZero() {
			modified = snapshot
		}
		if modified.After(db.Modified) {
			db.Modified = modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			if a.Package.Name == "" {
				return Summary{}, fmt.Errorf("vulndb: %s: an affected package without a name", file)
			}
			m := modules[a.Package.Name]
			if m == nil {
				m = &moduleMeta{Path: a.Package.Name}
				modules[a.Package.Name] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: modified, Fixed: latestFixed(a.Ranges)})
		}
		if err := os.WriteFile(filepath.Join(dst, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return Summary{}, err
		}
	}

	index := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		slices.SortStableFunc(m.Vulns, func(a, b moduleVuln) int { return strings.Compare(a.ID, b.ID) })
		index = append(index, m)
	}
	slices.SortFunc(index, func(a, b *moduleMeta) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(vulns, func(a, b vulnMeta) int { return strings.Compare(a.ID, b.ID) })
	for name, v := range map[string]any{"db.json": db, "modules.json": index, "vulns.json": vulns} {
		b, err := json.Marshal(v)
		if err != nil {
			return Summary{}, err
		}
		if err := os.WriteFile(filepath.Join(dst, "index", name), b, 0o644); err != nil {
			return Summary{}, err
		}
	}
	return Summary{Entries: len(vulns), Modules: len(index), Modified: db.Modified}, nil
}

// latestFixed is the version from which no later version is affected by the ranges, or "" when the
// vulnerability was introduced again after its last fix or was never fixed: the "fixed" of
// index/modules.json, by which govulncheck skips an entry without reading it. It is the vulndb generator's
// rule (osvutils.LatestFixed), so a version is never skipped that the entry itself says is affected.
func latestFixed(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares OSV versions, which have no "v" (1.2.3); "" is before every version.
func less(a, b string) bool {
	return semver.Compare(canonical(a), canonical(b)) < 0
}

func canonical(v string) string {
	if v == "" {
		return ""
	}
	return "v" + strings.TrimPrefix(strings.TrimPrefix(v, "v"), "go")
}
