package bind

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
	"legacygate/routes/contract"
)

// Options are a host style's rules for turning a decoded value into the
// request type.
type Options struct {
	// FoldOnly matches member names case-insensitively only (ServiceStack).
	// When false, an exact match is tried first and then a case-insensitive
	// one (Json.NET's GetClosestMatchProperty).
	FoldOnly bool
	// TextSpans reads a TimeSpan as ServiceStack.Text does (an XSD
	// duration, "hh:mm:ss" or a number of seconds) rather than only by
	// TimeSpan.Parse (Json.NET, Web API's model binder).
	TextSpans bool
}

// Error is one member that could not be converted. Path is Json.NET
// style (Member, List[0], Outer.Inner); Msg is the detailed reason, which a
// host shows only when it shows error detail.
type Error struct {
	Path string
	Msg  string
	// Raw is the text of a scalar that could not be converted, and Display
	// the display name of the member it was meant for: model binders (form
	// posts) quote both in their message.
	Raw     string
	Display string
}

func (e Error) Error() string { return "contract: " + e.Path + ": " + e.Msg }

// Request converts v (an Object from a decoder, or Null for an empty body) to
// an Object holding exactly the members of t that v carried, in t's member
// order, each converted to its declared type. Unknown members are ignored; a
// member that cannot be converted is left out and reported, and binding goes
// on (Json.NET's handled-error behaviour under Web API).
//
// A request that is a list, set, dictionary or scalar as a whole (t.Ref)
// binds to that type; error paths then start at the root ("[0].Name",
// which Web API prefixes with the parameter name: items[0].Name). An empty
// body leaves it null.
func Request(t *contract.Type, v codecs.Value, opt Options) (codecs.Value, []Error) {
	b := binder{opt: opt}
	if t.Ref != nil {
		if v.Kind == codecs.Null {
			return v, nil
		}
		out, ok := b.convert(*t.Ref, v, "")
		for _, e := range b.errs {
			if !ok && e.Path == "" {
				out = codecs.Value{} // the body as a whole did not convert: no model
			}
		}
		return out, b.errs
	}
	out := b.object(t, v, "")
	return out, b.errs
}

type binder struct {
	opt  Options
	errs []Error
}

