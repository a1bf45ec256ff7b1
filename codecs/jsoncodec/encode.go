package jsoncodec

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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
// The schema t may be nil. The value tree is authoritative: the Newtonsoft
// dialect consults t only to write doubles as .NET's "R" text, doubles
// and decimals with a decimal place ("0.0") and enum member names as their
// number, as Json.NET does, and
// [ServiceStackDialect] only to find the strings that hold a Guid (Scalar
// GuidT), which it writes in the "N" format. It follows t through the value: object members by field name
// (exact, else ignoring case, so camelCased names still match; base types
// included), map values by Elem, array items by Elem.
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
	if !r.guidN && !r.netFloats {
		t = nil // no rule needs the schema
	}
	out, err := e.value(dst, &v, t, 0)
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

func (e *encoder) value(dst []byte, v *codecs.Value, t *codecs.Type, depth int) ([]byte, error) {
	switch v.Kind {
	case codecs.Null:
		return append(dst, "null"...), nil
	case codecs.Bool:
		if v.Bool {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case codecs.Number:
		if t != nil && e.rules.netFloats && (t.Scalar == codecs.DoubleT || t.Scalar == codecs.DecimalT) {
			return e.netFloat(dst, v.Str, t.Scalar)
		}
		return e.number(dst, v.Str)
	case codecs.String:
		if t != nil && e.rules.netFloats && !e.rules.stringEnums && t.Scalar == codecs.EnumT {
			// Json.NET writes an enum as its number (no StringEnumConverter
			// by default); the value tree holds the member name.
			if n, ok := t.EnumNumber(v.Str); ok {
				return strconv.AppendInt(dst, n, 10), nil
			}
		}
		if t != nil && t.Scalar == codecs.TimeSpanT && t.Shape == codecs.ScalarShape {
			// The value holds the "c" format (or an xs:duration); each
			// dialect writes its own form.
			ticks, ok := codecs.ParseTimeSpan(v.Str)
			if !ok {
				ticks, ok = codecs.ParseDuration(v.Str)
			}
			if ok {
				dst = append(dst, '"')
				dst = e.rules.appendSpan(dst, ticks)
				return append(dst, '"'), nil
			}
		}
		if t != nil && e.rules.guidN && t.Scalar == codecs.GuidT {
			dst = append(dst, '"')
			if out, ok := appendGuidN(dst, v.Str); ok {
				return append(out, '"'), nil
			}
			dst = dst[:len(dst)-1] // not a Guid after all: an ordinary string
		}
		return e.str(dst, v.Str), nil
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
			dst = e.str(dst, m.Name)
			dst = append(dst, ':')
			var err error
			if dst, err = e.value(dst, &m.Value, memberType(t, m.Name), depth+1); err != nil {
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
			if dst, err = e.value(dst, &v.Items[i], itemType(t), depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	return dst, fmt.Errorf("jsoncodec: cannot encode value of %v", v.Kind)
}

// str appends s as a quoted string escaped by the dialect's rules.
func (e *encoder) str(dst []byte, s string) []byte {
	if e.rules.escapeAllControls {
		return appendQuotedControls(dst, s)
	}
	return appendQuoted(dst, s, '"', e.rules.escapeLineTerminators)
}

// memberType is the schema of the member named name of an object (or the
// value type of a map) of schema t; nil when unknown.
func memberType(t *codecs.Type, name string) *codecs.Type {
	if t == nil {
		return nil
	}
	switch t.Shape {
	case codecs.MapShape:
		return t.Elem
	case codecs.ObjectShape:
		if f, ok := t.Field(name); ok {
			return f.Type
		}
		for c := t; c != nil; c = c.Base {
			for _, f := range c.Fields {
				if strings.EqualFold(f.Name, name) {
					return f.Type
				}
			}
		}
	}
	return nil
}

// itemType is the schema of the items of a list of schema t; nil when
// unknown.
func itemType(t *codecs.Type) *codecs.Type {
	if t != nil && t.Shape == codecs.ListShape {
		return t.Elem
	}
	return nil
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

// netFloat writes a double as Double.ToString("R") and a decimal as its
// literal, each with a decimal place ensured (Json.NET's
// EnsureDecimalPlace: nothing is added to text holding '.', 'E' or a
// non-finite name).
func (e *encoder) netFloat(dst []byte, lit string, sc codecs.Scalar) ([]byte, error) {
	if sc == codecs.DoubleT && isNumber(lit) {
		if f, err := strconv.ParseFloat(lit, 64); err == nil {
			lit = codecs.FormatDouble(f)
			if lit == "-0" {
				lit = "0" // .NET Framework's "R" has no negative zero
			}
		}
	}
	out, err := e.number(dst, lit)
	if err != nil || !isNumber(lit) || strings.ContainsAny(lit, ".eE") {
		return out, err
	}
	return append(out, ".0"...), nil
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

// appendQuotedControls appends s as a double-quoted string escaped as
// ServiceStack.Text's JsonUtils.WriteString does with its defaults
// (EscapeHtmlChars and EscapeUnicode off; src/ServiceStack.Text/Json/
// JsonUtils.cs): '"', '\\', \b, \f, \n, \r and \t get their short escapes,
// every other char.IsControl character (U+0000..U+001F, U+007F..U+009F) is
// written as \uXXXX with upper-case hex digits (IntToHex), everything else
// raw. Ill-formed UTF-8 in a Go string is written as U+FFFD.
func appendQuotedControls(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				dst = append(dst, s[start:i]...)
				dst = append(dst, replacementChar...)
				i += codecs.IllFormedLen(s[i:])
				start = i
			case r <= 0x9f: // C1 control
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
				i += size
				start = i
			default:
				i += size
			}
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default: // U+0000..U+001F, U+007F
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
