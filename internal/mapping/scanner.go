package mapping

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// maxDepth is the deepest nesting accepted, the page array included; encoding/json has the same limit.
const maxDepth = 10000

// scanner validates a page in one pass, one event at a time, and records every value of the event on a
// tape of nodes, which is mapped while the event's bytes are still in the CPU's caches. Strings that need
// decoding (escapes, bytes that are not UTF-8) are decoded into the arena as they are read; every other
// string stays a span of the page. All buffers are kept between events and pages.
type scanner struct {
	data  []byte
	pos   int
	nodes []node
	stack []int // open objects and arrays, as tape indices
	// keys, when checkKeys is set, holds for each open object or array a set of hashes of its keys so far,
	// to find keys that repeat (flagRepeatedKeys) without comparing every pair.
	keys      []uint64
	checkKeys bool
	arena     []byte
	base      int  // where the event being read starts; tape offsets into the page are relative to it
	count     int  // events read
	done      bool // the array is closed
	// invalid counts strings with bytes that are not UTF-8.
	invalid int
	err     *SyntaxError
	// opens holds, for each open object or array, the containers on the tape before it (see budget.go).
	opens []int
	// inText is set while JSON inside a string is scanned (scanText): there a value too large to explode
	// is not read at all, and stays the string it was.
	inText bool
	// textBody tells that the event just read is too large to explode even member by member: its tape holds
	// the members read before the budget ran out, and its body is its JSON text.
	textBody bool
	// cutMark is the arena's length when a value too large to explode began to be skipped, and cutInvalid
	// the count of strings that were not UTF-8 then.
	cutMark, cutInvalid int
}

// eventSpan locates an event's text in the page.
type eventSpan struct {
	start, end uint32
	// invalidUTF8 tells that a string in the event has bytes that are not UTF-8.
	invalidUTF8 bool
	// textBody tells that the event holds more values than its budget even at its top level: its body is
	// its JSON text, and its tape the members read before the budget ran out.
	textBody bool
}

// addNode appends a node to nodes, writing its fields in place (a node built elsewhere and copied in would
// be read back across several smaller stores, which stalls the CPU).
func addNode(nodes []node, k kind, flags uint8, start, end int) []node {
	if len(nodes) == cap(nodes) {
		nodes = append(nodes, node{})[:len(nodes)]
	}
	i := len(nodes)
	nodes = nodes[:i+1]
	n := &nodes[i]
	n.start = uint32(start)
	n.end = uint32(end)
	n.next = uint32(i + 1)
	n.kind = k
	n.flags = flags
	return nodes
}

// begin starts scanning page, which must be a JSON array of objects with nothing but whitespace around it:
// it reads up to the first event. Events are then read one at a time by next.
func (s *scanner) begin(page []byte) error {
	s.data = page
	s.pos = 0
	s.count = 0
	s.done = false
	s.err = nil
	if uint64(len(page)) > math.MaxUint32 {
		return &SyntaxError{Offset: 0, Msg: "page larger than 4 GiB"}
	}
	s.skipSpace()
	if s.pos >= len(s.data) {
		if len(s.data) == 0 {
			s.fail(0, "empty page")
		} else {
			s.fail(s.pos, "page holds only whitespace")
		}
		return s.err
	}
	switch c := s.data[s.pos]; c {
	case '[':
	case '<':
		s.fail(s.pos, "page is HTML or XML, not JSON")
		return s.err
	case '{':
		s.fail(s.pos, "page is a JSON object, not an array of events")
		return s.err
	default:
		s.fail(s.pos, fmt.Sprintf("page does not start with '[' but with %s", describeByte(c)))
		return s.err
	}
	s.pos++
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		s.done = true
		if !s.end() {
			return s.err
		}
	}
	return nil
}

// next scans the next event onto the tape, which then holds that event alone (its object is node 0), and
// returns its span. At the end of the array it checks that nothing but whitespace follows and returns false.
func (s *scanner) next() (eventSpan, bool, error) {
	if s.done {
		return eventSpan{}, false, nil
	}
	s.nodes = s.nodes[:0]
	s.arena = s.arena[:0]
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.failEOF("the array")
		return eventSpan{}, false, s.err
	}
	if c := s.data[s.pos]; c != '{' {
		if !startsValue(c) {
			s.fail(s.pos, fmt.Sprintf("invalid character %s looking for an event", describeByte(c)))
		} else {
			s.fail(s.pos, fmt.Sprintf("element %d of the array is %s, not an event object", s.count, valueName(c)))
		}
		return eventSpan{}, false, s.err
	}
	if s.count == maxPageEvents {
		return eventSpan{}, false, &TooManyEventsError{Limit: maxPageEvents, Offset: s.pos}
	}
	ev := eventSpan{start: uint32(s.pos)}
	s.base = s.pos
	invalid := s.invalid
	s.textBody, s.inText = false, false
	if !s.value() {
		return eventSpan{}, false, s.err
	}
	ev.end = uint32(s.pos)
	ev.invalidUTF8 = s.invalid != invalid
	ev.textBody = s.textBody
	s.count++
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.failEOF("the array")
		return eventSpan{}, false, s.err
	}
	switch c := s.data[s.pos]; c {
	case ',':
		s.pos++
	case ']':
		s.pos++
		s.done = true
		if !s.end() {
			return eventSpan{}, false, s.err
		}
	default:
		s.fail(s.pos, fmt.Sprintf("invalid character %s after an event, expected ',' or ']'", describeByte(c)))
		return eventSpan{}, false, s.err
	}
	return ev, true, nil
}

