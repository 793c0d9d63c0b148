package mapping

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestPropertyRandomEvents maps pages of random events, written with random whitespace and escapes, and
// checks every record against the event: Timestamp = published, EventName = eventType, log.record.uid =
// uuid, no empty attribute, attributes equal to the values encoding/json reads at their paths, body: map
// equal to encoding/json + FromRaw, body: raw equal to the event's text.
func TestPropertyRandomEvents(t *testing.T) {
	pages := 300
	if testing.Short() {
		pages = 30
	}
	for seed := range uint64(pages) {
		r := rand.New(rand.NewPCG(seed, 0x6f6b7461))
		g := &gen{r: r}
		n := r.IntN(8)
		var texts []string
		var page strings.Builder
		page.WriteString(g.space() + "[")
		for i := range n {
			if i > 0 {
				page.WriteString(g.space() + "," + g.space())
			}
			var ev strings.Builder
			g.w = &ev
			g.event()
			texts = append(texts, ev.String())
			page.WriteString(ev.String())
		}
		page.WriteString(g.space() + "]" + g.space())

		for _, body := range []BodyMode{BodyMap, BodyRaw} {
			logs, events, _, err := New(testOptions(body)).MapPage(page.String(), observedAt)
			if err != nil {
				t.Fatalf("seed %d: %v\npage: %s", seed, err, page.String())
			}
			recs := records(logs)
			if len(recs) != n || len(events) != n {
				t.Fatalf("seed %d: %d records for %d events", seed, len(recs), n)
			}
			for i, lr := range recs {
				checkRecord(t, fmt.Sprintf("seed %d event %d %s", seed, i, body), texts[i], lr, events[i], body)
			}
		}
	}
}

func checkRecord(t *testing.T, where, text string, lr plog.LogRecord, e Event, body BodyMode) {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal([]byte(text), &ev); err != nil {
		t.Fatalf("%s: generated invalid JSON: %v\n%s", where, err, text)
	}
	published, _ := time.Parse(time.RFC3339Nano, ev["published"].(string))
	if lr.Timestamp() != pcommon.NewTimestampFromTime(published) || !e.Published.Equal(published) {
		t.Errorf("%s: Timestamp %s, want %s", where, lr.Timestamp(), published)
	}
	if lr.EventName() != ev["eventType"] {
		t.Errorf("%s: EventName %q, want %q", where, lr.EventName(), ev["eventType"])
	}
	if uid, _ := attr(lr, "log.record.uid"); uid != ev["uuid"] || e.UUID != ev["uuid"] {
		t.Errorf("%s: log.record.uid %v, event uuid %q, want %q", where, uid, e.UUID, ev["uuid"])
	}
	checkNoEmptyAttributes(t, where, lr)
	wantBehaviors, wantThreats := wantSecurityMaps(ev)
	for key, want := range map[string]map[string]any{"okta.security.behaviors": wantBehaviors, "okta.security.threat_detections": wantThreats} {
		got, present := attr(lr, key)
		if present != (want != nil) || (want != nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: %s = %v (present %v), want %v", where, key, got, present, want)
		}
	}
	var wantThreat any
	switch v := lookup(ev, []string{"debugContext", "debugData", "threatSuspected"}).(type) {
	case bool:
		wantThreat = v
	case string:
		if strings.EqualFold(v, "true") || strings.EqualFold(v, "false") {
			wantThreat = strings.EqualFold(v, "true")
		}
	}
	if got, _ := attr(lr, "okta.security.threat_suspected"); got != wantThreat {
		t.Errorf("%s: okta.security.threat_suspected = %v, want %v", where, got, wantThreat)
	}
	for key, path := range attributePaths {
		want, ok := lookup(ev, path).(string)
		ok = ok && want != "" && want != "null"
		got, present := attr(lr, key)
		if ok != present || (ok && got != want) {
			t.Errorf("%s: %s = %v (present %v), encoding/json reads %q at %v", where, key, got, present, want, path)
		}
	}
	actorType, _ := lookup(ev, []string{"actor", "type"}).(string)
	if _, present := attr(lr, "user.id"); present && actorType != "User" {
		t.Errorf("%s: user.id for actor type %q", where, actorType)
	}
	var wantTypes []any
	if targets, ok := ev["target"].([]any); ok {
		for _, target := range targets {
			if tt, ok := lookup(target, []string{"type"}).(string); ok && tt != "" && tt != "null" {
				wantTypes = append(wantTypes, tt)
			}
		}
	}
	if got, _ := attr(lr, "okta.target.types"); fmt.Sprint(got) != fmt.Sprint(wantTypes) && (got != nil || wantTypes != nil) {
		t.Errorf("%s: okta.target.types %v, want %v", where, got, wantTypes)
	}
	switch body {
	case BodyMap:
		if d := diffBody(referenceBody(t, []byte(text)), lr.Body()); d != "" {
			t.Errorf("%s: body differs from encoding/json: %s\nevent: %s", where, d, text)
		}
	case BodyRaw:
		if lr.Body().Str() != text {
			t.Errorf("%s: raw body %q, want %q", where, lr.Body().Str(), text)
		}
	}
}

