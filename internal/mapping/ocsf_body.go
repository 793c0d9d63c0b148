package mapping

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/datableio/oktareceiver/internal/mapping/ocsf"
)

// The OCSF profiles the output may use, as bits of ocsfWriter.profiles.
const (
	profileHost uint8 = 1 << iota
	profileSecurityControl
)

// ocsfWork is the working memory of the OCSF body, kept from one event to the next.
type ocsfWork struct {
	// used holds, per tape node, whether the OCSF event holds its value: usedNone, usedPart (an object
	// some of whose members are mapped) or usedAll; what is not usedAll goes under unmapped.
	used []uint8
}

const (
	usedNone uint8 = iota
	usedPart
	usedAll
)

// ocsfWriter writes the OCSF event of one Okta event.
type ocsfWriter struct {
	d        *doc
	used     []uint8
	f        fields
	dec      ocsf.Decision
	org      string
	profiles uint8
	// members of the event that several parts read
	eventType                 string
	actor, client, auth, data int
	targets                   int
	ix                        ocsfIndex
	// the targets of each kind that the class's attributes use, or none
	targetUser, targetGroup, targetApp int
}

// ocsfBody writes the OCSF 1.8.0 event of the event whose members are f into the empty map body. t is the
// record's time: published, or when that is missing the time the page was read. attrs are the record's
// attributes, already collected. raw is the event's JSON text when it is beyond its mapping budget (budget.go),
// and empty otherwise.
func (d *doc) ocsfBody(body pcommon.Map, f fields, t pcommon.Timestamp, org string, attrs *attrList, raw string, work *ocsfWork) {
	if cap(work.used) < len(d.nodes) {
		work.used = make([]uint8, len(d.nodes), len(d.nodes)+len(d.nodes)/2)
	} else {
		work.used = work.used[:len(d.nodes)]
		clear(work.used)
	}
	w := ocsfWriter{d: d, used: work.used, f: f, org: org, targetUser: none, targetGroup: none, targetApp: none}
	w.eventType, _ = w.text(f.eventType)
	w.dec = ocsf.Decide(w.eventType)
	w.actor, w.client, w.auth, w.targets = f.actor, f.client, f.authentication, f.target
	w.data = d.get(f.debugContext, "debugData")
	w.index()
	w.findTargets()

	c := w.dec.Class
	body.EnsureCapacity(28)
	body.PutInt("activity_id", int64(w.dec.ActivityID))
	name := w.dec.ActivityName
	if name == "" {
		name = "Other"
	}
	body.PutStr("activity_name", name)
	body.PutInt("category_uid", int64(c.CategoryUID))
	body.PutStr("category_name", c.CategoryName)
	body.PutInt("class_uid", int64(c.UID))
	body.PutStr("class_name", c.Name)
	body.PutInt("type_uid", w.dec.TypeUID())
	body.PutInt("time", int64(t)/1e6)
	severity, ok := w.text(f.severity)
	id, caption := ocsfSeverity(severity, ok)
	body.PutInt("severity_id", id)
	body.PutStr("severity", caption)
	if msg, ok := w.text(f.displayMessage); ok {
		body.PutStr("message", msg)
	}
	w.status(body)

	userIsActor := false
	switch c.UID {
	case ocsf.Authentication:
		userIsActor = w.authentication(body)
	case ocsf.AccountChange:
		userIsActor = w.subjectUser(body)
	case ocsf.UserAccessManagement:
		userIsActor = w.subjectUser(body)
		w.privileges(body)
	case ocsf.GroupManagement:
		w.groupManagement(body)
	case ocsf.EntityManagement:
		w.entity(body)
	case ocsf.DetectionFinding:
		w.finding(body)
	case ocsf.APIActivity:
		w.api(body)
	}
	if c.UID != ocsf.DetectionFinding {
		if !userIsActor {
			w.actorObject(body, c.UID == ocsf.APIActivity, c.UID != ocsf.Authentication)
		} else if c.UID != ocsf.Authentication && w.hasSession() {
			// The user acted: the session is the actor's.
			w.session(putMap(putMap(body, "actor", 1), "session", 3))
		}
		w.srcEndpoint(body, c.UID == ocsf.APIActivity)
		w.httpRequest(body, c.UID != ocsf.APIActivity)
	}
	w.risk(body, attrs)
	w.metadata(body.PutEmptyMap("metadata"))
	if raw != "" {
		// What the event holds beyond the members read, and what of them is not mapped, is in its text.
		body.PutStr("raw_data", raw)
		return
	}
	w.unmapped(body)
}

