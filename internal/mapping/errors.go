package mapping

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError reports why a page is not a complete JSON array of event objects, and where.
type SyntaxError struct {
	// Offset is the byte offset in the page at which the problem was found.
	Offset int
	// Msg says what was wrong.
	Msg string
	// Near is a short excerpt of the page at Offset, to help recognise the content (an HTML page, a cut-off body).
	Near string
}

func (e *SyntaxError) Error() string {
	if e.Near == "" {
		return fmt.Sprintf("okta log page is not a JSON array of events: %s at byte offset %d", e.Msg, e.Offset)
	}
	return fmt.Sprintf("okta log page is not a JSON array of events: %s at byte offset %d (near %q)", e.Msg, e.Offset, e.Near)
}

// excerpt returns up to 24 bytes of data from offset, cut on a rune boundary.
func excerpt(data []byte, offset int) string {
	if offset < 0 || offset >= len(data) {
		return ""
	}
	end := min(offset+24, len(data))
	for end > offset && end < len(data) && !utf8.RuneStart(data[end]) {
		end--
	}
	return string(data[offset:end])
}

func (s *scanner) fail(offset int, msg string) bool {
	if s.err == nil {
		s.err = &SyntaxError{Offset: offset, Msg: msg, Near: excerpt(s.data, offset)}
	}
	return false
}

// failEOF reports a page that ends before the value being read is complete, which is what a body cut off
// in transit looks like.
func (s *scanner) failEOF(inside string) bool {
	return s.fail(len(s.data), "page is cut off: unexpected end of data inside "+inside)
}

func startsValue(c byte) bool {
	switch c {
	case '"', '{', '[', 't', 'f', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return true
	}
	return false
}

// valueName names the kind of JSON value that starts with c, with its article.
func valueName(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// TooManyEventsError reports an answer that holds more events than Okta ever puts in a page: whatever sent
// it is not Okta's System Log, and its records would cost far more memory than its bytes. The page is
// refused whole.
type TooManyEventsError struct {
	// Limit is the most events a page may hold.
	Limit int
	// Offset is the byte offset in the page of the first event beyond it.
	Offset int
}

func (e *TooManyEventsError) Error() string {
	return fmt.Sprintf("okta log page holds more than %d events (the first beyond them at byte offset %d), more than Okta ever sends in one page", e.Limit, e.Offset)
}

// Hint says what is wrong and what to check.
func (e *TooManyEventsError) Hint() string {
	return "whatever answers on the org's origin (a proxy, a server at `endpoint`) is not Okta's System Log: check `endpoint` and `proxy_url`; the page is refused, not mapped, and asked again only after the longest backoff"
}

// Permanent is true: the same query brings the same page.
func (e *TooManyEventsError) Permanent() bool { return true }
