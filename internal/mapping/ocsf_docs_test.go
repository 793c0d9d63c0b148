package mapping

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
)

// TestOCSFDocs keeps docs/ocsf.md true: its class table names every class, and each example is a valid
// OCSF event equal to what the receiver writes for the sample it names.
func TestOCSFDocs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "ocsf.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for uid, c := range ocsf.Classes {
		if want := fmt.Sprintf("**%s** %d", c.Name, uid); !strings.Contains(doc, want) {
			t.Errorf("docs/ocsf.md: the class table lacks %q", want)
		}
	}
	bySample := map[string][]byte{}
	for _, s := range ocsfSamples(t) {
		bySample[s.Name] = s.Events[0]
	}
	examples := regexp.MustCompile("(?s)From `([^`]+)`[^\n]*\n\n```json\n(.*?)\n```").FindAllStringSubmatch(doc, -1)
	if len(examples) < len(ocsf.Classes) {
		t.Fatalf("docs/ocsf.md has %d examples, want one per class (%d)", len(examples), len(ocsf.Classes))
	}
	for _, ex := range examples {
		name, text := ex[1], ex[2]
		var shown map[string]any
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		if err := d.Decode(&shown); err != nil {
			t.Errorf("the example of %s is not JSON: %v", name, err)
			continue
		}
		if err := ocsftest.Validate(numbers(shown).(map[string]any)); err != nil {
			t.Errorf("the example of %s is not valid OCSF: %v", name, err)
		}
		sample, ok := bySample[name]
		if !ok {
			t.Errorf("the example of %s names no sample", name)
			continue
		}
		lr, _, _ := mapOne(t, BodyOCSF, strings.TrimSpace(string(sample)))
		out, err := json.Marshal(lr.Body().Map().AsRaw())
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(text), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the example of %s differs from the output; regenerate it from its golden file:\n%s", name, out)
		}
	}
}

// numbers turns the json.Numbers of v into int64 or float64, as pcommon.Map.AsRaw gives them.
func numbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