// The security strings the generator writes, and the maps they stand for.
const (
	genBehaviors = "{New Geo-Location=NEGATIVE, New Device=POSITIVE}"
	genLogOnly   = `{"risk":{"level":"LOW"},"behaviors":{"New IP":"POSITIVE"}}`
	genThreats   = `{"Password Spray":"HIGH"}`
)

// wantSecurityMaps computes okta.security.behaviors and threat_detections of a generated event
// independently of the mapping: userBehaviors' meaningful names and results, else debugData's behaviors,
// else logOnlySecurityData's behaviors. A string counts by the map it stands for, an object by its
// meaningful string members (the generator's other strings hold no '=' and no JSON).
func wantSecurityMaps(ev map[string]any) (behaviors, threats map[string]any) {
	meaningful := func(v any) (string, bool) {
		s, ok := v.(string)
		return s, ok && s != "" && s != "null"
	}
	add := func(m map[string]any, k, v any) map[string]any {
		name, ok1 := meaningful(k)
		value, ok2 := meaningful(v)
		if !ok1 || !ok2 {
			return m
		}
		if m == nil {
			m = map[string]any{}
		}
		m[name] = value
		return m
	}
	fromValue := func(v any, text string, stands map[string]any) (m map[string]any) {
		switch v := v.(type) {
		case string:
			if v == text {
				return stands
			}
		case map[string]any:
			for k, x := range v {
				m = add(m, k, x)
			}
		}
		return m
	}
	// The names and results are taken as they are: only a Java map string has its spaces trimmed.
	if list, ok := lookup(ev, []string{"securityContext", "userBehaviors"}).([]any); ok {
		for _, b := range list {
			behaviors = add(behaviors, lookup(b, []string{"name"}), lookup(b, []string{"result"}))
		}
	}
	debug := func(k string) any { return lookup(ev, []string{"debugContext", "debugData", k}) }
	if behaviors == nil {
		behaviors = fromValue(debug("behaviors"), genBehaviors, map[string]any{"New Geo-Location": "NEGATIVE", "New Device": "POSITIVE"})
	}
	if behaviors == nil {
		switch lo := debug("logOnlySecurityData").(type) {
		case string:
			behaviors = fromValue(lo, genLogOnly, map[string]any{"New IP": "POSITIVE"})
		case map[string]any:
			if b, ok := lo["behaviors"].(map[string]any); ok {
				behaviors = fromValue(b, "", nil)
			}
		}
	}
	threats = fromValue(debug("threatDetections"), genThreats, map[string]any{"Password Spray": "HIGH"})
	return behaviors, threats
}

