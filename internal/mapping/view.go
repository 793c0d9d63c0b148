package mapping

import "unsafe"

// view is a read-only byte view of s, without a copy: the scanner reads pages and the JSON inside their
// strings through it, and never writes to it. Strings cut from a view point into s, which they keep alive.
// The zero-copy read the mapping's speed rests on; the one place the package uses unsafe.
func view(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
