package mapping

import (
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/xpdata"
)

// fields holds the tape index of each member of an event that the record uses, or none.
type fields struct {
	uuid, published, eventType, severity, legacyEventType, displayMessage int
	actor, client, outcome, target, transaction, debugContext             int
	authentication, security                                              int
}

// eventFields finds the members of event object ev in one walk; a repeated key keeps its last value.
func (d *doc) eventFields(ev int) fields {
	f := fields{none, none, none, none, none, none, none, none, none, none, none, none, none, none}
	for j, end := d.members(ev); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "uuid":
			f.uuid = v
		case "published":
			f.published = v
		case "eventType":
			f.eventType = v
		case "severity":
			f.severity = v
		case "legacyEventType":
			f.legacyEventType = v
		case "displayMessage":
			f.displayMessage = v
		case "actor":
			f.actor = v
		case "client":
			f.client = v
		case "outcome":
			f.outcome = v
		case "target":
			f.target = v
		case "transaction":
			f.transaction = v
		case "debugContext":
			f.debugContext = v
		case "authenticationContext":
			f.authentication = v
		case "securityContext":
			f.security = v
		}
	}
	return f
}

// maxAttributes bounds the attributes of one record (one per row of the contract).
const maxAttributes = 64

// attrList collects a record's attributes so that the attribute map is allocated once at its exact size.
type attrList struct {
	n       int
	keys    [maxAttributes]string
	strs    [maxAttributes]string
	nums    [maxAttributes]float64
	runs    [maxAttributes]run // of an attrStrings or attrPairs attribute
	kinds   [maxAttributes]attrKind
	targets int // the target array node, for okta.target.types
	// list and pairs hold the items of the record's slice and map attributes, each attribute a run.
	list  []string
	pairs []pair
}

type attrKind uint8

const (
	attrString attrKind = iota
	attrDouble
	attrTrue
	attrFalse
	attrTargetTypes
	attrStrings // a slice of strings: a run of list
	attrPairs   // a map of strings: a run of pairs
)

func (l *attrList) add(key string, k attrKind) int {
	i := l.n
	l.keys[i] = key
	l.kinds[i] = k
	l.n++
	return i
}

// text adds a string attribute when node i is a meaningful string (see doc.text).
func (l *attrList) text(d *doc, key string, i int) {
	if s, ok := d.text(i); ok {
		l.strs[l.add(key, attrString)] = s
	}
}

func (l *attrList) str(key, s string) { l.strs[l.add(key, attrString)] = s }

// write puts the collected attributes into the empty map attrs, through mb: the keys are different by
// construction, so they need no duplicate check.
func (l *attrList) write(d *doc, attrs pcommon.Map, mb *xpdata.MapBuilder) {
	if l.n == 0 {
		return
	}
	mb.EnsureCapacity(l.n)
	for i := range l.n {
		v := mb.AppendEmpty(l.keys[i])
		switch l.kinds[i] {
		case attrString:
			v.SetStr(l.strs[i])
		case attrDouble:
			v.SetDouble(l.nums[i])
		case attrTrue:
			v.SetBool(true)
		case attrFalse:
			v.SetBool(false)
		case attrTargetTypes:
			d.putTargetTypes(v.SetEmptySlice(), l.targets)
		case attrStrings:
			r := l.runs[i]
			s := v.SetEmptySlice()
			s.EnsureCapacity(int(r.to - r.from))
			for _, item := range l.list[r.from:r.to] {
				s.AppendEmpty().SetStr(item)
			}
		case attrPairs:
			// The attribute map is being built with mb (depth 0); the body's builders are free again.
			r, nb := l.runs[i], d.builders.at(1)
			nb.EnsureCapacity(int(r.to - r.from))
			for _, p := range l.pairs[r.from:r.to] {
				nb.AppendEmpty(p.key).SetStr(p.value)
			}
			nb.UnsafeIntoMap(v.SetEmptyMap())
		}
	}
	mb.UnsafeIntoMap(attrs)
}