// attributePaths are the attributes copied from one string of the event without a condition.
var attributePaths = map[string][]string{
	"okta.legacy_event_type":              {"legacyEventType"},
	"okta.display_message":                {"displayMessage"},
	"okta.outcome.result":                 {"outcome", "result"},
	"okta.outcome.reason":                 {"outcome", "reason"},
	"okta.actor.id":                       {"actor", "id"},
	"okta.actor.type":                     {"actor", "type"},
	"okta.actor.alternate_id":             {"actor", "alternateId"},
	"okta.actor.display_name":             {"actor", "displayName"},
	"client.address":                      {"client", "ipAddress"},
	"user_agent.original":                 {"client", "userAgent", "rawUserAgent"},
	"okta.client.device":                  {"client", "device"},
	"okta.client.zone":                    {"client", "zone"},
	"geo.locality.name":                   {"client", "geographicalContext", "city"},
	"okta.client.geo.country":             {"client", "geographicalContext", "country"},
	"okta.client.geo.state":               {"client", "geographicalContext", "state"},
	"geo.postal_code":                     {"client", "geographicalContext", "postalCode"},
	"okta.root_session_id":                {"authenticationContext", "rootSessionId"},
	"okta.authentication.credential_type": {"authenticationContext", "credentialType"},
	"okta.transaction.id":                 {"transaction", "id"},
	"okta.transaction.type":               {"transaction", "type"},
	"okta.request.id":                     {"debugContext", "debugData", "requestId"},
	"okta.security.as.org":                {"securityContext", "asOrg"},
	"okta.security.isp":                   {"securityContext", "isp"},
}

