package formcodec

import (
	"strconv"

	"legacygate/codecs"
)

// maxEncodeDepth bounds the nesting Encode follows; deeper values (only a
// cyclic tree has them in practice) are left out.
const maxEncodeDepth = 10000

// Encode appends v to dst as a form body, for tooling (`legacygate convert
// --to form`), in the MVC key style Web API's binders read:
//
//   - object members are written in order under their names, nested ones as
//     "a.b"; array items as "a[0]", "a[1]", …;
//   - a null member is left out; a null array item is written with an empty
//     value ("a[1]=", which binds as null and keeps later indexes in reach);
//     empty objects and arrays write nothing;
//   - scalars are written in their invariant text: a Number's literal, true
//     or false, a String as it is, a Time by [codecs.AppendISOTime];
//   - a top-level scalar is written under the empty key ("=value", the form
//     Web API binds to a [FromBody] simple parameter); a top-level null
//     writes nothing. No '&' is put between dst's content and the first pair.
//
// Keys and values are percent-encoded as HttpUtility.UrlEncode does (and
// UriQueryUtility.UrlEncode in System.Net.Http.Formatting): ASCII letters,
// digits and - _ . ! * ( ) are kept, a space becomes '+', every other byte
// of the UTF-8 text is %xx with lower-case hex digits (so '[' and ']' are
// %5b and %5d, which decoding restores before key normalisation).
func Encode(dst []byte, v codecs.Value) []byte {
	if v.Kind == codecs.Null {
		return dst
	}
	e := encoder{dst: dst, first: true}
	e.value(nil, v, 0)
	return e.dst
}

type encoder struct {
	dst   []byte
	first bool
}

// value writes v under the (already encoded) key.
func (e *encoder) value(key []byte, v codecs.Value, depth int) {
	if depth > maxEncodeDepth {
		return
	}
	switch v.Kind {
	case codecs.Object:
		for _, m := range v.Members {
			if m.Value.Kind == codecs.Null {
				continue
			}
			k := key
			if len(k) > 0 {
				k = append(k[:len(k):len(k)], '.')
			}
			e.value(appendEscaped(k, m.Name), m.Value, depth+1)
		}
	case codecs.Array:
		for i, it := range v.Items {
			k := append(key[:len(key):len(key)], "%5b"...)
			k = strconv.AppendInt(k, int64(i), 10)
			k = append(k, "%5d"...)
			e.value(k, it, depth+1)
		}
	case codecs.Null:
		e.pair(key, "")
	case codecs.Bool:
		e.pair(key, strconv.FormatBool(v.Bool))
	case codecs.Number, codecs.String:
		e.pair(key, v.Str)
	case codecs.Time:
		e.pair(key, string(codecs.AppendISOTime(nil, v.Time, v.TimeK)))
	}
}

func (e *encoder) pair(key []byte, val string) {
	if !e.first {
		e.dst = append(e.dst, '&')
	}
	e.first = false
	e.dst = append(e.dst, key...)
	e.dst = append(e.dst, '=')
	e.dst = appendEscaped(e.dst, val)
}

// appendEscaped appends s URL-encoded as HttpUtility.UrlEncode does.
func appendEscaped(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '!', c == '*', c == '(', c == ')':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&0xf])
		}
	}
	return dst
}