func (b *binder) fail(path, format string, args ...any) {
	b.errs = append(b.errs, Error{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (b *binder) object(t *contract.Type, v codecs.Value, path string) codecs.Value {
	members := t.AllMembers()
	out := codecs.Value{Kind: codecs.Object, Members: make([]codecs.Member, 0, len(members))}
	if v.Kind == codecs.Null {
		return out
	}
	if v.Kind != codecs.Object {
		b.fail(path, "cannot deserialize the current %s into type '%s' because the type requires an object", v.Kind, t.Name)
		return out
	}
	// Each member's value goes to its declared position in out.Members
	// (no scratch slice of values), then the set ones are packed in
	// declaration order.
	out.Members = out.Members[:len(members)]
	var setBuf [32]bool
	set := setBuf[:0]
	if len(members) > len(setBuf) {
		set = make([]bool, len(members))
	} else {
		set = setBuf[:len(members)]
	}
	for _, in := range v.Members {
		i := b.match(members, in.Name)
		if i < 0 {
			continue // unknown members are ignored (MissingMemberHandling.Ignore)
		}
		p := join(path, members[i].Name)
		before := len(b.errs)
		cv, ok := b.convert(members[i].Type, in.Value, p)
		for j := before; j < len(b.errs); j++ {
			if b.errs[j].Display == "" {
				b.errs[j].Display = members[i].DisplayName()
			}
		}
		if !ok {
			set[i] = false
			continue
		}
		out.Members[i].Value, set[i] = cv, true
	}
	k := 0
	for i, m := range members {
		if set[i] {
			out.Members[k] = codecs.Member{Name: m.Name, Value: out.Members[i].Value}
			k++
		}
	}
	clear(out.Members[k:])
	out.Members = out.Members[:k]
	return out
}

func (b *binder) match(members []*contract.Member, name string) int {
	if !b.opt.FoldOnly {
		for i, m := range members {
			if m.Name == name {
				return i
			}
		}
	}
	for i, m := range members {
		if strings.EqualFold(m.Name, name) {
			return i
		}
	}
	return -1
}

func (b *binder) convert(ref contract.TypeRef, v codecs.Value, path string) (codecs.Value, bool) {
	if v.Kind == codecs.Null {
		if !ref.Nullable {
			b.fail(path, "error converting value {null} to type '%s'", clrName(ref))
			return v, false
		}
		return v, true
	}
	switch {
	case ref.List():
		if v.Kind != codecs.Array {
			b.fail(path, "cannot deserialize the current %s into a collection; a JSON array is required", v.Kind)
			return v, false
		}
		items := make([]codecs.Value, 0, len(v.Items))
		ok := true
		var seen map[string]bool
		if ref.Set && ref.Elem.Object == nil && !ref.Elem.List() && !ref.Elem.Map() {
			seen = make(map[string]bool, len(v.Items))
		}
		for i, it := range v.Items {
			cv, good := b.convert(*ref.Elem, it, fmt.Sprintf("%s[%d]", path, i))
			ok = ok && good
			if seen != nil && good {
				// HashSet<T>.Add keeps the first of equal items (the
				// default comparer: ordinal for strings, value equality
				// for numbers, Guids, dates); objects are compared by
				// reference, so only scalars collapse.
				k := cv.String()
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			items = append(items, cv)
		}
		return codecs.Value{Kind: codecs.Array, Items: items}, ok
	case ref.Map():
		if v.Kind != codecs.Object {
			b.fail(path, "cannot deserialize the current %s into a dictionary", v.Kind)
			return v, false
		}
		out := codecs.Value{Kind: codecs.Object, Members: make([]codecs.Member, 0, len(v.Members))}
		ok := true
		// A later duplicate key wins, in the first one's place; the index
		// keeps that linear (a scan per key made 40,000 keys cost seconds).
		index := make(map[string]int, len(v.Members))
		for _, m := range v.Members {
			cv, good := b.convert(*ref.Elem, m.Value, path+"['"+m.Name+"']")
			ok = ok && good
			if i, dup := index[m.Name]; dup {
				out.Members[i].Value = cv
				continue
			}
			index[m.Name] = len(out.Members)
			out.Members = append(out.Members, codecs.Member{Name: m.Name, Value: cv})
		}
		return out, ok
	case ref.Object != nil:
		if v.Kind != codecs.Object {
			b.fail(path, "cannot deserialize the current %s into type '%s'", v.Kind, ref.Object.Name)
			return v, false
		}
		return b.object(ref.Object, v, path), true
	}
	cv, err := ScalarWith(ref, v, b.opt)
	if err != nil {
		e := Error{Path: path, Msg: err.Error()}
		if v.Kind == codecs.String || v.Kind == codecs.Number {
			e.Raw = v.Str
		}
		b.errs = append(b.errs, e)
		return v, false
	}
	return cv, true
}

func clrName(ref contract.TypeRef) string {
	if ref.Enum != nil {
		return ref.Enum.Name
	}
	return ref.Scalar.ClrName()
}

// Scalar applies Json.NET's reader coercions (ReadAsString, ReadAsInt32,
// ReadAsBoolean, ...) to a neutral scalar, converting it to ref's type.
func Scalar(ref contract.TypeRef, v codecs.Value) (codecs.Value, error) {
	return ScalarWith(ref, v, Options{})
}

// ScalarWith is Scalar under a style's options (opt.TextSpans: TimeSpans
// as ServiceStack.Text reads them).
func ScalarWith(ref contract.TypeRef, v codecs.Value, opt Options) (codecs.Value, error) {
	if ref.Scalar == codecs.BytesT {
		return convertBytes(ref, v)
	}
	if v.Kind == codecs.Object || v.Kind == codecs.Array {
		return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Scalar)
	}
	switch ref.Scalar {
	case codecs.ByteT, codecs.SByteT, codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		return convertSmallInt(ref, v)
	case codecs.TimeSpanT:
		return convertTimeSpan(ref, v, opt)
	}
	if ref.Scalar == codecs.EnumT && ref.Enum != nil {
		return convertEnum(ref, v)
	}
	switch ref.Scalar {
	case codecs.StringT, codecs.EnumT:
		switch v.Kind {
		case codecs.String:
			return v, nil
		case codecs.Number:
			return codecs.Str(numberText(v.Str)), nil
		case codecs.Bool:
			return codecs.Str(map[bool]string{true: "True", false: "False"}[v.Bool]), nil
		case codecs.Time:
			return codecs.Str(string(codecs.AppendISOTime(nil, v.Time, v.TimeK))), nil
		}
	case codecs.Int32T, codecs.Int64T:
		bits := 32
		if ref.Scalar == codecs.Int64T {
			bits = 64
		}
		switch v.Kind {
		case codecs.Number:
			if n, err := strconv.ParseInt(v.Str, 10, bits); err == nil {
				return codecs.Num(strconv.FormatInt(n, 10)), nil
			}
			if f, err := strconv.ParseFloat(v.Str, 64); err == nil && f == math.Trunc(f) && fitsInt(f, bits) {
				return codecs.Num(strconv.FormatInt(int64(f), 10)), nil
			}
			return v, fmt.Errorf("input string '%s' is not a valid integer", v.Str)
		case codecs.String:
			s := strings.TrimSpace(v.Str)
			if s == "" {
				return nullOr(ref, "could not convert string to integer: "+v.Str)
			}
			n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, bits)
			if err != nil {
				return v, fmt.Errorf("could not convert string to integer: %s", v.Str)
			}
			return codecs.Num(strconv.FormatInt(n, 10)), nil
		}
	case codecs.DecimalT, codecs.DoubleT:
		switch v.Kind {
		case codecs.Number:
			if ref.Scalar == codecs.DecimalT {
				return codecs.Num(fitDecimal(v.Str)), nil
			}
			return v, nil
		case codecs.String:
			s := strings.TrimSpace(v.Str)
			if s == "" {
				return nullOr(ref, "could not convert string to "+ref.Scalar.String()+": "+v.Str)
			}
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return v, fmt.Errorf("could not convert string to %s: %s", ref.Scalar, v.Str)
			}
			return codecs.Num(s), nil
		}
	case codecs.BoolT:
		switch v.Kind {
		case codecs.Bool:
			return v, nil
		case codecs.Number:
			f, err := strconv.ParseFloat(v.Str, 64)
			if err != nil {
				return v, fmt.Errorf("could not convert to boolean: %s", v.Str)
			}
			return codecs.BoolV(f != 0), nil
		case codecs.String:
			s := strings.TrimSpace(v.Str)
			if s == "" {
				return nullOr(ref, "could not convert string to boolean: "+v.Str)
			}
			switch strings.ToLower(s) {
			case "true":
				return codecs.BoolV(true), nil
			case "false":
				return codecs.BoolV(false), nil
			}
			return v, fmt.Errorf("could not convert string to boolean: %s", v.Str)
		}
	case codecs.GuidT:
		if v.Kind == codecs.String {
			if v.Str == "" {
				return nullOr(ref, "error converting value \"\" to type 'System.Guid'")
			}
			g, err := ParseGuid(v.Str)
			if err != nil {
				return v, fmt.Errorf("error converting value %q to type 'System.Guid'", v.Str)
			}
			return codecs.Str(g), nil
		}
	case codecs.DateTimeT, codecs.DateTimeOffsetT:
		switch v.Kind {
		case codecs.Time:
			return v, nil
		case codecs.String:
			if v.Str == "" {
				return nullOr(ref, "could not convert string to DateTime: ")
			}
			t, k, err := ParseDateTime(v.Str)
			if err != nil {
				return v, fmt.Errorf("could not convert string to DateTime: %s", v.Str)
			}
			if ref.Scalar == codecs.DateTimeOffsetT {
				k = codecs.Offset
			}
			return codecs.TimeV(t, k), nil
		}
	}
	return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Scalar)
}

