package xmlcodec

import (
	"sort"
	"strings"
	"sync"

	"legacygate/codecs"
)

// Well-known namespaces.
const (
	xsiNS           = "http://www.w3.org/2001/XMLSchema-instance"
	xsdNS           = "http://www.w3.org/2001/XMLSchema"
	xmlNS           = "http://www.w3.org/XML/1998/namespace"
	serializationNS = "http://schemas.microsoft.com/2003/10/Serialization/"
	arraysNS        = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
	contractBaseNS  = "http://schemas.datacontract.org/2004/07/"
	systemNS        = contractBaseNS + "System"
)

// dcsName is DataContractSerializer's primitive contract name of a scalar
// family (used when a hand-built Type leaves Name empty).
func dcsName(s codecs.Scalar) string {
	switch s {
	case codecs.StringT, codecs.EnumT:
		return "string"
	case codecs.BoolT:
		return "boolean"
	case codecs.Int32T:
		return "int"
	case codecs.Int64T:
		return "long"
	case codecs.DecimalT:
		return "decimal"
	case codecs.DoubleT:
		return "double"
	case codecs.GuidT:
		return "guid"
	case codecs.DateTimeT:
		return "dateTime"
	case codecs.DateTimeOffsetT:
		return "DateTimeOffset"
	case codecs.ByteT:
		return "unsignedByte"
	case codecs.SByteT:
		return "byte"
	case codecs.Int16T:
		return "short"
	case codecs.UInt16T:
		return "unsignedShort"
	case codecs.UInt32T:
		return "unsignedInt"
	case codecs.UInt64T:
		return "unsignedLong"
	case codecs.TimeSpanT:
		return "duration"
	case codecs.BytesT:
		return "base64Binary"
	}
	return "anyType"
}

// clrName is the CLR type name .NET messages use for a scalar family
// ("ValueType 'System.Int32' cannot be null.").
func clrName(t *codecs.Type) string {
	switch t.Scalar {
	case codecs.StringT:
		return "System.String"
	case codecs.BoolT:
		return "System.Boolean"
	case codecs.Int32T:
		return "System.Int32"
	case codecs.Int64T:
		return "System.Int64"
	case codecs.DecimalT:
		return "System.Decimal"
	case codecs.DoubleT:
		return "System.Double"
	case codecs.GuidT:
		return "System.Guid"
	case codecs.DateTimeT:
		return "System.DateTime"
	case codecs.DateTimeOffsetT:
		return "System.DateTimeOffset"
	}
	if n := t.Scalar.ClrName(); n != "" && t.Shape == codecs.ScalarShape {
		return n
	}
	return clrTypeName(t)
}

// convName is the type name XmlConverter puts in "cannot be parsed as the
// type 'X'".
func convName(s codecs.Scalar) string {
	switch s {
	case codecs.BoolT:
		return "Boolean"
	case codecs.Int32T:
		return "Int32"
	case codecs.Int64T:
		return "Int64"
	case codecs.DecimalT:
		return "Decimal"
	case codecs.DoubleT:
		return "Double"
	case codecs.GuidT:
		return "Guid"
	case codecs.DateTimeT, codecs.DateTimeOffsetT:
		return "DateTime"
	case codecs.ByteT:
		return "Byte"
	case codecs.SByteT:
		return "SByte"
	case codecs.Int16T:
		return "Int16"
	case codecs.UInt16T:
		return "UInt16"
	case codecs.UInt32T:
		return "UInt32"
	case codecs.UInt64T:
		return "UInt64"
	case codecs.TimeSpanT:
		return "TimeSpan"
	case codecs.BytesT:
		return "byte[]"
	}
	return "String"
}

// clrTypeName derives the CLR full name of a contract from its default
// namespace ("http://schemas.datacontract.org/2004/07/Company.Models" +
// "UserDetail" -> "Company.Models.UserDetail").
func clrTypeName(t *codecs.Type) string {
	if t == nil {
		return ""
	}
	if ns, ok := strings.CutPrefix(t.Namespace, contractBaseNS); ok && ns != "" {
		return ns + "." + t.Name
	}
	return t.Name
}

// isValueType reports whether null is impossible for t (a non-nullable
// .NET value type).
func isValueType(t *codecs.Type) bool {
	return t.Shape == codecs.ScalarShape && !t.Nullable && t.Scalar != codecs.StringT && t.Scalar != codecs.BytesT
}

// listNS is the namespace of a list contract and of its items.
func listNS(t *codecs.Type) string {
	if t.Namespace != "" {
		return t.Namespace
	}
	if t.Elem != nil && t.Elem.Shape == codecs.ScalarShape {
		return arraysNS
	}
	if t.Elem != nil && t.Elem.Shape == codecs.MapShape {
		return dictFor(t.Elem).ns
	}
	if t.Elem != nil {
		return t.Elem.Namespace
	}
	return arraysNS
}

// itemName is the element name of a list item.
func itemName(t *codecs.Type) string {
	e := t.Elem
	if e == nil {
		return "anyType"
	}
	if e.Shape == codecs.MapShape {
		return dictFor(e).name
	}
	if e.Name != "" {
		return e.Name
	}
	if e.Shape == codecs.ScalarShape {
		return dcsName(e.Scalar)
	}
	return "anyType"
}

// contractNS is the namespace a member of type t makes DCS declare on the
// member element (ClassDataContract.GetChildNamespaceToDeclare): that of
// collections, classes and DateTimeOffset; never of primitives or enums.
func contractNS(t *codecs.Type) string {
	switch t.Shape {
	case codecs.ListShape:
		return listNS(t)
	case codecs.MapShape:
		return dictFor(t).ns
	case codecs.ObjectShape:
		return t.Namespace
	case codecs.ScalarShape:
		if t.Scalar == codecs.DateTimeOffsetT {
			return systemNS
		}
	}
	return ""
}

// member is one data member in DCS order.
type member struct {
	name string
	ns   string // the declaring class's namespace
	t    *codecs.Type
	// declNS is the namespace DCS declares (xmlns:dNpM) on the member
	// element, or "".
	declNS string
}

// plan is an object contract flattened into DCS member order.
type plan struct {
	members []member
	clr     string
}

var plans sync.Map // *codecs.Type -> *plan

// planFor returns the (cached) member plan of object type t. Types are
// treated as immutable once they reach the codec.
func planFor(t *codecs.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{clr: clrTypeName(t)}
	var chain []*codecs.Type
	seen := map[*codecs.Type]bool{}
	for c := t; c != nil && !seen[c]; c = c.Base {
		seen[c] = true
		chain = append(chain, c)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		fs := append([]codecs.Field(nil), c.Fields...)
		sort.SliceStable(fs, func(a, b int) bool {
			if fs[a].Order != fs[b].Order {
				return fs[a].Order < fs[b].Order
			}
			return fs[a].Name < fs[b].Name
		})
		for _, f := range fs {
			if f.Type == nil {
				continue
			}
			m := member{name: f.Name, ns: c.Namespace, t: f.Type}
			if cns := contractNS(f.Type); cns != "" && cns != c.Namespace {
				m.declNS = cns
			}
			p.members = append(p.members, m)
		}
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}
