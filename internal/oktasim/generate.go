package oktasim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/datableio/oktareceiver/internal/samples"
)

// Generator makes realistic LogEvents, compact JSON of about 1.5–3 KB, using the bundled samples
// (package samples) as templates. It varies the uuid (UUID v4), published time, event type,
// severity, outcome, actor (non-ASCII names included), client IPv4/IPv6 address, location,
// targets and session ids, and mixes in the quirks Okta is known for: client.zone the string
// "null", target null or [] or missing, outcome null, fields missing entirely, an unknown new
// field, a large debugData. It is deterministic for a seed and safe for concurrent use.
type Generator struct {
	mu        sync.Mutex
	rng       *rand.Rand
	templates []map[string]any // decoded sample events
	byType    map[string][]int // eventType → template indexes
	users     []entity
	apps      []entity
}

// entity is an actor or target.
type entity struct{ id, alternateID, displayName string }

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, 0x67656e)), byType: map[string][]int{}}
	for _, s := range samples.All() {
		for _, raw := range s.Events {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var m map[string]any
			if dec.Decode(&m) != nil {
				continue // the samples package tests that every sample decodes
			}
			et, _ := m["eventType"].(string)
			g.byType[et] = append(g.byType[et], len(g.templates))
			g.templates = append(g.templates, m)
		}
	}
	for _, p := range people {
		g.users = append(g.users, entity{id: "00u" + g.alnum(17), alternateID: p[1], displayName: p[0]})
	}
	for _, a := range appNames {
		g.apps = append(g.apps, entity{id: "0oa" + g.alnum(17), alternateID: a, displayName: a})
	}
	return g
}

// Event returns a new event published at the given time, as compact JSON with a fresh uuid.
func (g *Generator) Event(published time.Time) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	spec := g.pickSpec()
	ev := g.template(spec.eventType)
	user := g.users[g.rng.IntN(len(g.users))]
	loc := locations[g.rng.IntN(len(locations))]
	ip, ipVersion := g.ip()

	ev["uuid"] = g.uuid()
	ev["published"] = published.UTC().Format("2006-01-02T15:04:05.000Z")
	ev["eventType"] = spec.eventType
	ev["version"] = "0"
	ev["displayMessage"] = spec.display
	ev["legacyEventType"] = nullable(spec.legacy)
	severity := spec.severity
	if severity == "INFO" && g.chance(0.03) {
		severity = "DEBUG"
	}

	ev["actor"] = g.actor(spec.actor, user)
	ev["client"], ev["request"] = g.clientAndRequest(loc, ip, ipVersion)
	ev["authenticationContext"] = g.authenticationContext(spec)

	result := spec.outcomes[0]
	if len(spec.outcomes) > 1 && g.chance(0.15) {
		result = spec.outcomes[1+g.rng.IntN(len(spec.outcomes)-1)]
	}
	var reason any
	if result == "FAILURE" || result == "DENY" {
		reason = spec.failReason
		if severity == "INFO" || severity == "DEBUG" {
			severity = "WARN"
		}
	}
	ev["outcome"] = map[string]any{"result": result, "reason": reason}
	if spec.outcomes[0] == "" {
		ev["outcome"] = nil // Okta writes some events (concurrency violations) without an outcome
	}
	ev["severity"] = severity

	txType := "WEB"
	if strings.HasPrefix(spec.eventType, "system.") || g.chance(0.03) {
		txType = "JOB"
	}
	requestID := g.hex(16)
	ev["transaction"] = map[string]any{"type": txType, "id": requestID, "detail": map[string]any{}}
	ev["debugContext"] = map[string]any{"debugData": g.debugData(spec, requestID, user)}
	ev["securityContext"] = g.securityContext(ev["securityContext"], loc)
	if d, ok := ev["device"].(map[string]any); ok {
		d["id"] = "guo" + g.alnum(17)
	}
	ev["target"] = g.targets(spec, user)

	g.quirks(ev)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		panic(fmt.Sprintf("oktasim: generated event does not encode: %v", err)) // only JSON types are used
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// eventSpec describes one event type the generator emits.
type eventSpec struct {
	eventType, display, legacy, severity string
	weight                               int
	actor                                string   // user, app or system
	targets                              []string // target kinds, see targets
	outcomes                             []string // the first is the usual one; "" for outcome null
	failReason                           string
	uri                                  string
	credential                           string
}