// putMap puts an empty map for n members under key.
func putMap(m pcommon.Map, key string, n int) pcommon.Map {
	c := m.PutEmptyMap(key)
	c.EnsureCapacity(n)
	return c
}

// mark records that node i's value is in the OCSF event.
func (w *ocsfWriter) mark(i int) {
	if i >= 0 {
		w.used[i] = usedAll
	}
}

// text returns the meaningful string at node i (see doc.text) and marks it mapped.
func (w *ocsfWriter) text(i int) (string, bool) {
	s, ok := w.d.text(i)
	if ok {
		w.used[i] = usedAll
	}
	return s, ok
}

// putText writes the meaningful string at node i under key and marks it mapped.
func (w *ocsfWriter) putText(m pcommon.Map, key string, i int) bool {
	s, ok := w.text(i)
	if ok {
		m.PutStr(key, s)
	}
	return ok
}

// status writes status_id, status, status_code and status_detail from outcome.
func (w *ocsfWriter) status(body pcommon.Map) {
	if result, ok := w.text(w.ix.result); ok {
		id, caption := ocsfStatus(result)
		body.PutInt("status_id", id)
		body.PutStr("status", caption)
		body.PutStr("status_code", result)
	}
	w.putText(body, "status_detail", w.ix.reason)
}

// findTargets finds the first target of each kind that the classes use.
func (w *ocsfWriter) findTargets() {
	d := w.d
	if w.targets < 0 || d.nodes[w.targets].kind != kindArray {
		return
	}
	for j := w.targets + 1; j < d.next(w.targets); j = d.next(j) {
		typ, _ := d.text(d.get(j, "type"))
		switch {
		case typ == "User" && w.targetUser == none:
			w.targetUser = j
		case typ == "UserGroup" && w.targetGroup == none:
			w.targetGroup = j
		case typ == "AppInstance" && w.targetApp == none:
			w.targetApp = j
		}
	}
}

// metadata writes the metadata object; it comes after the rest of the event, whose profiles it names.
func (w *ocsfWriter) metadata(meta pcommon.Map) {
	meta.EnsureCapacity(11)
	meta.PutStr("version", ocsf.Version)
	product := putMap(meta, "product", 2)
	product.PutStr("name", "Okta System Log")
	product.PutStr("vendor_name", "Okta")
	w.putText(meta, "original_event_uid", w.f.uuid)
	if w.eventType != "" {
		meta.PutStr("event_code", w.eventType)
	}
	w.putText(meta, "original_time", w.f.published)
	w.putText(meta, "log_level", w.f.severity)
	w.putText(meta, "log_version", w.d.get(0, "version"))
	w.putText(meta, "correlation_uid", w.d.get(w.f.transaction, "id"))
	if w.org != "" {
		meta.PutStr("tenant_uid", w.org)
	}
	if w.profiles != 0 {
		p := meta.PutEmptySlice("profiles")
		p.EnsureCapacity(2)
		if w.profiles&profileHost != 0 {
			p.AppendEmpty().SetStr("host")
		}
		if w.profiles&profileSecurityControl != 0 {
			p.AppendEmpty().SetStr("security_control")
		}
	}
}

