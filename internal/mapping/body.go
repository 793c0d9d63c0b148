package mapping

import (
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/xpdata"
)

// largeObject is the number of members above which an object is built through a Go map, in time linear in
// its members, whatever keys repeat.
const largeObject = 64

// builders hands out one xpdata.MapBuilder per nesting depth. A MapBuilder appends members without the
// duplicate-key check of pcommon.Map.Put*, whose cost grows with the square of the members, and hands its
// storage to the map without copying.
type builders []*xpdata.MapBuilder

func (b *builders) at(depth int) *xpdata.MapBuilder {
	for len(*b) <= depth {
		*b = append(*b, new(xpdata.MapBuilder))
	}
	return (*b)[depth]
}

// fillMap writes the members of object node obj into the empty map m, in order. A key that appears more
// than once keeps its last value, as encoding/json does.
func (d *doc) fillMap(m pcommon.Map, obj, depth int) {
	n := d.count(obj)
	switch {
	case n == 0:
		return
	case n > largeObject:
		d.fillLargeMap(m, obj, depth)
		return
	case d.nodes[obj].flags&flagRepeatedKeys != 0:
		d.fillMapRepeatedKeys(m, obj, depth)
		return
	}
	mb := d.builders.at(depth)
	mb.EnsureCapacity(n)
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		d.setValue(mb.AppendEmpty(d.str(j)), j+1, depth)
	}
	mb.UnsafeIntoMap(m)
}

// fillMapRepeatedKeys writes an object whose keys repeat: each key once, where it first appears, with the
// value it has last.
func (d *doc) fillMapRepeatedKeys(m pcommon.Map, obj, depth int) {
	m.EnsureCapacity(d.count(obj))
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		d.setValue(m.PutEmpty(d.str(j)), j+1, depth)
	}
}

// fillLargeMap writes the members of a large object node obj into m in time linear in their number; their
// order is not kept.
func (d *doc) fillLargeMap(m pcommon.Map, obj, depth int) {
	last := make(map[string]int, d.count(obj))
	for j, end := d.members(obj); j < end; j = d.next(j + 1) {
		last[d.str(j)] = j + 1
	}
	keys := make(map[string]any, len(last))
	for k := range last {
		keys[k] = nil
	}
	_ = m.FromRaw(keys) // cannot fail: every value is nil
	m.Range(func(k string, v pcommon.Value) bool {
		d.setValue(v, last[k], depth)
		return true
	})
}

// fillSlice appends the elements of array node arr to the empty slice s.
func (d *doc) fillSlice(s pcommon.Slice, arr, depth int) {
	s.EnsureCapacity(d.count(arr))
	for j := arr + 1; j < d.next(arr); j = d.next(j) {
		d.setValue(s.AppendEmpty(), j, depth)
	}
}

// setValue writes node i into the empty value v, which is at the given depth (the event body is 0).
func (d *doc) setValue(v pcommon.Value, i, depth int) {
	switch d.nodes[i].kind {
	case kindString:
		v.SetStr(d.str(i))
	case kindNumber:
		if n, ok := d.integer(i); ok {
			v.SetInt(n)
		} else {
			v.SetDouble(d.double(i))
		}
	case kindTrue:
		v.SetBool(true)
	case kindFalse:
		v.SetBool(false)
	case kindNull:
		// An empty value stands for JSON null.
	case kindObject:
		d.fillMap(v.SetEmptyMap(), i, depth+1)
	case kindArray:
		d.fillSlice(v.SetEmptySlice(), i, depth+1)
	}
}

// integer returns number node i as an int64 when it is written without fraction or exponent and fits.
func (d *doc) integer(i int) (int64, bool) {
	if d.nodes[i].flags&flagInt == 0 {
		return 0, false
	}
	s := d.raw(i)
	digits := s
	if s[0] == '-' {
		digits = s[1:]
	}
	if len(digits) > 18 {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	var n int64
	for k := 0; k < len(digits); k++ {
		n = n*10 + int64(digits[k]-'0')
	}
	if s[0] == '-' {
		n = -n
	}
	return n, true
}

// double returns number node i as a float64; a magnitude beyond float64's range becomes ±Inf.
func (d *doc) double(i int) float64 {
	f, _ := strconv.ParseFloat(d.raw(i), 64)
	return f
}

// rawText returns the exact JSON text of an event as it appears in the page. Bytes that are not UTF-8
// (possible only inside strings) are replaced by U+FFFD so that the text is a valid string for export.
func (d *doc) rawText(ev eventSpan) string {
	if ev.invalidUTF8 {
		return validUTF8(d.event)
	}
	return d.event
}
