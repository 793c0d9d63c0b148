package mapping

import (
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// BodyMode chooses what a record's body holds.
type BodyMode string

const (
	// BodyMap makes the body the whole event as a structured map (the default).
	BodyMap BodyMode = "map"
	// BodyRaw makes the body the event's exact JSON text, as a string.
	BodyRaw BodyMode = "raw"
	// BodyOCSF makes the body the event as an OCSF 1.8.0 event (a map), what has no place in OCSF under
	// its unmapped.
	BodyOCSF BodyMode = "ocsf"
)

// Validate reports a mode that is not one of the three, as the configuration's `body` would be refused.
func (b BodyMode) Validate() error {
	switch b {
	case BodyMap, BodyRaw, BodyOCSF:
		return nil
	}
	return fmt.Errorf("`body` must be %q, %q or %q (got %q)", BodyMap, BodyRaw, BodyOCSF, string(b))
}

// Options configure a Mapper.
type Options struct {
	// OrgDomain is the Okta org host, written as the resource attribute okta.org.domain.
	OrgDomain string
	// Body chooses the record body, a mode whose Validate passed; empty means BodyMap.
	Body BodyMode
	// ScopeName and ScopeVersion name the instrumentation scope of the records.
	ScopeName    string
	ScopeVersion string
	// CollectorClientID and CollectorTokenID name the collector's own credential, its OAuth app's client ID
	// and its API token's id (00T…): an event made with it that is not a read of the System Log gets
	// okta.security.collector_credential_used and counts in Stats.CollectorCredentialUsed. Empty: not known.
	CollectorClientID, CollectorTokenID string
}

// Mapper turns pages of Okta System Log events into log records. It is safe for concurrent use.
type Mapper struct {
	opts      Options
	collector *collector // nil without Options.CollectorClientID and CollectorTokenID
	scratch   sync.Pool  // of *scratch
}

// scratch is the working memory of one MapPage call, kept for the next.
type scratch struct {
	scanner  scanner
	attrs    attrList
	builders builders
	nested   nested
	ocsf     ocsfWork
}

// New returns a Mapper with the given options. The body mode is checked once, where it is configured
// (BodyMode.Validate): a mode that is not BodyRaw or BodyOCSF maps as BodyMap.
func New(opts Options) *Mapper {
	if opts.Body == "" {
		opts.Body = BodyMap
	}
	m := &Mapper{opts: opts}
	if opts.CollectorClientID != "" || opts.CollectorTokenID != "" {
		m.collector = &collector{clientID: opts.CollectorClientID, tokenID: opts.CollectorTokenID}
	}
	m.scratch.New = func() any { return new(scratch) }
	return m
}

// Event is what the receiver needs of each event to keep its place.
type Event struct {
	// UUID is the event's uuid, empty when it has none.
	UUID string
	// Published is the event's published time; zero when it is missing, not an RFC 3339 time, or outside
	// what a log timestamp can hold (1970 to 2262).
	Published time.Time
	// PublishedRaw is published as Okta sent it.
	PublishedRaw string
}

// Stats counts what a page held that deserves a warning. Every such event is still mapped.
type Stats struct {
	// Records is the number of records (and events) in the page.
	Records int
	// UnparseablePublished counts events whose published is missing, not a valid RFC 3339 time, or outside
	// 1970 to 2262; their records have no Timestamp.
	UnparseablePublished int
	// UnknownSeverity counts events whose severity is missing or not DEBUG, INFO, WARN or ERROR; their
	// records have SeverityNumber 0.
	UnknownSeverity int
	// MissingUUID counts events without a uuid.
	MissingUUID int
	// InvalidUTF8 counts events holding bytes that are not UTF-8; those bytes became U+FFFD.
	InvalidUTF8 int
	// CollectorCredentialUsed counts events made with the collector's own credential that are not a read
	// of the System Log (okta.security.collector_credential_used).
	CollectorCredentialUsed int
}

// MapPage parses page, the body of a GET /api/v1/logs response, and returns one log record per event, in
// page order, under one ResourceLogs (okta.org.domain) and one ScopeLogs; events[i] describes record i.
// observed is every record's ObservedTimestamp.
//
// It is all or nothing: a page that is not a complete JSON array of objects (cut off, an HTML page, an
// object, trailing data, an element that is not an object) returns a *SyntaxError with the byte offset of
// the problem, and no records. An empty array returns empty Logs and no error.
//
// The records' strings are substrings of page, which costs no copy: whatever record is kept downstream
// keeps the page's text in memory.
func (m *Mapper) MapPage(page string, observed time.Time) (plog.Logs, []Event, Stats, error) {
	var stats Stats
	work := m.scratch.Get().(*scratch)
	defer func() {
		// Keep no reference to this page in the pool.
		work.scanner.data = nil
		work.attrs.release()
		work.nested.doc = doc{}
		m.scratch.Put(work)
	}()
	sc := &work.scanner
	sc.checkKeys = m.opts.Body == BodyMap || m.opts.Body == BodyOCSF
	// The scanner reads bytes and never writes them: a view of the string's own memory spares a copy.
	if err := sc.begin(view(page)); err != nil {
		return plog.NewLogs(), nil, stats, err
	}
	logs := plog.NewLogs()
	events := make([]Event, 0, expectedEvents(len(page)))
	var records plog.LogRecordSlice
	obs := pcommon.NewTimestampFromTime(observed)
	d := doc{builders: &work.builders, nested: &work.nested, collector: m.collector}
	for {
		ev, ok, err := sc.next()
		if err != nil {
			// All or nothing: the records mapped so far are dropped with the page.
			return plog.NewLogs(), nil, Stats{}, err
		}
		if !ok {
			break
		}
		if len(events) == 0 {
			records = m.newRecords(logs, len(page))
		}
		d.nodes, d.event, d.arena = sc.nodes, page[ev.start:ev.end], ""
		if len(sc.arena) > 0 {
			d.arena = string(sc.arena)
		}
		events = append(events, Event{})
		lr := records.AppendEmpty()
		lr.SetObservedTimestamp(obs)
		m.mapEvent(&d, ev, lr, &events[len(events)-1], &stats, work)
	}
	stats.Records = len(events)
	return logs, events, stats, nil
}

// newRecords adds the ResourceLogs and ScopeLogs of a page of pageSize bytes to logs and returns its
// record slice.
func (m *Mapper) newRecords(logs plog.Logs, pageSize int) plog.LogRecordSlice {
	rl := logs.ResourceLogs().AppendEmpty()
	if m.opts.OrgDomain != "" {
		rl.Resource().Attributes().PutStr("okta.org.domain", m.opts.OrgDomain)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(m.opts.ScopeName)
	sl.Scope().SetVersion(m.opts.ScopeVersion)
	records := sl.LogRecords()
	records.EnsureCapacity(expectedEvents(pageSize))
	return records
}

// expectedEvents estimates the events in a page of pageSize bytes: an event is one to a few KiB.
func expectedEvents(pageSize int) int { return min(pageSize/1024, 1<<14) }

// mapEvent fills lr and e from the event at span.
func (m *Mapper) mapEvent(d *doc, span eventSpan, lr plog.LogRecord, e *Event, stats *Stats, work *scratch) {
	attrs := &work.attrs
	const ev = 0 // the event's object is the first node of the tape
	f := d.eventFields(ev)
	if uuid, ok := d.text(f.uuid); ok {
		e.UUID = uuid
	} else {
		stats.MissingUUID++
	}
	if f.published >= 0 && d.nodes[f.published].kind == kindString {
		e.PublishedRaw = d.str(f.published)
		if t, ok := parsePublished(e.PublishedRaw); ok {
			e.Published = t
			lr.SetTimestamp(pcommon.NewTimestampFromTime(t))
		}
	}
	if e.Published.IsZero() {
		stats.UnparseablePublished++
	}
	if severity, ok := d.text(f.severity); ok {
		lr.SetSeverityText(severity)
		lr.SetSeverityNumber(severityNumber(severity))
	}
	if lr.SeverityNumber() == plog.SeverityNumberUnspecified {
		stats.UnknownSeverity++
	}
	if eventType, ok := d.text(f.eventType); ok {
		lr.SetEventName(eventType)
	}
	if span.invalidUTF8 {
		stats.InvalidUTF8++
	}
	switch body := m.opts.Body; {
	case body == BodyRaw || (span.textBody && body == BodyMap):
		// An event too large to explode even member by member keeps its JSON text as the body.
		lr.Body().SetStr(d.rawText(span))
		d.collectAttributes(f, attrs)
	case body == BodyOCSF:
		// The OCSF event reads the security signals the attributes have gathered.
		d.collectAttributes(f, attrs)
		t := lr.Timestamp()
		if t == 0 {
			t = lr.ObservedTimestamp()
		}
		var raw string
		if span.textBody {
			raw = d.rawText(span)
		}
		d.ocsfBody(lr.Body().SetEmptyMap(), f, t, m.opts.OrgDomain, attrs, raw, &work.ocsf)
	default:
		d.fillMap(lr.Body().SetEmptyMap(), ev, 0)
		d.collectAttributes(f, attrs)
	}
	attrs.write(d, lr.Attributes(), d.builders.at(0))
	if d.credentialUsed {
		stats.CollectorCredentialUsed++
	}
}