// putPrincipal writes an Okta actor or target (id, type, alternateId, displayName) as an OCSF user into u
// and marks what it writes as mapped. It reports whether the user has an identity (name or uid); one
// without marks nothing.
func (w *ocsfWriter) putPrincipal(u pcommon.Map, obj int) bool {
	d := w.d
	// Okta writes "unknown" where it does not know who acted: that value stays in unmapped, and so does
	// everything of a principal without an identity.
	var marks [4]int
	n := 0
	get := func(key string) (string, bool) {
		i := d.get(obj, key)
		v, ok := d.text(i)
		if !ok || strings.EqualFold(v, "unknown") {
			return "", false
		}
		if n < len(marks) {
			marks[n] = i
			n++
		}
		return v, true
	}
	u.EnsureCapacity(6)
	identified := false
	if id, ok := get("id"); ok {
		u.PutStr("uid", id)
		identified = true
	}
	alt, hasAlt := get("alternateId")
	name, hasName := get("displayName")
	switch {
	case hasAlt:
		u.PutStr("name", alt)
		identified = true
		if ocsfEmail(alt) {
			u.PutStr("email_addr", alt)
		}
		if hasName {
			u.PutStr("full_name", name)
		}
	case hasName:
		u.PutStr("name", name)
		identified = true
	}
	if typ, ok := get("type"); ok {
		switch typ {
		case "User":
			u.PutInt("type_id", 1)
		case "SystemPrincipal":
			u.PutInt("type_id", 3)
		default:
			u.PutInt("type_id", 99)
			u.PutStr("type", typ)
		}
	}
	if identified {
		for _, i := range marks[:n] {
			w.mark(i)
		}
	}
	return identified
}

// isUserActor tells whether the actor is a person or Okta itself rather than an application or client.
func (w *ocsfWriter) isUserActor() bool {
	typ, ok := w.d.text(w.d.get(w.actor, "type"))
	return !ok || typ == "User" || typ == "SystemPrincipal"
}

// subjectUser writes user: the target user the event is about, else the actor, else Unknown (user is
// required by the IAM classes that have it). It reports whether the user is the actor, who then needs no
// actor object of its own.
func (w *ocsfWriter) subjectUser(body pcommon.Map) bool {
	u := putMap(body, "user", 6)
	if w.targetUser != none && w.putPrincipal(u, w.targetUser) {
		return false
	}
	u.Clear()
	if w.actor >= 0 && w.isUserActor() && w.putPrincipal(u, w.actor) {
		return true
	}
	u.Clear()
	u.PutStr("name", "Unknown")
	return false
}

// authentication writes Authentication's own attributes: the user the sign-in is about, the service
// signed in to (the target application, else Okta itself), the session; it reports whether the user is
// the actor.
func (w *ocsfWriter) authentication(body pcommon.Map) (userIsActor bool) {
	userIsActor = w.subjectUser(body)
	svc := putMap(body, "service", 2)
	if !w.putNamed(svc, w.targetApp) {
		svc.PutStr("name", "Okta")
		if w.org != "" {
			svc.PutStr("uid", w.org)
		}
	}
	if w.hasSession() {
		w.session(putMap(body, "session", 3))
	}
	w.authProtocol(body)
	return userIsActor
}

// hasSession tells whether the event names a session (see session).
func (w *ocsfWriter) hasSession() bool {
	d := w.d
	if v, ok := d.text(w.ix.sessionID); ok && !strings.EqualFold(v, "unknown") {
		return true
	}
	_, root := d.text(w.ix.rootSessionID)
	_, issuer := d.text(d.get(w.ix.issuer, "id"))
	return root || issuer
}

// session writes the Okta session of the event into s (see hasSession).
func (w *ocsfWriter) session(s pcommon.Map) {
	d := w.d
	if id := w.ix.sessionID; id >= 0 {
		if v, ok := d.text(id); ok && !strings.EqualFold(v, "unknown") {
			w.mark(id)
			s.PutStr("uid", v)
		}
	}
	w.putText(s, "uid_alt", w.ix.rootSessionID)
	w.putText(s, "issuer", d.get(w.ix.issuer, "id"))
}

// privileges writes User Access Management's privileges (required): the names of the targets that are
// not the user (the application, role or group granted), else the event type; and those targets as
// resources.
func (w *ocsfWriter) privileges(body pcommon.Map) {
	p := body.PutEmptySlice("privileges")
	w.resources(body, func(name string) { p.AppendEmpty().SetStr(name) })
	if p.Len() == 0 {
		p.AppendEmpty().SetStr(w.eventTypeOr("Unknown"))
	}
}

func (w *ocsfWriter) eventTypeOr(s string) string {
	if w.eventType != "" {
		return w.eventType
	}
	return s
}