// convertSmallInt is Json.NET's conversion of a JSON token to a byte,
// sbyte, short, ushort, uint or ulong (Convert.ChangeType once the reader
// has read an integer, a float, a string or a boolean; checked against
// Json.NET on Mono, see dotnet/): integers are range-checked, a float is
// rounded half to even first (1.5 reads as 2), a string is parsed as
// Byte.Parse does (white space and a sign allowed), true is 1.
func convertSmallInt(ref contract.TypeRef, v codecs.Value) (codecs.Value, error) {
	bad := func(shown string) (codecs.Value, error) {
		return v, fmt.Errorf("error converting value %s to type '%s'", shown, clrName(ref))
	}
	switch v.Kind {
	case codecs.Number:
		if lit, ok := codecs.ParseInteger(v.Str, ref.Scalar); ok {
			if ref.Scalar == codecs.UInt64T && ref.Nullable && len(lit) >= 19 {
				if _, err := strconv.ParseInt(lit, 10, 64); err != nil {
					// Json.NET reads an integer beyond long.MaxValue as
					// a BigInteger, which it converts to ulong but not to
					// ulong? (found against Json.NET 6 on Mono, dotnet/).
					return v, fmt.Errorf("error converting value %s to type 'System.Nullable`1[System.UInt64]'", v.Str)
				}
			}
			return codecs.Num(lit), nil
		}
		if strings.ContainsAny(v.Str, ".eE") {
			if f, err := strconv.ParseFloat(v.Str, 64); err == nil {
				if lit, ok := codecs.IntegerFromFloat(f, ref.Scalar); ok {
					return codecs.Num(lit), nil
				}
			}
		}
		return bad(v.Str)
	case codecs.String:
		s := strings.TrimSpace(v.Str)
		if s == "" {
			if ref.Nullable {
				return codecs.Value{}, nil
			}
			return bad(`""`)
		}
		if lit, ok := codecs.ParseInteger(s, ref.Scalar); ok {
			return codecs.Num(lit), nil
		}
		return bad(strconv.Quote(v.Str))
	case codecs.Bool:
		if v.Bool {
			return codecs.Num("1"), nil
		}
		return codecs.Num("0"), nil
	}
	return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Scalar)
}

