package mapping

import (
	"strings"
)

// The security signals of an event (risk, behaviors, threat detections) come in several shapes:
//
//   - securityContext.risk {"level":"HIGH","reasons":["Anomalous Device"],"detectionName":"..."} and
//     securityContext.userBehaviors [{"name":"New Device","result":"NEGATIVE"}, ...], structured;
//   - debugContext.debugData.risk "{reasons=Anomalous Location, Anomalous Device, level=HIGH}" and
//     debugContext.debugData.behaviors "{New Geo-Location=NEGATIVE, New Device=POSITIVE}", strings in the
//     form of a Java map (a value may hold ", ": the reasons are a list joined with ", ");
//   - debugContext.debugData.logOnlySecurityData, a string holding JSON text,
//     {"risk":{"reasons":"Anomalous Device","level":"MEDIUM"},"behaviors":{"New Device":"POSITIVE"}};
//   - debugContext.debugData.threatDetections, JSON text such as {"Password Spray":"HIGH"}.
//
// A string that starts with '{' and then '"' is read as JSON text, any other as a Java map; an object is
// read as it is. Each signal is taken from the first of securityContext, debugData and logOnlySecurityData
// that has it, and logOnlySecurityData is parsed only when an earlier source lacked something.

// maxMapEntries bounds the entries of a map attribute (okta.security.behaviors, threat_detections): Okta
// writes about ten; entries past the bound stay in the body only.
const maxMapEntries = 64

// pair is one entry of a map attribute.
type pair struct{ key, value string }

// run is a range of attrList.pairs or attrList.list: the entries of one map or slice attribute.
type run struct{ from, to int32 }

func (r run) empty() bool { return r.from == r.to }

// securitySignals are the runs and values found for an event's security attributes.
type securitySignals struct {
	level, detection   string
	reasons            run // in attrList.list
	behaviors, threats run // in attrList.pairs
	haveReasons        bool
}

// startPairs begins a map attribute's run.
func (l *attrList) startPairs() run { n := int32(len(l.pairs)); return run{n, n} }

// addPair adds an entry to the map run r, which must be the last run: a key already in it takes the new
// value; an empty key or value, or "null", is left out.
func (l *attrList) addPair(r *run, key, value string) {
	if key == "" || value == "" || value == "null" || key == "null" {
		return
	}
	for i := r.from; i < r.to; i++ {
		if l.pairs[i].key == key {
			l.pairs[i].value = value
			return
		}
	}
	if r.to-r.from >= maxMapEntries {
		return
	}
	l.pairs = append(l.pairs, pair{key, value})
	r.to++
}

// addReasons adds the risk reasons in text, a list joined with ", ", to the slice run r, each trimmed.
func (l *attrList) addReasons(r *run, text string) {
	for reason := range strings.SplitSeq(text, ",") {
		l.addListItem(r, strings.TrimSpace(reason))
	}
}

// addListItem adds s to the slice run r, which must be the last run, unless it is empty or "null".
func (l *attrList) addListItem(r *run, s string) {
	if s == "" || s == "null" {
		return
	}
	l.list = append(l.list, s)
	r.to++
}

func (l *attrList) startList() run { n := int32(len(l.list)); return run{n, n} }