var eventSpecs = []eventSpec{
	{"user.session.start", "User login to Okta", "core.user_auth.login_success", "INFO", 20, "user", []string{"factor", "app"}, []string{"SUCCESS", "FAILURE"}, "INVALID_CREDENTIALS", "/idp/idx/identify", "PASSWORD"},
	{"user.session.end", "User logout from Okta", "core.user_auth.logout_success", "INFO", 6, "user", nil, []string{"SUCCESS"}, "", "/login/signout", ""},
	{"user.authentication.sso", "User single sign on to app", "app.auth.sso", "INFO", 15, "user", []string{"app", "appuser"}, []string{"SUCCESS", "FAILURE"}, "Unable to SSO", "/app/sso/saml", ""},
	{"user.authentication.auth_via_mfa", "Authentication of user via MFA", "core.user.factor.attempt_success", "INFO", 10, "user", []string{"factor"}, []string{"SUCCESS", "FAILURE"}, "INVALID_CREDENTIALS", "/idp/idx/challenge/answer", "OTP"},
	{"user.authentication.verify", "Verify user identity", "", "INFO", 4, "user", []string{"user"}, []string{"SUCCESS", "FAILURE", "CHALLENGE"}, "VERIFICATION_ERROR", "/idp/idx/challenge", ""},
	{"user.lifecycle.create", "Create Okta user", "core.user.config.user_creation.success", "INFO", 2, "user", []string{"user"}, []string{"SUCCESS"}, "", "/api/v1/users", ""},
	{"user.lifecycle.deactivate", "Deactivate Okta user", "core.user.config.user_deactivated", "INFO", 1, "user", []string{"user"}, []string{"SUCCESS"}, "", "/api/v1/users/lifecycle/deactivate", ""},
	{"user.account.lock", "Max sign in attempts exceeded", "core.user_auth.account_locked", "WARN", 1, "user", []string{"user"}, []string{"FAILURE"}, "LOCKED_OUT", "/idp/idx/challenge/answer", ""},
	{"user.account.update_password", "User update password for Okta", "core.user.config.password_update.success", "INFO", 2, "user", []string{"user"}, []string{"SUCCESS", "FAILURE"}, "Password requirements were not met", "/idp/idx/challenge/answer", "PASSWORD"},
	{"user.mfa.factor.activate", "Activate factor or authenticator", "core.user.factor.activate", "INFO", 1, "user", []string{"factor"}, []string{"SUCCESS"}, "", "/idp/idx/credential/enroll", ""},
	{"group.user_membership.add", "Add user to group membership", "core.user_group_member.user_add", "INFO", 3, "user", []string{"user", "group"}, []string{"SUCCESS"}, "", "/api/v1/groups/members", ""},
	{"application.lifecycle.update", "Update application", "app.generic.config.app_updated", "INFO", 1, "user", []string{"app"}, []string{"SUCCESS"}, "", "/api/v1/apps", ""},
	{"application.user_membership.add", "Add user to application membership", "app.generic.provision.assign_user_to_app", "INFO", 2, "user", []string{"appuser", "app"}, []string{"SUCCESS"}, "", "/api/v1/apps/users", ""},
	{"application.provision.user.push_profile", "Push user's profile to app", "app.user_management.push_profile_failure", "ERROR", 1, "system", []string{"appuser", "app"}, []string{"FAILURE"}, "Automatic profile push failed", "/api/internal/provisioning", ""},
	{"app.oauth2.token.grant.access_token", "OAuth2 access token is granted", "", "INFO", 6, "app", []string{"token"}, []string{"SUCCESS", "FAILURE"}, "invalid_client", "/oauth2/v1/token", ""},
	{"policy.evaluate_sign_on", "Evaluation of sign-on policy", "", "INFO", 8, "user", []string{"policy", "rule"}, []string{"ALLOW", "CHALLENGE", "DENY"}, "Sign-on policy evaluation resulted in DENY", "/idp/idx/introspect", ""},
	{"system.org.rate_limit.warning", "Rate limit warning", "core.framework.ratelimit.warning", "WARN", 1, "system", nil, []string{"SUCCESS"}, "", "/api/v1/logs", ""},
	{"system.operation.rate_limit.violation", "Operation rate limit violation", "core.framework.ratelimit.exceeded", "WARN", 1, "user", nil, []string{"DENY"}, "Operation rate limit violation", "/api/v1/users", ""},
	{"core.concurrency.org.limit.violation", "Too many requests in flight", "core.concurrency.org.limit.violation", "INFO", 1, "user", nil, []string{""}, "", "/api/v1/users", ""},
	{"security.threat.detected", "Request from suspicious actor", "security.threat.detected", "WARN", 1, "user", nil, []string{"DENY", "ALLOW"}, "Password Spray", "/api/v1/authn", ""},
	{"iam.role.create", "Create a role", "", "INFO", 1, "user", []string{"role"}, []string{"SUCCESS"}, "", "/api/v1/iam/roles", ""},
	{"zone.update", "Update network zone", "zone.update", "INFO", 1, "user", []string{"zone"}, []string{"SUCCESS"}, "", "/api/v1/zones", ""},
}

