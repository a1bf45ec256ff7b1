package jsvcodec

import (
	"errors"
	"strconv"

	"legacygate/codecs"
)

// Options tune [Append].
type Options struct {
	// CamelCase writes property names as ServiceStack's TextCase.CamelCase
	// does (StringExtensions.ToCamelCase: the leading run of upper-case
	// letters is lowered, except the last one before a lower-case letter;
	// "ID" -> "id", "EMail" -> "eMail"). Dictionary keys are never changed.
	CamelCase bool
	// Release is the ServiceStack.Text release whose writer is reproduced
	// (docs/legacy/jsv-versions.md); the zero value is the newest.
	Release Release
}

// Append writes v as ServiceStack's TypeSerializer writes the equivalent
// .NET value and returns the extended buffer. Members are written in the
// order of v; null members, null dictionary values and null list items
// (as empty slots) are omitted as JSV does. With t the scalar families of
// the schema decide the forms (Guid as 32 hex digits, TimeSpan as an XSD
// duration, byte[] as Base64, numbers in .NET's canonical text, ...);
// without t the kinds of v do.
func Append(dst []byte, v codecs.Value, t *codecs.Type, opt Options) ([]byte, error) {
	e := encoder{camel: opt.CamelCase, emptyToken: opt.Release.behaviours()&oldEmptyToken != 0}
	return e.value(dst, v, t, 0)
}

type encoder struct {
	camel bool
	// emptyToken writes the empty string as nothing ({S:}, [a,,b]), as
	// releases before 4.0.17 did, instead of "".
	emptyToken bool
}

const maxEncodeDepth = 10000

var errTooDeep = errors.New("jsvcodec: value nested too deeply")

func encErr(msg string) error { return errors.New("jsvcodec: " + msg) }

// needsQuote reports whether s holds one of JsWriter.EscapeChars.
func needsQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', ':', ',', '{', '}', '[', ']', '\r', '\n':
			return true
		}
	}
	return false
}

// appendString is JsvTypeSerializer.WriteString / EncodeJsv (jsv.md §3.1).
func appendString(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, '"', '"')
	}
	if !needsQuote(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for {
		i := indexQuote(s)
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, '"')
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, '"')
}

func indexQuote(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			return i
		}
	}
	return -1
}

// appendCamel writes ToCamelCase(name).
func appendCamel(dst []byte, name string) []byte {
	first := true
	for i := 0; i < len(name); i++ {
		c0 := name[i]
		c1 := byte('A')
		if i < len(name)-1 {
			c1 = name[i+1]
		}
		up0 := c0 >= 'A' && c0 <= 'Z'
		up1 := c1 >= 'A' && c1 <= 'Z'
		if first && up0 && (up1 || i == 0) {
			c0 += 'a' - 'A'
		} else {
			first = false
		}
		dst = append(dst, c0)
	}
	return dst
}

func fieldType(fields []codecs.Field, name string, hint int) (*codecs.Type, int) {
	if hint < len(fields) && fields[hint].Name == name {
		return fields[hint].Type, hint + 1
	}
	for i := range fields {
		if fields[i].Name == name {
			return fields[i].Type, i + 1
		}
	}
	if i := findField(fields, name, 0); i >= 0 {
		return fields[i].Type, i + 1
	}
	return nil, hint
}

// dtoOrder is what a .NET host writes for an object after binding it to
// its DTO: the DTO's members in declaration order, a value-type member the
// value lacks (or holds null for) with its default (False, 0, the first
// enum member), then members the DTO does not declare, as given.
func dtoOrder(members []codecs.Member, fields []codecs.Field) []codecs.Member {
	byField := make([]int, len(fields))
	for i := range byField {
		byField[i] = -1
	}
	var extra []int
	hint := 0
	for j, m := range members {
		var ft *codecs.Type
		ft, hint = fieldType(fields, m.Name, hint)
		if ft == nil {
			extra = append(extra, j)
			continue
		}
		byField[hint-1] = j // a later duplicate wins
	}
	out := make([]codecs.Member, 0, len(fields)+len(extra))
	for k, f := range fields {
		if j := byField[k]; j >= 0 && members[j].Value.Kind != codecs.Null {
			out = append(out, members[j])
		} else if isValueType(f.Type) {
			out = append(out, codecs.M(f.Name, codecs.Default(f.Type)))
		}
	}
	for _, j := range extra {
		out = append(out, members[j])
	}
	return out
}

// isValueType: a non-nullable scalar other than string (bool, numbers,
// guid, dates, enums) always has a value in .NET.
func isValueType(t *codecs.Type) bool {
	return t != nil && t.Shape == codecs.ScalarShape && !t.Nullable && t.Scalar != codecs.StringT
}