// securityAttributes adds okta.security.*: the threat flag, the risk (level, reasons, detection), the
// behaviors and the threat detections, then what securityContext says of the network (proxy, AS org, ISP).
func (d *doc) securityAttributes(sec int, debug *debugFields, l *attrList) {
	risk, proxy, asOrg, isp, behaviors, bot := none, none, none, none, none, none
	for j, end := d.members(sec); j < end; j = d.next(j + 1) {
		v := j + 1
		switch d.str(j) {
		case "risk":
			risk = v
		case "isProxy":
			proxy = v
		case "asOrg":
			asOrg = v
		case "isp":
			isp = v
		case "userBehaviors":
			behaviors = v
		case "botProtection":
			bot = v
		}
	}
	var s securitySignals
	s.reasons, s.behaviors = l.startList(), l.startPairs()
	if risk >= 0 {
		d.riskObject(risk, &s, l)
		s.detection, _ = d.text(d.get(risk, "detectionName"))
	}
	if behaviors >= 0 && d.nodes[behaviors].kind == kindArray {
		for j := behaviors + 1; j < d.next(behaviors); j = d.next(j) {
			name, _ := d.text(d.get(j, "name"))
			result, _ := d.text(d.get(j, "result"))
			l.addPair(&s.behaviors, name, result)
		}
	}
	if s.level == "" || !s.haveReasons {
		d.riskValue(debug.risk, &s, l)
	}
	if s.behaviors.empty() {
		s.behaviors = l.startPairs()
		d.stringMap(debug.behaviors, &s.behaviors, l)
	}
	if debug.logOnly >= 0 && (s.level == "" || !s.haveReasons || s.behaviors.empty()) {
		d.logOnlySecurityData(debug.logOnly, &s, l)
	}
	s.threats = l.startPairs()
	d.stringMap(debug.threatDetections, &s.threats, l)

	if debug.threatSuspected >= 0 {
		switch d.readFlag(debug.threatSuspected) {
		case debugFlagTrue:
			l.add("okta.security.threat_suspected", attrTrue)
		case debugFlagFalse:
			l.add("okta.security.threat_suspected", attrFalse)
		}
	}
	if s.level != "" {
		l.str("okta.security.risk_level", s.level)
	}
	if !s.reasons.empty() {
		l.runs[l.add("okta.security.risk_reasons", attrStrings)] = s.reasons
	}
	if s.detection != "" {
		l.str("okta.security.risk_detection", s.detection)
	}
	if !s.behaviors.empty() {
		l.runs[l.add("okta.security.behaviors", attrPairs)] = s.behaviors
	}
	if !s.threats.empty() {
		l.runs[l.add("okta.security.threat_detections", attrPairs)] = s.threats
	}
	l.text(d, "okta.security.bot_protection_level", d.get(bot, "level"))
	if proxy >= 0 {
		switch d.nodes[proxy].kind {
		case kindTrue:
			l.add("okta.security.is_proxy", attrTrue)
		case kindFalse:
			l.add("okta.security.is_proxy", attrFalse)
		}
	}
	l.text(d, "okta.security.as.org", asOrg)
	l.text(d, "okta.security.isp", isp)
}

// riskObject reads level and reasons from risk object node obj, each unless already found. The reasons
// are an array of strings, or a string of them joined with ", ".
func (d *doc) riskObject(obj int, s *securitySignals, l *attrList) {
	level, reasons := none, none
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "level":
			level = j + 1
		case "reasons":
			reasons = j + 1
		}
	}
	if s.level == "" {
		s.level, _ = d.text(level)
	}
	if s.haveReasons || reasons < 0 {
		return
	}
	switch d.nodes[reasons].kind {
	case kindArray:
		for j := reasons + 1; j < d.next(reasons); j = d.next(j) {
			if r, ok := d.text(j); ok {
				l.addListItem(&s.reasons, r)
			}
		}
	case kindString:
		l.addReasons(&s.reasons, d.str(reasons))
	}
	s.haveReasons = !s.reasons.empty()
}

// riskValue reads level and reasons from node i, debugData.risk: a Java map string, JSON text or an object.
func (d *doc) riskValue(i int, s *securitySignals, l *attrList) {
	if i < 0 {
		return
	}
	switch d.nodes[i].kind {
	case kindObject:
		d.riskObject(i, s, l)
	case kindString:
		text := d.str(i)
		if isJSONObjectText(text) {
			if n, ok := d.parseNested(text); ok {
				n.riskObject(0, s, l)
			}
			return
		}
		for k, v := range javaMap(text) {
			switch k {
			case "level":
				if s.level == "" && v != "null" {
					s.level = v
				}
			case "reasons":
				if !s.haveReasons {
					l.addReasons(&s.reasons, v)
					s.haveReasons = !s.reasons.empty()
				}
			}
		}
	}
}

