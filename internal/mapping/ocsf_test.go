package mapping

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
	"github.com/datableio/oktareceiver/internal/mapping/ocsf/ocsftest"
	"github.com/datableio/oktareceiver/internal/samples"
)

// checkOCSF fails the test for every record of logs whose body is not a valid OCSF 1.8.0 event.
func checkOCSF(t *testing.T, what string, logs plog.Logs) {
	t.Helper()
	for i, lr := range records(logs) {
		if lr.Body().Type() != pcommon.ValueTypeMap {
			t.Errorf("%s record %d: body is %s, want a map", what, i, lr.Body().Type())
			continue
		}
		if err := ocsftest.ValidateMap(lr.Body().Map()); err != nil {
			t.Errorf("%s record %d is not valid OCSF %s:\n%v", what, i, ocsf.Version, err)
		}
	}
}

// mapOCSF maps the single event ev with body: ocsf, checks it against the schema and returns its body.
func mapOCSF(t *testing.T, ev string) map[string]any {
	t.Helper()
	lr, _, _ := mapOne(t, BodyOCSF, ev)
	if err := ocsftest.ValidateMap(lr.Body().Map()); err != nil {
		t.Fatalf("not valid OCSF %s:\n%v\nevent: %s", ocsf.Version, err, ev)
	}
	return lr.Body().Map().AsRaw()
}