var specWeights = func() int {
	n := 0
	for _, s := range eventSpecs {
		n += s.weight
	}
	return n
}()

// clientAndRequest are an event's client (user agent, zone, device, address and place) and request (the
// address chain, sometimes through a proxy), from the place and address drawn for it.
func (g *Generator) clientAndRequest(loc location, ip, ipVersion string) (client, request map[string]any) {
	geo := map[string]any{
		"city": loc.city, "state": loc.state, "country": loc.country, "postalCode": loc.postal,
		"geolocation": map[string]any{"lat": loc.lat, "lon": loc.lon},
	}
	ua := userAgents[g.rng.IntN(len(userAgents))]
	client = map[string]any{
		"userAgent":           map[string]any{"rawUserAgent": ua[0], "os": ua[1], "browser": ua[2]},
		"zone":                g.zone(),
		"device":              ua[3],
		"id":                  nil,
		"ipAddress":           ip,
		"geographicalContext": geo,
	}
	chain := []any{map[string]any{"ip": ip, "geographicalContext": geo, "version": ipVersion, "source": nil}}
	if g.chance(0.15) {
		proxy, _ := g.ipv4()
		chain = append(chain, map[string]any{"ip": proxy, "geographicalContext": nil, "version": "V4", "source": nil})
	}
	return client, map[string]any{"ipChain": chain}
}

// authenticationContext is an event's authentication context: its session, and the credential its kind uses.
func (g *Generator) authenticationContext(spec eventSpec) map[string]any {
	session := "102" + g.alnum(22)
	authn := map[string]any{
		"authenticationProvider": nil, "credentialProvider": nil, "credentialType": nil, "issuer": nil,
		"interface": nil, "authenticationStep": 0, "externalSessionId": session, "rootSessionId": session,
	}
	if spec.credential != "" {
		authn["credentialType"] = spec.credential
		authn["authenticationProvider"] = "OKTA_AUTHENTICATION_PROVIDER"
	}
	if g.chance(0.05) {
		authn["externalSessionId"] = "unknown"
		delete(authn, "rootSessionId")
	}
	return authn
}

func (g *Generator) pickSpec() eventSpec {
	r := g.rng.IntN(specWeights)
	for _, s := range eventSpecs {
		if r < s.weight {
			return s
		}
		r -= s.weight
	}
	return eventSpecs[0]
}

// template returns a deep copy of a sample of that event type, or of any sample.
func (g *Generator) template(eventType string) map[string]any {
	idx := g.byType[eventType]
	i := g.rng.IntN(len(g.templates))
	if len(idx) > 0 {
		i = idx[g.rng.IntN(len(idx))]
	}
	return deepCopy(g.templates[i]).(map[string]any)
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

// float returns a random number in [0,1) from the generator's source.
func (g *Generator) float() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rng.Float64()
}

func (g *Generator) alnum(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = base62[g.rng.IntN(len(base62))]
	}
	return string(b)
}