// convertTimeSpan reads a TimeSpan from a string: TimeSpan.Parse
// (Json.NET, TimeSpanConverter in Web API's model binder), or with
// opt.TextSpans ServiceStack.Text's DateTimeSerializer.ParseTimeSpan. A
// number is an error for Json.NET ("Error converting value 5 to type
// 'System.TimeSpan'"); the value is the "c" format.
func convertTimeSpan(ref contract.TypeRef, v codecs.Value, opt Options) (codecs.Value, error) {
	bad := func(shown string) (codecs.Value, error) {
		return v, fmt.Errorf("error converting value %s to type 'System.TimeSpan'", shown)
	}
	switch v.Kind {
	case codecs.String:
		if strings.TrimSpace(v.Str) == "" {
			if ref.Nullable {
				return codecs.Value{}, nil
			}
			return bad(strconv.Quote(v.Str))
		}
		parse := codecs.ParseTimeSpan
		if opt.TextSpans {
			parse = jsvcodec.ParseTimeSpan
		}
		if t, ok := parse(v.Str); ok {
			return codecs.Str(codecs.FormatTimeSpan(t)), nil
		}
		return bad(strconv.Quote(v.Str))
	case codecs.Number:
		if opt.TextSpans {
			if t, ok := jsvcodec.ParseTimeSpan(v.Str); ok {
				return codecs.Str(codecs.FormatTimeSpan(t)), nil
			}
		}
		return bad(v.Str)
	}
	return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Scalar)
}

// convertBytes reads a byte[]: Base64 text (Convert.FromBase64String, ""
// is an empty array), or a list of byte numbers (Json.NET's ReadAsBytes
// reads a JSON array of integers; Web API's model binder binds x=1&x=2 or
// x[0]=1 into a byte[] like any array). The value is the padded Base64
// text.
func convertBytes(ref contract.TypeRef, v codecs.Value) (codecs.Value, error) {
	switch v.Kind {
	case codecs.String:
		if b, ok := codecs.ParseBase64(v.Str); ok {
			return codecs.Str(b), nil
		}
		return v, fmt.Errorf("the input %q is not a valid Base-64 string", v.Str)
	case codecs.Array:
		raw := make([]byte, 0, len(v.Items))
		for _, it := range v.Items {
			cv, err := convertSmallInt(byteRef, it)
			if err != nil || cv.Kind != codecs.Number {
				return v, fmt.Errorf("value was either too large or too small for an unsigned byte")
			}
			n, _ := strconv.Atoi(cv.Str)
			raw = append(raw, byte(n))
		}
		return codecs.Str(base64.StdEncoding.EncodeToString(raw)), nil
	}
	return v, fmt.Errorf("error reading bytes: unexpected %s", v.Kind)
}

func nullOr(ref contract.TypeRef, msg string) (codecs.Value, error) {
	if ref.Nullable {
		return codecs.Value{}, nil
	}
	return codecs.Value{}, fmt.Errorf("%s", msg)
}

func fitsInt(f float64, bits int) bool {
	if bits == 32 {
		return f >= math.MinInt32 && f <= math.MaxInt32
	}
	return f >= math.MinInt64 && f < math.MaxInt64
}

// numberText is the text .NET gives a JSON number read into a string:
// integers as written, other numbers as a double's shortest form.
func numberText(lit string) string {
	if _, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return lit
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'G', -1, 64)
}

