// Package samples holds real-shaped Okta System Log events, shared by the mapping's golden tests and the
// Okta simulator. A file holds one event object, or a page (a JSON array of events) as the API returns it.
//
// Its folder is the one tree of the repository's event data: the samples (*.json, All), one sample per OCSF
// class the mapping writes (ocsf/, OCSF), the mapping's golden files (golden/map, golden/ocsf) and Okta's
// event-type catalog (catalog/). It is a package, not a testdata folder, because the simulator embeds the
// samples, and Go embeds only files below the package that embeds them.
package samples

import (
	"bytes"
	"embed"
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.json
var files embed.FS

//go:embed ocsf/*.json
var ocsfFiles embed.FS

// Sample is one event as Okta serialises it.
type Sample struct {
	// Name is the file name without its .json extension.
	Name string
	// JSON is the file's content, byte for byte: an event object or a page.
	JSON []byte
	// Events are the event objects in the file, each byte for byte as stored.
	Events [][]byte
}

// All returns every sample, sorted by name.
func All() []Sample { return read(files, ".") }

// OCSF returns the samples of the OCSF classes the shared ones do not cover (ocsf/README.md), sorted by name.
func OCSF() []Sample { return read(ocsfFiles, "ocsf") }

func read(fsys embed.FS, dir string) []Sample {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	out := make([]Sample, 0, len(entries))
	for _, e := range entries {
		b, err := fsys.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, Sample{Name: strings.TrimSuffix(e.Name(), path.Ext(e.Name())), JSON: b, Events: events(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// events splits a page into its event objects, or returns the single object a file holds.
func events(b []byte) [][]byte {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return [][]byte{trimmed}
	}
	var page []json.RawMessage
	if err := json.Unmarshal(trimmed, &page); err != nil {
		panic(err) // the embedded samples are checked by the package's test
	}
	out := make([][]byte, len(page))
	for i, ev := range page {
		out[i] = ev
	}
	return out
}