// release drops every reference the list holds to a page, for the list to be kept for the next one.
func (l *attrList) release() {
	clear(l.strs[:])
	clear(l.list[:cap(l.list)])
	clear(l.pairs[:cap(l.pairs)])
	l.list, l.pairs = l.list[:0], l.pairs[:0]
}

// collectAttributes gathers the record attributes of the event whose members are f, in the order of the
// contract. A string attribute is added only when Okta's value is a non-empty string other than "null".
func (d *doc) collectAttributes(f fields, l *attrList) {
	l.n, l.list, l.pairs = 0, l.list[:0], l.pairs[:0]
	l.text(d, "log.record.uid", f.uuid)
	eventType, _ := d.text(f.eventType)
	var debug debugFields
	debugData := d.get(f.debugContext, "debugData")
	d.debugData(debugData, &debug)
	l.str("okta.event.category", string(category(eventType, d.readFlag(debug.threatSuspected) == debugFlagTrue)))
	l.text(d, "okta.legacy_event_type", f.legacyEventType)
	l.text(d, "okta.display_message", f.displayMessage)
	d.outcomeAttributes(f.outcome, l)
	d.actorAttributes(f.actor, l)
	d.clientAttributes(f.client, l)
	d.authenticationAttributes(f.authentication, l)
	d.transactionAttributes(f.transaction, l)
	l.text(d, "okta.request.id", debug.requestID)
	d.securityAttributes(f.security, &debug, l)
	if d.credentialUsed = d.madeByCollector(f, debugData, eventType); d.credentialUsed {
		l.add("okta.security.collector_credential_used", attrTrue)
	}
	if d.hasTargetType(f.target) {
		l.add("okta.target.types", attrTargetTypes)
		l.targets = f.target
	}
}

func (d *doc) outcomeAttributes(outcome int, l *attrList) {
	result, reason := none, none
	for j, end := d.members(outcome); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "result":
			result = v
		case "reason":
			reason = v
		}
	}
	l.text(d, "okta.outcome.result", result)
	l.text(d, "okta.outcome.reason", reason)
}

// actorAttributes adds okta.actor.* for every actor, and user.* for an actor of type User.
func (d *doc) actorAttributes(actor int, l *attrList) {
	id, typ, alt, name := none, none, none, none
	for j, end := d.members(actor); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "id":
			id = v
		case "type":
			typ = v
		case "alternateId":
			alt = v
		case "displayName":
			name = v
		}
	}
	l.text(d, "okta.actor.id", id)
	l.text(d, "okta.actor.type", typ)
	l.text(d, "okta.actor.alternate_id", alt)
	l.text(d, "okta.actor.display_name", name)
	if t, _ := d.text(typ); t != "User" {
		return
	}
	l.text(d, "user.id", id)
	l.text(d, "user.name", alt)
	if s, ok := d.text(alt); ok && isEmail(s) {
		l.str("user.email", s)
	}
	l.text(d, "user.full_name", name)
}

func (d *doc) clientAttributes(client int, l *attrList) {
	ip, ua, device, zone, geo := none, none, none, none, none
	for j, end := d.members(client); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "ipAddress":
			ip = v
		case "userAgent":
			ua = v
		case "device":
			device = v
		case "zone":
			zone = v
		case "geographicalContext":
			geo = v
		}
	}
	l.text(d, "client.address", ip)
	raw, os, browser := none, none, none
	for j, end := d.members(ua); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "rawUserAgent":
			raw = v
		case "os":
			os = v
		case "browser":
			browser = v
		}
	}
	l.text(d, "user_agent.original", raw)
	if s, ok := d.text(os); ok && !strings.EqualFold(s, "unknown") {
		l.str("user_agent.os.name", s)
	}
	if s, ok := d.text(browser); ok && !strings.EqualFold(s, "unknown") {
		l.str("okta.client.browser", s)
	}
	l.text(d, "okta.client.device", device)
	l.text(d, "okta.client.zone", zone)
	d.geoAttributes(geo, l)
}

