package mapping

import "go.opentelemetry.io/collector/pdata/pcommon"

// unmapped writes under unmapped every member of the event that the OCSF event does not hold, with its
// path: an object some of whose members are mapped keeps the others, an array is kept whole unless it is
// mapped whole. So no Okta field is lost, and none is written twice.
func (w *ocsfWriter) unmapped(body pcommon.Map) {
	w.settle()
	if w.used[0] == usedAll {
		return
	}
	w.fillUnmapped(body.PutEmptyMap("unmapped"), 0, 0)
}

// settle works out, from the marks of the mapped values, which objects are mapped whole or in part. A
// node's members follow it on the tape, so one pass from the end sees every member before its object.
func (w *ocsfWriter) settle() {
	d := w.d
	for i := len(d.nodes) - 1; i >= 0; i-- {
		if w.used[i] != usedNone || d.nodes[i].kind != kindObject || d.count(i) == 0 {
			continue
		}
		all, any := true, false
		for j, end := d.members(i); j < end; j = d.next(j + 1) {
			switch w.used[j+1] {
			case usedAll:
				any = true
			case usedPart:
				all, any = false, true
			default:
				all = false
			}
		}
		switch {
		case all:
			w.used[i] = usedAll
		case any:
			w.used[i] = usedPart
		}
	}
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
	mb := d.builders.at(depth)
	mb.EnsureCapacity(d.count(obj))
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		v := j + 1
		if last != nil && last[d.str(j)] != j {
			continue
		}
		switch w.used[v] {
		case usedAll:
			continue
		case usedPart:
			w.fillUnmapped(mb.AppendEmpty(d.str(j)).SetEmptyMap(), v, depth+1)
		default:
			d.setValue(mb.AppendEmpty(d.str(j)), v, depth)
		}
	}
	mb.UnsafeIntoMap(m)
}
