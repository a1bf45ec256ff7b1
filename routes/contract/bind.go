package contract

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"legacygate/codecs"
)

// BindOptions are a host style's rules for turning a decoded value into the
// request type.
type BindOptions struct {
	// FoldOnly matches member names case-insensitively only (ServiceStack).
	// When false, an exact match is tried first and then a case-insensitive
	// one (Json.NET's GetClosestMatchProperty).
	FoldOnly bool
}

// BindError is one member that could not be converted. Path is Json.NET
// style (Member, List[0], Outer.Inner); Msg is the detailed reason, which a
// host shows only when it shows error detail.
type BindError struct {
	Path string
	Msg  string
	// Raw is the text of a scalar that could not be converted, and Display
	// the display name of the member it was meant for: model binders (form
	// posts) quote both in their message.
	Raw     string
	Display string
}

func (e BindError) Error() string { return "contract: " + e.Path + ": " + e.Msg }

// Bind converts v (an Object from a decoder, or Null for an empty body) to
// an Object holding exactly the members of t that v carried, in t's member
// order, each converted to its declared type. Unknown members are ignored; a
// member that cannot be converted is left out and reported, and binding goes
// on (Json.NET's handled-error behaviour under Web API).
func Bind(t *Type, v codecs.Value, opt BindOptions) (codecs.Value, []BindError) {
	b := binder{opt: opt}
	out := b.object(t, v, "")
	return out, b.errs
}

type binder struct {
	opt  BindOptions
	errs []BindError
}

func (b *binder) fail(path, format string, args ...any) {
	b.errs = append(b.errs, BindError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (b *binder) object(t *Type, v codecs.Value, path string) codecs.Value {
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

func (b *binder) match(members []*Member, name string) int {
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

func (b *binder) convert(ref TypeRef, v codecs.Value, path string) (codecs.Value, bool) {
	if v.Kind == codecs.Null {
		if !ref.Nullable {
			b.fail(path, "error converting value {null} to type '%s'", clrName(ref))
			return v, false
		}
		return v, true
	}
	switch {
	case ref.List:
		if v.Kind != codecs.Array {
			b.fail(path, "cannot deserialize the current %s into a collection; a JSON array is required", v.Kind)
			return v, false
		}
		items := make([]codecs.Value, 0, len(v.Items))
		ok := true
		for i, it := range v.Items {
			cv, good := b.convert(*ref.Elem, it, fmt.Sprintf("%s[%d]", path, i))
			ok = ok && good
			items = append(items, cv)
		}
		return codecs.Value{Kind: codecs.Array, Items: items}, ok
	case ref.Map:
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
	cv, err := convertScalar(ref, v)
	if err != nil {
		e := BindError{Path: path, Msg: err.Error()}
		if v.Kind == codecs.String || v.Kind == codecs.Number {
			e.Raw = v.Str
		}
		b.errs = append(b.errs, e)
		return v, false
	}
	return cv, true
}

var clrNames = map[codecs.Scalar]string{codecs.BoolT: "System.Boolean", codecs.Int32T: "System.Int32", codecs.Int64T: "System.Int64",
	codecs.DecimalT: "System.Decimal", codecs.DoubleT: "System.Double", codecs.GuidT: "System.Guid",
	codecs.DateTimeT: "System.DateTime", codecs.DateTimeOffsetT: "System.DateTimeOffset", codecs.StringT: "System.String"}

func clrName(ref TypeRef) string { return clrNames[ref.Scalar] }

// convertScalar applies Json.NET's reader coercions (ReadAsString,
// ReadAsInt32, ReadAsBoolean, ...) to a neutral scalar.
func convertScalar(ref TypeRef, v codecs.Value) (codecs.Value, error) {
	if v.Kind == codecs.Object || v.Kind == codecs.Array {
		return v, fmt.Errorf("unexpected %s when reading %s", v.Kind, ref.Scalar)
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

func nullOr(ref TypeRef, msg string) (codecs.Value, error) {
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
			return "", fmt.Errorf("contract: bad guid %q", s)
		}
		hex = []byte(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	default:
		return "", fmt.Errorf("contract: bad guid %q", s)
	}
	for i, c := range hex {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			hex[i] = c + 'a' - 'A'
		default:
			return "", fmt.Errorf("contract: bad guid %q", s)
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
	return time.Time{}, 0, fmt.Errorf("contract: bad date %q", s)
}

// convertEnum accepts an enum member's name in any case or its ordinal
// (both Json.NET's StringEnumConverter-less reading and ServiceStack's
// EnumInfo.Parse do) and yields the declared name.
func convertEnum(ref TypeRef, v codecs.Value) (codecs.Value, error) {
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
			if name, ok := ref.Enum.Schema.EnumName(i); ok {
				return codecs.Str(name), nil
			}
		}
		return v, fmt.Errorf("requested value '%s' was not found in %s", v.Str, ref.Enum.Name)
	case codecs.Number:
		if i, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
			if name, ok := ref.Enum.Schema.EnumName(i); ok {
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
