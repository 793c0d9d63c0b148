package mapping

import "go.opentelemetry.io/collector/pdata/pcommon"

// unmapped writes under unmapped every member of the event that the OCSF event does not hold, with its
// path: an object some of whose members are mapped keeps the others, an array some of whose elements are
// mapped keeps every element in its place with what is not mapped of it. So no Okta field is lost, and
// none is written twice.
func (w *ocsfWriter) unmapped(body pcommon.Map) {
	w.settle()
	if w.used[0] == usedAll {
		return
	}
	w.fillUnmapped(body.PutEmptyMap("unmapped"), 0, 0)
}

// settle works out, from the marks of the mapped values, which objects and arrays are mapped whole or in
// part; a value that is absent (see absent) counts as mapped: there is nothing to keep. A node's members follow it on the tape, so one
// pass from the end sees every member before its object.
func (w *ocsfWriter) settle() {
	d := w.d
	for i := len(d.nodes) - 1; i >= 0; i-- {
		if w.used[i] != usedNone {
			continue
		}
		if w.absent(i) {
			// Okta has no value there: left out, as from the attributes.
			w.used[i] = usedAll
			continue
		}
		if d.count(i) == 0 {
			continue
		}
		var all, some bool
		switch d.nodes[i].kind {
		case kindObject:
			all, some = w.members(i)
		case kindArray:
			all, some = w.elements(i)
		default:
			continue
		}
		switch {
		case all:
			w.used[i] = usedAll
		case some:
			w.used[i] = usedPart
		}
	}
}

// absent tells whether node i holds no value: JSON null, the string "null" (which Okta writes for a
// missing value), or an empty object or array.
func (w *ocsfWriter) absent(i int) bool {
	switch n := &w.d.nodes[i]; n.kind {
	case kindNull:
		return true
	case kindString:
		return n.end-n.start == 4 && w.d.str(i) == "null"
	case kindObject, kindArray:
		return n.end == 0
	}
	return false
}

// members tells whether all the members of object obj are mapped whole, and whether some are mapped.
func (w *ocsfWriter) members(obj int) (all, some bool) {
	d := w.d
	all = true
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		switch w.used[j+1] {
		case usedAll:
			some = true
		case usedPart:
			all, some = false, true
		default:
			all = false
		}
	}
	return all, some
}

// elements tells whether all the elements of array arr are mapped whole, and whether some are mapped.
func (w *ocsfWriter) elements(arr int) (all, some bool) {
	d := w.d
	all = true
	for j := arr + 1; j < d.next(arr); j = d.next(j) {
		switch w.used[j] {
		case usedAll:
			some = true
		case usedPart:
			all, some = false, true
		default:
			all = false
		}
	}
	return all, some
}

// fillUnmapped writes the members of object obj that are not mapped whole into the empty map m, which is
// at the given depth; a key that appears more than once keeps its last value, as in the body of map mode.
func (w *ocsfWriter) fillUnmapped(m pcommon.Map, obj, depth int) {
	d := w.d
	var last map[string]int
	if d.nodes[obj].flags&flagRepeatedKeys != 0 {
		last = make(map[string]int, d.count(obj))
		for j, end := d.members(obj); j < end; j = d.next(j + 1) {
			last[d.str(j)] = j
		}
	}
	n := 0
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		if w.used[j+1] != usedAll {
			n++
		}
	}
	mb := d.builders.at(depth)
	mb.EnsureCapacity(n)
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		v := j + 1
		if last != nil && last[d.str(j)] != j {
			continue
		}
		switch {
		case w.used[v] == usedAll:
			continue
		case w.used[v] == usedPart && d.nodes[v].kind == kindArray:
			w.fillUnmappedSlice(mb.AppendEmpty(d.str(j)).SetEmptySlice(), v, depth)
		case w.used[v] == usedPart:
			w.fillUnmapped(mb.AppendEmpty(d.str(j)).SetEmptyMap(), v, depth+1)
		default:
			d.setValue(mb.AppendEmpty(d.str(j)), v, depth)
		}
	}
	mb.UnsafeIntoMap(m)
}

// fillUnmappedSlice writes the elements of array arr, some of which are mapped, into the empty slice s,
// which is at the given depth: each element keeps its place, an object mapped in part with the members
// that are not mapped, one mapped whole as an empty value.
func (w *ocsfWriter) fillUnmappedSlice(s pcommon.Slice, arr, depth int) {
	d := w.d
	s.EnsureCapacity(d.count(arr))
	for j := arr + 1; j < d.next(arr); j = d.next(j) {
		switch {
		case w.used[j] == usedNone:
			d.setValue(s.AppendEmpty(), j, depth)
		case w.used[j] == usedAll:
			s.AppendEmpty() // an element mapped whole keeps its place as an empty value
		case d.nodes[j].kind == kindObject:
			w.fillUnmapped(s.AppendEmpty().SetEmptyMap(), j, depth+1)
		default: // an array mapped in part
			w.fillUnmappedSlice(s.AppendEmpty().SetEmptySlice(), j, depth+1)
		}
	}
}