// stringMap adds the entries of node i to the map run r: an object's members whose values are strings, or
// the entries of a string holding JSON text or a Java map.
func (d *doc) stringMap(i int, r *run, l *attrList) {
	if i < 0 {
		return
	}
	switch d.nodes[i].kind {
	case kindObject:
		d.objectPairs(i, r, l)
	case kindString:
		text := d.str(i)
		if isJSONObjectText(text) {
			if n, ok := d.parseNested(text); ok {
				n.objectPairs(0, r, l)
			}
			return
		}
		for k, v := range javaMap(text) {
			l.addPair(r, k, v)
		}
	}
}

// objectPairs adds the members of object node obj whose values are meaningful strings to the map run r.
func (d *doc) objectPairs(obj int, r *run, l *attrList) {
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		if v, ok := d.text(j + 1); ok {
			l.addPair(r, d.str(j), v)
		}
	}
}

// logOnlySecurityData reads the risk and behaviors of node i, a string holding JSON text (or an object),
// for whatever the earlier sources lacked.
func (d *doc) logOnlySecurityData(i int, s *securitySignals, l *attrList) {
	n, obj := d, i
	switch d.nodes[i].kind {
	case kindObject:
	case kindString:
		var ok bool
		if n, ok = d.parseNested(d.str(i)); !ok {
			return
		}
		obj = 0
	default:
		return
	}
	risk, behaviors := none, none
	for j, end := n.members(obj); j < end; j = n.next(j + 1) {
		switch n.str(j) {
		case "risk":
			risk = j + 1
		case "behaviors":
			behaviors = j + 1
		}
	}
	if s.level == "" || !s.haveReasons {
		n.riskObject(risk, s, l)
	}
	if s.behaviors.empty() && behaviors >= 0 && n.nodes[behaviors].kind == kindObject {
		s.behaviors = l.startPairs()
		n.objectPairs(behaviors, &s.behaviors, l)
	}
}

// parseNested scans text, JSON that Okta wrote inside a string, with the document's second scanner and
// returns a document over it; its strings are substrings of text, or of a copy of the decoded strings when
// text holds escapes. false means text is not a single JSON value.
func (d *doc) parseNested(text string) (*doc, bool) {
	sc := &d.nested.scanner
	if !sc.scanText(text) {
		return nil, false
	}
	n := &d.nested.doc
	n.nodes, n.event, n.arena = sc.nodes, text, ""
	if len(sc.arena) > 0 {
		n.arena = string(sc.arena)
	}
	return n, true
}

// nested is the working memory for JSON inside a string: a scanner and a document over its tape.
type nested struct {
	scanner scanner
	doc     doc
}

// scanText scans text, which must hold one JSON value and nothing else but whitespace, onto the tape: the
// value is node 0.
func (s *scanner) scanText(text string) bool {
	s.data = view(text)
	s.nodes, s.arena, s.err = s.nodes[:0], s.arena[:0], nil
	s.base, s.checkKeys, s.inText = 0, false, true
	s.pos = skipSpace(s.data, 0)
	ok := s.value() && skipSpace(s.data, s.pos) == len(s.data)
	s.data = nil
	return ok
}

// isJSONObjectText tells whether s is written as a JSON object: '{', then '"' or '}' (spaces aside).
func isJSONObjectText(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	if len(s) < 2 || s[0] != '{' {
		return false
	}
	s = strings.TrimLeft(s[1:], " \t\r\n")
	return s != "" && (s[0] == '"' || s[0] == '}')
}

