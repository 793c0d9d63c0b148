// Package mapping turns a page of Okta System Log events, the body of GET /api/v1/logs as received, into
// OpenTelemetry log records: one record per event, fields and attributes as the receiver's output
// contract defines them, the body either the event as a map or its exact JSON text.
//
// A page is read in one pass by a JSON scanner that validates it completely and records each value on a
// tape; records are then built from the tape. Strings are substrings of one copy of the page, so a record
// costs few allocations beyond those of pdata itself.
package mapping