func (g *Generator) hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	return hex.EncodeToString(b)
}

// uuid returns a random (version 4) UUID.
func (g *Generator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ip returns a client address, IPv6 about a quarter of the time, and its ipChain version.
func (g *Generator) ip() (string, string) {
	if g.chance(0.25) {
		var b [16]byte
		prefix := ipv6Prefixes[g.rng.IntN(len(ipv6Prefixes))]
		copy(b[:], prefix[:])
		for i := 4; i < 16; i++ {
			b[i] = byte(g.rng.IntN(256))
		}
		return netip.AddrFrom16(b).String(), "V6"
	}
	return g.ipv4()
}

func (g *Generator) ipv4() (string, string) {
	first := ipv4FirstOctets[g.rng.IntN(len(ipv4FirstOctets))]
	a := netip.AddrFrom4([4]byte{first, byte(g.rng.IntN(256)), byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))})
	return a.String(), "V4"
}

// zone is client.zone: most often the string "null", as Okta writes it.
func (g *Generator) zone() any {
	switch r := g.rng.Float64(); {
	case r < 0.70:
		return "null"
	case r < 0.85:
		return "OFF_NETWORK"
	case r < 0.95:
		return nil
	default:
		return "LegacyIpZone"
	}
}

func (g *Generator) actor(kind string, user entity) map[string]any {
	switch kind {
	case "app":
		app := g.apps[g.rng.IntN(len(g.apps))]
		return map[string]any{"id": app.id, "type": "PublicClientApp", "alternateId": app.alternateID, "displayName": app.displayName, "detailEntry": nil}
	case "system":
		return map[string]any{"id": "0oa1system0kta0000x7", "type": "SystemPrincipal", "alternateId": "system@okta.com", "displayName": "Okta System", "detailEntry": nil}
	}
	return map[string]any{"id": user.id, "type": "User", "alternateId": user.alternateID, "displayName": user.displayName, "detailEntry": nil}
}

// targets builds the event's target array from the spec's kinds (null when it has none).
func (g *Generator) targets(spec eventSpec, actor entity) any {
	if len(spec.targets) == 0 {
		return nil
	}
	var out []any
	for _, kind := range spec.targets {
		t := map[string]any{"detailEntry": nil}
		switch kind {
		case "user":
			u := g.users[g.rng.IntN(len(g.users))]
			t["id"], t["type"], t["alternateId"], t["displayName"] = u.id, "User", u.alternateID, u.displayName
		case "appuser":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "0ua"+g.alnum(17), "AppUser", actor.alternateID, actor.displayName
		case "app":
			a := g.apps[g.rng.IntN(len(g.apps))]
			t["id"], t["type"], t["alternateId"], t["displayName"] = a.id, "AppInstance", a.alternateID, a.displayName
			t["detailEntry"] = map[string]any{"signOnModeType": []string{"SAML_2_0", "OPENID_CONNECT", "BOOKMARK"}[g.rng.IntN(3)]}
		case "group":
			name := groupNames[g.rng.IntN(len(groupNames))]
			t["id"], t["type"], t["alternateId"], t["displayName"] = "00g"+g.alnum(17), "UserGroup", "unknown", name
		case "factor":
			name := factorNames[g.rng.IntN(len(factorNames))]
			t["id"], t["type"], t["alternateId"], t["displayName"] = "pfd"+g.alnum(17), "AuthenticatorEnrollment", "unknown", name
		case "policy":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "00p"+g.alnum(17), "PolicyEntity", "unknown", "Default Policy"
			t["detailEntry"] = map[string]any{"policyType": "OktaSignOn"}
		case "rule":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "0pr"+g.alnum(17), "PolicyRule", "00p"+g.alnum(17), "Catch-all Rule"
			t["detailEntry"] = map[string]any{"policyRuleFactorMode": "2FA", "policyType": "OktaSignOn"}
		case "token":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "AT."+g.alnum(40), "access_token", "access_token", "Access Token"
			t["detailEntry"] = map[string]any{"expires": "2026-11-24T11:00:00.000Z", "subject": actor.alternateID, "hash": g.alnum(22)}
		case "role":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "cr0"+g.alnum(17), "ROLE", "cr0"+g.alnum(17), "Help Desk Admin (custom)"
		case "zone":
			t["id"], t["type"], t["alternateId"], t["displayName"] = "nzo"+g.alnum(17), "NetworkZone", "unknown", "Office Networks"
		}
		out = append(out, t)
	}
	return out
}

