package mapping

// The records of a page cost memory in proportion to the values they hold, not to the page's bytes: a
// value as short as `0,` becomes a node on the scanner's tape and a pcommon.Value in the body. Okta's
// events hold about one value per 11 bytes (the samples: 10.9 to 13.9), but an answer from whatever is on
// the org's origin could hold one per 2 bytes. So an event's values are exploded into the body only up to a
// budget in proportion to its text, and what goes beyond it stays one JSON string: the event is delivered
// whole, and no shape of answer costs more than the budget allows.
//
// The budget is counted in units: a value is one unit, an object or array two more (a container costs
// about three times a scalar in pcommon). Real events spend about one unit per 9 bytes of text.
const (
	// unitBytes is the least text an event has per unit it explodes, beyond unitFloor: a page's exploded
	// values cost at most about 4 × its text (24 bytes per unit at most, measured by
	// TestAnyPageCostsAtMostItsBudget).
	unitBytes = 6
	// unitFloor is what every event may explode whatever its size: more than any real event needs.
	unitFloor = 64
	// unitMax is what one event may explode at most, whatever its size: it bounds the tape, which holds
	// one event at a time (16 bytes a node). Real events hold a few hundred values.
	unitMax = 1 << 16
	// shedEvery is how many nodes of a value too large to explode the tape holds before they are dropped:
	// the value is still read to its end and checked, its nodes are not kept.
	shedEvery = 1024
	// maxPageEvents is the most events an answer may hold: Okta's limit on a page (limit is 0 to 1000).
	// A page with more is not Okta's answer, and the records of so many events would cost far more than
	// the page's bytes.
	maxPageEvents = 1000
)

// overBudget tells whether an event whose tape holds units units, at offset bytes into its text, has
// exploded more than its budget.
func overBudget(units, offset int) bool {
	return units > unitMax || (units > unitFloor && (units-unitFloor)*unitBytes > offset)
}

// budgetAt is the units an event may explode at offset bytes into its text.
func budgetAt(offset int) int { return min(unitMax, unitFloor+offset/unitBytes) }

// startCut chooses, when the event read so far has spent its budget at offset bytes into its text, the
// value that will stay one JSON string: the innermost open object or array whose start leaves the event
// within half its budget, so that little more is cut than needed. It returns that value's stack position,
// or 0 when even the event's members read before its first open value spend half the budget: then the
// event's remaining members are not exploded (keep is how many nodes of the tape stay), and its body is
// its JSON text. In JSON inside a string (inText) that case returns -1: such text stays a string.
func (s *scanner) startCut(nodes []node, stack, opens []int, offset int) (cut, keep int) {
	half := budgetAt(offset) / 2
	for k := len(stack) - 1; k >= 1; k-- {
		if stack[k]+2*opens[k]+1 <= half {
			s.markCut(nodes[:stack[k]])
			return k, stack[k] + 1
		}
	}
	if s.inText {
		return -1, 0
	}
	keep = len(nodes)
	if len(stack) > 1 {
		keep = stack[1] - 1 // the key of the member being read
	}
	s.markCut(nodes[:keep])
	return 0, keep
}

// markCut notes where the arena ends for the nodes that stay, and how many strings were not UTF-8.
func (s *scanner) markCut(kept []node) {
	s.cutMark = 0
	for i := range kept {
		if n := &kept[i]; n.flags&flagDecoded != 0 {
			s.cutMark = max(s.cutMark, int(n.end))
		}
	}
	s.cutInvalid = s.invalid
}

// shed drops the nodes of the value being skipped (stack position cut), keeping the first keep nodes of the
// tape and a node for each object or array still open inside it, which the scanner needs to go on.
func (s *scanner) shed(nodes []node, stack []int, cut, keep int) []node {
	n := keep
	for j := cut + 1; j < len(stack); j++ {
		nodes[n] = nodes[stack[j]]
		stack[j] = n
		n++
	}
	s.arena = s.arena[:s.cutMark]
	return nodes[:n]
}

// endCut ends the value skipped at stack position cut, node top, which closed just before end: it becomes
// a string node of its exact JSON text (bytes that are not UTF-8 replaced, in the arena). For the event
// itself (cut 0), the tape keeps its first keep nodes and the body is to be the event's text.
func (s *scanner) endCut(nodes []node, cut, top, keep, end int) []node {
	s.arena = s.arena[:s.cutMark]
	if cut == 0 {
		nodes = nodes[:keep]
		root := &nodes[0]
		root.next = uint32(keep)
		root.end = 0
		for j := 1; j < keep; j = int(nodes[j+1].next) {
			root.end++
		}
		s.textBody = true
		return nodes
	}
	nodes = nodes[:top+1]
	n := &nodes[top]
	n.kind, n.flags, n.next = kindString, 0, uint32(top+1)
	n.end = uint32(end - s.base)
	if s.invalid != s.cutInvalid {
		// The value holds bytes that are not UTF-8: its text is written to the arena with U+FFFD for them.
		a0 := len(s.arena)
		s.arena = append(s.arena, validUTF8(string(s.data[s.base+int(n.start):end]))...)
		n.start, n.end, n.flags = uint32(a0), uint32(len(s.arena)), flagDecoded|flagInvalidUTF8
	}
	return nodes
}

const (
	// costPerByte and costPerEvent bound what a page costs once mapped, its text included (PageCost).
	costPerByte  = 6
	costPerEvent = 6 << 10
)

// PageCost bounds the memory a page of size bytes holding events events costs once mapped, its text and
// its records, whatever the shape of its values and the body mode (TestAnyPageCostsAtMostPageCost): the
// exploded values cost at most about 4 bytes per byte of text, and each event its record, its attributes
// and the values every event may explode whatever its size.
func PageCost(size, events int) int64 {
	return costPerByte*int64(size) + costPerEvent*int64(events)
}
