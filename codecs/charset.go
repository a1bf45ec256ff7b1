package codecs

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrUnsupportedCharset is returned (wrapped with the charset name) by ToUTF8
// for a charset it does not decode.
var ErrUnsupportedCharset = errors.New("codecs: unsupported charset")

type charsetKind uint8

const (
	csUTF8 charsetKind = iota
	csUTF16LE
	csUTF16BE
	csASCII
	csLatin1
)

// charsetNames maps the accepted names (lower-cased) to decoders. "utf-16"
// and "unicode" are little-endian, as .NET's Encoding.Unicode.
var charsetNames = map[string]charsetKind{
	"utf-8":       csUTF8,
	"utf8":        csUTF8,
	"utf-16":      csUTF16LE,
	"utf16":       csUTF16LE,
	"unicode":     csUTF16LE,
	"ucs-2":       csUTF16LE,
	"utf-16le":    csUTF16LE,
	"utf-16be":    csUTF16BE,
	"unicodefffe": csUTF16BE,
	"us-ascii":    csASCII,
	"ascii":       csASCII,
	"iso-8859-1":  csLatin1,
	"iso8859-1":   csLatin1,
	"iso_8859-1":  csLatin1,
	"latin1":      csLatin1,
	"l1":          csLatin1,
}

// ToUTF8 decodes body from charset into UTF-8, the way the .NET decoders
// behave: a leading byte-order mark is removed; invalid input is replaced,
// not rejected (U+FFFD for each maximal invalid UTF-8 subsequence, each
// unpaired UTF-16 surrogate and a trailing odd byte; '?' for non-ASCII bytes
// in us-ascii). For the UTF-16 family a BOM decides the byte order, otherwise
// the name does ("utf-16" is little-endian). iso-8859-1 is true Latin-1
// (bytes map to U+0000..U+00FF). An empty charset means UTF-8. The charset
// name is matched case-insensitively and may be quoted.
//
// The result may share memory with body when no conversion is needed.
func ToUTF8(body []byte, charset string) ([]byte, error) {
	name := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"`))
	kind := csUTF8
	if name != "" {
		k, ok := charsetNames[name]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedCharset, charset)
		}
		kind = k
	}
	switch kind {
	case csUTF16LE, csUTF16BE:
		return utf16ToUTF8(body, kind == csUTF16BE), nil
	case csASCII:
		return asciiToUTF8(body), nil
	case csLatin1:
		return latin1ToUTF8(body), nil
	}
	return sanitizeUTF8(trimUTF8BOM(body)), nil
}

func trimUTF8BOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// sanitizeUTF8 returns b unchanged when it is valid UTF-8; otherwise a copy in
// which every maximal subpart of an ill-formed sequence (Unicode §3.9, the
// practice .NET's UTF8Encoding follows) becomes U+FFFD.
func sanitizeUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			out = append(out, b[i])
			i++
			continue
		}
		if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, b[i:i+n]...)
			i += n
			continue
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		i += IllFormedLen(b[i:])
	}
	return out
}

// IllFormedLen returns the length of the maximal subpart of the ill-formed
// UTF-8 sequence starting at p[0]: the longest prefix of a well-formed
// sequence (at least 1 byte). Each such subpart becomes one U+FFFD, the
// Unicode-recommended practice (followed by .NET Core 3.0+). It must only be
// called where p does not start with a well-formed sequence.
func IllFormedLen[T string | []byte](p T) int {
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
func utf16ToUTF8(b []byte, bigEndian bool) []byte {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		b, bigEndian = b[2:], false
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		b, bigEndian = b[2:], true
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	n := len(b) &^ 1
	for i := 0; i < n; i += 2 {
		r := unit(i)
		switch {
		case r >= 0xD800 && r < 0xDC00 && i+2 < n:
			if r2 := unit(i + 2); r2 >= 0xDC00 && r2 <= 0xDFFF {
				out = utf8.AppendRune(out, utf16.DecodeRune(r, r2))
				i += 2
				continue
			}
			out = utf8.AppendRune(out, utf8.RuneError)
		case utf16.IsSurrogate(r):
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	if len(b)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out
}

func asciiToUTF8(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	if i == len(b) {
		return b
	}
	out := append([]byte(nil), b...)
	for ; i < len(out); i++ {
		if out[i] >= utf8.RuneSelf {
			out[i] = '?'
		}
	}
	return out
}

func latin1ToUTF8(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, i, len(b)+len(b)/4+1)
	copy(out, b[:i])
	for _, c := range b[i:] {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// IsUTF8Charset reports whether charset (a Content-Type charset parameter,
// possibly quoted; empty means the default) names UTF-8.
func IsUTF8Charset(charset string) bool {
	name := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"`))
	if name == "" {
		return true
	}
	k, ok := charsetNames[name]
	return ok && k == csUTF8
}