// resources writes the targets other than the subject user as resources (resource_details: uid, name,
// type), calling each with each one's name.
func (w *ocsfWriter) resources(body pcommon.Map, each func(name string)) {
	d := w.d
	if w.targets < 0 || d.nodes[w.targets].kind != kindArray {
		return
	}
	var list pcommon.Slice
	for j := w.targets + 1; j < d.next(w.targets); j = d.next(j) {
		if j == w.targetUser && w.dec.Class.UID != ocsf.APIActivity && w.dec.Class.UID != ocsf.DetectionFinding {
			continue
		}
		uid, hasUID := w.text(d.get(j, "id"))
		name, hasName := w.text(d.get(j, "displayName"))
		if !hasName {
			name, hasName = w.text(d.get(j, "alternateId"))
		} else {
			w.markSame(d.get(j, "alternateId"), name)
		}
		if !hasUID && !hasName {
			continue
		}
		if list == (pcommon.Slice{}) {
			list = body.PutEmptySlice("resources")
		}
		r := list.AppendEmpty().SetEmptyMap()
		r.EnsureCapacity(3)
		if hasUID {
			r.PutStr("uid", uid)
		}
		if hasName {
			r.PutStr("name", name)
			if each != nil {
				each(name)
			}
		} else if each != nil {
			each(uid)
		}
		if typ, ok := w.text(d.get(j, "type")); ok {
			r.PutStr("type", typ)
		}
	}
}

// groupManagement writes the group (required) and the user added or removed.
func (w *ocsfWriter) groupManagement(body pcommon.Map) {
	g := putMap(body, "group", 3)
	if !w.putNamed(g, w.targetGroup) {
		g.PutStr("name", "Unknown")
	} else {
		w.putText(g, "type", w.d.get(w.targetGroup, "type"))
	}
	if w.targetUser >= 0 {
		u := putMap(body, "user", 6)
		if !w.putPrincipal(u, w.targetUser) {
			body.Remove("user")
		}
	}
}

// putNamed writes a target's id and displayName as uid and name, and reports whether it wrote either.
func (w *ocsfWriter) putNamed(m pcommon.Map, target int) bool {
	if target < 0 {
		return false
	}
	n := 0
	if uid, ok := w.text(w.d.get(target, "id")); ok {
		m.PutStr("uid", uid)
		n++
	}
	if name, ok := w.text(w.d.get(target, "displayName")); ok {
		m.PutStr("name", name)
		w.markSame(w.d.get(target, "alternateId"), name)
		n++
	} else if alt, ok := w.text(w.d.get(target, "alternateId")); ok {
		m.PutStr("name", alt)
		n++
	}
	return n > 0
}

// markSame marks node i mapped when it is the string s, which the OCSF event already holds.
func (w *ocsfWriter) markSame(i int, s string) {
	if v, ok := w.d.text(i); ok && v == s {
		w.mark(i)
	}
}

// entity writes Entity Management's entity (required): the first target, with its Okta type.
func (w *ocsfWriter) entity(body pcommon.Map) {
	e := putMap(body, "entity", 4)
	first := none
	if w.targets >= 0 && w.d.nodes[w.targets].kind == kindArray && w.d.count(w.targets) > 0 {
		first = w.targets + 1
	}
	if !w.putNamed(e, first) {
		e.PutStr("name", "Unknown")
	}
	if typ, ok := w.text(w.d.get(first, "type")); ok {
		e.PutInt("type_id", ocsfManagedEntityType(typ))
		e.PutStr("type", typ)
	}
}

// finding writes Detection Finding's finding_info (uid = the event's uuid), the actor, client and request
// as evidence, and the targets as resources.
func (w *ocsfWriter) finding(body pcommon.Map) {
	fi := putMap(body, "finding_info", 3)
	if uuid, ok := w.d.text(w.f.uuid); ok {
		fi.PutStr("uid", uuid)
	} else {
		fi.PutStr("uid", "Unknown")
	}
	if msg, ok := w.d.text(w.f.displayMessage); ok {
		fi.PutStr("title", msg)
	} else {
		fi.PutStr("title", w.eventTypeOr("Unknown"))
	}
	if w.eventType != "" {
		fi.PutEmptySlice("types").AppendEmpty().SetStr(w.eventType)
	}
	ev := body.PutEmptySlice("evidences").AppendEmpty().SetEmptyMap()
	w.actorObject(ev, false, true)
	w.srcEndpoint(ev, false)
	w.httpRequest(ev, true)
	if w.targetUser >= 0 {
		u := ev.PutEmptyMap("user")
		if !w.putPrincipal(u, w.targetUser) {
			ev.Remove("user")
		}
	}
	if ev.Len() == 0 {
		body.Remove("evidences")
	}
	w.resources(body, nil)
}