// geoAttributes adds the attributes of the client's geographicalContext at geo.
func (d *doc) geoAttributes(geo int, l *attrList) {
	city, country, state, postal, location := none, none, none, none, none
	for j, end := d.members(geo); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "city":
			city = v
		case "country":
			country = v
		case "state":
			state = v
		case "postalCode":
			postal = v
		case "geolocation":
			location = v
		}
	}
	l.text(d, "geo.locality.name", city)
	if name, ok := d.text(country); ok {
		if code, ok := CountryCode(name); ok {
			l.str("geo.country.iso_code", code)
		}
		l.str("okta.client.geo.country", name)
	}
	l.text(d, "okta.client.geo.state", state)
	l.text(d, "geo.postal_code", postal)
	lat, lon := none, none
	for j, end := d.members(location); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "lat":
			lat = v
		case "lon":
			lon = v
		}
	}
	if x, ok := d.coordinate(lat); ok {
		l.nums[l.add("geo.location.lat", attrDouble)] = x
	}
	if x, ok := d.coordinate(lon); ok {
		l.nums[l.add("geo.location.lon", attrDouble)] = x
	}
}

func (d *doc) authenticationAttributes(auth int, l *attrList) {
	session, root, credential := none, none, none
	for j, end := d.members(auth); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "externalSessionId":
			session = v
		case "rootSessionId":
			root = v
		case "credentialType":
			credential = v
		}
	}
	if s, ok := d.text(session); ok && !strings.EqualFold(s, "unknown") {
		l.str("session.id", s)
	}
	l.text(d, "okta.root_session_id", root)
	l.text(d, "okta.authentication.credential_type", credential)
}

func (d *doc) transactionAttributes(tx int, l *attrList) {
	id, typ := none, none
	for j, end := d.members(tx); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "id":
			id = v
		case "type":
			typ = v
		}
	}
	l.text(d, "okta.transaction.id", id)
	l.text(d, "okta.transaction.type", typ)
}

// debugFields are the members of debugContext.debugData that the record uses.
type debugFields struct {
	requestID, risk, threatSuspected, behaviors, logOnly, threatDetections int
}

func (d *doc) debugData(data int, f *debugFields) {
	*f = debugFields{none, none, none, none, none, none}
	for j, end := d.members(data); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "requestId":
			f.requestID = v
		case "risk":
			f.risk = v
		case "threatSuspected":
			f.threatSuspected = v
		case "behaviors":
			f.behaviors = v
		case "logOnlySecurityData":
			f.logOnly = v
		case "threatDetections":
			f.threatDetections = v
		}
	}
}

// hasTargetType tells whether any element of the target array has a type.
func (d *doc) hasTargetType(target int) bool {
	if target < 0 || d.nodes[target].kind != kindArray {
		return false
	}
	for j := target + 1; j < int(d.nodes[target].next); j = int(d.nodes[j].next) {
		if _, ok := d.text(d.get(j, "type")); ok {
			return true
		}
	}
	return false
}

// putTargetTypes fills okta.target.types: the type of each target, in order, skipping targets without one.
func (d *doc) putTargetTypes(types pcommon.Slice, target int) {
	types.EnsureCapacity(d.count(target))
	for j := target + 1; j < int(d.nodes[target].next); j = int(d.nodes[j].next) {
		if t, ok := d.text(d.get(j, "type")); ok {
			types.AppendEmpty().SetStr(t)
		}
	}
}

// coordinate returns number node i as a finite float64.
func (d *doc) coordinate(i int) (float64, bool) {
	if i < 0 || d.nodes[i].kind != kindNumber {
		return 0, false
	}
	v, err := strconv.ParseFloat(d.raw(i), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