// javaMap yields the keys and values of text written as Java writes a map, "{k1=v1, k2=v2}", trimmed of
// spaces. A pair starts at the beginning, or after ", " when an '=' comes before the next ", ": so a value
// may hold ", " (the risk reasons "Anomalous Location, Anomalous Device" do) and '=', a key neither.
func javaMap(text string) func(yield func(k, v string) bool) {
	return func(yield func(k, v string) bool) {
		s := strings.TrimSpace(text)
		s, _ = strings.CutPrefix(s, "{")
		s, _ = strings.CutSuffix(s, "}")
		key, from := "", -1
		for start := 0; start <= len(s); {
			segEnd, next := len(s), len(s)+1
			if k := strings.Index(s[start:], ", "); k >= 0 {
				segEnd, next = start+k, start+k+2
			}
			if eq := strings.IndexByte(s[start:segEnd], '='); eq >= 0 {
				if from >= 0 && !yield(key, strings.TrimSpace(s[from:start-2])) {
					return
				}
				key, from = strings.TrimSpace(s[start:start+eq]), start+eq+1
			}
			start = next
		}
		if from >= 0 {
			yield(key, strings.TrimSpace(s[from:]))
		}
	}
}

// debugFlag is what a debugData flag says.
type debugFlag uint8

const (
	debugFlagUnset debugFlag = iota
	debugFlagTrue
	debugFlagFalse
)

// readFlag reads node i as Okta writes a debugData flag: the string "true" or "false" (any case), or a
// JSON boolean; anything else is unset.
func (d *doc) readFlag(i int) debugFlag {
	if i < 0 {
		return debugFlagUnset
	}
	switch d.nodes[i].kind {
	case kindTrue:
		return debugFlagTrue
	case kindFalse:
		return debugFlagFalse
	case kindString:
		switch s := d.str(i); {
		case strings.EqualFold(s, "true"):
			return debugFlagTrue
		case strings.EqualFold(s, "false"):
			return debugFlagFalse
		}
	}
	return debugFlagUnset
}

// collector is the collector's own credential: its OAuth app's client ID (the actor of the app's actions)
// and its API token's id (transaction.detail.requestApiTokenId of the events made with the token). The
// credential is meant to read the System Log and nothing else: any other event it made is flagged.
type collector struct {
	clientID, tokenID string
}

// logsPath is the System Log API, as debugData.requestUri names a request to it.
const logsPath = "/api/v1/logs"

// madeByCollector tells whether the event was made with the collector's own credential and is not a read of
// the System Log: its actor is the collector's app, or it carries the collector's token id.
func (d *doc) madeByCollector(f fields, debugData int, eventType string) bool {
	c := d.collector
	if c == nil {
		return false
	}
	mine := false
	if c.clientID != "" {
		id, _ := d.text(d.get(f.actor, "id"))
		mine = id == c.clientID
	}
	if !mine && c.tokenID != "" {
		id, _ := d.text(d.get(d.get(f.transaction, "detail"), "requestApiTokenId"))
		mine = id == c.tokenID
	}
	return mine && !d.readsTheLog(debugData, eventType)
}

// readsTheLog tells whether an event of the collector's credential is its reading of the System Log: one
// about a request to the System Log API (a rate-limit warning, say), or the app's own access token grant
// when it was granted okta.logs.read alone (debugData.grantedScopes, when Okta writes it).
func (d *doc) readsTheLog(debugData int, eventType string) bool {
	uri, _ := d.text(d.get(debugData, "requestUri"))
	if uri == logsPath || strings.HasPrefix(uri, logsPath+"?") || strings.HasPrefix(uri, logsPath+"/") {
		return true
	}
	if !strings.HasPrefix(eventType, "app.oauth2.") || !strings.Contains(eventType, "token.grant") {
		return false
	}
	scopes, ok := d.text(d.get(debugData, "grantedScopes"))
	if !ok {
		return true
	}
	for s := range strings.FieldsSeq(strings.ReplaceAll(scopes, ",", " ")) {
		if s != "okta.logs.read" {
			return false
		}
	}
	return true
}
