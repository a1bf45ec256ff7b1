package servicestack

import (
	"legacygate/codecs"
	"legacygate/routes/contract"
)

// DotNetName is a member type as ServiceStack's metadata pages print it
// (the C# spelling: string, int, bool?, DateTime, List<string>,
// Dictionary<string, string>). A member's clr_type, when the contract
// gives one, wins: it says what the spec cannot ("string[]" rather than
// List<string>, "HashSet<String>").
func DotNetName(m *contract.Member) string {
	if m.CLRType != "" {
		return m.CLRType
	}
	return DotNetRef(m.Type)
}

// DotNetRef is the C# spelling of a contract type reference.
func DotNetRef(ref contract.TypeRef) string {
	switch {
	case ref.Map():
		return "Dictionary<string, " + DotNetRef(*ref.Elem) + ">"
	case ref.Set:
		return "HashSet<" + DotNetRef(*ref.Elem) + ">"
	case ref.List():
		return "List<" + DotNetRef(*ref.Elem) + ">"
	case ref.Object != nil:
		return ref.Object.Name
	}
	name := ""
	switch ref.Scalar {
	case codecs.StringT:
		return "string"
	case codecs.EnumT:
		if ref.Enum != nil {
			name = ref.Enum.Name
		}
	case codecs.BoolT:
		name = "bool"
	case codecs.Int32T:
		name = "int"
	case codecs.Int64T:
		name = "long"
	case codecs.DecimalT:
		name = "decimal"
	case codecs.DoubleT:
		name = "double"
	case codecs.GuidT:
		name = "Guid"
	case codecs.DateTimeT:
		name = "DateTime"
	case codecs.DateTimeOffsetT:
		name = "DateTimeOffset"
	case codecs.BytesT:
		return "byte[]"
	default:
		name = ref.Scalar.CSharpName() // byte, ushort, TimeSpan, ...
	}
	if ref.Nullable {
		name += "?"
	}
	return name
}

// withheld are members of ServiceStack's own types that the gateway never
// sends although the legacy hosts did (password material), with the
// member they followed in ServiceStack's declaration. The metadata pages
// list them with a note instead of dropping them silently.
var withheld = map[string][]struct{ Name, Type, After string }{
	"UserAuth": {
		{"Salt", "string", "TimeZone"},
		{"PasswordHash", "string", "Salt"},
		{"DigestHa1Hash", "string", "PasswordHash"},
	},
}

// WithheldNote is the description of a member the gateway never sends.
const WithheldNote = "Never sent by this gateway: password material stays in the user store."

// ownTypes are ServiceStack's own error DTOs, which the metadata pages do
// not describe in their own tables.
var ownTypes = map[string]bool{"ResponseStatus": true, "ResponseError": true}

const ssNamespace = "http://schemas.servicestack.net/types"

func isOwnType(t *contract.Type) bool {
	return ownTypes[t.Name] && t.Namespace == ssNamespace
}
