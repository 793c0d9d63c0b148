package mapping

import (
	"fmt"
	"math"
)

// maxDepth is the deepest nesting accepted, the page array included; encoding/json has the same limit.
const maxDepth = 10000

// scanner validates a page in one pass and records every value on a tape of nodes. Strings that need
// decoding (escapes, bytes that are not UTF-8) are decoded into the arena as they are read; every other
// string stays a span of the page. All buffers are kept between pages.
type scanner struct {
	data   []byte
	pos    int
	depth  int
	nodes  []node
	arena  []byte
	events []eventSpan // each event object, in page order
	// invalid counts strings with bytes that are not UTF-8, so that a container can tell whether it holds one.
	invalid int
	err     *SyntaxError
}

// eventSpan locates an event: its object node on the tape and its text in the page.
type eventSpan struct {
	node       int
	start, end uint32
}

// add appends a node, writing its fields in place (a node built elsewhere and copied in would be read
// back across several smaller stores, which stalls the CPU).
func (s *scanner) add(k kind, flags uint8, start, end int) {
	if len(s.nodes) == cap(s.nodes) {
		s.nodes = append(s.nodes, node{})[:len(s.nodes)]
	}
	i := len(s.nodes)
	s.nodes = s.nodes[:i+1]
	n := &s.nodes[i]
	n.start = uint32(start)
	n.end = uint32(end)
	n.next = uint32(i + 1)
	n.kind = k
	n.flags = flags
}

// scanPage scans page, which must be a JSON array of objects with nothing but whitespace around it.
func (s *scanner) scanPage(page []byte) error {
	s.data = page
	s.pos = 0
	s.depth = 0
	s.nodes = s.nodes[:0]
	s.arena = s.arena[:0]
	s.events = s.events[:0]
	s.invalid = 0
	s.err = nil
	if uint64(len(page)) > math.MaxUint32 {
		return &SyntaxError{Offset: 0, Msg: "page larger than 4 GiB"}
	}
	if !s.page() {
		return s.err
	}
	return nil
}

func (s *scanner) page() bool {
	s.skipSpace()
	if s.pos >= len(s.data) {
		if len(s.data) == 0 {
			return s.fail(0, "empty page")
		}
		return s.fail(s.pos, "page holds only whitespace")
	}
	switch c := s.data[s.pos]; c {
	case '[':
	case '<':
		return s.fail(s.pos, "page is HTML or XML, not JSON")
	case '{':
		return s.fail(s.pos, "page is a JSON object, not an array of events")
	default:
		return s.fail(s.pos, fmt.Sprintf("page does not start with '[' but with %s", describeByte(c)))
	}
	s.pos++
	s.depth = 1
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return s.end()
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) {
			return s.failEOF("the array")
		}
		if c := s.data[s.pos]; c != '{' {
			if !startsValue(c) {
				return s.fail(s.pos, fmt.Sprintf("invalid character %s looking for an event", describeByte(c)))
			}
			return s.fail(s.pos, fmt.Sprintf("element %d of the array is %s, not an event object", len(s.events), valueName(c)))
		}
		ev := eventSpan{node: len(s.nodes), start: uint32(s.pos)}
		if !s.object() {
			return false
		}
		ev.end = uint32(s.pos)
		s.events = append(s.events, ev)
		s.skipSpace()
		if s.pos >= len(s.data) {
			return s.failEOF("the array")
		}
		switch c := s.data[s.pos]; c {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return s.end()
		default:
			return s.fail(s.pos, fmt.Sprintf("invalid character %s after an event, expected ',' or ']'", describeByte(c)))
		}
	}
}

// end accepts only whitespace after the array.
func (s *scanner) end() bool {
	s.skipSpace()
	if s.pos != len(s.data) {
		return s.fail(s.pos, "unexpected data after the end of the array")
	}
	return true
}

func (s *scanner) skipSpace() {
	data, i := s.data, s.pos
	for i < len(data) {
		switch data[i] {
		case ' ', '\n', '\r', '\t':
			i++
			continue
		}
		break
	}
	s.pos = i
}

// value scans the value at s.pos (after whitespace).
func (s *scanner) value() bool {
	if s.pos < len(s.data) && s.data[s.pos] <= ' ' {
		s.skipSpace()
	}
	if s.pos >= len(s.data) {
		return s.failEOF("a value")
	}
	switch c := s.data[s.pos]; c {
	case '"':
		return s.str()
	case '{':
		return s.object()
	case '[':
		return s.array()
	case 't':
		return s.literal("true", kindTrue)
	case 'f':
		return s.literal("false", kindFalse)
	case 'n':
		return s.literal("null", kindNull)
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return s.number()
		}
		return s.fail(s.pos, fmt.Sprintf("invalid character %s looking for a value", describeByte(c)))
	}
}

