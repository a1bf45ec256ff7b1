package jsoncodec

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// ErrEmpty is returned by [Decode] when the input holds no value: it is empty
// or holds only whitespace (and, in DotNet mode, comments). Web API treats
// such a body as absent, so callers should too.
var ErrEmpty = errors.New("jsoncodec: empty input")

// SyntaxError describes malformed input, or input beyond a decoding limit.
type SyntaxError struct {
	// Offset is the byte offset of the offending byte in the input (the
	// input length when it ended too early). A skipped BOM counts.
	Offset int
	// Line and Col are 1-based; Col counts characters (not bytes) from the
	// start of the line. "\n", "\r" and "\r\n" each end a line.
	Line, Col int
	// Msg describes the problem, in encoding/json's wording.
	Msg string
	// Path is the Json.NET reader path at the failure, e.g.
	// "UserRoles[0].RoleID"; empty at the root. Like Json.NET's, it names
	// the last property read in the enclosing object, or the last array item
	// completed, so an error in the first item of an array names the array.
	// Names holding characters such as '.', ' ' or '[' are written
	// bracketed, ['a.b'], as Json.NET does since 6.0.6.
	Path string
}

// Error returns e.g. "jsoncodec: invalid character 'x' looking for beginning
// of value at line 1, column 5 (offset 4)", followed by ", path 'P'" when
// Path is not empty.
func (e *SyntaxError) Error() string {
	b := make([]byte, 0, len(e.Msg)+len(e.Path)+64)
	b = append(b, "jsoncodec: "...)
	b = append(b, e.Msg...)
	b = append(b, " at line "...)
	b = strconv.AppendInt(b, int64(e.Line), 10)
	b = append(b, ", column "...)
	b = strconv.AppendInt(b, int64(e.Col), 10)
	b = append(b, " (offset "...)
	b = strconv.AppendInt(b, int64(e.Offset), 10)
	b = append(b, ')')
	if e.Path != "" {
		b = append(b, ", path '"...)
		b = append(b, e.Path...)
		b = append(b, '\'')
	}
	return string(b)
}

// lineCol returns the 1-based line and character column of off in data. A
// leading UTF-8 BOM is not counted as a character.
func lineCol(data []byte, off int) (line, col int) {
	line = 1
	lineStart := 0
	if hasBOM(data) && off >= len(bom) {
		lineStart = len(bom)
	}
	for i := lineStart; i < off; i++ {
		switch data[i] {
		case '\n':
			line++
			lineStart = i + 1
		case '\r':
			if i+1 < off && data[i+1] == '\n' {
				i++
			}
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:off]) + 1
}

// quoteAt describes the character at data[off] for a message: 'x', '\n',
// '\u2028', or '\xff' for a byte that starts no valid UTF-8 sequence.
func quoteAt(data []byte, off int) string {
	r, size := utf8.DecodeRune(data[off:])
	if r == utf8.RuneError && size <= 1 {
		const hex = "0123456789abcdef"
		c := data[off]
		return string([]byte{'\'', '\\', 'x', hex[c>>4], hex[c&0xf], '\''})
	}
	return strconv.QuoteRune(r)
}