// end accepts only whitespace after the array.
func (s *scanner) end() bool {
	s.skipSpace()
	if s.pos != len(s.data) {
		return s.fail(s.pos, "unexpected data after the end of the array")
	}
	return true
}

func (s *scanner) skipSpace() { s.pos = skipSpace(s.data, s.pos) }

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\n', '\r', '\t':
			i++
			continue
		}
		break
	}
	return i
}

// value scans the value that starts at s.pos, inside the page array. It keeps open objects and arrays on a
// stack rather than recursing, and its position and tape in local variables.
// Strings of plain text, the bulk of an event, are scanned here eight bytes at a time; others go to strRest.
func (s *scanner) value() bool {
	data := s.data
	i := s.pos
	base := s.base
	nodes := s.nodes
	stack := s.stack[:0]
	keys := s.keys[:0]
	opens := s.opens[:0]
	// containers counts the objects and arrays on the tape; cut is the stack position of the value being
	// skipped because it is too large to explode (-1: none), keep the nodes kept of an event skipped from
	// its top level (cut 0), shedAt the tape's length at which a skipped value's nodes are dropped.
	containers, cut, keep, shedAt := 0, -1, 0, 0
	var (
		c        byte
		top, j   int
		isKey    bool
		ok       bool
		start    int
		x, t, qx uint64
	)

value:
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) {
		return s.failEOF("a value")
	}
	switch c = data[i]; c {
	case '"':
		isKey = false
		goto str
	case '{', '[':
		// The page array is one level.
		if 1+len(stack)+1 > maxDepth {
			return s.fail(i, "nesting deeper than 10000 levels")
		}
		k := kindObject
		if c == '[' {
			k = kindArray
		}
		stack = append(stack, len(nodes))
		keys = append(keys, 0)
		opens = append(opens, containers)
		containers++
		nodes = addNode(nodes, k, 0, i-base, 0)
		i++
		if i < len(data) && data[i] <= ' ' {
			i = skipSpace(data, i)
		}
		if i < len(data) && data[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
			i++
			top = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			keys = keys[:len(keys)-1]
			opens = opens[:len(opens)-1]
			nodes[top].next = uint32(len(nodes))
			goto after
		}
		if k == kindObject {
			goto key
		}
		goto value
	case 't':
		if nodes, i, ok = s.literal(nodes, i, "true", kindTrue); !ok {
			return false
		}
		goto after
	case 'f':
		if nodes, i, ok = s.literal(nodes, i, "false", kindFalse); !ok {
			return false
		}
		goto after
	case 'n':
		if nodes, i, ok = s.literal(nodes, i, "null", kindNull); !ok {
			return false
		}
		goto after
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			if nodes, i, ok = s.number(nodes, i); !ok {
				return false
			}
			goto after
		}
		return s.fail(i, fmt.Sprintf("invalid character %s looking for a value", describeByte(c)))
	}

key:
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) {
		return s.failEOF("an object")
	}
	if c = data[i]; c != '"' {
		return s.fail(i, fmt.Sprintf("invalid character %s looking for the beginning of an object key", describeByte(c)))
	}
	isKey = true

str:
	// i is at the opening quote. Find the first byte that is not plain (see skipPlain).
	start = i + 1
	j = start
	for j+8 <= len(data) {
		x = binary.LittleEndian.Uint64(data[j : j+8])
		qx = x ^ (ones * '"')
		t = x ^ (ones * '\\')
		if t = (((qx - ones) &^ qx) | ((t - ones) &^ t) | ((x - ones*0x20) &^ x) | x) & high; t != 0 {
			j += bits.TrailingZeros64(t) / 8
			goto found
		}
		j += 8
	}
	for j < len(data) && plain[data[j]] {
		j++
	}
found:
	if j < len(data) && data[j] == '"' {
		nodes = addNode(nodes, kindString, 0, start-base, j-base)
		i = j + 1
	} else {
		s.nodes = nodes
		if !s.strRest(start, j) {
			return false
		}
		nodes, i = s.nodes, s.pos
	}
	if !isKey {
		goto after
	}
	if s.checkKeys && cut < 0 {
		s.checkKey(nodes, stack[len(stack)-1], &keys[len(keys)-1])
	}
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) {
		return s.failEOF("an object")
	}
	if c = data[i]; c != ':' {
		return s.fail(i, fmt.Sprintf("invalid character %s after object key, expected ':'", describeByte(c)))
	}
	i++
	goto value

