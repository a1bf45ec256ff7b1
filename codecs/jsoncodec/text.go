package jsoncodec

// Shared lexical helpers of the decoder and the encoder.

var bom = []byte{0xEF, 0xBB, 0xBF}

func hasBOM(data []byte) bool {
	return len(data) >= 3 && data[0] == bom[0] && data[1] == bom[1] && data[2] == bom[2]
}

// replacementChar is U+FFFD in UTF-8.
const replacementChar = "\uFFFD"

// illFormedLen returns the length of the maximal subpart of the ill-formed
// UTF-8 sequence starting at p[0]: the longest prefix of a well-formed
// sequence (at least 1 byte). Each such subpart becomes one U+FFFD, the
// Unicode-recommended practice (followed by .NET Core 3.0+). It must only be
// called where p does not start with a well-formed sequence.
func illFormedLen[T string | []byte](p T) int {
	c := p[0]
	n := 0
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		n = 2
	case c == 0xE0:
		n, lo = 3, 0xA0
	case c == 0xED:
		n, hi = 3, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		n = 3
	case c == 0xF0:
		n, lo = 4, 0x90
	case c >= 0xF1 && c <= 0xF3:
		n = 4
	case c == 0xF4:
		n, hi = 4, 0x8F
	default:
		return 1
	}
	if len(p) < 2 || p[1] < lo || p[1] > hi {
		return 1
	}
	i := 2
	for i < n && i < len(p) && p[i] >= 0x80 && p[i] <= 0xBF {
		i++
	}
	return i
}

// isNumber reports whether s is a number by the RFC 8259 grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i >= len(s):
		return false
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		i = skipDigits(s, i+1)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := skipDigits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

func skipDigits[T string | []byte](s T, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// The non-finite literals of Json.NET (JsonConvert.NaN and friends).
const (
	litNaN         = "NaN"
	litInfinity    = "Infinity"
	litNegInfinity = "-Infinity"
)

func isNonFinite(s string) bool {
	return s == litNaN || s == litInfinity || s == litNegInfinity
}
