package mapping

import (
	"reflect"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// absent marks an attribute that must not be written.
var absent any = struct{ absent bool }{true}

func TestAttributes(t *testing.T) {
	user := `"actor":{"id":"00u1","type":"User","alternateId":"jane@example.com","displayName":"Jane Doe"}`
	tests := []struct {
		name  string
		event string
		key   string
		want  any
	}{
		{"uid", `{"uuid":"u-1"}`, "log.record.uid", "u-1"},
		{"uid null", `{"uuid":null}`, "log.record.uid", absent},
		{"uid empty", `{"uuid":""}`, "log.record.uid", absent},
		{"uid string null", `{"uuid":"null"}`, "log.record.uid", absent},
		{"uid missing", `{}`, "log.record.uid", absent},
		{"uid not a string", `{"uuid":12}`, "log.record.uid", absent},

		{"legacy event type", `{"legacyEventType":"core.user_auth.login_success"}`, "okta.legacy_event_type", "core.user_auth.login_success"},
		{"legacy event type null", `{"legacyEventType":null}`, "okta.legacy_event_type", absent},
		{"display message", `{"displayMessage":"User login to Okta"}`, "okta.display_message", "User login to Okta"},
		{"display message empty", `{"displayMessage":""}`, "okta.display_message", absent},

		{"outcome result", `{"outcome":{"result":"DENY","reason":"Too many"}}`, "okta.outcome.result", "DENY"},
		{"outcome reason", `{"outcome":{"result":"DENY","reason":"Too many"}}`, "okta.outcome.reason", "Too many"},
		{"outcome reason null", `{"outcome":{"result":"SUCCESS","reason":null}}`, "okta.outcome.reason", absent},
		{"outcome null", `{"outcome":null}`, "okta.outcome.result", absent},
		{"outcome not an object", `{"outcome":"SUCCESS"}`, "okta.outcome.result", absent},

		{"actor id", `{` + user + `}`, "okta.actor.id", "00u1"},
		{"actor type", `{` + user + `}`, "okta.actor.type", "User"},
		{"actor alternate id", `{` + user + `}`, "okta.actor.alternate_id", "jane@example.com"},
		{"actor display name", `{` + user + `}`, "okta.actor.display_name", "Jane Doe"},
		{"user id", `{` + user + `}`, "user.id", "00u1"},
		{"user name", `{` + user + `}`, "user.name", "jane@example.com"},
		{"user email", `{` + user + `}`, "user.email", "jane@example.com"},
		{"user full name", `{` + user + `}`, "user.full_name", "Jane Doe"},
		{"user name not an e-mail", `{"actor":{"id":"00u1","type":"User","alternateId":"jdoe"}}`, "user.name", "jdoe"},
		{"no e-mail for a plain login", `{"actor":{"id":"00u1","type":"User","alternateId":"jdoe"}}`, "user.email", absent},
		{"no e-mail for a domain login", `{"actor":{"id":"00u1","type":"User","alternateId":"CORP\\jdoe"}}`, "user.email", absent},
		{"user display name null", `{"actor":{"id":"00u1","type":"User","alternateId":"jdoe","displayName":null}}`, "user.full_name", absent},
		{"app actor kept under okta.actor", `{"actor":{"id":"0oa1","type":"PublicClientApp","alternateId":"svc@example.com","displayName":"Svc"}}`, "okta.actor.id", "0oa1"},
		{"no user.id for an app actor", `{"actor":{"id":"0oa1","type":"PublicClientApp","alternateId":"svc@example.com"}}`, "user.id", absent},
		{"no user.email for an app actor", `{"actor":{"id":"0oa1","type":"PublicClientApp","alternateId":"svc@example.com"}}`, "user.email", absent},
		{"no user.name for a system actor", `{"actor":{"id":"0oa1","type":"SystemPrincipal","alternateId":"system@okta.com"}}`, "user.name", absent},
		{"actor type is case-sensitive", `{"actor":{"id":"00u1","type":"user","alternateId":"a@b.co"}}`, "user.id", absent},

		{"client address", `{"client":{"ipAddress":"2001:db8::1"}}`, "client.address", "2001:db8::1"},
		{"client null", `{"client":null}`, "client.address", absent},
		{"user agent", `{"client":{"userAgent":{"rawUserAgent":"Mozilla/5.0"}}}`, "user_agent.original", "Mozilla/5.0"},
		{"os", `{"client":{"userAgent":{"os":"Mac OS X"}}}`, "user_agent.os.name", "Mac OS X"},
		{"os Unknown", `{"client":{"userAgent":{"os":"Unknown"}}}`, "user_agent.os.name", absent},
		{"browser", `{"client":{"userAgent":{"browser":"CHROME"}}}`, "okta.client.browser", "CHROME"},
		{"browser UNKNOWN", `{"client":{"userAgent":{"browser":"UNKNOWN"}}}`, "okta.client.browser", absent},
		{"device", `{"client":{"device":"Computer"}}`, "okta.client.device", "Computer"},
		{"zone", `{"client":{"zone":"OFF_NETWORK"}}`, "okta.client.zone", "OFF_NETWORK"},
		{"zone string null", `{"client":{"zone":"null"}}`, "okta.client.zone", absent},
		{"zone null", `{"client":{"zone":null}}`, "okta.client.zone", absent},

		{"city", `{"client":{"geographicalContext":{"city":"Toronto"}}}`, "geo.locality.name", "Toronto"},
		{"country code", `{"client":{"geographicalContext":{"country":"Canada"}}}`, "geo.country.iso_code", "CA"},
		{"country code of an Okta spelling", `{"client":{"geographicalContext":{"country":"South Korea"}}}`, "geo.country.iso_code", "KR"},
		{"country name kept", `{"client":{"geographicalContext":{"country":"Canada"}}}`, "okta.client.geo.country", "Canada"},
		{"unknown country: no code", `{"client":{"geographicalContext":{"country":"Atlantis"}}}`, "geo.country.iso_code", absent},
		{"unknown country: name kept", `{"client":{"geographicalContext":{"country":"Atlantis"}}}`, "okta.client.geo.country", "Atlantis"},
		{"country null", `{"client":{"geographicalContext":{"country":null}}}`, "okta.client.geo.country", absent},
		{"state", `{"client":{"geographicalContext":{"state":"Ontario"}}}`, "okta.client.geo.state", "Ontario"},
		{"postal code", `{"client":{"geographicalContext":{"postalCode":"M4M"}}}`, "geo.postal_code", "M4M"},
		{"geographical context null", `{"client":{"geographicalContext":null}}`, "geo.locality.name", absent},
		{"lat", `{"client":{"geographicalContext":{"geolocation":{"lat":43.6567,"lon":-79.34}}}}`, "geo.location.lat", 43.6567},
		{"lon", `{"client":{"geographicalContext":{"geolocation":{"lat":43.6567,"lon":-79.34}}}}`, "geo.location.lon", -79.34},
		{"integer lat is a double", `{"client":{"geographicalContext":{"geolocation":{"lat":37,"lon":-122}}}}`, "geo.location.lat", 37.0},
		{"lat null", `{"client":{"geographicalContext":{"geolocation":{"lat":null}}}}`, "geo.location.lat", absent},
		{"lat as a string", `{"client":{"geographicalContext":{"geolocation":{"lat":"43.6"}}}}`, "geo.location.lat", absent},

		{"session id", `{"authenticationContext":{"externalSessionId":"idx123"}}`, "session.id", "idx123"},
		{"session id unknown", `{"authenticationContext":{"externalSessionId":"unknown"}}`, "session.id", absent},
		{"session id null", `{"authenticationContext":{"externalSessionId":null}}`, "session.id", absent},
		{"root session id", `{"authenticationContext":{"rootSessionId":"idxRoot"}}`, "okta.root_session_id", "idxRoot"},
		{"credential type", `{"authenticationContext":{"credentialType":"PASSWORD"}}`, "okta.authentication.credential_type", "PASSWORD"},
		{"credential type null", `{"authenticationContext":{"credentialType":null}}`, "okta.authentication.credential_type", absent},

		{"transaction id", `{"transaction":{"type":"WEB","id":"tx1"}}`, "okta.transaction.id", "tx1"},
		{"transaction type", `{"transaction":{"type":"JOB","id":"tx1"}}`, "okta.transaction.type", "JOB"},
		{"request id", `{"debugContext":{"debugData":{"requestId":"req1"}}}`, "okta.request.id", "req1"},
		{"request id missing", `{"debugContext":{"debugData":{}}}`, "okta.request.id", absent},

		{"risk from securityContext", `{"securityContext":{"risk":{"level":"HIGH"}}}`, "okta.security.risk_level", "HIGH"},
		{"risk from debugData string", `{"debugContext":{"debugData":{"risk":"{reasons=Anomalous Device, level=MEDIUM}"}}}`, "okta.security.risk_level", "MEDIUM"},
		{"risk from debugData string, level first", `{"debugContext":{"debugData":{"risk":"{level=LOW, reasons=New Device}"}}}`, "okta.security.risk_level", "LOW"},
		{"risk from debugData JSON text", `{"debugContext":{"debugData":{"risk":"{\"reasons\":\"x\",\"level\":\"HIGH\"}"}}}`, "okta.security.risk_level", "HIGH"},
		{"risk from debugData object", `{"debugContext":{"debugData":{"risk":{"level":"LOW"}}}}`, "okta.security.risk_level", "LOW"},
		{"securityContext risk wins", `{"securityContext":{"risk":{"level":"HIGH"}},"debugContext":{"debugData":{"risk":"{level=LOW}"}}}`, "okta.security.risk_level", "HIGH"},
		{"securityContext risk null falls back", `{"securityContext":{"risk":{"level":null}},"debugContext":{"debugData":{"risk":"{level=LOW}"}}}`, "okta.security.risk_level", "LOW"},
		{"risk without level", `{"debugContext":{"debugData":{"risk":"{reasons=Anomalous Device}"}}}`, "okta.security.risk_level", absent},
		{"risk level empty", `{"debugContext":{"debugData":{"risk":"{level=, reasons=x}"}}}`, "okta.security.risk_level", absent},
		{"risk level null", `{"debugContext":{"debugData":{"risk":"{level=null}"}}}`, "okta.security.risk_level", absent},
		{"risk level from logOnlySecurityData", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"risk\":{\"reasons\":\"Anomalous Device\",\"level\":\"MEDIUM\"},\"behaviors\":{}}"}}}`, "okta.security.risk_level", "MEDIUM"},
		{"debugData risk wins over logOnlySecurityData", `{"debugContext":{"debugData":{"risk":"{level=LOW}","logOnlySecurityData":"{\"risk\":{\"level\":\"HIGH\"}}"}}}`, "okta.security.risk_level", "LOW"},
		{"risk text that is not JSON", `{"debugContext":{"debugData":{"risk":"{\"level\":\"HIGH\""}}}`, "okta.security.risk_level", absent},

		{"risk reasons from securityContext", `{"securityContext":{"risk":{"level":"HIGH","reasons":["Anomalous Device","New ASN"]}}}`, "okta.security.risk_reasons", []any{"Anomalous Device", "New ASN"}},
		{"risk reasons from debugData, a list", `{"debugContext":{"debugData":{"risk":"{reasons=Anomalous Location, Anomalous Device, level=HIGH}"}}}`, "okta.security.risk_reasons", []any{"Anomalous Location", "Anomalous Device"}},
		{"risk reasons after level", `{"debugContext":{"debugData":{"risk":"{level=LOW, reasons=New Device}"}}}`, "okta.security.risk_reasons", []any{"New Device"}},
		{"risk reasons from logOnlySecurityData", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"risk\":{\"reasons\":\"Anomalous Device\",\"level\":\"MEDIUM\"}}"}}}`, "okta.security.risk_reasons", []any{"Anomalous Device"}},
		{"risk reasons where securityContext has none", `{"securityContext":{"risk":{"level":"HIGH"}},"debugContext":{"debugData":{"risk":"{reasons=Velocity, level=LOW}"}}}`, "okta.security.risk_reasons", []any{"Velocity"}},
		{"risk reasons from a JSON risk object", `{"debugContext":{"debugData":{"risk":{"level":"LOW","reasons":"a, b"}}}}`, "okta.security.risk_reasons", []any{"a", "b"}},
		{"risk reasons empty", `{"debugContext":{"debugData":{"risk":"{reasons=, level=LOW}"}}}`, "okta.security.risk_reasons", absent},
		{"risk reasons without strings", `{"securityContext":{"risk":{"reasons":[null,"",3]}}}`, "okta.security.risk_reasons", absent},
		{"risk detection", `{"securityContext":{"risk":{"level":"HIGH","detectionName":"Suspected Session Hijacking"}}}`, "okta.security.risk_detection", "Suspected Session Hijacking"},

		{"behaviors from debugData", `{"debugContext":{"debugData":{"behaviors":"{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=BAD_REQUEST}"}}}`,
			"okta.security.behaviors", map[string]any{"New Geo-Location": "NEGATIVE", "New Device": "POSITIVE", "New IP": "BAD_REQUEST"}},
		{"behaviors with custom names", `{"debugContext":{"debugData":{"behaviors":"{Anomalous Location: Country=NEGATIVE, bff2f33e-0d48_1529707130=POSITIVE}"}}}`,
			"okta.security.behaviors", map[string]any{"Anomalous Location: Country": "NEGATIVE", "bff2f33e-0d48_1529707130": "POSITIVE"}},
		{"behaviors from logOnlySecurityData", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"risk\":{},\"behaviors\":{\"New Device\":\"POSITIVE\",\"Velocity\":\"NEGATIVE\"}}"}}}`,
			"okta.security.behaviors", map[string]any{"New Device": "POSITIVE", "Velocity": "NEGATIVE"}},
		{"behaviors from securityContext", `{"securityContext":{"userBehaviors":[{"id":"b1","name":"New Device","result":"NEGATIVE"},{"name":"New Geo-Location","result":"POSITIVE"}]}}`,
			"okta.security.behaviors", map[string]any{"New Device": "NEGATIVE", "New Geo-Location": "POSITIVE"}},
		{"securityContext behaviors win", `{"securityContext":{"userBehaviors":[{"name":"New Device","result":"NEGATIVE"}]},"debugContext":{"debugData":{"behaviors":"{New IP=POSITIVE}"}}}`,
			"okta.security.behaviors", map[string]any{"New Device": "NEGATIVE"}},
		{"debugData behaviors win over logOnlySecurityData", `{"debugContext":{"debugData":{"behaviors":"{New IP=POSITIVE}","logOnlySecurityData":"{\"behaviors\":{\"New City\":\"POSITIVE\"}}"}}}`,
			"okta.security.behaviors", map[string]any{"New IP": "POSITIVE"}},
		{"behaviors as JSON text", `{"debugContext":{"debugData":{"behaviors":"{\"New IP\":\"POSITIVE\",\"New IP\":\"NEGATIVE\"}"}}}`,
			"okta.security.behaviors", map[string]any{"New IP": "NEGATIVE"}},
		{"behaviors as an object", `{"debugContext":{"debugData":{"behaviors":{"New IP":"POSITIVE","n":1}}}}`, "okta.security.behaviors", map[string]any{"New IP": "POSITIVE"}},
		{"behaviors with an escaped name", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"behaviors\":{\"Caf\\u00e9 \\\"x\\\"\":\"POSITIVE\"}}"}}}`,
			"okta.security.behaviors", map[string]any{"Café \"x\"": "POSITIVE"}},
		{"behaviors empty", `{"debugContext":{"debugData":{"behaviors":"{}","logOnlySecurityData":"{\"risk\":{},\"behaviors\":{}}"}}}`, "okta.security.behaviors", absent},
		{"behaviors without values", `{"debugContext":{"debugData":{"behaviors":"{New IP=, =POSITIVE, New City=null}"}}}`, "okta.security.behaviors", absent},
		{"logOnlySecurityData not JSON", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"behaviors\":{\"New IP\":"}}}`, "okta.security.behaviors", absent},
		{"logOnlySecurityData with trailing data", `{"debugContext":{"debugData":{"logOnlySecurityData":"{\"behaviors\":{\"New IP\":\"POSITIVE\"}} x"}}}`, "okta.security.behaviors", absent},
		{"logOnlySecurityData as an object", `{"debugContext":{"debugData":{"logOnlySecurityData":{"behaviors":{"New IP":"POSITIVE"}}}}}`, "okta.security.behaviors", map[string]any{"New IP": "POSITIVE"}},

		{"threat detections", `{"debugContext":{"debugData":{"threatDetections":"{\"Password Spray\":\"HIGH\",\"Login Failures\":\"MEDIUM\"}"}}}`,
			"okta.security.threat_detections", map[string]any{"Password Spray": "HIGH", "Login Failures": "MEDIUM"}},
		{"threat detections empty", `{"debugContext":{"debugData":{"threatDetections":"{}"}}}`, "okta.security.threat_detections", absent},
		{"threat suspected true", `{"debugContext":{"debugData":{"threatSuspected":"true"}}}`, "okta.security.threat_suspected", true},
		{"threat suspected false", `{"debugContext":{"debugData":{"threatSuspected":"false"}}}`, "okta.security.threat_suspected", false},
		{"threat suspected TRUE", `{"debugContext":{"debugData":{"threatSuspected":"TRUE"}}}`, "okta.security.threat_suspected", true},
		{"threat suspected JSON true", `{"debugContext":{"debugData":{"threatSuspected":true}}}`, "okta.security.threat_suspected", true},
		{"threat suspected JSON false", `{"debugContext":{"debugData":{"threatSuspected":false}}}`, "okta.security.threat_suspected", false},
		{"threat suspected other text", `{"debugContext":{"debugData":{"threatSuspected":"yes"}}}`, "okta.security.threat_suspected", absent},
		{"threat suspected null", `{"debugContext":{"debugData":{"threatSuspected":null}}}`, "okta.security.threat_suspected", absent},
		{"bot protection level", `{"securityContext":{"botProtection":{"level":"LOW"}}}`, "okta.security.bot_protection_level", "LOW"},
		{"bot protection null", `{"securityContext":{"botProtection":null}}`, "okta.security.bot_protection_level", absent},
		{"is proxy true", `{"securityContext":{"isProxy":true}}`, "okta.security.is_proxy", true},
		{"is proxy false", `{"securityContext":{"isProxy":false}}`, "okta.security.is_proxy", false},
		{"is proxy null", `{"securityContext":{"isProxy":null}}`, "okta.security.is_proxy", absent},
		{"is proxy as a string", `{"securityContext":{"isProxy":"true"}}`, "okta.security.is_proxy", absent},
		{"as org", `{"securityContext":{"asOrg":"at&t enterprises  llc"}}`, "okta.security.as.org", "at&t enterprises  llc"},
		{"isp", `{"securityContext":{"isp":"google"}}`, "okta.security.isp", "google"},
		{"isp null", `{"securityContext":{"isp":null}}`, "okta.security.isp", absent},

		{"target types in order", `{"target":[{"id":"1","type":"User"},{"id":"2","type":"AppInstance"},{"id":"3","type":"User"}]}`, "okta.target.types", []any{"User", "AppInstance", "User"}},
		{"target without a type skipped", `{"target":[{"id":"1"},{"type":""},{"type":null},{"type":"Group"}]}`, "okta.target.types", []any{"Group"}},
		{"target null", `{"target":null}`, "okta.target.types", absent},
		{"target empty", `{"target":[]}`, "okta.target.types", absent},
		{"target missing", `{}`, "okta.target.types", absent},
		{"targets without types", `{"target":[{"id":"1"}]}`, "okta.target.types", absent},
		{"target not an array", `{"target":{"type":"User"}}`, "okta.target.types", absent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, body := range []BodyMode{BodyMap, BodyRaw} {
				lr, _, _ := mapOne(t, body, tt.event)
				got, ok := attr(lr, tt.key)
				if tt.want == absent {
					if ok {
						t.Errorf("%s: %s = %#v, want it absent", body, tt.key, got)
					}
					continue
				}
				if !ok || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s: %s = %#v (present %v), want %#v", body, tt.key, got, ok, tt.want)
				}
			}
		})
	}
}

// TestNoEmptyAttributes maps an event whose every string is empty or "null": only the category remains.
func TestNoEmptyAttributes(t *testing.T) {
	ev := `{"uuid":"","published":"","eventType":"null","severity":"","legacyEventType":"null","displayMessage":"",` +
		`"actor":{"id":"","type":"User","alternateId":"null","displayName":""},"outcome":{"result":"","reason":"null"},` +
		`"client":{"ipAddress":"","zone":"null","device":"","userAgent":{"rawUserAgent":"","os":"","browser":"null"},` +
		`"geographicalContext":{"city":"","state":"null","country":"","postalCode":"","geolocation":{"lat":null,"lon":null}}},` +
		`"authenticationContext":{"externalSessionId":"","rootSessionId":"null","credentialType":""},` +
		`"transaction":{"id":"","type":"null"},"debugContext":{"debugData":{"requestId":"","risk":""}},` +
		`"securityContext":{"risk":{"level":""},"isProxy":null,"asOrg":"","isp":"null"},"target":[{"type":""},{"type":"null"}]}`
	lr, _, _ := mapOne(t, BodyMap, ev)
	lr.Attributes().Range(func(k string, v pcommon.Value) bool {
		if k != "okta.event.category" && k != "okta.actor.type" {
			t.Errorf("unexpected attribute %s = %q", k, v.AsString())
		}
		return true
	})
}

func TestIsEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"jane@example.com":        true,
		"john.smith+okta@a.b.co":  true,
		"x@sub-domain.example":    true,
		"jdoe":                    false,
		"CORP\\jdoe":              false,
		"@example.com":            false,
		"jane@":                   false,
		"jane@localhost":          false,
		"jane@@example.com":       false,
		"a@b@example.com":         false,
		"jane doe@example.com":    false,
		"jane@example..com":       false,
		"jane@.example.com":       false,
		"jane@example.com.":       false,
		"jane@-example.com":       false,
		".jane@example.com":       false,
		"ja..ne@example.com":      false,
		"Jane <jane@example.com>": false,
	} {
		if got := isEmail(s); got != want {
			t.Errorf("isEmail(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestJavaMap(t *testing.T) {
	for text, want := range map[string][]pair{
		"{New Geo-Location=NEGATIVE, New Device=POSITIVE, Velocity=BAD_REQUEST}": {
			{"New Geo-Location", "NEGATIVE"}, {"New Device", "POSITIVE"}, {"Velocity", "BAD_REQUEST"}},
		"{reasons=Anomalous Location, Anomalous Device, level=HIGH}": {{"reasons", "Anomalous Location, Anomalous Device"}, {"level", "HIGH"}},
		"{Anomalous Location: Country=NEGATIVE, 857d6e8a-1418_1529707130=POSITIVE}": {
			{"Anomalous Location: Country", "NEGATIVE"}, {"857d6e8a-1418_1529707130", "POSITIVE"}},
		"{level = LOW , reasons=x}":      {{"level", "LOW"}, {"reasons", "x"}},
		"{reasons=level up, level=HIGH}": {{"reasons", "level up"}, {"level", "HIGH"}},
		"{reasons=a=b, level=HIGH}":      {{"reasons", "a=b"}, {"level", "HIGH"}},
		"{level=}":                       {{"level", ""}},
		"level=MEDIUM":                   {{"level", "MEDIUM"}},
		"{stray, level=LOW}":             {{"level", "LOW"}},
		"{}":                             nil,
		"":                               nil,
		"level":                          nil,
		"{=x}":                           {{"", "x"}},
	} {
		var got []pair
		for k, v := range javaMap(text) {
			got = append(got, pair{k, v})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("javaMap(%q) = %q, want %q", text, got, want)
		}
	}
	n := 0
	for range javaMap("{a=1, b=2, c=3}") {
		n++
		break
	}
	if n != 1 {
		t.Errorf("javaMap went on after its consumer stopped")
	}
}

func TestIsJSONObjectText(t *testing.T) {
	for s, want := range map[string]bool{
		`{"level":"HIGH"}`: true, ` { "a":1}`: true, `{}`: true, `{ }`: true,
		`{level=HIGH}`: false, `{New Device=POSITIVE}`: false, `["a"]`: false, `"x"`: false, ``: false, `{`: false,
	} {
		if got := isJSONObjectText(s); got != want {
			t.Errorf("isJSONObjectText(%q) = %v, want %v", s, got, want)
		}
	}
}