after:
	if cut >= 0 && len(stack) == cut {
		// The value too large to explode has ended at i.
		nodes = s.endCut(nodes, cut, top, keep, i)
		containers, cut = opens[:cut+1][cut], -1
	}
	if len(stack) == 0 {
		s.pos, s.nodes, s.stack, s.keys, s.opens = i, nodes, stack, keys, opens // written back only on success
		return true
	}
	top = stack[len(stack)-1]
	nodes[top].end++ // one more member or element
	if cut < 0 {
		if u := len(nodes) + 2*containers; u > unitFloor && overBudget(u, i-base) {
			if cut, keep = s.startCut(nodes, stack, opens, i-base); cut < 0 {
				return s.fail(i, "JSON too large to explode inside a string")
			}
			nodes = s.shed(nodes, stack, cut, keep)
			top, shedAt = stack[len(stack)-1], len(nodes)+shedEvery
		}
	} else if len(nodes) > shedAt {
		nodes = s.shed(nodes, stack, cut, keep)
		top, shedAt = stack[len(stack)-1], len(nodes)+shedEvery
	}
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) {
		if nodes[top].kind == kindObject {
			return s.failEOF("an object")
		}
		return s.failEOF("an array")
	}
	c = data[i]
	i++
	if nodes[top].kind == kindObject {
		switch c {
		case ',':
			goto key
		case '}':
			stack = stack[:len(stack)-1]
			keys = keys[:len(keys)-1]
			opens = opens[:len(opens)-1]
			nodes[top].next = uint32(len(nodes))
			goto after
		}
		return s.fail(i-1, fmt.Sprintf("invalid character %s after object value, expected ',' or '}'", describeByte(c)))
	}
	switch c {
	case ',':
		goto value
	case ']':
		stack = stack[:len(stack)-1]
		keys = keys[:len(keys)-1]
		opens = opens[:len(opens)-1]
		nodes[top].next = uint32(len(nodes))
		goto after
	}
	return s.fail(i-1, fmt.Sprintf("invalid character %s after array element, expected ',' or ']'", describeByte(c)))
}

// checkKey marks object node obj with flagRepeatedKeys when its last key, the last node, repeats an earlier
// one. seen is the set of hashes of the object's keys: only keys whose hash was seen are compared, and only
// in objects of up to largeObject members.
func (s *scanner) checkKey(nodes []node, obj int, seen *uint64) {
	if nodes[obj].end >= largeObject {
		return // the object has more members than fillMap builds one by one: fillLargeMap sorts them out
	}
	k := len(nodes) - 1
	key := s.keyBytes(nodes, k)
	h := len(key)
	if h > 0 {
		h += 31 * int(key[0])
	}
	bit := uint64(1) << (h & 63)
	if *seen&bit != 0 {
		for j := obj + 1; j < k; j = int(nodes[j+1].next) {
			if bytes.Equal(s.keyBytes(nodes, j), key) {
				nodes[obj].flags |= flagRepeatedKeys
				break
			}
		}
	}
	*seen |= bit
}

// keyBytes returns the text of string node i of the event being read.
func (s *scanner) keyBytes(nodes []node, i int) []byte {
	n := &nodes[i]
	if n.flags&flagDecoded != 0 {
		return s.arena[n.start:n.end]
	}
	return s.data[s.base+int(n.start) : s.base+int(n.end)]
}

func (s *scanner) literal(nodes []node, i int, word string, k kind) ([]node, int, bool) {
	if i+len(word) <= len(s.data) && string(s.data[i:i+len(word)]) == word {
		return addNode(nodes, k, 0, i-s.base, i+len(word)-s.base), i + len(word), true
	}
	for j := 0; j < len(word); j++ {
		if i+j >= len(s.data) {
			return nodes, i, s.failEOF("a literal")
		}
		if s.data[i+j] != word[j] {
			return nodes, i, s.fail(i+j, fmt.Sprintf("invalid character %s in literal %s", describeByte(s.data[i+j]), word))
		}
	}
	panic("unreachable")
}

func (s *scanner) number(nodes []node, i int) ([]node, int, bool) {
	data := s.data
	start := i
	if data[i] == '-' {
		i++
	}
	if i >= len(data) {
		return nodes, i, s.failEOF("a number")
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
		return nodes, i, s.fail(i, fmt.Sprintf("invalid character %s in number", describeByte(c)))
	}
	flags := flagInt
	if i < len(data) && data[i] == '.' {
		flags = 0
		i++
		if i >= len(data) {
			return nodes, i, s.failEOF("a number")
		}
		if !isDigit(data[i]) {
			return nodes, i, s.fail(i, fmt.Sprintf("invalid character %s after decimal point in number", describeByte(data[i])))
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
			return nodes, i, s.failEOF("a number")
		}
		if !isDigit(data[i]) {
			return nodes, i, s.fail(i, fmt.Sprintf("invalid character %s in exponent of number", describeByte(data[i])))
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	return addNode(nodes, kindNumber, flags, start-s.base, i-s.base), i, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