// api writes API Activity's api: the operation is the event type, the request Okta's request id.
func (w *ocsfWriter) api(body pcommon.Map) {
	api := putMap(body, "api", 2)
	api.PutStr("operation", w.eventTypeOr("Unknown"))
	if id := w.ix.requestID; id >= 0 {
		if v, ok := w.text(id); ok {
			api.PutEmptyMap("request").PutStr("uid", v)
		}
	}
	w.resources(body, nil)
}

// actorObject writes actor: a person or Okta itself as actor.user, an application or client as app_uid
// and app_name; with the session unless the class has its own. required gives an actor that Okta's event
// does not identify the name Okta.
func (w *ocsfWriter) actorObject(body pcommon.Map, required, withSession bool) {
	a := putMap(body, "actor", 3)
	if w.actor >= 0 {
		if w.isUserActor() {
			u := putMap(a, "user", 6)
			if !w.putPrincipal(u, w.actor) {
				a.Remove("user")
			}
		} else {
			w.putText(a, "app_uid", w.d.get(w.actor, "id"))
			if !w.putText(a, "app_name", w.d.get(w.actor, "displayName")) {
				w.putText(a, "app_name", w.d.get(w.actor, "alternateId"))
			}
		}
	}
	if withSession && w.hasSession() {
		w.session(putMap(a, "session", 3))
	}
	if a.Len() == 0 {
		if !required {
			body.Remove("actor")
			return
		}
		a.PutStr("app_name", "Okta")
	}
}

// srcEndpoint writes src_endpoint: the client's address, zone, device type, operating system, location,
// autonomous system, ISP and domain. An endpoint that Okta does not identify (no address or domain) is
// named Unknown when the class requires it or something else is known of it.
func (w *ocsfWriter) srcEndpoint(body pcommon.Map, required bool) {
	d := w.d
	ep := putMap(body, "src_endpoint", 10)
	identified := false
	if i := w.ix.ip; i >= 0 {
		if ip, ok := d.text(i); ok && ocsfIP(ip) {
			w.mark(i)
			ep.PutStr("ip", ip)
			identified = true
		}
	}
	w.putText(ep, "zone", w.ix.zone)
	if i := w.ix.device; i >= 0 {
		if dev, ok := w.text(i); ok {
			t := ocsfEndpointType(dev)
			ep.PutInt("type_id", t)
			ep.PutStr("type", dev)
		}
	}
	if i := w.ix.os; i >= 0 {
		if name, ok := d.text(i); ok && !strings.EqualFold(name, "unknown") {
			w.mark(i)
			os := putMap(ep, "os", 2)
			os.PutStr("name", name)
			os.PutInt("type_id", ocsfOSType(name))
		}
	}
	w.location(ep)
	asNumber, asName := none, w.ix.asOrg
	if i := w.ix.asNumber; i >= 0 && d.nodes[i].kind == kindNumber {
		if n, ok := d.integer(i); ok && n >= -1<<31 && n < 1<<31 {
			asNumber = i
		}
	}
	if _, ok := d.text(asName); ok || asNumber >= 0 {
		as := putMap(ep, "autonomous_system", 2)
		if asNumber >= 0 {
			n, _ := d.integer(asNumber)
			w.mark(asNumber)
			as.PutInt("number", n)
		}
		w.putText(as, "name", asName)
	}
	w.putText(ep, "isp", w.ix.isp)
	if w.putText(ep, "domain", w.ix.domain) {
		identified = true
	}
	if !identified && (required || ep.Len() > 0) {
		ep.PutStr("name", "Unknown")
	}
	if ep.Len() == 0 {
		body.Remove("src_endpoint")
	}
}

