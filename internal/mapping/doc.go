// Package mapping turns a page of Okta System Log events, the body of GET /api/v1/logs as received, into
// OpenTelemetry log records: one record per event, with the fields and attributes of the receiver's output
// contract and a body that is the event as a map, the event's exact JSON text, or the event as an OCSF
// 1.8.0 event (the ocsf_*.go files; the class table is package ocsf's).
//
// A page is read in a single pass by a JSON scanner that validates every byte and records the values of one
// event at a time on a small tape; the event is mapped from the tape while its bytes are still in the CPU's
// caches. A page that turns out to be malformed yields an error and none of the records mapped so far.
// Every string of a page's records is a substring of the page itself (no copy), and maps are built through
// xpdata.MapBuilder, so a record costs little beyond the allocations pdata makes for its values.
package mapping