func (e *encoder) value(dst []byte, v codecs.Value, t *codecs.Type, depth int) ([]byte, error) {
	if depth > maxEncodeDepth {
		return dst, errTooDeep
	}
	switch v.Kind {
	case codecs.Null:
		return dst, nil
	case codecs.Bool:
		if v.Bool {
			return append(dst, "True"...), nil
		}
		return append(dst, "False"...), nil
	case codecs.Number, codecs.String:
		return e.scalar(dst, v, t)
	case codecs.Time:
		if t != nil && t.Scalar == codecs.DateTimeOffsetT || (t == nil || t.Scalar != codecs.DateTimeT) && v.TimeK == codecs.Offset {
			return appendDateTimeOffset(dst, v.Time), nil
		}
		return appendDateTime(dst, v.Time, v.TimeK), nil
	case codecs.Array:
		var elem *codecs.Type
		if t != nil {
			elem = t.Elem
		}
		dst = append(dst, '[')
		for i, it := range v.Items {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = e.value(dst, it, elem, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case codecs.Object:
		isMap := t == nil || t.Shape == codecs.MapShape
		var elem *codecs.Type
		if t != nil && t.Shape == codecs.MapShape {
			elem = t.Elem
		}
		var fields []codecs.Field
		var camelNames []string
		if t != nil && t.Shape == codecs.ObjectShape {
			ti := infoOf(t)
			fields, camelNames = ti.fields, ti.camel
		}
		members := v.Members
		if fields != nil {
			members = dtoOrder(members, fields)
		}
		dst = append(dst, '{')
		n := 0
		hint := 0
		for _, m := range members {
			if m.Value.Kind == codecs.Null {
				continue
			}
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			ft := elem
			known := -1
			if t != nil && t.Shape == codecs.ObjectShape {
				ft, hint = fieldType(fields, m.Name, hint)
				if ft != nil && fields[hint-1].Name == m.Name {
					known = hint - 1
				}
			}
			switch {
			case t != nil && t.Shape == codecs.MapShape:
				dst = appendString(dst, m.Name)
			case isMap && needsQuote(m.Name) || m.Name == "":
				dst = appendString(dst, m.Name)
			case e.camel && known >= 0:
				dst = append(dst, camelNames[known]...)
			case e.camel:
				dst = appendCamel(dst, m.Name)
			default:
				dst = append(dst, m.Name...)
			}
			dst = append(dst, ':')
			var err error
			if dst, err = e.value(dst, m.Value, ft, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	return dst, encErr("unknown value kind " + v.Kind.String())
}

func (e *encoder) scalar(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
	s := v.Str
	if s == "" && e.emptyToken && v.Kind == codecs.String {
		return dst, nil
	}
	if t == nil || t.Shape != codecs.ScalarShape && !isBytes(t) {
		if v.Kind == codecs.Number && !needsQuote(s) && s != "" {
			return append(dst, s...), nil
		}
		return appendString(dst, s), nil
	}
	switch {
	case isBytes(t):
		return append(dst, s...), nil // Base64 holds no escape characters
	case isSpan(t):
		ticks, ok := parseTimeSpan(s)
		if !ok {
			return dst, encErr("invalid TimeSpan " + strconv.Quote(s))
		}
		return appendXsdDuration(dst, ticks), nil
	}
	switch t.Scalar {
	case codecs.Int32T, codecs.Int64T:
		lit, ok := canonInt(s, t.Scalar == codecs.Int32T)
		if !ok {
			return dst, encErr("invalid " + t.Name + " " + strconv.Quote(s))
		}
		return append(dst, lit...), nil
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		lit, ok := codecs.ParseInteger(s, t.Scalar)
		if !ok {
			return dst, encErr("invalid " + t.Name + " " + strconv.Quote(s))
		}
		return append(dst, lit...), nil
	case codecs.DecimalT:
		lit, ok := canonDecimal(s)
		if !ok {
			return dst, encErr("invalid decimal " + strconv.Quote(s))
		}
		return append(dst, lit...), nil
	case codecs.DoubleT:
		f, ok := parseDouble(s)
		if !ok {
			return dst, encErr("invalid double " + strconv.Quote(s))
		}
		return appendDouble(dst, f), nil
	case codecs.BoolT:
		b, ok := parseBool(s)
		if !ok {
			return dst, encErr("invalid bool " + strconv.Quote(s))
		}
		return e.value(dst, codecs.BoolV(b), nil, 0)
	case codecs.GuidT:
		h, ok := guidHex(s)
		if !ok {
			return dst, encErr("invalid Guid " + strconv.Quote(s))
		}
		return append(dst, h[:]...), nil
	case codecs.DateTimeT:
		tm, k, ok := parseDateTime(s)
		if !ok {
			return dst, encErr("invalid DateTime " + strconv.Quote(s))
		}
		return appendDateTime(dst, tm, k), nil
	case codecs.DateTimeOffsetT:
		tm, ok := parseDateTimeOffset(s)
		if !ok {
			return dst, encErr("invalid DateTimeOffset " + strconv.Quote(s))
		}
		return appendDateTimeOffset(dst, tm), nil
	case codecs.EnumT:
		if v.Kind == codecs.Number {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				if name, ok := t.EnumName(i); ok {
					s = name
				}
			}
		}
		if needsQuote(s) || s == "" {
			return appendString(dst, s), nil
		}
		return append(dst, s...), nil
	}
	if v.Kind == codecs.Number && !needsQuote(s) && s != "" {
		return append(dst, s...), nil
	}
	return appendString(dst, s), nil
}
