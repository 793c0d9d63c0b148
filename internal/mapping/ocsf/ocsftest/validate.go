// Package ocsftest validates OCSF events against the facts of the OCSF 1.8.0 schema kept in its testdata
// (see testdata/README.md): every mapping test, golden file and fuzz input of the OCSF output goes through
// Validate.
package ocsftest

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

//go:embed testdata/ocsf-schema-1.8.0-facts.json
var factsJSON []byte

// Facts are what the validator knows of the schema.
type Facts struct {
	Version  string            `json:"version"`
	Types    map[string]Type   `json:"types"`
	Classes  map[string]Entity `json:"classes"`
	Objects  map[string]Entity `json:"objects"`
	Profiles []string          `json:"profiles"`
}

// Type is a dictionary type: its base type and the checks on its values.
type Type struct {
	Base   string    `json:"base"`
	Regex  string    `json:"regex"`
	MaxLen int       `json:"max_len"`
	Range  []float64 `json:"range"`
	re     *regexp.Regexp
}

// Entity is a class or an object.
type Entity struct {
	Name        string               `json:"name"`
	CategoryUID int                  `json:"category_uid"`
	Constraints map[string][]string  `json:"constraints"`
	Attributes  map[string]Attribute `json:"attributes"`
}

// Attribute is one attribute of a class or object.
type Attribute struct {
	Type        string   `json:"type"`
	Object      string   `json:"object"`
	Requirement string   `json:"requirement"`
	Array       bool     `json:"array"`
	Enum        []string `json:"enum"`
	Profiles    []string `json:"profiles"`
	Deprecated  bool     `json:"deprecated"`
}

var load = sync.OnceValues(func() (*Facts, error) {
	var f Facts
	if err := json.Unmarshal(factsJSON, &f); err != nil {
		return nil, fmt.Errorf("reading the schema facts: %w", err)
	}
	for name, t := range f.Types {
		if t.Regex != "" {
			re, err := regexp.Compile(t.Regex)
			if err != nil {
				return nil, fmt.Errorf("type %s: %w", name, err)
			}
			t.re = re
			f.Types[name] = t
		}
	}
	return &f, nil
})

// SchemaFacts returns the schema facts the validator uses.
func SchemaFacts() *Facts {
	f, err := load()
	if err != nil {
		panic(err) // the embedded file is part of the build
	}
	return f
}

// ValidateMap validates an OCSF event held in a pcommon.Map; see Validate.
func ValidateMap(event pcommon.Map) error { return Validate(event.AsRaw()) }

// Validate checks an OCSF event (as encoding/json or pcommon.Map.AsRaw gives it) against OCSF 1.8.0 and
// returns every problem found, joined, or nil: the class and category ids, type_uid, metadata.version,
// that every attribute is defined by its class or object and not deprecated, the value types, enum ids,
// regular expressions and ranges of the types, required attributes, at_least_one and just_one
// constraints, and that metadata.profiles names exactly the profiles whose attributes are used.
func Validate(event map[string]any) error {
	f := SchemaFacts()
	v := validator{facts: f, used: map[string]bool{}}
	classUID, ok := event["class_uid"].(int64)
	if !ok {
		return fmt.Errorf("class_uid is missing or not an integer: %#v", event["class_uid"])
	}
	class, ok := f.Classes[strconv.FormatInt(classUID, 10)]
	if !ok {
		return fmt.Errorf("class_uid %d is not a class of OCSF %s the validator knows", classUID, f.Version)
	}
	if got, _ := event["category_uid"].(int64); got != int64(class.CategoryUID) {
		v.errorf("category_uid", "is %#v, want %d for class %d", event["category_uid"], class.CategoryUID, classUID)
	}
	activity, _ := event["activity_id"].(int64)
	if got, _ := event["type_uid"].(int64); got != classUID*100+activity {
		v.errorf("type_uid", "is %#v, want class_uid·100 + activity_id = %d", event["type_uid"], classUID*100+activity)
	}
	meta, _ := event["metadata"].(map[string]any)
	if got := meta["version"]; got != f.Version {
		v.errorf("metadata.version", "is %#v, want %q", got, f.Version)
	}
	v.named = map[string]bool{}
	if list, ok := meta["profiles"].([]any); ok {
		for _, p := range list {
			name, _ := p.(string)
			if !slices.Contains(f.Profiles, name) {
				v.errorf("metadata.profiles", "names %#v, which is not a profile of OCSF %s", p, f.Version)
			}
			v.named[name] = true
		}
	}
	v.entity(class.Name, class, event)
	for p := range v.named {
		if !v.used[p] {
			v.errorf("metadata.profiles", "names %q, but no attribute of that profile is used", p)
		}
	}
	for p := range v.used {
		if !v.named[p] {
			v.errorf("metadata.profiles", "does not name %q, whose attributes are used", p)
		}
	}
	return errors.Join(v.errs...)
}

type validator struct {
	facts *Facts
	named map[string]bool // the profiles metadata.profiles names
	used  map[string]bool // the profiles whose attributes are used
	errs  []error
}

