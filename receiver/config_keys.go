package receiver

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// unknownKey is a key of the configuration that the receiver does not know, with the keys valid where it
// stands.
type unknownKey struct {
	path  string   // e.g. "tls::insecure_skip_verifyy"
	name  string   // e.g. "insecure_skip_verifyy"
	where string   // the section, e.g. "tls"; "" at the top
	valid []string // the valid keys of that section, sorted
}

// unknownKeys walks the configuration's keys alongside the structure t decodes them into and returns every
// key t does not have, sections included (`tls`, `oauth`, `retry_on_failure`, …), in order of their path.
func unknownKeys(conf map[string]any, t reflect.Type, prefix string) []unknownKey {
	fields := keysOf(t)
	valid := make([]string, 0, len(fields))
	for k := range fields {
		valid = append(valid, k)
	}
	sort.Strings(valid)
	names := make([]string, 0, len(conf))
	for k := range conf {
		names = append(names, k)
	}
	sort.Strings(names)

	var out []unknownKey
	for _, name := range names {
		path := prefix + name
		ft, ok := fields[name]
		if !ok {
			out = append(out, unknownKey{path: path, name: name, where: strings.TrimSuffix(prefix, "::"), valid: valid})
			continue
		}
		if sub, isMap := conf[name].(map[string]any); isMap {
			if st, ok := sectionType(ft); ok {
				out = append(out, unknownKeys(sub, st, path+"::")...)
			}
		}
	}
	return out
}

// keysOf lists the keys a struct decodes, by their mapstructure names, with the type of each; squashed
// fields add their own keys.
func keysOf(t reflect.Type) map[string]reflect.Type {
	keys := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		switch {
		case name == "-":
		case name == "" && slices.Contains(strings.Split(opts, ","), "squash"):
			if st, ok := sectionType(f.Type); ok {
				for k, v := range keysOf(st) {
					keys[k] = v
				}
			}
		case name == "":
			keys[f.Name] = f.Type
		default:
			keys[name] = f.Type
		}
	}
	return keys
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// sectionType is the struct whose keys a value of type t holds, if it is a section of keys: a struct or a
// pointer to one, or an optional section (configoptional.Optional[T], whose keys are T's). A value that
// decodes from text (e.g. a component id) is not a section.
func sectionType(t reflect.Type) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return nil, false
	}
	if t.PkgPath() == "go.opentelemetry.io/collector/config/configoptional" && strings.HasPrefix(t.Name(), "Optional[") {
		get, ok := reflect.PointerTo(t).MethodByName("Get")
		if !ok || get.Type.NumOut() != 1 {
			return nil, false
		}
		return sectionType(get.Type.Out(0))
	}
	return t, true
}

// unknownKeysError says, on one line, which keys are not the receiver's and what to write instead: the
// closest valid key, or the valid keys of that section when none is close.
func unknownKeysError(unknown []unknownKey) error {
	msgs := make([]string, 0, len(unknown))
	for _, u := range unknown {
		if closest := closestKey(u.name, u.valid); closest != "" {
			msgs = append(msgs, fmt.Sprintf("`%s` is not a key of the okta receiver: did you mean `%s`?", u.path, strings.TrimSuffix(u.path, u.name)+closest))
			continue
		}
		section := "its keys are"
		if u.where != "" {
			section = "the keys of `" + u.where + "` are"
		}
		msgs = append(msgs, fmt.Sprintf("`%s` is not a key of the okta receiver; %s %s", u.path, section, strings.Join(u.valid, ", ")))
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

// closestKey returns the valid key nearest to name by edit distance, ignoring case (keys are matched
// exactly, so `API_TOKEN` is not `api_token`), if it is close enough to be a misspelling (at most 2 edits,
// or a third of the key's length), else "". Ties go to the first in order.
func closestKey(name string, valid []string) string {
	name = strings.ToLower(name)
	best, bestDist := "", -1
	for _, v := range valid {
		d := editDistance(name, v)
		if bestDist < 0 || d < bestDist {
			best, bestDist = v, d
		}
	}
	if bestDist < 0 || bestDist > max(2, len([]rune(name))/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
