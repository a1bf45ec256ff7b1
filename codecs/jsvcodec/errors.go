package jsvcodec

import (
	"errors"
	"strconv"
)

// ErrEmpty is returned by [Decode] when the input holds no value (it is
// empty, or only a byte-order mark; with Lenient also only whitespace).
// ServiceStack deserialises such a body to null.
var ErrEmpty = errors.New("jsvcodec: empty input")

// SyntaxError describes input ServiceStack's TypeSerializer rejects (it throws
// rather than swallowing the problem), or input beyond a decoding limit.
type SyntaxError struct {
	// Offset is the byte offset of the offending token in the input.
	Offset int
	// Msg describes the problem.
	Msg string
}

// Error returns e.g. "jsvcodec: member has no ':' (offset 7)".
func (e *SyntaxError) Error() string {
	b := make([]byte, 0, len(e.Msg)+32)
	b = append(b, "jsvcodec: "...)
	b = append(b, e.Msg...)
	b = append(b, " (offset "...)
	b = strconv.AppendInt(b, int64(e.Offset), 10)
	b = append(b, ')')
	return string(b)
}