// at returns the value at a dotted path of an OCSF event, or nil.
func at(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// withType returns the event text ev with its eventType replaced by eventType.
func withType(t *testing.T, ev []byte, eventType string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatal(err)
	}
	m["eventType"] = eventType
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// catalogTypes reads the types of the shipped copy of Okta's event-type catalog.
func catalogTypes(t *testing.T) []struct{ ID string } {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", "catalog", "okta-event-types-2026.08.1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Versions []struct{ EventTypes []struct{ ID string } }
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var types []struct{ ID string }
	for _, v := range c.Versions {
		types = append(types, v.EventTypes...)
	}
	if len(types) < 1274 {
		t.Fatalf("read %d types of the catalog, want at least 1274", len(types))
	}
	return types
}

// TestOCSFEveryCatalogType maps an event of every type of Okta's catalog, in the shape of each sample and
// in a bare shape (no actor, client, target or outcome), and checks that each is a valid OCSF event with
// the class and activity the table gives its type, and that no type falls to the fallback class.
func TestOCSFEveryCatalogType(t *testing.T) {
	types := catalogTypes(t)
	shapes := []string{`{"uuid":"u","published":"2026-01-02T03:04:05.678Z","eventType":"x"}`}
	for _, s := range samples.All() {
		shapes = append(shapes, string(s.Events[0]))
	}
	m := New(testOptions(BodyOCSF))
	for _, typ := range types {
		dec := ocsf.Decide(typ.ID)
		if !dec.Matched {
			t.Errorf("%s has no row in the OCSF class table", typ.ID)
		}
		var page strings.Builder
		page.WriteByte('[')
		for i, shape := range shapes {
			if i > 0 {
				page.WriteByte(',')
			}
			page.WriteString(withType(t, []byte(shape), typ.ID))
		}
		page.WriteByte(']')
		logs, _, _, err := m.MapPage(page.String(), observedAt)
		if err != nil {
			t.Fatal(err)
		}
		checkOCSF(t, typ.ID, logs)
		for i, lr := range records(logs) {
			body := lr.Body().Map().AsRaw()
			if body["class_uid"] != int64(dec.Class.UID) || body["activity_id"] != int64(dec.ActivityID) {
				t.Errorf("%s shape %d: class %v activity %v, want %d/%d", typ.ID, i, body["class_uid"], body["activity_id"],
					dec.Class.UID, dec.ActivityID)
			}
			if body["activity_name"] == "" || body["activity_name"] == nil {
				t.Errorf("%s shape %d: no activity_name", typ.ID, i)
			}
		}
	}
}

// TestOCSFOddEvents maps events that Okta can send and that lack what a class requires, or carry values
// outside the usual: each must still be valid OCSF, and keep what it says.
func TestOCSFOddEvents(t *testing.T) {
	base := `"uuid":"5b8c6f1e-0000-11f0-8478-0123456789ab","published":"2026-08-12T14:03:27.418Z"`
	for _, tt := range []struct {
		name  string
		event string
		want  map[string]any // dotted path → value; nil value: absent
	}{
		{"empty event", `{}`, map[string]any{"class_uid": int64(6003), "activity_id": int64(0),
			"api.operation": "Unknown", "actor.app_name": "Okta", "src_endpoint.name": "Unknown", "severity_id": int64(0)}},
		{"unknown type", `{` + base + `,"eventType":"newproduct.widget.create"}`, map[string]any{
			"class_uid": int64(6003), "activity_id": int64(1), "metadata.event_code": "newproduct.widget.create"}},
		{"unknown verb", `{` + base + `,"eventType":"newproduct.widget.frobnicate"}`, map[string]any{
			"activity_id": int64(99), "activity_name": "frobnicate", "type_uid": int64(600399)}},
		{"sign-in without user or client", `{` + base + `,"eventType":"user.session.start"}`, map[string]any{
			"class_uid": int64(3002), "user.name": "Unknown", "service.name": "Okta", "service.uid": "example.okta.com"}},
		{"outcome SKIPPED", `{` + base + `,"eventType":"user.session.start","outcome":{"result":"SKIPPED","reason":"r"}}`,
			map[string]any{"status_id": int64(99), "status": "SKIPPED", "status_code": "SKIPPED", "status_detail": "r"}},
		{"outcome CHALLENGE", `{` + base + `,"eventType":"user.session.start","outcome":{"result":"CHALLENGE"}}`,
			map[string]any{"status_id": int64(99), "status": "CHALLENGE"}},
		{"outcome UNKNOWN", `{` + base + `,"eventType":"user.session.start","outcome":{"result":"UNKNOWN"}}`,
			map[string]any{"status_id": int64(0), "status": "Unknown"}},
		{"outcome DENY", `{` + base + `,"eventType":"user.session.start","outcome":{"result":"DENY"}}`,
			map[string]any{"status_id": int64(2), "status": "Failure"}},
		{"outcome ALLOW", `{` + base + `,"eventType":"policy.evaluate_sign_on","outcome":{"result":"ALLOW"}}`,
			map[string]any{"status_id": int64(1), "activity_id": int64(6)}},
		{"severity WARN", `{` + base + `,"severity":"WARN"}`, map[string]any{"severity_id": int64(3), "metadata.log_level": "WARN"}},
		{"severity ERROR", `{` + base + `,"severity":"ERROR"}`, map[string]any{"severity_id": int64(4)}},
		{"severity DEBUG", `{` + base + `,"severity":"DEBUG"}`, map[string]any{"severity_id": int64(1), "severity": "Informational"}},
		{"severity odd", `{` + base + `,"severity":"NOTICE"}`, map[string]any{"severity_id": int64(99), "severity": "NOTICE"}},
		{"system actor", `{` + base + `,"eventType":"system.org.rate_limit.violation","actor":{"id":"0oa1","type":"SystemPrincipal","alternateId":"system@okta.com","displayName":"Okta System"}}`,
			map[string]any{"actor.user.type_id": int64(3), "actor.user.name": "system@okta.com"}},
		{"a user signing in", `{` + base + `,"eventType":"user.session.start","actor":{"id":"00u1","type":"User","alternateId":"a@example.com"},"authenticationContext":{"externalSessionId":"s1"}}`,
			map[string]any{"user.uid": "00u1", "user.email_addr": "a@example.com", "actor": nil, "session.uid": "s1", "unmapped.actor": nil}},
		{"a user locking their own account", `{` + base + `,"eventType":"user.account.lock","actor":{"id":"00u1","type":"User","alternateId":"a@example.com"},"authenticationContext":{"externalSessionId":"s1"}}`,
			map[string]any{"user.uid": "00u1", "actor.user": nil, "actor.session.uid": "s1", "activity_id": int64(9)}},
		{"an admin acting on a user", `{` + base + `,"eventType":"user.lifecycle.create","actor":{"id":"00u1","type":"User","alternateId":"admin@example.com"},"target":[{"id":"00u2","type":"User","alternateId":"new@example.com"}]}`,
			map[string]any{"user.uid": "00u2", "actor.user.uid": "00u1", "activity_id": int64(1)}},
		{"client app actor", `{` + base + `,"eventType":"app.oauth2.as.token.grant.access_token","actor":{"id":"0oa2","type":"PublicClientApp","alternateId":"My App","displayName":"My App"}}`,
			map[string]any{"actor.app_uid": "0oa2", "actor.app_name": "My App", "actor.user": nil, "activity_id": int64(3),
				"unmapped.actor.alternateId": "My App", "unmapped.actor.type": "PublicClientApp", "user.name": "Unknown"}},
		{"an actor Okta does not know", `{` + base + `,"eventType":"security.threat.detected","actor":{"id":"unknown","type":"User","alternateId":"unknown","displayName":"unknown"},"client":{"ipAddress":"203.0.113.9"}}`,
			map[string]any{"evidences": "[map[src_endpoint:map[ip:203.0.113.9]]]", "unmapped.actor.id": "unknown", "unmapped.actor.type": "User"}},
		{"alternateId not an e-mail", `{` + base + `,"eventType":"user.session.start","actor":{"id":"00u1","type":"User","alternateId":"jdoe","displayName":"J Doe"}}`,
			map[string]any{"user.name": "jdoe", "user.email_addr": nil, "actor.user.email_addr": nil}},
		{"address not an IP", `{` + base + `,"client":{"ipAddress":"not-an-ip","device":"Computer"}}`,
			map[string]any{"src_endpoint.ip": nil, "unmapped.client.ipAddress": "not-an-ip", "src_endpoint.name": "Unknown",
				"src_endpoint.type_id": int64(2)}},
		{"coordinates without a place", `{` + base + `,"client":{"ipAddress":"10.0.0.1","geographicalContext":{"geolocation":{"lat":1.5,"lon":2.5}}}}`,
			map[string]any{"src_endpoint.location": nil, "unmapped.client.geographicalContext.geolocation.lat": 1.5}},
		{"country not known", `{` + base + `,"client":{"ipAddress":"10.0.0.1","geographicalContext":{"country":"Atlantis"}}}`,
			map[string]any{"src_endpoint.location": nil, "unmapped.client.geographicalContext.country": "Atlantis"}},
		{"published missing", `{"uuid":"x","eventType":"user.session.start"}`,
			map[string]any{"time": observedAt.UnixMilli(), "metadata.original_time": nil}},
		{"published in another format", `{"uuid":"x","published":"yesterday"}`,
			map[string]any{"time": observedAt.UnixMilli(), "metadata.original_time": "yesterday"}},
		{"detection without uuid", `{"eventType":"security.threat.detected","published":"2026-08-12T14:03:27.418Z"}`,
			map[string]any{"class_uid": int64(2004), "finding_info.uid": "Unknown", "finding_info.title": "security.threat.detected"}},
		{"group membership without a group", `{` + base + `,"eventType":"group.user_membership.add","target":[{"id":"00u9","type":"User","alternateId":"a@example.com"}]}`,
			map[string]any{"group.name": "Unknown", "user.uid": "00u9", "activity_id": int64(3)}},
		{"targets keep in place what has no place", `{` + base + `,"eventType":"group.user_membership.add","target":[{"id":"00u9","type":"User","alternateId":"a@example.com","extra":1},{"id":"00g1","type":"UserGroup","displayName":"G"},"odd"]}`,
			map[string]any{"group.uid": "00g1", "group.type": "UserGroup", "user.uid": "00u9", "unmapped.target": "[map[extra:1] <nil> odd]"}},
		{"nulls say nothing", `{` + base + `,"legacyEventType":null,"client":{"zone":"null","id":null},"device":{"name":null,"x":[null]},"request":{"y":[null,1]},"transaction":{"detail":{},"z":[]}}`,
			map[string]any{"unmapped.legacyEventType": nil, "unmapped.client": nil, "unmapped.device": nil,
				"unmapped.request.y": "[<nil> 1]", "unmapped.transaction": nil}},
		{"entity without a target", `{` + base + `,"eventType":"zone.update"}`,
			map[string]any{"entity.name": "Unknown", "activity_id": int64(3)}},
		{"privileges without a target", `{` + base + `,"eventType":"user.account.privilege.grant"}`,
			map[string]any{"class_uid": int64(3005), "activity_id": int64(1)}},
		{"numbers where strings belong", `{"uuid":1,"published":2,"eventType":3,"severity":4,"displayMessage":5,"outcome":{"result":6},"actor":{"id":7,"type":"User"},"client":{"ipAddress":8}}`,
			map[string]any{"unmapped.uuid": int64(1), "unmapped.eventType": int64(3), "unmapped.client.ipAddress": int64(8), "class_uid": int64(6003)}},
		{"a risk level", `{` + base + `,"eventType":"user.session.start","securityContext":{"risk":{"level":"MEDIUM"}}}`,
			map[string]any{"risk_level_id": int64(3), "risk_level": "Medium"}},
		{"threat suspected", `{` + base + `,"eventType":"user.session.start","debugContext":{"debugData":{"threatSuspected":"true","risk":"{reasons=Anomalous Location, Anomalous Device, level=HIGH}"}}}`,
			map[string]any{"is_alert": true, "risk_level_id": int64(4), "risk_details": "Anomalous Location, Anomalous Device",
				"metadata.profiles": "[security_control]", "unmapped.debugContext.debugData.threatSuspected": "true"}},
		{"no threat suspected", `{` + base + `,"eventType":"security.threat.detected","debugContext":{"debugData":{"threatSuspected":"false"}}}`,
			map[string]any{"is_alert": nil, "metadata.profiles": nil, "unmapped.debugContext.debugData.threatSuspected": "false"}},
		{"a detection's signals need no profile", `{` + base + `,"eventType":"security.threat.detected","debugContext":{"debugData":{"threatSuspected":"true"}}}`,
			map[string]any{"is_alert": true, "metadata.profiles": nil}},
		{"SAML sign-on", `{` + base + `,"eventType":"user.authentication.sso","debugContext":{"debugData":{"signOnMode":"SAML 2.0"}}}`,
			map[string]any{"auth_protocol_id": int64(5), "auth_protocol": "SAML", "unmapped.debugContext.debugData.signOnMode": "SAML 2.0"}},
		{"OIDC sign-on", `{` + base + `,"eventType":"user.authentication.sso","debugContext":{"debugData":{"signOnMode":"OpenID Connect"}}}`,
			map[string]any{"auth_protocol_id": int64(4)}},
		{"another sign-on mode", `{` + base + `,"eventType":"user.authentication.sso","debugContext":{"debugData":{"signOnMode":"Secure Web Authentication"}}}`,
			map[string]any{"auth_protocol_id": int64(99), "auth_protocol": "Secure Web Authentication"}},
		{"AS number out of range", `{` + base + `,"client":{"ipAddress":"10.0.0.1"},"securityContext":{"asNumber":99999999999,"asOrg":"x"}}`,
			map[string]any{"src_endpoint.autonomous_system.number": nil, "src_endpoint.autonomous_system.name": "x",
				"unmapped.securityContext.asNumber": int64(99999999999)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := mapOCSF(t, tt.event)
			for path, want := range tt.want {
				if got := at(body, path); fmt.Sprint(got) != fmt.Sprint(want) || (want == nil) != (got == nil) {
					t.Errorf("%s = %#v, want %#v", path, got, want)
				}
			}
		})
	}
}

// FuzzOCSF maps any page with body: ocsf: every record of a page that maps must be a valid OCSF 1.8.0
// event of the class the table gives its type, with every string of Okta's event somewhere in it.
//
//	go test ./internal/mapping -run '^$' -fuzz FuzzOCSF -fuzztime 30s
func FuzzOCSF(f *testing.F) {
	for _, s := range ocsfSamples(f) {
		f.Add([]byte(pageOf(s)))
	}
	for _, seed := range []string{
		`[{}]`, `[{"eventType":"user.session.start"}]`, `[{"eventType":"security.threat.detected","uuid":null}]`,
		`[{"actor":{"type":"PublicClientApp"},"client":{"ipAddress":"fe80::1%eth0","geographicalContext":{"country":"France"}}}]`,
		`[{"actor":{"alternateId":"a@b.c","type":"User"},"target":[{"type":"UserGroup"},{"type":"User","id":""}],"eventType":"group.user_membership.add"}]`,
		`[{"eventType":"user.session.start","eventType":"x.y","outcome":{"result":"RATE_LIMIT"},"outcome":1}]`,
		`[{"securityContext":{"asNumber":-1,"asOrg":""},"client":{"ipAddress":"1.2.3.04"}}]`,
	} {
		f.Add([]byte(seed))
	}
	m := New(testOptions(BodyOCSF))
	f.Fuzz(func(t *testing.T, page []byte) {
		logs, _, _, err := m.MapPage(string(page), observedAt)
		if err != nil {
			return
		}
		for i, lr := range records(logs) {
			body := lr.Body().Map()
			if err := ocsftest.ValidateMap(body); err != nil {
				t.Fatalf("record %d is not valid OCSF:\n%v", i, err)
			}
			dec := ocsf.Decide(lr.EventName())
			raw := body.AsRaw()
			if raw["class_uid"] != int64(dec.Class.UID) {
				t.Fatalf("record %d of type %q is class %v, want %d", i, lr.EventName(), raw["class_uid"], dec.Class.UID)
			}
			checkNoEmptyAttributes(t, fmt.Sprintf("record %d", i), lr)
		}
		if elems, ok := arrayOfObjects(page); ok && len(elems) == logs.LogRecordCount() {
			for i, lr := range records(logs) {
				checkNothingLost(t, fmt.Sprintf("record %d", i), elems[i], lr.Body().Map().AsRaw())
			}
		}
	})
}

// TestOCSFRecordAsInMapMode: body: ocsf changes the body only; the record's attributes, event name,
// timestamps and severity are those of body: map.
func TestOCSFRecordAsInMapMode(t *testing.T) {
	for _, s := range ocsfSamples(t) {
		want, _, _, err := New(testOptions(BodyMap)).MapPage(pageOf(s), observedAt)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _, err := New(testOptions(BodyOCSF)).MapPage(pageOf(s), observedAt)
		if err != nil {
			t.Fatal(err)
		}
		w, g := records(want), records(got)
		if len(w) != len(g) {
			t.Fatalf("%s: %d records with body: ocsf, %d with body: map", s.Name, len(g), len(w))
		}
		for i := range w {
			if !reflect.DeepEqual(w[i].Attributes().AsRaw(), g[i].Attributes().AsRaw()) {
				t.Errorf("%s record %d: attributes differ from body: map:\n%v\n%v", s.Name, i, g[i].Attributes().AsRaw(), w[i].Attributes().AsRaw())
			}
			if w[i].EventName() != g[i].EventName() || w[i].Timestamp() != g[i].Timestamp() ||
				w[i].ObservedTimestamp() != g[i].ObservedTimestamp() || w[i].SeverityNumber() != g[i].SeverityNumber() ||
				w[i].SeverityText() != g[i].SeverityText() {
				t.Errorf("%s record %d: event name, timestamps or severity differ from body: map", s.Name, i)
			}
		}
	}
}

// checkNothingLost fails the test when a string of Okta's event ev is nowhere in the OCSF event body, neither
// as a value nor inside a value kept as its JSON text (raw_data, or a value beyond the budget); but
// the string "null", which says there is no value, and the strings the OCSF event encodes: a country's
// name (its ISO code) and a principal's type User or SystemPrincipal (user.type_id).
func checkNothingLost(t *testing.T, what string, ev []byte, body map[string]any) {
	t.Helper()
	var in any
	if err := json.Unmarshal(ev, &in); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	out := map[string]bool{}
	var collect func(v any)
	collect = func(v any) {
		switch x := v.(type) {
		case string:
			out[x] = true
			// A value, or a whole event, beyond the mapping budget is kept as its JSON text: what it
			// holds is kept too.
			var kept any
			if strings.HasPrefix(x, "{") || strings.HasPrefix(x, "[") {
				if json.Unmarshal([]byte(x), &kept) == nil {
					collect(kept)
				}
			}
		case map[string]any:
			for _, e := range x {
				collect(e)
			}
		case []any:
			for _, e := range x {
				collect(e)
			}
		}
	}
	collect(body)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case string:
			// A principal's type User or SystemPrincipal is its user.type_id (1 or 3).
			encoded := strings.HasSuffix(path, ".geographicalContext.country") ||
				strings.HasSuffix(path, ".type") && (x == "User" || x == "SystemPrincipal")
			if x != "null" && !encoded && !out[x] {
				t.Errorf("%s: Okta's %s %q is nowhere in the OCSF event", what, path, x)
			}
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("event", in)
}