func (s *scanner) literal(word string, k kind) bool {
	start := s.pos
	for i := 0; i < len(word); i++ {
		if start+i >= len(s.data) {
			return s.failEOF("a literal")
		}
		if s.data[start+i] != word[i] {
			return s.fail(start+i, fmt.Sprintf("invalid character %s in literal %s", describeByte(s.data[start+i]), word))
		}
	}
	s.pos = start + len(word)
	s.add(k, 0, start, s.pos)
	return true
}

func (s *scanner) number() bool {
	data, i := s.data, s.pos
	start := i
	if data[i] == '-' {
		i++
	}
	if i >= len(data) {
		return s.failEOF("a number")
	}
	switch c := data[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		i++
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	default:
		return s.fail(i, fmt.Sprintf("invalid character %s in number", describeByte(c)))
	}
	flags := flagInt
	if i < len(data) && data[i] == '.' {
		flags = 0
		i++
		if i >= len(data) {
			return s.failEOF("a number")
		}
		if !isDigit(data[i]) {
			return s.fail(i, fmt.Sprintf("invalid character %s after decimal point in number", describeByte(data[i])))
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		flags = 0
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) {
			return s.failEOF("a number")
		}
		if !isDigit(data[i]) {
			return s.fail(i, fmt.Sprintf("invalid character %s in exponent of number", describeByte(data[i])))
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	s.pos = i
	s.add(kindNumber, flags, start, i)
	return true
}

func (s *scanner) object() bool {
	idx := len(s.nodes)
	start := s.pos
	s.depth++
	if s.depth > maxDepth {
		return s.fail(s.pos, "nesting deeper than 10000 levels")
	}
	invalid := s.invalid
	s.add(kindObject, 0, start, 0)
	s.pos++
	count := uint32(0)
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
	} else {
		for {
			if s.pos < len(s.data) && s.data[s.pos] <= ' ' {
				s.skipSpace()
			}
			if s.pos >= len(s.data) {
				return s.failEOF("an object")
			}
			if c := s.data[s.pos]; c != '"' {
				return s.fail(s.pos, fmt.Sprintf("invalid character %s looking for the beginning of an object key", describeByte(c)))
			}
			if !s.str() {
				return false
			}
			if s.pos < len(s.data) && s.data[s.pos] <= ' ' {
				s.skipSpace()
			}
			if s.pos >= len(s.data) {
				return s.failEOF("an object")
			}
			if c := s.data[s.pos]; c != ':' {
				return s.fail(s.pos, fmt.Sprintf("invalid character %s after object key, expected ':'", describeByte(c)))
			}
			s.pos++
			if !s.value() {
				return false
			}
			count++
			if s.pos < len(s.data) && s.data[s.pos] <= ' ' {
				s.skipSpace()
			}
			if s.pos >= len(s.data) {
				return s.failEOF("an object")
			}
			c := s.data[s.pos]
			s.pos++
			if c == ',' {
				continue
			}
			if c == '}' {
				break
			}
			return s.fail(s.pos-1, fmt.Sprintf("invalid character %s after object value, expected ',' or '}'", describeByte(c)))
		}
	}
	s.depth--
	n := &s.nodes[idx]
	n.end = count
	n.next = uint32(len(s.nodes))
	if s.invalid != invalid {
		n.flags |= flagInvalidUTF8
	}
	return true
}

func (s *scanner) array() bool {
	idx := len(s.nodes)
	start := s.pos
	s.depth++
	if s.depth > maxDepth {
		return s.fail(s.pos, "nesting deeper than 10000 levels")
	}
	invalid := s.invalid
	s.add(kindArray, 0, start, 0)
	s.pos++
	count := uint32(0)
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
	} else {
		for {
			if !s.value() {
				return false
			}
			count++
			if s.pos < len(s.data) && s.data[s.pos] <= ' ' {
				s.skipSpace()
			}
			if s.pos >= len(s.data) {
				return s.failEOF("an array")
			}
			c := s.data[s.pos]
			s.pos++
			if c == ',' {
				continue
			}
			if c == ']' {
				break
			}
			return s.fail(s.pos-1, fmt.Sprintf("invalid character %s after array element, expected ',' or ']'", describeByte(c)))
		}
	}
	s.depth--
	n := &s.nodes[idx]
	n.end = count
	n.next = uint32(len(s.nodes))
	if s.invalid != invalid {
		n.flags |= flagInvalidUTF8
	}
	return true
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

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

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