// ParseGuid accepts .NET's Guid.Parse forms (N, D, B, P; any hex case;
// surrounding white space) and returns the lower-case D form.
func ParseGuid(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) == 38 && (s[0] == '{' && s[37] == '}' || s[0] == '(' && s[37] == ')') {
		s = s[1:37]
	}
	var hex []byte
	switch len(s) {
	case 32:
		hex = []byte(s)
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return "", fmt.Errorf("bind: bad guid %q", s)
		}
		hex = []byte(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	default:
		return "", fmt.Errorf("bind: bad guid %q", s)
	}
	for i, c := range hex {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			hex[i] = c + 'a' - 'A'
		default:
			return "", fmt.Errorf("bind: bad guid %q", s)
		}
	}
	h := string(hex)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

var dateLayouts = []struct {
	layout string
	kind   codecs.TimeKind
}{
	{"2006-01-02T15:04:05.9999999Z07:00", codecs.Local},
	{"2006-01-02T15:04:05.9999999", codecs.Unspecified},
	{"2006-01-02", codecs.Unspecified},
}

// ParseDateTime reads the ISO 8601 forms Json.NET's DateParseHandling
// recognises, plus the WCF "/Date(ms±hhmm)/" form. A "Z" suffix gives a UTC
// kind, a numeric offset a Local kind, none Unspecified.
func ParseDateTime(s string) (time.Time, codecs.TimeKind, error) {
	if strings.HasPrefix(s, "/Date(") && strings.HasSuffix(s, ")/") {
		body := s[6 : len(s)-2]
		end := strings.IndexAny(body[1:], "+-") + 1
		if end == 0 {
			end = len(body)
		}
		ms, err := strconv.ParseInt(body[:end], 10, 64)
		if err != nil {
			return time.Time{}, 0, err
		}
		return time.UnixMilli(ms).UTC(), codecs.UTC, nil
	}
	for _, l := range dateLayouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		k := l.kind
		if k == codecs.Local && strings.HasSuffix(s, "Z") {
			k = codecs.UTC
		}
		return t, k, nil
	}
	return time.Time{}, 0, fmt.Errorf("bind: bad date %q", s)
}

// convertEnum accepts an enum member's name in any case or its ordinal
// (both Json.NET's StringEnumConverter-less reading and ServiceStack's
// EnumInfo.Parse do) and yields the declared name.
func convertEnum(ref contract.TypeRef, v codecs.Value) (codecs.Value, error) {
	names := ref.Enum.Enum
	switch v.Kind {
	case codecs.String:
		s := strings.TrimSpace(v.Str)
		if s == "" {
			return nullOr(ref, "requested value '' was not found in "+ref.Enum.Name)
		}
		for _, n := range names {
			if strings.EqualFold(n, s) {
				return codecs.Str(n), nil
			}
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			if name, ok := ref.Enum.Schema().EnumName(i); ok {
				return codecs.Str(name), nil
			}
		}
		return v, fmt.Errorf("requested value '%s' was not found in %s", v.Str, ref.Enum.Name)
	case codecs.Number:
		if i, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
			if name, ok := ref.Enum.Schema().EnumName(i); ok {
				return codecs.Str(name), nil
			}
		}
		return v, fmt.Errorf("value %s is not defined in %s", v.Str, ref.Enum.Name)
	}
	return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Enum.Name)
}

// maxDecimal is decimal.MaxValue's coefficient (96 bits).
const maxDecimal = "79228162514264337593543950335"

// fitDecimal drops trailing fraction zeros that a .NET decimal has no room
// for: its coefficient is at most 79228162514264337593543950335, so Json.NET
// reads "79228162514264337593543950335.0" with scale 0 (found against
// Json.NET 6, see dotnet/). Other literals are kept as they are (the scale
// is part of a decimal's value: "1.10" stays "1.10").
func fitDecimal(lit string) string {
	for strings.HasSuffix(lit, "0") && strings.Contains(lit, ".") && !strings.ContainsAny(lit, "eE") && !fitsDecimal(lit) {
		lit = strings.TrimSuffix(lit, "0")
		lit = strings.TrimSuffix(lit, ".")
	}
	return lit
}

func fitsDecimal(lit string) bool {
	digits := strings.TrimLeft(strings.Replace(strings.TrimLeft(lit, "+-"), ".", "", 1), "0")
	return len(digits) < len(maxDecimal) || len(digits) == len(maxDecimal) && digits <= maxDecimal
}

// byteRef is one byte of a byte[] given as a list of numbers.
var byteRef = contract.TypeRef{Type: &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.ByteT}}
