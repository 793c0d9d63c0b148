package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tiny is a compiled schema in the layout schema.ocsf.io serves, cut down to one class and two objects.
const tiny = `{"version":"1.8.0","compile_version":1,
"dictionary":{"types":{"attributes":{"string_t":{"caption":"String","description":"d"},
 "email_t":{"type":"string_t","regex":"^.+@.+$","caption":"E","description":"d"}}}},
"profiles":{"host":{"caption":"Host"}},
"objects":{"user":{"name":"user","caption":"User","description":"d","constraints":{"at_least_one":["name","uid"]},
  "attributes":{"name":{"type":"string_t","requirement":"recommended","caption":"N","description":"d"},
   "email_addr":{"type":"email_t","requirement":"optional","caption":"E","description":"d"},
   "uid":{"type":"string_t","requirement":"recommended","caption":"U","description":"d"}}},
 "unused":{"name":"unused","attributes":{}}},
"classes":{"base_event":{"name":"base_event","uid":0,"attributes":{}},
 "authentication":{"name":"authentication","uid":3002,"category_uid":3,"caption":"Authentication","description":"d",
  "attributes":{"user":{"type":"object_t","object_type":"user","requirement":"required","caption":"U","description":"d"},
   "activity_id":{"type":"integer_t","requirement":"required","enum":{"1":{"caption":"Logon"},"99":{"caption":"Other"}},"caption":"A","description":"d"},
   "device":{"type":"object_t","object_type":"object","requirement":"recommended","profiles":["host"],"caption":"D","description":"d"}}}}}`

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "schema.json")
	if err := os.WriteFile(in, []byte(tiny), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "facts.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-classes", "3002", "-o", out, in}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, leftOut := range []string{"caption", "description", "Logon", "unused"} {
		if strings.Contains(string(b), leftOut) {
			t.Errorf("the facts hold %q:\n%s", leftOut, b)
		}
	}
	var f facts
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	auth := f.Classes["3002"]
	if auth.Name != "authentication" || auth.CategoryUID != 3 || auth.Attributes["user"].Object != "user" ||
		auth.Attributes["user"].Requirement != "required" || strings.Join(auth.Attributes["activity_id"].Enum, ",") != "1,99" ||
		strings.Join(auth.Attributes["device"].Profiles, ",") != "host" {
		t.Errorf("class facts %+v", auth)
	}
	if u := f.Objects["user"]; strings.Join(u.Constraints["at_least_one"], ",") != "name,uid" || u.Attributes["email_addr"].Type != "email_t" {
		t.Errorf("user facts %+v", u)
	}
	if _, ok := f.Objects["object"]; !ok {
		t.Error("the free-form object is missing")
	}
	if f.Types["email_t"].Regex != "^.+@.+$" || f.Types["email_t"].Base != "string_t" {
		t.Errorf("email_t facts %+v", f.Types["email_t"])
	}
	if !strings.Contains(f.License, "Apache-2.0") || !strings.Contains(f.Source, "1.8.0") {
		t.Errorf("source %q, license %q", f.Source, f.License)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "schema.json")
	if err := os.WriteFile(in, []byte(tiny), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":"1.8.0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 2, "usage: ocsfschema"},
		{[]string{filepath.Join(dir, "missing.json")}, 2, "no such file"},
		{[]string{bad}, 1, "not a compiled OCSF schema"},
		{[]string{"-classes", "3002,x", in}, 2, `"x" is not a class uid`},
		{[]string{"-classes", "3002,4001", in}, 1, "found 1 of the 2 classes"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}
