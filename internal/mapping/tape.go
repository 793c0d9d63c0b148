package mapping

// kind is the JSON type of a node on the tape.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindArray
	kindObject
)

// node flags.
const (
	// flagDecoded marks a string whose text is in the decoded-string arena (it had escapes or invalid UTF-8)
	// rather than a span of the page.
	flagDecoded uint8 = 1 << iota
	// flagInt marks a number written without fraction or exponent.
	flagInt
	// flagInvalidUTF8 marks a string with bytes that are not UTF-8.
	flagInvalidUTF8
	// flagRepeatedKeys marks an object in which a key appears more than once (looked for only when the
	// body is a map).
	flagRepeatedKeys
)

// node is one JSON value on the tape, 16 bytes. An object is followed by its members, each a key node (a
// string) and the key's value; an array by its elements. next is the index of the node after the value and
// all it contains, so a value is skipped in one step.
type node struct {
	// start is where the value's text starts: in the event, or for a decoded string in the arena.
	start uint32
	// end is where a string's, number's or literal's text ends. For an object or array it is instead the
	// number of its members or elements (see count).
	end   uint32
	next  uint32
	kind  kind
	flags uint8
}

// doc gives read access to a scanned page, one event at a time: the tape, the event's text and the arena
// of decoded strings, both as strings so that every value is a substring and costs no allocation.
type doc struct {
	nodes []node
	// event is the text of the event being read; the tape's offsets are relative to its start.
	event string
	arena string
	// builders build the body's maps, one per depth.
	builders *builders
	// nested reads JSON that Okta writes inside a string (see parseNested).
	nested *nested
	// collector is the collector's own credential, nil when none is known; credentialUsed is set when the
	// event being read was made with it and is not a read of the System Log.
	collector      *collector
	credentialUsed bool
}

// count returns the number of members of object node i or elements of array node i.
func (d *doc) count(i int) int { return int(d.nodes[i].end) }

// none is the index returned for a missing value.
const none = -1

// str returns the text of string node i.
func (d *doc) str(i int) string {
	n := &d.nodes[i]
	if n.flags&flagDecoded != 0 {
		return d.arena[n.start:n.end]
	}
	return d.event[n.start:n.end]
}

// raw returns the JSON text of number node i.
func (d *doc) raw(i int) string {
	n := &d.nodes[i]
	return d.event[n.start:n.end]
}

// get returns the value of the member key of object node obj, or none. When a key appears more than once,
// the last one counts, as in the body.
func (d *doc) get(obj int, key string) int {
	found := none
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		if d.str(j) == key {
			found = j + 1
		}
	}
	return found
}

// members returns the range of the members of object node obj: its first key and the index after its
// last value; a missing node or one that is not an object gives an empty range. Walk it with
//
//	for j, end := d.members(obj); j < end; j = d.next(j + 1) { key, value := d.str(j), j+1; ... }
func (d *doc) members(obj int) (int, int) {
	if obj < 0 || d.nodes[obj].kind != kindObject {
		return 0, 0
	}
	return obj + 1, int(d.nodes[obj].next)
}

// next returns the index of the node after value i and all it contains.
func (d *doc) next(i int) int { return int(d.nodes[i].next) }

// text returns the string at node i when it is a meaningful value: a JSON string that is neither empty nor
// the string "null" (which Okta writes for some absent values).
func (d *doc) text(i int) (string, bool) {
	if i < 0 || d.nodes[i].kind != kindString {
		return "", false
	}
	s := d.str(i)
	if s == "" || s == "null" {
		return "", false
	}
	return s, true
}
