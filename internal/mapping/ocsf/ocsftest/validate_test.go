package ocsftest

import (
	"encoding/json"
	"strings"
	"testing"
)

// valid is a small valid Authentication event.
const valid = `{"activity_id":1,"category_uid":3,"class_uid":3002,"type_uid":300201,"time":1786543407418,
"severity_id":1,"user":{"name":"jane@example.com","email_addr":"jane@example.com"},"service":{"name":"Okta"},
"metadata":{"version":"1.8.0","product":{"name":"Okta System Log"}},"unmapped":{"anything":[1,{"x":null}]}}`

// event returns valid with edit applied to its decoded form.
func event(t *testing.T, edit func(m map[string]any)) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(valid))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	m = ints(m).(map[string]any)
	if edit != nil {
		edit(m)
	}
	return m
}

// ints turns the json.Numbers of v into int64 or float64, as pcommon.Map.AsRaw gives them.
func ints(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = ints(e)
		}
	case []any:
		for i, e := range x {
			x[i] = ints(e)
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

func TestValidateAcceptsAValidEvent(t *testing.T) {
	if err := Validate(event(t, nil)); err != nil {
		t.Fatalf("a valid event fails: %v", err)
	}
}

func TestValidateRejects(t *testing.T) {
	sub := func(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }
	for _, tt := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"no class", func(m map[string]any) { delete(m, "class_uid") }, "class_uid is missing"},
		{"an unknown class", func(m map[string]any) { m["class_uid"] = int64(9999) }, "not a class"},
		{"a wrong category", func(m map[string]any) { m["category_uid"] = int64(6) }, "category_uid: is"},
		{"a wrong type_uid", func(m map[string]any) { m["type_uid"] = int64(300202) }, "type_uid"},
		{"an activity outside the enum", func(m map[string]any) { m["activity_id"] = int64(42); m["type_uid"] = int64(300242) },
			"not one of the enum ids"},
		{"another OCSF version", func(m map[string]any) { sub(m, "metadata")["version"] = "1.7.0" }, "metadata.version"},
		{"a missing required attribute", func(m map[string]any) { delete(m, "user") }, "authentication.user: is required"},
		{"a missing required attribute of an object", func(m map[string]any) { delete(sub(m, "metadata"), "product") },
			"metadata.product: is required"},
		{"an unknown attribute", func(m map[string]any) { m["okta"] = "x" }, "authentication.okta: is not an attribute"},
		{"an unknown attribute of an object", func(m map[string]any) { sub(m, "user")["is_proxy"] = true }, "user.is_proxy: is not"},
		{"a deprecated attribute", func(m map[string]any) {
			m["src_endpoint"] = map[string]any{"ip": "10.0.0.1", "location": map[string]any{"city": "X", "isp": "y"}}
		}, "deprecated"},
		{"a string where an integer belongs", func(m map[string]any) { m["severity_id"] = "1" }, "want an integer"},
		{"a float where an integer belongs", func(m map[string]any) { m["time"] = 1.5 }, "want an integer"},
		{"a number where a string belongs", func(m map[string]any) { m["message"] = int64(1) }, "want a string"},
		{"a bool where an object belongs", func(m map[string]any) { m["session"] = true }, "want an object"},
		{"a scalar where an array belongs", func(m map[string]any) { m["auth_factors"] = map[string]any{} }, "want an array"},
		{"an e-mail field that is not an e-mail", func(m map[string]any) { sub(m, "user")["email_addr"] = "jane" },
			"not a valid email_t"},
		{"an IP that is not one", func(m map[string]any) { m["src_endpoint"] = map[string]any{"ip": "1.2.3"} }, "not a valid ip_t"},
		{"a port out of range", func(m map[string]any) { m["src_endpoint"] = map[string]any{"ip": "1.2.3.4", "port": int64(70000)} },
			"outside"},
		{"an at_least_one constraint", func(m map[string]any) { delete(m, "service") }, "needs at least one of service, dst_endpoint"},
		{"an object's constraint", func(m map[string]any) { m["user"] = map[string]any{"full_name": "J"} }, "needs at least one of account, name, uid"},
		{"a profile's attribute without the profile", func(m map[string]any) { m["risk_level_id"] = int64(2) },
			"belongs to profile security_control"},
		{"a profile named but not used", func(m map[string]any) { sub(m, "metadata")["profiles"] = []any{"host"} },
			`names "host", but no attribute`},
		{"a profile that does not exist", func(m map[string]any) { sub(m, "metadata")["profiles"] = []any{"okta"} },
			"not a profile"},
		{"a required attribute of a named profile", func(m map[string]any) {
			sub(m, "metadata")["profiles"] = []any{"cloud"}
		}, "authentication.cloud: is required"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(event(t, tt.edit))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestValidateAcceptsAProfileInUse(t *testing.T) {
	m := event(t, func(m map[string]any) {
		m["risk_level_id"] = int64(2)
		m["metadata"].(map[string]any)["profiles"] = []any{"security_control"}
	})
	if err := Validate(m); err != nil {
		t.Fatalf("a profile's attribute with its profile named fails: %v", err)
	}
}

func TestSchemaFacts(t *testing.T) {
	f := SchemaFacts()
	if f.Version != "1.8.0" {
		t.Fatalf("facts of OCSF %s, want 1.8.0", f.Version)
	}
	for _, uid := range []string{"2004", "3001", "3002", "3004", "3005", "3006", "6003"} {
		if _, ok := f.Classes[uid]; !ok {
			t.Errorf("the facts lack class %s", uid)
		}
	}
}