func lookup(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// required are the members every generated event has.
var required = map[string]bool{"uuid": true, "published": true, "eventType": true}

// gen writes random events as JSON text with random whitespace and string escapes.
type gen struct {
	r *rand.Rand
	w *strings.Builder
}

func (g *gen) space() string {
	if g.r.IntN(3) > 0 {
		return ""
	}
	return []string{" ", "\n", "\t", "\r\n", "  \n    "}[g.r.IntN(5)]
}

// object writes an object whose members are written by the given functions, in random order, plus
// random unknown members.
func (g *gen) object(members map[string]func()) {
	keys := make([]string, 0, len(members)+2)
	for k := range members {
		keys = append(keys, k)
	}
	for range g.r.IntN(3) {
		k := g.text(8)
		if _, dup := members[k]; !dup {
			keys = append(keys, k)
		}
	}
	g.r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	g.w.WriteString("{" + g.space())
	first := true
	for _, k := range keys {
		write, known := members[k]
		if known && !required[k] && g.r.IntN(8) == 0 {
			continue // a missing member
		}
		if !first {
			g.w.WriteString(g.space() + "," + g.space())
		}
		first = false
		g.str(k)
		g.w.WriteString(g.space() + ":" + g.space())
		if known {
			write()
		} else {
			g.value(3)
		}
	}
	g.w.WriteString(g.space() + "}")
}

func (g *gen) event() {
	g.object(map[string]func(){
		"uuid": func() {
			g.str(fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", g.r.Uint32(), g.r.IntN(1<<16), g.r.IntN(1<<16), g.r.IntN(1<<16), g.r.Uint64()>>16))
		},
		"published": func() { g.str(time.UnixMilli(g.r.Int64N(2e12)).UTC().Format("2006-01-02T15:04:05.000Z")) },
		"eventType": func() {
			g.str([]string{"user.session.start", "user.authentication.sso", "security.threat.detected", "app.oauth2.as.token.grant",
				"policy.evaluate_sign_on", "group.user_membership.add", "system.org.rate_limit.violation", g.text(12)}[g.r.IntN(8)])
		},
		"severity":        func() { g.field("DEBUG", "INFO", "WARN", "ERROR") },
		"version":         func() { g.str("0") },
		"legacyEventType": func() { g.field("core.user_auth.login_success") },
		"displayMessage":  func() { g.field("User login to Okta", "Zürich → 東京 \"quoted\" \\ 😀") },
		"actor": func() {
			g.maybeNull(func() {
				g.object(map[string]func(){
					"id": func() { g.field("00u1") }, "type": func() { g.field("User", "PublicClientApp", "SystemPrincipal") },
					"alternateId": func() { g.field("jane@example.com", "jdoe") }, "displayName": func() { g.field("Jane Doe") },
					"detailEntry": func() { g.value(2) },
				})
			})
		},
		"client": func() {
			g.maybeNull(func() {
				g.object(map[string]func(){
					"ipAddress": func() { g.field("10.0.0.1", "2001:db8::1") }, "device": func() { g.field("Computer") },
					"zone": func() { g.field("OFF_NETWORK") },
					"userAgent": func() {
						g.maybeNull(func() {
							g.object(map[string]func(){"rawUserAgent": func() { g.field("Mozilla/5.0") },
								"os": func() { g.field("Mac OS X") }, "browser": func() { g.field("CHROME") }})
						})
					},
					"geographicalContext": func() {
						g.maybeNull(func() {
							g.object(map[string]func(){"city": func() { g.field("Toronto") }, "state": func() { g.field("Ontario") },
								"country": func() { g.field("Canada", "United States", "Atlantis") }, "postalCode": func() { g.field("M4M") },
								"geolocation": func() {
									g.maybeNull(func() { g.object(map[string]func(){"lat": func() { g.number() }, "lon": func() { g.number() }}) })
								}})
						})
					},
				})
			})
		},
		"outcome": func() {
			g.maybeNull(func() {
				g.object(map[string]func(){"result": func() { g.field("SUCCESS", "DENY") }, "reason": func() { g.field("Too many") }})
			})
		},
		"target": func() {
			g.maybeNull(func() {
				g.w.WriteString("[" + g.space())
				for i := range g.r.IntN(4) {
					if i > 0 {
						g.w.WriteString(",")
					}
					g.object(map[string]func(){"id": func() { g.field("t1") }, "type": func() { g.field("User", "AppInstance") }})
				}
				g.w.WriteString(g.space() + "]")
			})
		},
		"transaction": func() {
			g.object(map[string]func(){"id": func() { g.field("tx") }, "type": func() { g.field("WEB", "JOB") }, "detail": func() { g.value(2) }})
		},
		"debugContext": func() {
			g.object(map[string]func(){"debugData": func() {
				g.maybeNull(func() {
					g.object(map[string]func(){"requestId": func() { g.field("req") }, "threatSuspected": func() { g.field("true", "false") },
						"risk": func() { g.field("{reasons=Anomalous Device, level=MEDIUM}") }, "behaviors": func() { g.field(genBehaviors) },
						"logOnlySecurityData": func() { g.field(genLogOnly) }, "threatDetections": func() { g.field(genThreats) }})
				})
			}})
		},
		"authenticationContext": func() {
			g.object(map[string]func(){"externalSessionId": func() { g.field("idx1", "unknown") }, "rootSessionId": func() { g.field("idx0") },
				"credentialType": func() { g.field("PASSWORD") }, "authenticationStep": func() { g.number() }})
		},
		"securityContext": func() {
			g.object(map[string]func(){"asOrg": func() { g.field("ASN 0000") }, "isp": func() { g.field("google") },
				"isProxy": func() { g.value(0) }, "risk": func() { g.maybeNull(func() { g.object(map[string]func(){"level": func() { g.field("HIGH") }}) }) },
				"userBehaviors": func() {
					g.maybeNull(func() {
						g.w.WriteString("[" + g.space())
						for i := range g.r.IntN(3) {
							if i > 0 {
								g.w.WriteString(",")
							}
							g.object(map[string]func(){"name": func() { g.field("New Device", "New IP") }, "result": func() { g.field("POSITIVE", "NEGATIVE") }})
						}
						g.w.WriteString(g.space() + "]")
					})
				}})
		},
	})
}

// field writes one of the given strings, or one of the values Okta uses for nothing, or a value of another type.
func (g *gen) field(values ...string) {
	switch g.r.IntN(10) {
	case 0:
		g.w.WriteString("null")
	case 1:
		g.str("")
	case 2:
		g.str("null")
	case 3:
		g.str([]string{"Unknown", "UNKNOWN", "unknown"}[g.r.IntN(3)])
	case 4:
		g.value(1)
	default:
		g.str(values[g.r.IntN(len(values))])
	}
}

func (g *gen) maybeNull(write func()) {
	if g.r.IntN(6) == 0 {
		g.w.WriteString("null")
		return
	}
	write()
}

func (g *gen) value(depth int) {
	n := 7
	if depth <= 0 {
		n = 5
	}
	switch g.r.IntN(n) {
	case 0:
		g.w.WriteString("null")
	case 1:
		g.w.WriteString([]string{"true", "false"}[g.r.IntN(2)])
	case 2:
		g.number()
	case 3, 4:
		g.str(g.text(20))
	case 5:
		g.w.WriteString("[" + g.space())
		for i := range g.r.IntN(4) {
			if i > 0 {
				g.w.WriteString(g.space() + "," + g.space())
			}
			g.value(depth - 1)
		}
		g.w.WriteString(g.space() + "]")
	case 6:
		g.object(map[string]func(){})
	}
}

func (g *gen) number() {
	var s string
	switch g.r.IntN(9) {
	case 8:
		s = fmt.Sprintf("%de%d", g.r.IntN(100), g.r.IntN(5)) // an integer with an exponent is a Double
	case 0:
		s = strconv.FormatInt(g.r.Int64(), 10)
	case 1:
		s = strconv.FormatInt(-g.r.Int64N(1000), 10)
	case 2:
		s = strconv.FormatFloat(g.r.NormFloat64()*100, 'f', -1, 64)
	case 3:
		s = strconv.FormatFloat(g.r.NormFloat64(), 'e', -1, 64)
	case 4:
		s = strconv.FormatFloat(g.r.ExpFloat64()*1e30, 'E', 5, 64)
	case 5:
		s = "9223372036854775808" + strconv.Itoa(g.r.IntN(1000)) // beyond int64
	case 6:
		s = "-0"
	default:
		s = strconv.Itoa(g.r.IntN(100))
	}
	g.w.WriteString(s)
}

// text returns random text mixing ASCII, JSON-special characters, control characters and non-ASCII runes.
func (g *gen) text(maxLen int) string {
	pool := []rune{'a', 'b', 'Z', '0', ' ', '.', '@', '"', '\\', '/', '\n', '\t', 0x01, 0x1f, 0x7f, 'é', 'ß', 'λ', '東', '€', '😀', '𝄞', 0xfffd, 0x2028}
	var b strings.Builder
	for range g.r.IntN(maxLen + 1) {
		b.WriteRune(pool[g.r.IntN(len(pool))])
	}
	return b.String()
}

// str writes s as a JSON string, each character literally or escaped at random.
func (g *gen) str(s string) {
	g.w.WriteByte('"')
	for _, c := range s {
		escape := g.r.IntN(4) == 0
		switch {
		case c == '"' || c == '\\':
			g.w.WriteString(`\` + string(c))
		case c < 0x20:
			if short, ok := map[rune]string{'\n': `\n`, '\t': `\t`, '\r': `\r`, '\b': `\b`, '\f': `\f`}[c]; ok && g.r.IntN(2) == 0 {
				g.w.WriteString(short)
			} else {
				fmt.Fprintf(g.w, `\u%04x`, c)
			}
		case c == '/' && escape:
			g.w.WriteString(`\/`)
		case escape && c > 0xffff:
			c -= 0x10000
			fmt.Fprintf(g.w, `\u%04X\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
		case escape:
			fmt.Fprintf(g.w, `\u%04x`, c)
		default:
			g.w.WriteRune(c)
		}
	}
	g.w.WriteByte('"')
}
