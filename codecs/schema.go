package codecs

// Scalar is the .NET type family of a scalar schema node. It decides how a
// value is parsed from and written to each dialect.
type Scalar uint8

// Scalar families. The names follow the CLR types the legacy hosts used.
const (
	NotScalar Scalar = iota
	StringT
	BoolT
	Int32T
	Int64T
	DecimalT
	DoubleT
	GuidT
	DateTimeT
	DateTimeOffsetT
	EnumT
	// The small and unsigned integers: System.Byte, SByte, Int16, UInt16,
	// UInt32 and UInt64. Their values are Kind Number, range-checked by
	// every reader (see IntRange).
	ByteT
	SByteT
	Int16T
	UInt16T
	UInt32T
	UInt64T
	// TimeSpanT is System.TimeSpan; its value is a String in the "c"
	// format ("[-][d.]hh:mm:ss[.fffffff]", TimeSpan.ToString()), see
	// FormatTimeSpan.
	TimeSpanT
	// BytesT is byte[]; its value is a String holding standard padded
	// Base64 (what Json.NET and DataContractSerializer write).
	BytesT
)

var scalarNames = [...]string{"", "string", "bool", "int", "long", "decimal", "double", "guid", "datetime", "datetimeoffset", "enum",
	"byte", "sbyte", "short", "ushort", "uint", "ulong", "timespan", "[]byte"}

func (s Scalar) String() string {
	if int(s) < len(scalarNames) {
		return scalarNames[s]
	}
	return "scalar(?)"
}

// ScalarByName maps a schema type name to its scalar family.
func ScalarByName(name string) (Scalar, bool) {
	for i, n := range scalarNames {
		if i > 0 && n == name {
			return Scalar(i), true
		}
	}
	return NotScalar, false
}

// IsInteger reports whether s is one of the integer families.
func (s Scalar) IsInteger() bool {
	switch s {
	case Int32T, Int64T, ByteT, SByteT, Int16T, UInt16T, UInt32T, UInt64T:
		return true
	}
	return false
}

// IsNumber reports whether s is written as a JSON number.
func (s Scalar) IsNumber() bool { return s.IsInteger() || s == DecimalT || s == DoubleT }

// Shape is the structural shape of a schema node.
type Shape uint8

// Shapes.
const (
	ScalarShape Shape = iota
	ObjectShape
	ListShape
	MapShape
)

// Type is a schema node: what a codec needs to know to read or write a value
// faithfully (names, .NET type family, nullability, XML namespaces, member
// order). Host contracts compile into Types; codecs never see contracts.
type Type struct {
	// Name is the data-contract name: the CLR type name of an object, or the
	// primitive name ("string", "int", "guid", ...) of a scalar.
	Name string
	// Namespace is the full XML namespace URI of the contract.
	Namespace string
	Shape     Shape
	Scalar    Scalar
	// Nullable marks reference types and Nullable<T>; a non-nullable value
	// type (int, bool, Guid, DateTime) cannot hold null.
	Nullable bool
	// Elem is the item type of a list or the value type of a map.
	Elem *Type
	// Set marks a list that is a HashSet<T>: readers keep the first of
	// equal items (HashSet.Add ignores a duplicate), in the order of
	// first occurrence.
	Set bool
	// Fields are an object's own members in declaration order (the order
	// Json.NET writes them); Base holds the inherited ones.
	Fields []Field
	Base   *Type
	// Enum lists an enum's member names in declaration order.
	Enum []string
	// EnumValues are the members' numbers, parallel to Enum; nil means
	// 0, 1, 2… (no explicit values).
	EnumValues []int64
}

// EnumNumber returns the number of enum member name (exact).
func (t *Type) EnumNumber(name string) (int64, bool) {
	for i, n := range t.Enum {
		if n == name {
			if t.EnumValues != nil {
				return t.EnumValues[i], true
			}
			return int64(i), true
		}
	}
	return 0, false
}

// EnumName returns the member whose number is n (the first one, as .NET's
// Enum.ToString does for duplicates).
func (t *Type) EnumName(n int64) (string, bool) {
	if t.EnumValues == nil {
		if n >= 0 && n < int64(len(t.Enum)) {
			return t.Enum[n], true
		}
		return "", false
	}
	for i, v := range t.EnumValues {
		if v == n {
			return t.Enum[i], true
		}
	}
	return "", false
}

// Field is one member of an object type.
type Field struct {
	Name string
	Type *Type
	// Order is the DataMember Order; -1 when not set.
	Order int
}

// AllFields returns the members in JSON (reflection) order: own members
// first, then the base chain's.
func (t *Type) AllFields() []Field {
	if t == nil {
		return nil
	}
	if t.Base == nil {
		return t.Fields
	}
	out := make([]Field, 0, len(t.Fields)+8)
	out = append(out, t.Fields...)
	return append(out, t.Base.AllFields()...)
}

// Field returns the member named name (exact match), searching the base chain.
func (t *Type) Field(name string) (Field, bool) {
	for c := t; c != nil; c = c.Base {
		for _, f := range c.Fields {
			if f.Name == name {
				return f, true
			}
		}
	}
	return Field{}, false
}
