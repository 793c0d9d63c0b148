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
