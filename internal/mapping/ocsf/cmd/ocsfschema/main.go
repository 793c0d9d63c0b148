// Command ocsfschema extracts from a compiled OCSF schema (the JSON that schema.ocsf.io serves at
// /<version>/export/schema) the facts that the OCSF validator of the tests needs: class and category ids,
// attribute names, types, requirements, array-ness, enum ids, deprecation, object constraints, profiles and
// the types' regular expressions and ranges. Descriptions, captions and references are left out.
//
//	go run ./internal/mapping/ocsf/cmd/ocsfschema -classes 2004,3001,3002,3004,3005,3006,6003 -o internal/mapping/ocsf/ocsftest/testdata/ocsf-schema-1.8.0-facts.json path/to/ocsf-schema-1.8.0.json
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("ocsfschema", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("o", "", "write the facts to this file instead of standard output")
	classes := flags.String("classes", "", "comma-separated class uids to keep, with the objects they reach (default: every class)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: ocsfschema [-o facts.json] <ocsf-schema.json>   (the compiled schema, e.g. schema.ocsf.io/1.8.0/export/schema)")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	b, err := os.ReadFile(flags.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "ocsfschema:", err)
		return 2
	}
	keep, err := parseUIDs(*classes)
	if err != nil {
		fmt.Fprintln(stderr, "ocsfschema: -classes:", err)
		return 2
	}
	facts, err := extract(b, keep)
	if err != nil {
		fmt.Fprintf(stderr, "ocsfschema: %s: %v\n", flags.Arg(0), err)
		return 1
	}
	if *out == "" {
		_, _ = stdout.Write(facts)
		return 0
	}
	if err := os.WriteFile(*out, facts, 0o600); err != nil {
		fmt.Fprintln(stderr, "ocsfschema:", err)
		return 1
	}
	return 0
}

// The compiled schema's layout, as far as it is read.
type schema struct {
	Version    string `json:"version"`
	Dictionary struct {
		Types struct {
			Attributes map[string]typeDef `json:"attributes"`
		} `json:"types"`
	} `json:"dictionary"`
	Classes  map[string]entity          `json:"classes"`
	Objects  map[string]entity          `json:"objects"`
	Profiles map[string]json.RawMessage `json:"profiles"`
}

type typeDef struct {
	Type   string    `json:"type"`
	Regex  string    `json:"regex"`
	MaxLen int       `json:"max_len"`
	Range  []float64 `json:"range"`
}

type entity struct {
	Name        string              `json:"name"`
	UID         int                 `json:"uid"`
	CategoryUID int                 `json:"category_uid"`
	Constraints map[string][]string `json:"constraints"`
	Attributes  map[string]attrDef  `json:"attributes"`
}

type attrDef struct {
	Type        string                     `json:"type"`
	ObjectType  string                     `json:"object_type"`
	Requirement string                     `json:"requirement"`
	IsArray     bool                       `json:"is_array"`
	Enum        map[string]json.RawMessage `json:"enum"`
	Profiles    []string                   `json:"profiles"`
	Deprecated  json.RawMessage            `json:"@deprecated"`
}

// The facts' layout (package ocsftest reads the same).
type facts struct {
	Source   string           `json:"source"`
	License  string           `json:"license"`
	Version  string           `json:"version"`
	Types    map[string]tFact `json:"types"`
	Classes  map[string]eFact `json:"classes"`
	Objects  map[string]eFact `json:"objects"`
	Profiles []string         `json:"profiles"`
}

type tFact struct {
	Base   string    `json:"base,omitempty"`
	Regex  string    `json:"regex,omitempty"`
	MaxLen int       `json:"max_len,omitempty"`
	Range  []float64 `json:"range,omitempty"`
}

type eFact struct {
	Name        string              `json:"name,omitempty"`
	CategoryUID int                 `json:"category_uid,omitempty"`
	Constraints map[string][]string `json:"constraints,omitempty"`
	Attributes  map[string]aFact    `json:"attributes"`
}

type aFact struct {
	Type        string   `json:"type"`
	Object      string   `json:"object,omitempty"`
	Requirement string   `json:"requirement"`
	Array       bool     `json:"array,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Profiles    []string `json:"profiles,omitempty"`
	Deprecated  bool     `json:"deprecated,omitempty"`
}

// parseUIDs reads a comma-separated list of class uids; empty means every class.
func parseUIDs(list string) (map[int]bool, error) {
	if list == "" {
		return nil, nil
	}
	keep := map[int]bool{}
	for _, s := range strings.Split(list, ",") {
		uid, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a class uid such as 3002", s)
		}
		keep[uid] = true
	}
	return keep, nil
}

// extract returns the facts of the classes in keep (every class when keep is nil) and of the objects
// they reach.
func extract(b []byte, keep map[int]bool) ([]byte, error) {
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("not a compiled OCSF schema: %w", err)
	}
	if s.Version == "" || len(s.Classes) == 0 || len(s.Objects) == 0 {
		return nil, errors.New("not a compiled OCSF schema: no version, classes or objects")
	}
	f := facts{
		Source:  "derived by internal/mapping/ocsf/cmd/ocsfschema from the compiled OCSF " + s.Version + " schema (schema.ocsf.io/" + s.Version + "/export/schema)",
		License: "Apache-2.0 (the OCSF schema's licence)",
		Version: s.Version,
		Types:   map[string]tFact{},
		Classes: map[string]eFact{},
		Objects: map[string]eFact{},
	}
	for name, t := range s.Dictionary.Types.Attributes {
		f.Types[name] = tFact{Base: t.Type, Regex: t.Regex, MaxLen: t.MaxLen, Range: t.Range}
	}
	var reach []string
	for _, c := range s.Classes {
		if c.UID == 0 || keep != nil && !keep[c.UID] {
			continue // base_event has no class uid of its own
		}
		reach = appendObjects(reach, c)
		e := entityFacts(c)
		e.Name, e.CategoryUID = c.Name, c.CategoryUID
		f.Classes[strconv.Itoa(c.UID)] = e
	}
	for len(reach) > 0 {
		name := reach[len(reach)-1]
		reach = reach[:len(reach)-1]
		if _, done := f.Objects[name]; done {
			continue
		}
		o, ok := s.Objects[name]
		if !ok {
			if name == "object" {
				f.Objects[name] = eFact{Attributes: map[string]aFact{}} // free-form, e.g. unmapped
				continue
			}
			return nil, fmt.Errorf("object %q is used but not defined", name)
		}
		f.Objects[name] = entityFacts(o)
		reach = appendObjects(reach, o)
	}
	if keep != nil && len(f.Classes) != len(keep) {
		return nil, fmt.Errorf("found %d of the %d classes asked for", len(f.Classes), len(keep))
	}
	for name := range s.Profiles {
		f.Profiles = append(f.Profiles, name)
	}
	slices.Sort(f.Profiles)
	out, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// appendObjects appends the object types of e's attributes to names.
func appendObjects(names []string, e entity) []string {
	for _, a := range e.Attributes {
		if a.ObjectType != "" {
			names = append(names, a.ObjectType)
		}
	}
	return names
}

func entityFacts(e entity) eFact {
	out := eFact{Constraints: e.Constraints, Attributes: map[string]aFact{}}
	for name, a := range e.Attributes {
		af := aFact{Type: a.Type, Object: a.ObjectType, Requirement: a.Requirement, Array: a.IsArray,
			Profiles: a.Profiles, Deprecated: len(a.Deprecated) > 0}
		for id := range a.Enum {
			af.Enum = append(af.Enum, id)
		}
		slices.Sort(af.Enum)
		out.Attributes[name] = af
	}
	return out
}
