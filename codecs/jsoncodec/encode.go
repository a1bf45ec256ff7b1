package jsoncodec

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"legacygate/codecs"
)

// maxEncodeDepth bounds the nesting Append follows. Value trees are built by
// code, and slices can alias into a cycle; the limit turns that into an
// error instead of a stack overflow.
const maxEncodeDepth = 10000

// Append appends the compact JSON text of v, as written by dialect d, to dst
// and returns the extended buffer. Members and items are written in the
// order of v. On error it returns dst unchanged and an error starting with
// "jsoncodec: ".
//
// The schema t may be nil. The value tree is authoritative: t is accepted for
// symmetry with the other codecs (and for dialects that will need it) and
// the Newtonsoft dialect does not consult it.
func Append(dst []byte, v codecs.Value, t *codecs.Type, d Dialect) ([]byte, error) {
	r := d.rules()
	if r == nil {
		return dst, fmt.Errorf("jsoncodec: unknown dialect %v", d)
	}
	if cap(dst) == 0 {
		// A fresh buffer: size it once instead of growing it repeatedly.
		dst = make([]byte, 0, estimate(&v, 0))
	}
	e := encoder{rules: r}
	out, err := e.value(dst, &v, 0)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// Encode writes the compact JSON text of v, as written by dialect d, to w in
// a single Write call. Nothing is written when v cannot be encoded.
func Encode(w io.Writer, v codecs.Value, t *codecs.Type, d Dialect) error {
	bp := bufPool.Get().(*[]byte)
	b, err := Append((*bp)[:0], v, t, d)
	if err == nil {
		_, err = w.Write(b)
	}
	if cap(b) <= maxPooledBuf {
		*bp = b[:0]
		bufPool.Put(bp)
	}
	return err
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

type encoder struct {
	rules *dialectRules
}

var errTooDeep = errors.New("jsoncodec: value nested more than 10000 levels deep (cyclic?)")

func (e *encoder) value(dst []byte, v *codecs.Value, depth int) ([]byte, error) {
	switch v.Kind {
	case codecs.Null:
		return append(dst, "null"...), nil
	case codecs.Bool:
		if v.Bool {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case codecs.Number:
		return e.number(dst, v.Str)
	case codecs.String:
		return appendQuoted(dst, v.Str, '"', e.rules.escapeLineTerminators), nil
	case codecs.Time:
		return e.time(dst, v)
	case codecs.Object:
		if depth >= maxEncodeDepth {
			return dst, errTooDeep
		}
		dst = append(dst, '{')
		first := true
		for i := range v.Members {
			m := &v.Members[i]
			if m.Value.Kind == codecs.Null && e.rules.omitNullMembers {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendQuoted(dst, m.Name, '"', e.rules.escapeLineTerminators)
			dst = append(dst, ':')
			var err error
			if dst, err = e.value(dst, &m.Value, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case codecs.Array:
		if depth >= maxEncodeDepth {
			return dst, errTooDeep
		}
		dst = append(dst, '[')
		for i := range v.Items {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = e.value(dst, &v.Items[i], depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	return dst, fmt.Errorf("jsoncodec: cannot encode value of %v", v.Kind)
}

// estimate returns a size guess for the encoding of v: exact for plain
// text, a little short when escapes are needed, and bounded in depth so
// that a cyclic tree still reaches the encoder's depth check.
func estimate(v *codecs.Value, depth int) int {
	switch v.Kind {
	case codecs.Number:
		return len(v.Str) + 2
	case codecs.String:
		return len(v.Str) + 2
	case codecs.Time:
		return 36
	case codecs.Object:
		if depth > 8 {
			return 64
		}
		n := 2
		for i := range v.Members {
			n += len(v.Members[i].Name) + 4 + estimate(&v.Members[i].Value, depth+1)
		}
		return n
	case codecs.Array:
		if depth > 8 {
			return 64
		}
		n := 2
		for i := range v.Items {
			n += 1 + estimate(&v.Items[i], depth+1)
		}
		return n
	}
	return 5
}

func (e *encoder) number(dst []byte, lit string) ([]byte, error) {
	if isNumber(lit) {
		return append(dst, lit...), nil
	}
	if isNonFinite(lit) {
		if e.rules.quoteNonFinite {
			dst = append(dst, '"')
			dst = append(dst, lit...)
			return append(dst, '"'), nil
		}
		return append(dst, lit...), nil
	}
	return dst, fmt.Errorf("jsoncodec: invalid number literal %q", lit)
}

func (e *encoder) time(dst []byte, v *codecs.Value) ([]byte, error) {
	t := v.Time
	if v.TimeK == codecs.UTC {
		t = t.UTC()
	}
	if y := t.Year(); y < 1 || y > 9999 {
		return dst, fmt.Errorf("jsoncodec: time %v is outside the .NET DateTime range", v.Time)
	}
	dst = append(dst, '"')
	dst = e.rules.appendTime(dst, v.Time, v.TimeK)
	return append(dst, '"'), nil
}

// escapeDQ and escapeSQ hold, for each ASCII byte, its escape in a string
// delimited by a double or a single quote
// ("" when written raw).
var escapeDQ, escapeSQ = func() (dq, sq [utf8.RuneSelf]string) {
	const hex = "0123456789abcdef"
	for c := 0; c < 0x20; c++ {
		dq[c] = `\u00` + string([]byte{hex[c>>4], hex[c&0xf]})
	}
	dq['\b'], dq['\t'], dq['\n'], dq['\f'], dq['\r'] = `\b`, `\t`, `\n`, `\f`, `\r`
	dq['\\'] = `\\`
	sq = dq
	dq['"'] = `\"`
	sq['\''] = `\'`
	return dq, sq
}()

// appendQuoted appends s as a string literal delimited by q (a double or a
// single quote),
// escaped as Json.NET's JavaScriptUtils.WriteEscapedJavaScriptString does
// with StringEscapeHandling.Default: '\\', the delimiter and control
// characters, plus (when lineTerms) U+0085, U+2028 and U+2029; everything
// else raw. Ill-formed UTF-8 is written as U+FFFD.
func appendQuoted(dst []byte, s string, q byte, lineTerms bool) []byte {
	tbl := &escapeDQ
	if q == '\'' {
		tbl = &escapeSQ
	}
	dst = append(dst, q)
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if tbl[c] == "" {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, tbl[c]...)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, replacementChar...)
			i += codecs.IllFormedLen(s[i:])
			start = i
		case lineTerms && (r == 0x85 || r == 0x2028 || r == 0x2029):
			dst = append(dst, s[start:i]...)
			dst = append(dst, lineTermEscape(r)...)
			i += size
			start = i
		default:
			i += size
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, q)
}

func lineTermEscape(r rune) string {
	switch r {
	case 0x85:
		return `\u0085`
	case 0x2028:
		return `\u2028`
	}
	return `\u2029`
}
