package mapping

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// plain marks the bytes that a string can hold as they are: printable ASCII other than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// skipPlain returns the index of the first byte at or after i that is not plain, or len(data). It reads
// eight bytes at a time: the lowest flagged byte of a word is exactly the first one that is not plain.
func skipPlain(data []byte, i int) int {
	for i+8 <= len(data) {
		x := binary.LittleEndian.Uint64(data[i : i+8])
		q := x ^ (ones * '"')
		b := x ^ (ones * '\\')
		t := ((q - ones) &^ q) | ((b - ones) &^ b) | ((x - ones*0x20) &^ x) | x
		if t &= high; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
		i += 8
	}
	for i < len(data) && plain[data[i]] {
		i++
	}
	return i
}

// strRest finishes the string that started at start, from i, the first byte that is not plain.
func (s *scanner) strRest(start, i int) bool {
	data := s.data
	for {
		if i >= len(data) {
			return s.failEOF("a string")
		}
		switch c := data[i]; {
		case c == '"':
			s.nodes = addNode(s.nodes, kindString, 0, start-s.base, i-s.base)
			s.pos = i + 1
			return true
		case c == '\\':
			return s.decodeStr(start, i)
		case c < 0x20:
			return s.fail(i, fmt.Sprintf("control character %s in string", describeByte(c)))
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return s.decodeStr(start, i)
			}
			i += size
		}
		i = skipPlain(data, i)
	}
}

// decodeStr finishes the string that started at start, from i where the first escape or invalid byte is,
// writing its decoded text to the arena: escapes resolved, bytes that are not UTF-8 and unpaired UTF-16
// surrogates replaced by U+FFFD, as encoding/json does.
func (s *scanner) decodeStr(start, i int) bool {
	data := s.data
	a0 := len(s.arena)
	s.arena = append(s.arena, data[start:i]...)
	flags := flagDecoded
	for {
		run := i
		i = skipPlain(data, i)
		s.arena = append(s.arena, data[run:i]...)
		if i >= len(data) {
			return s.failEOF("a string")
		}
		c := data[i]
		switch {
		case c == '"':
			s.nodes = addNode(s.nodes, kindString, flags, a0, len(s.arena))
			if flags&flagInvalidUTF8 != 0 {
				s.invalid++
			}
			s.pos = i + 1
			return true
		case c == '\\':
			if i+1 >= len(data) {
				return s.failEOF("a string")
			}
			switch e := data[i+1]; e {
			case '"', '\\', '/':
				s.arena = append(s.arena, e)
			case 'b':
				s.arena = append(s.arena, '\b')
			case 'f':
				s.arena = append(s.arena, '\f')
			case 'n':
				s.arena = append(s.arena, '\n')
			case 'r':
				s.arena = append(s.arena, '\r')
			case 't':
				s.arena = append(s.arena, '\t')
			case 'u':
				r, ok := s.hex4(i + 2)
				if !ok {
					return false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2, ok = parseHex4(data[i+2 : i+6])
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != unicode.ReplacementChar {
						r = dec
						i += 6
					} else {
						r = unicode.ReplacementChar
					}
				}
				s.arena = utf8.AppendRune(s.arena, r)
				continue
			default:
				return s.fail(i, fmt.Sprintf("invalid escape %s in string", describeByte(e)))
			}
			i += 2
		case c < 0x20:
			return s.fail(i, fmt.Sprintf("control character %s in string", describeByte(c)))
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				flags |= flagInvalidUTF8
				s.arena = append(s.arena, "\uFFFD"...)
			} else {
				s.arena = append(s.arena, data[i:i+size]...)
			}
			i += size
		}
	}
}

// hex4 reads the four hex digits of a \u escape at i.
func (s *scanner) hex4(i int) (rune, bool) {
	for k := range 4 {
		if i+k >= len(s.data) {
			return 0, s.failEOF("a string")
		}
		if unhex(s.data[i+k]) < 0 {
			return 0, s.fail(i+k, fmt.Sprintf("invalid character %s in \\u escape", describeByte(s.data[i+k])))
		}
	}
	r, _ := parseHex4(s.data[i : i+4])
	return r, true
}

func parseHex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b[:4] {
		v := unhex(c)
		if v < 0 {
			return -1, false
		}
		r = r<<4 | v
	}
	return r, true
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// validUTF8 returns s with each byte that is not part of valid UTF-8 replaced by U+FFFD, as encoding/json
// does when it reads a string.
func validUTF8(s string) string {
	out := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(out)
}
