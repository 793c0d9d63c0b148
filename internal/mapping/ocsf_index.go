package mapping

// ocsfIndex holds the tape index of each member of the event's client, user agent, place, security and
// authentication contexts, debug data and outcome that the OCSF event reads, or none: found in one walk
// of each object, the last of a repeated key counting, as in doc.get.
type ocsfIndex struct {
	ip, zone, device, geolocation, city, state, postal, country int
	rawUserAgent, os                                            int
	asNumber, asOrg, isp, domain                                int
	sessionID, rootSessionID, issuer                            int
	requestID, requestURI, signOnMode                           int
	result, reason                                              int
}

// index fills w.ix from the event's objects.
func (w *ocsfWriter) index() {
	d, ix := w.d, &w.ix
	*ix = ocsfIndex{none, none, none, none, none, none, none, none, none, none, none, none, none, none, none,
		none, none, none, none, none, none, none}
	w.indexClient()
	for j, end := d.members(w.f.security); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "asNumber":
			ix.asNumber = j + 1
		case "asOrg":
			ix.asOrg = j + 1
		case "isp":
			ix.isp = j + 1
		case "domain":
			ix.domain = j + 1
		}
	}
	for j, end := d.members(w.auth); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "externalSessionId":
			ix.sessionID = j + 1
		case "rootSessionId":
			ix.rootSessionID = j + 1
		case "issuer":
			ix.issuer = j + 1
		}
	}
	for j, end := d.members(w.data); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "requestId":
			ix.requestID = j + 1
		case "requestUri":
			ix.requestURI = j + 1
		case "signOnMode":
			ix.signOnMode = j + 1
		}
	}
	for j, end := d.members(w.f.outcome); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "result":
			ix.result = j + 1
		case "reason":
			ix.reason = j + 1
		}
	}
}

// indexClient finds the client's members: its address, zone and device, its user agent's and its place's.
func (w *ocsfWriter) indexClient() {
	d, ix := w.d, &w.ix
	userAgent, geo := none, none
	for j, end := d.members(w.client); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "ipAddress":
			ix.ip = j + 1
		case "zone":
			ix.zone = j + 1
		case "device":
			ix.device = j + 1
		case "userAgent":
			userAgent = j + 1
		case "geographicalContext":
			geo = j + 1
		}
	}
	for j, end := d.members(userAgent); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "rawUserAgent":
			ix.rawUserAgent = j + 1
		case "os":
			ix.os = j + 1
		}
	}
	for j, end := d.members(geo); j < end; j = d.next(j + 1) {
		switch d.str(j) {
		case "city":
			ix.city = j + 1
		case "state":
			ix.state = j + 1
		case "postalCode":
			ix.postal = j + 1
		case "country":
			ix.country = j + 1
		case "geolocation":
			ix.geolocation = j + 1
		}
	}
}
