package jsoncodec

// Shared lexical helpers of the decoder and the encoder.

var bom = []byte{0xEF, 0xBB, 0xBF}

func hasBOM(data []byte) bool {
	return len(data) >= 3 && data[0] == bom[0] && data[1] == bom[1] && data[2] == bom[2]
}

// replacementChar is U+FFFD in UTF-8.
const replacementChar = "\uFFFD"

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