func (g *Generator) debugData(spec eventSpec, requestID string, user entity) map[string]any {
	d := map[string]any{
		"requestId":  requestID,
		"requestUri": spec.uri,
		"url":        spec.uri + "?",
		"dtHash":     g.hex(32),
		"traceId":    g.uuid(),
	}
	switch {
	case spec.eventType == "security.threat.detected":
		d["threatSuspected"] = "true"
		d["threatDetections"] = `{"Password Spray":"HIGH"}`
		d["risk"] = "{level=HIGH, reasons=Anomalous Location}"
	case strings.HasPrefix(spec.eventType, "user.session.") || strings.HasPrefix(spec.eventType, "user.authentication."):
		d["threatSuspected"] = "false"
		d["behaviors"] = "{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=POSITIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}"
		d["risk"] = "{level=" + []string{"LOW", "LOW", "MEDIUM", "HIGH"}[g.rng.IntN(4)] + "}"
		d["logOnlySecurityData"] = `{"risk":{"level":"LOW"},"behaviors":{"New Geo-Location":"NEGATIVE","New Device":"NEGATIVE","New IP":"POSITIVE"}}`
	case strings.HasPrefix(spec.eventType, "system."):
		d["threshold"] = "60"
		d["warningPercent"] = "60"
		d["rateLimitBucketUri"] = spec.uri
		d["operationRateLimitScopeType"] = "ORG"
	case strings.HasPrefix(spec.eventType, "user.authentication.sso"):
		d["initiationType"] = "IDP_INITIATED"
		d["subject"] = user.alternateID
	}
	return d
}

// securityContext keeps the template's extra fields (risk, ipDetails, …) and varies the ISP.
func (g *Generator) securityContext(tpl any, loc location) map[string]any {
	sc, _ := tpl.(map[string]any)
	if sc == nil {
		sc = map[string]any{}
	}
	isp := isps[g.rng.IntN(len(isps))]
	sc["asNumber"], sc["asOrg"], sc["isp"], sc["domain"] = isp.asNumber, isp.asOrg, isp.isp, nullable(isp.domain)
	sc["isProxy"] = g.chance(0.05)
	if details, ok := sc["ipDetails"].(map[string]any); ok {
		details["asNumber"], details["asOrg"], details["isp"] = isp.asNumber, isp.asOrg, isp.isp
		details["ipCountry"] = loc.country
	}
	return sc
}

// quirks applies the oddities of real Okta events, each to a few percent of events.
func (g *Generator) quirks(ev map[string]any) {
	switch r := g.rng.Float64(); {
	case r < 0.05:
		ev["target"] = nil
	case r < 0.10:
		ev["target"] = []any{}
	case r < 0.13:
		delete(ev, "target")
	}
	if g.chance(0.04) {
		ev["outcome"] = nil
	}
	if g.chance(0.06) {
		for range 1 + g.rng.IntN(3) {
			delete(ev, optionalFields[g.rng.IntN(len(optionalFields))])
		}
	}
	if g.chance(0.05) {
		ev["newField2027"] = map[string]any{"x": []any{1, 2.5, true, nil}, "note": "a property Okta added after this client was written"}
	}
	if g.chance(0.03) {
		d := map[string]any{}
		if dc, ok := ev["debugContext"].(map[string]any); ok {
			if dd, ok := dc["debugData"].(map[string]any); ok {
				d = dd
			}
		}
		for i := range 40 {
			d[fmt.Sprintf("pushStatusDetail%02d", i)] = g.hex(100)
		}
		ev["debugContext"] = map[string]any{"debugData": d}
	}
}

// optionalFields are nullable top-level fields the quirks may leave out entirely.
var optionalFields = []string{"device", "securityContext", "legacyEventType", "request", "displayMessage", "authenticationContext", "debugContext", "client", "transaction"}

