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

func TestRiskLevel(t *testing.T) {
	for s, want := range map[string]string{
		"{reasons=Anomalous Device, level=MEDIUM}": "MEDIUM",
		"{level=HIGH}":                   "HIGH",
		"{level = LOW , reasons=x}":      "LOW",
		`{"level":"HIGH","reasons":[]}`:  "HIGH",
		`{"level" : "LOW"}`:              "LOW",
		"{reasons=x, riskLevel=HIGH}":    "",
		"{reasons=level up, level=HIGH}": "HIGH",
		"{level=}":                       "",
		"{level=null}":                   "",
		"":                               "",
		"level":                          "",
	} {
		got, ok := riskLevel(s)
		if got != want || ok != (want != "") {
			t.Errorf("riskLevel(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
}
