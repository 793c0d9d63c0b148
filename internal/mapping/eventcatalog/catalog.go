// Package eventcatalog reads Okta's catalog of System Log event types (the event-types JSON file of Okta's
// developer documentation) and checks the category table of package mapping against it: every documented
// type must be decided by a row of the table, and where the catalog's own product area or tags say what
// kind of event a type is, the table must agree.
package eventcatalog

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Catalog is the part of Okta's catalog that the checks read.
type Catalog struct {
	// Release is Okta's release the catalog describes, e.g. 2026.08.1.
	Release string
	// Types are the documented event types, sorted by ID.
	Types []Type
	// Examples holds, for each property of a debugData schema (named as the catalog names it, e.g.
	// log_only_security_data), the example values the catalog gives, each once, in the order first seen.
	Examples map[string][]string
}

// Type is one documented event type.
type Type struct {
	// ID is the eventType, e.g. user.session.start.
	ID string
	// Area is Okta's product area (the catalog's "category"), e.g. itp or asa.
	Area        string
	Tags        []string
	Description string
	Beta        bool
	Internal    bool
	// Since is the release that added the type.
	Since string
}

// HasTag tells whether the type carries tag.
func (t Type) HasTag(tag string) bool {
	for _, x := range t.Tags {
		if x == tag {
			return true
		}
	}
	return false
}

// file is the catalog's JSON layout.
type file struct {
	Release  string `json:"release"`
	Versions []struct {
		EventTypes []struct {
			ID          string   `json:"id"`
			Category    string   `json:"category"`
			Description string   `json:"description"`
			Tags        []string `json:"tags"`
			Beta        bool     `json:"beta"`
			Internal    bool     `json:"internal"`
			Info        struct {
				Release string `json:"release"`
			} `json:"info"`
		} `json:"eventTypes"`
		Schemas map[string]struct {
			Properties map[string]struct {
				Examples []string `json:"examples"`
			} `json:"properties"`
		} `json:"schemas"`
	} `json:"versions"`
}

// ReadFile reads the catalog at path.
func ReadFile(path string) (*Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a catalog from its JSON text. A type listed under several versions counts once.
func Parse(b []byte) (*Catalog, error) {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("not an Okta event-type catalog: %w", err)
	}
	c := &Catalog{Release: f.Release, Examples: map[string][]string{}}
	seen := map[string]bool{}
	seenExample := map[[2]string]bool{}
	for _, v := range f.Versions {
		for _, e := range v.EventTypes {
			if e.ID == "" || seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			c.Types = append(c.Types, Type{ID: e.ID, Area: e.Category, Tags: e.Tags, Description: e.Description,
				Beta: e.Beta, Internal: e.Internal, Since: e.Info.Release})
		}
		names := make([]string, 0, len(v.Schemas))
		for name := range v.Schemas {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			props := v.Schemas[name].Properties
			keys := make([]string, 0, len(props))
			for k := range props {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				for _, ex := range props[k].Examples {
					if !seenExample[[2]string{k, ex}] {
						seenExample[[2]string{k, ex}] = true
						c.Examples[k] = append(c.Examples[k], ex)
					}
				}
			}
		}
	}
	if len(c.Types) == 0 {
		return nil, fmt.Errorf("no event types under versions[].eventTypes[]: not an Okta event-type catalog")
	}
	sort.Slice(c.Types, func(i, j int) bool { return c.Types[i].ID < c.Types[j].ID })
	return c, nil
}
