package mapping

import (
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// largeObject is the number of members above which an object is built through a Go map: pcommon.Map checks
// each key it puts against every key already there, which grows with the square of the members.
const largeObject = 64

// fillMap writes the members of object node obj into m, in order. A key that appears more than once keeps
// its last value, as encoding/json does.
func (d *doc) fillMap(m pcommon.Map, obj int) {
	if d.count(obj) > largeObject {
		d.fillLargeMap(m, obj)
		return
	}
	m.EnsureCapacity(d.count(obj))
	j := obj + 1
	for range d.count(obj) {
		key := d.str(j)
		v := j + 1
		n := &d.nodes[v]
		switch n.kind {
		case kindString:
			m.PutStr(key, d.str(v))
		case kindNumber:
			if i, ok := d.integer(v); ok {
				m.PutInt(key, i)
			} else {
				m.PutDouble(key, d.double(v))
			}
		case kindTrue:
			m.PutBool(key, true)
		case kindFalse:
			m.PutBool(key, false)
		case kindNull:
			m.PutEmpty(key)
		case kindObject:
			d.fillMap(m.PutEmptyMap(key), v)
		case kindArray:
			d.fillSlice(m.PutEmptySlice(key), v)
		}
		j = int(n.next)
	}
}

// fillLargeMap writes the members of a large object node obj into m in time linear in their number; their
// order is not kept.
func (d *doc) fillLargeMap(m pcommon.Map, obj int) {
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
		d.setValue(v, last[k])
		return true
	})
}

// fillSlice appends the elements of array node arr to s.
func (d *doc) fillSlice(s pcommon.Slice, arr int) {
	s.EnsureCapacity(d.count(arr))
	j := arr + 1
	for range d.count(arr) {
		d.setValue(s.AppendEmpty(), j)
		j = int(d.nodes[j].next)
	}
}

// setValue writes node i into the empty value v.
func (d *doc) setValue(v pcommon.Value, i int) {
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
		d.fillMap(v.SetEmptyMap(), i)
	case kindArray:
		d.fillSlice(v.SetEmptySlice(), i)
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
	if d.nodes[ev.node].flags&flagInvalidUTF8 != 0 {
		return validUTF8(d.event)
	}
	return d.event
}