func (v *validator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// applies tells whether an attribute of these profiles may be used: it belongs to no profile, or to one
// that metadata.profiles names.
func (v *validator) applies(profiles []string) bool {
	if len(profiles) == 0 {
		return true
	}
	for _, p := range profiles {
		if v.named[p] {
			return true
		}
	}
	return false
}

// entity checks the members of value against e, at path.
func (v *validator) entity(path string, e Entity, value map[string]any) {
	keys := make([]string, 0, len(value))
	for k := range value {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		at := path + "." + k
		a, ok := e.Attributes[k]
		if !ok {
			v.errorf(at, "is not an attribute of %s (what has no place belongs under unmapped)", path)
			continue
		}
		if a.Deprecated {
			v.errorf(at, "is deprecated in OCSF %s", v.facts.Version)
		}
		if len(a.Profiles) > 0 {
			if !v.applies(a.Profiles) {
				v.errorf(at, "belongs to profile %s, which metadata.profiles does not name", strings.Join(a.Profiles, " or "))
			}
			for _, p := range a.Profiles {
				v.used[p] = v.used[p] || v.named[p] || len(a.Profiles) == 1
			}
		}
		v.attribute(at, a, value[k])
	}
	for _, k := range sortedKeys(e.Attributes) {
		a := e.Attributes[k]
		if a.Requirement == "required" && v.applies(a.Profiles) {
			if _, ok := value[k]; !ok {
				v.errorf(path+"."+k, "is required and missing")
			}
		}
	}
	if set := e.Constraints["at_least_one"]; len(set) > 0 && count(value, set) == 0 {
		v.errorf(path, "needs at least one of %s", strings.Join(set, ", "))
	}
	if set := e.Constraints["just_one"]; len(set) > 0 && count(value, set) != 1 {
		v.errorf(path, "needs exactly one of %s", strings.Join(set, ", "))
	}
}

func count(value map[string]any, keys []string) int {
	n := 0
	for _, k := range keys {
		if _, ok := value[k]; ok {
			n++
		}
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// attribute checks one attribute's value.
func (v *validator) attribute(path string, a Attribute, value any) {
	if a.Array {
		list, ok := value.([]any)
		if !ok {
			v.errorf(path, "is %T, want an array", value)
			return
		}
		for i, item := range list {
			v.scalar(fmt.Sprintf("%s[%d]", path, i), a, item)
		}
		return
	}
	v.scalar(path, a, value)
}

func (v *validator) scalar(path string, a Attribute, value any) {
	if a.Type == "object_t" {
		m, ok := value.(map[string]any)
		if !ok {
			v.errorf(path, "is %T, want an object (%s)", value, a.Object)
			return
		}
		if a.Object == "object" {
			return // free-form
		}
		o, ok := v.facts.Objects[a.Object]
		if !ok {
			v.errorf(path, "is of object type %s, which the schema facts lack", a.Object)
			return
		}
		v.entity(path, o, m)
		return
	}
	base, t := v.base(a.Type)
	switch base {
	case "integer_t", "long_t":
		n, ok := value.(int64)
		if !ok {
			v.errorf(path, "is %#v (%T), want an integer (%s)", value, value, a.Type)
			return
		}
		if len(a.Enum) > 0 && !slices.Contains(a.Enum, strconv.FormatInt(n, 10)) {
			v.errorf(path, "is %d, not one of the enum ids %s", n, strings.Join(a.Enum, ", "))
		}
		if len(t.Range) == 2 && (float64(n) < t.Range[0] || float64(n) > t.Range[1]) {
			v.errorf(path, "is %d, outside %v", n, t.Range)
		}
	case "float_t":
		switch x := value.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				v.errorf(path, "is %v, not a finite number", x)
			}
		case int64:
		default:
			v.errorf(path, "is %#v (%T), want a number (%s)", value, value, a.Type)
		}
	case "boolean_t":
		if _, ok := value.(bool); !ok {
			v.errorf(path, "is %#v (%T), want a boolean", value, value)
		}
	case "string_t":
		s, ok := value.(string)
		if !ok {
			v.errorf(path, "is %#v (%T), want a string (%s)", value, value, a.Type)
			return
		}
		if len(a.Enum) > 0 && !slices.Contains(a.Enum, s) {
			v.errorf(path, "is %q, not one of %s", s, strings.Join(a.Enum, ", "))
		}
		if t.re != nil && !t.re.MatchString(s) {
			v.errorf(path, "is %q, which is not a valid %s", s, a.Type)
		}
		if t.MaxLen > 0 && len(s) > t.MaxLen {
			v.errorf(path, "is %d bytes long, more than %s allows (%d)", len(s), a.Type, t.MaxLen)
		}
	case "json_t":
	default:
		v.errorf(path, "has type %s, which the validator does not know", a.Type)
	}
}

// base returns the base type of type name (string_t for email_t, long_t for timestamp_t, ...) and the
// type itself.
func (v *validator) base(name string) (string, Type) {
	t := v.facts.Types[name]
	if t.Base == "" {
		return name, t
	}
	b, _ := v.base(t.Base)
	return b, t
}