// location writes the client's geographical context, when it has a city, state, country or postal code
// (a location needs one of them).
func (w *ocsfWriter) location(ep pcommon.Map) {
	d := w.d
	city, state, postal, country := w.ix.city, w.ix.state, w.ix.postal, w.ix.country
	code := ""
	if name, ok := d.text(country); ok {
		code, _ = CountryCode(name)
	}
	_, hasCity := d.text(city)
	_, hasState := d.text(state)
	_, hasPostal := d.text(postal)
	if !hasCity && !hasState && !hasPostal && code == "" {
		return
	}
	loc := putMap(ep, "location", 6)
	w.putText(loc, "city", city)
	w.putText(loc, "region", state)
	if code != "" {
		w.mark(country)
		loc.PutStr("country", code)
	}
	w.putText(loc, "postal_code", postal)
	point := w.ix.geolocation
	if i := d.get(point, "lat"); i >= 0 {
		if x, ok := d.coordinate(i); ok {
			w.mark(i)
			loc.PutDouble("lat", x)
		}
	}
	if i := d.get(point, "lon"); i >= 0 {
		if x, ok := d.coordinate(i); ok {
			w.mark(i)
			loc.PutDouble("long", x)
		}
	}
}

// httpRequest writes http_request: the user agent, and (withUID) Okta's request id and the request's
// path.
func (w *ocsfWriter) httpRequest(body pcommon.Map, withUID bool) {
	d := w.d
	ua, uid, uri := w.ix.rawUserAgent, w.ix.requestID, w.ix.requestURI
	_, hasUA := d.text(ua)
	_, hasUID := d.text(uid)
	_, hasURI := d.text(uri)
	if !hasUA && !(withUID && hasUID) && !hasURI {
		return
	}
	r := putMap(body, "http_request", 3)
	w.putText(r, "user_agent", ua)
	if withUID {
		w.putText(r, "uid", uid)
	}
	if path, ok := w.text(uri); ok {
		r.PutEmptyMap("url").PutStr("path", path)
	}
}

// risk writes the security signals that OCSF has a place for, from the record's attributes: risk_level_id
// and risk_level from okta.security.risk_level (securityContext's, else debugData's), risk_details from
// okta.security.risk_reasons, and is_alert when Okta suspects a threat (debugData.threatSuspected, which
// stays in unmapped as Okta wrote it) or the collector's own credential made the event
// (okta.security.collector_credential_used).
// Outside Detection Finding they belong to the security_control profile.
func (w *ocsfWriter) risk(body pcommon.Map, attrs *attrList) {
	used := false
	for i := range attrs.n {
		switch attrs.keys[i] {
		case "okta.security.risk_level":
			id, caption := ocsfRiskLevel(attrs.strs[i])
			body.PutInt("risk_level_id", id)
			body.PutStr("risk_level", caption)
			used = true
		case "okta.security.risk_reasons":
			if r := attrs.runs[i]; !r.empty() {
				body.PutStr("risk_details", strings.Join(attrs.list[r.from:r.to], ", "))
				used = true
			}
		case "okta.security.threat_suspected", "okta.security.collector_credential_used":
			if attrs.kinds[i] == attrTrue {
				body.PutBool("is_alert", true)
				used = true
			}
		}
	}
	if used && w.dec.Class.UID != ocsf.DetectionFinding {
		w.profiles |= profileSecurityControl
	}
}

// authProtocol writes Authentication's auth_protocol_id and auth_protocol from debugData.signOnMode:
// SAML (5) and OpenID Connect (4) by name, any other mode as Other with Okta's name.
func (w *ocsfWriter) authProtocol(body pcommon.Map) {
	i := w.ix.signOnMode
	mode, ok := w.d.text(i)
	if !ok {
		return
	}
	// With SAML and OpenID the protocol's caption says less than Okta (SAML 2.0): signOnMode stays in
	// unmapped too.
	switch {
	case strings.HasPrefix(mode, "SAML"):
		body.PutInt("auth_protocol_id", 5)
		body.PutStr("auth_protocol", "SAML")
	case strings.HasPrefix(mode, "OpenID"):
		body.PutInt("auth_protocol_id", 4)
		body.PutStr("auth_protocol", "OpenID")
	default:
		w.mark(i)
		body.PutInt("auth_protocol_id", 99)
		body.PutStr("auth_protocol", mode)
	}
}