// people are actors and user targets: display name, alternateId.
var people = [][2]string{
	{"Zoë Ångström", "zoe.angstrom@example.com"},
	{"李小龙", "xiaolong.li@example.com"},
	{"José Ramírez", "jose.ramirez@example.com"},
	{"Ólafur Þórsson", "olafur.thorsson@example.is"},
	{"Анна Иванова", "anna.ivanova@example.com"},
	{"محمد علي", "mohamed.ali@example.com"},
	{"田中 花子", "hanako.tanaka@example.jp"},
	{"Søren Kierkegård", "soren.kierkegard@example.dk"},
	{"François Dupont", "francois.dupont@example.fr"},
	{"John Doe", "john.doe@example.com"},
	{"Jane Smith", "jane.smith@example.com"},
	{"Priya Natarajan", "priya.natarajan@example.com"},
	{"Backup Service", "svc-backup"},
}

var appNames = []string{"Salesforce.com", "Slack", "AWS IAM Identity Center", "GitHub Enterprise Cloud", "Workday", "Okta Admin Console", "Zoom", "Atlassian Cloud"}

var groupNames = []string{"Everyone", "Engineering", "Finance", "Contractors", "Führungskräfte", "Helpdesk Admins"}

var factorNames = []string{"Okta Verify", "Google Authenticator", "Password", "FIDO2 (WebAuthn)", "Phone"}

// userAgents: raw, os, browser, client.device.
var userAgents = [][4]string{
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Mac OS X", "CHROME", "Computer"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Windows 10", "FIREFOX", "Computer"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Windows 10", "EDGE_CHROMIUM", "Computer"},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "iOS", "SAFARI", "Mobile"},
	{"okta-sdk-golang/5.0.2 golang/go1.23.4 linux/amd64", "Linux", "UNKNOWN", "Unknown"},
	{"UNKNOWN-DOWNLOAD", "Unknown", "UNKNOWN", "Unknown"},
}

type location struct {
	city, state, country, postal string
	lat, lon                     float64
}

var locations = []location{
	{"New York", "New York", "United States", "10013", 40.7209, -74.0007},
	{"San Francisco", "California", "United States", "94107", 37.7697, -122.3933},
	{"Miami", "Florida", "United States", "33143", 25.7034, -80.2927},
	{"London", "England", "United Kingdom", "EC2V", 51.5164, -0.093},
	{"Berlin", "Land Berlin", "Germany", "10117", 52.5196, 13.4069},
	{"São Paulo", "São Paulo", "Brazil", "01310", -23.5614, -46.6559},
	{"Tokyo", "Tokyo", "Japan", "100-0001", 35.6893, 139.6899},
	{"Zürich", "Zurich", "Switzerland", "8001", 47.3682, 8.5392},
	{"Sydney", "New South Wales", "Australia", "2000", -33.8715, 151.2006},
	{"Bengaluru", "Karnataka", "India", "560001", 12.9634, 77.5855},
	{"Toronto", "Ontario", "Canada", "M5H", 43.6547, -79.3623},
	{"Paris", "Île-de-France", "France", "75001", 48.8628, 2.3292},
}

type ispInfo struct {
	asNumber           int
	asOrg, isp, domain string
}

var isps = []ispInfo{
	{7018, "at&t enterprises  llc", "att corp", "sbcglobal.net"},
	{7922, "comcast", "comcast cable communications  llc", "comcast.net"},
	{16509, "amazon.com  inc.", "amazon.com  inc.", "amazonaws.com"},
	{3320, "deutsche telekom ag", "deutsche telekom ag", "t-ipconnect.de"},
	{2516, "kddi corporation", "kddi corporation", ""},
	{13335, "cloudflare  inc.", "cloudflare  inc.", "cloudflare.com"},
}

var ipv4FirstOctets = []byte{23, 24, 34, 45, 52, 67, 73, 81, 98, 104, 151, 162, 185, 203, 213}

var ipv6Prefixes = [][4]byte{{0x26, 0x00, 0x17, 0x00}, {0x2a, 0x02, 0x0c, 0x7c}, {0x24, 0x06, 0xda, 0x18}, {0x26, 0x07, 0xfb, 0x90}}
