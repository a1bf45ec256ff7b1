package codecs

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Kind is the shape of a [Value].
type Kind uint8

// The kinds of a neutral value. Numbers keep their literal text so that no
// precision is lost between a decoder and a typed binder; times and GUIDs are
// kinds of their own because every dialect writes them differently.
const (
	Null Kind = iota
	Bool
	Number
	String
	Time
	Object
	Array
)

var kindNames = [...]string{"null", "bool", "number", "string", "time", "object", "array"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(?)"
}

// TimeKind mirrors .NET's DateTimeKind, which decides how a DateTime is
// written (Z, a numeric offset, or nothing).
type TimeKind uint8

const (
	// Unspecified writes no zone designator.
	Unspecified TimeKind = iota
	// UTC writes "Z".
	UTC
	// Local writes the server's numeric offset ("+00:00" on a UTC server).
	Local
	// Offset is a DateTimeOffset: always a numeric offset.
	Offset
)

// Value is the neutral, ordered value tree. Decoders produce it, binders
// normalise it against a [Type], encoders write it. The zero Value is null.
//
// Object members keep their wire order (XML DataContract binding depends on
// it); duplicate names are kept as they came so that binders can apply their
// host's rule (Json.NET: last wins).
type Value struct {
	Kind    Kind
	Bool    bool
	Str     string // String text, or Number literal
	Time    time.Time
	TimeK   TimeKind
	Members []Member // Object
	Items   []Value  // Array
}

// Member is one name/value pair of an object value.
type Member struct {
	Name  string
	Value Value
}

// Constructors keep call sites short and intent obvious.

// Str returns a string value.
func Str(s string) Value { return Value{Kind: String, Str: s} }

// Num returns a number value from its literal text.
func Num(lit string) Value { return Value{Kind: Number, Str: lit} }

// BoolV returns a boolean value.
func BoolV(b bool) Value { return Value{Kind: Bool, Bool: b} }

// TimeV returns a time value of the given kind.
func TimeV(t time.Time, k TimeKind) Value { return Value{Kind: Time, Time: t, TimeK: k} }

// Obj returns an object value with the given members.
func Obj(m ...Member) Value {
	if m == nil {
		m = []Member{}
	}
	return Value{Kind: Object, Members: m}
}

// Arr returns an array value with the given items.
func Arr(items ...Value) Value {
	if items == nil {
		items = []Value{}
	}
	return Value{Kind: Array, Items: items}
}

// M is shorthand for a Member.
func M(name string, v Value) Member { return Member{Name: name, Value: v} }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.Kind == Null }

// Get returns the last member named exactly name, as Json.NET and ServiceStack
// both let a later duplicate win.
func (v Value) Get(name string) (Value, bool) {
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Name == name {
			countScan(len(v.Members) - i)
			return v.Members[i].Value, true
		}
	}
	countScan(len(v.Members))
	return Value{}, false
}

// GetFold is Get with a case-insensitive (Unicode simple folding) match.
func (v Value) GetFold(name string) (Value, bool) {
	for i := len(v.Members) - 1; i >= 0; i-- {
		if strings.EqualFold(v.Members[i].Name, name) {
			countScan(len(v.Members) - i)
			return v.Members[i].Value, true
		}
	}
	countScan(len(v.Members))
	return Value{}, false
}

// Set replaces the value of the member named name, or appends it.
func (v *Value) Set(name string, val Value) {
	for i := range v.Members {
		if v.Members[i].Name == name {
			countScan(i + 1)
			v.Members[i].Value = val
			return
		}
	}
	countScan(len(v.Members))
	v.Members = append(v.Members, Member{Name: name, Value: val})
}

// Get, GetFold and Set scan members one by one: called once per input
// member, they make a decoder or binder quadratic in its input (a 40,000-key
// dictionary once took seconds). CountScans measures that work without a
// clock, so tests can pin linearity.
var (
	counting atomic.Bool
	scanned  atomic.Int64
)

func countScan(n int) {
	if counting.Load() {
		scanned.Add(int64(n))
	}
}

// CountScans runs f and returns how many members Get, GetFold and Set
// compared meanwhile (in every goroutine). For tests; not for concurrent
// use with itself.
func CountScans(f func()) int64 {
	scanned.Store(0)
	counting.Store(true)
	defer counting.Store(false)
	f()
	return scanned.Load()
}

// Equal reports deep equality, member order included.
func (v Value) Equal(o Value) bool {
	if v.Kind != o.Kind {
		return false
	}
	switch v.Kind {
	case Null:
		return true
	case Bool:
		return v.Bool == o.Bool
	case Number, String:
		return v.Str == o.Str
	case Time:
		return v.Time.Equal(o.Time) && v.TimeK == o.TimeK
	case Object:
		if len(v.Members) != len(o.Members) {
			return false
		}
		for i := range v.Members {
			if v.Members[i].Name != o.Members[i].Name || !v.Members[i].Value.Equal(o.Members[i].Value) {
				return false
			}
		}
		return true
	case Array:
		if len(v.Items) != len(o.Items) {
			return false
		}
		for i := range v.Items {
			if !v.Items[i].Equal(o.Items[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// String renders v with its kinds ("num(1)", "time(…,kind)", quoted
// strings), for failure messages and debugging; it is not a wire format.
func (v Value) String() string {
	var b strings.Builder
	v.writeTo(&b)
	return b.String()
}

func (v Value) writeTo(b *strings.Builder) {
	switch v.Kind {
	case Null:
		b.WriteString("null")
	case Bool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case Number:
		b.WriteString("num(" + v.Str + ")")
	case String:
		b.WriteString(strconv.QuoteToASCII(v.Str))
	case Time:
		b.WriteString("time(" + v.Time.Format(time.RFC3339Nano) + "," + strconv.Itoa(int(v.TimeK)) + ")")
	case Object:
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.QuoteToASCII(m.Name) + ":")
			m.Value.writeTo(b)
		}
		b.WriteByte('}')
	case Array:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			it.writeTo(b)
		}
		b.WriteByte(']')
	default:
		b.WriteString("kind(" + strconv.Itoa(int(v.Kind)) + ")")
	}
}

// MinTime is .NET's DateTime.MinValue (0001-01-01T00:00:00).
var MinTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// Default is the CLR default of a scalar value type, what a member holds
// when nothing set it: false, 0, Guid.Empty, DateTime.MinValue
// (Unspecified), DateTimeOffset.MinValue, an enum's member 0. It is
// null for nullable, reference, list, map and object types.
func Default(t *Type) Value {
	if t == nil || t.Nullable || t.Shape != ScalarShape {
		return Value{}
	}
	switch t.Scalar {
	case BoolT:
		return BoolV(false)
	case Int32T, Int64T, DecimalT, DoubleT, ByteT, SByteT, Int16T, UInt16T, UInt32T, UInt64T:
		return Num("0")
	case TimeSpanT:
		return Str("00:00:00")
	case GuidT:
		return Str("00000000-0000-0000-0000-000000000000")
	case DateTimeT:
		return TimeV(MinTime, Unspecified)
	case DateTimeOffsetT:
		return TimeV(MinTime, Offset)
	case EnumT: // default(T) is 0: the member numbered 0, else the number
		if name, ok := t.EnumName(0); ok {
			return Str(name)
		}
		return Num("0")
	}
	return Value{}
}
