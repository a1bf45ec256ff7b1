package formcodec

import (
	"errors"
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

// Shorthands for building schemas and expected trees.
var (
	str  = codecs.Str
	obj  = codecs.Obj
	arr  = codecs.Arr
	mem  = codecs.M
	null = codecs.Value{}
)

func scalarT(s codecs.Scalar) *codecs.Type {
	return &codecs.Type{Name: s.String(), Scalar: s, Nullable: s == codecs.StringT}
}

func listT(elem *codecs.Type) *codecs.Type {
	return &codecs.Type{Name: "List", Shape: codecs.ListShape, Elem: elem, Nullable: true}
}

func objT(name string, base *codecs.Type, fields ...codecs.Field) *codecs.Type {
	return &codecs.Type{Name: name, Shape: codecs.ObjectShape, Nullable: true, Fields: fields, Base: base}
}

func fieldT(name string, t *codecs.Type) codecs.Field {
	return codecs.Field{Name: name, Type: t, Order: -1}
}

var (
	stringT  = scalarT(codecs.StringT)
	intT     = scalarT(codecs.Int32T)
	boolT    = scalarT(codecs.BoolT)
	guidT    = scalarT(codecs.GuidT)
	addressT = objT("Address", nil, fieldT("City", stringT), fieldT("Zip", intT))
	entityT  = objT("Entity", nil, fieldT("Id", guidT))
	// registerT is a Web API binding model with every shape §5 covers.
	registerT = objT("Register", entityT,
		fieldT("Email", stringT),
		fieldT("Password", stringT),
		fieldT("Age", intT),
		fieldT("IsActive", boolT),
		fieldT("Address", addressT),
		fieldT("UserRoleIds", listT(intT)),
		fieldT("Tags", listT(stringT)),
		fieldT("Addresses", listT(addressT)),
		fieldT("Matrix", listT(listT(intT))),
		fieldT("Meta", &codecs.Type{Name: "Dictionary", Shape: codecs.MapShape, Elem: stringT, Nullable: true}),
	)
)

// show renders a value with its kinds, for failure messages.
func show(v codecs.Value) string { return v.String() }

func decodeString(t *testing.T, body string, schema *codecs.Type) (codecs.Value, error) {
	t.Helper()
	pairs, err := Parse(body, 1000)
	if err != nil {
		t.Fatalf("Parse(%q): %v", body, err)
	}
	return DecodeWebAPI(pairs, schema)
}

// TestDecodeWebAPI has one group of rows per rule of docs/legacy/aspnet-webapi.md
// §5 ("Form posts into complex
// types"); the rule is the first part of each row's name.
func TestDecodeWebAPI(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		schema *codecs.Type
		want   codecs.Value
	}{
		// Keys are bare property names, matched case-insensitively.
		{"bare names/register body", "Email=a%40b.c&Password=P%40ss+word1", registerT,
			obj(mem("Email", str("a@b.c")), mem("Password", str("P@ss word1")))},
		{"bare names/members in schema order", "Password=p&Email=e", registerT,
			obj(mem("Email", str("e")), mem("Password", str("p")))},
		{"bare names/case-insensitive", "eMAIL=e&PASSWORD=p&isactive=true", registerT,
			obj(mem("Email", str("e")), mem("Password", str("p")), mem("IsActive", str("true")))},
		{"bare names/non-ASCII case folding", "ÉCOLE=x", objT("T", nil, fieldT("école", stringT)),
			obj(mem("école", str("x")))},
		{"bare names/Kelvin sign is not k", "\u212Aey=x", objT("T", nil, fieldT("key", stringT)), obj()},
		{"bare names/base-class members last", "Id=1&Email=e", registerT,
			obj(mem("Email", str("e")), mem("Id", str("1")))},
		{"bare names/model prefix is not stripped", "model.Email=e", registerT, obj()},
		{"bare names/unknown keys ignored", "Nope=1&Email=e", registerT, obj(mem("Email", str("e")))},
		{"bare names/absent members absent", "Age=5", registerT, obj(mem("Age", str("5")))},
		{"bare names/no pairs is null", "", registerT, null},
		{"bare names/only unknown keys is an empty object", "x=1", registerT, obj()},
		{"bare names/an empty pair is still a pair", "&", registerT, obj()},

		// Key normalisation: a[] → a; a[b] → a.b; a[0] kept.
		{"normalisation/a[] is a", "Tags[]=x&Tags[]=y", registerT, obj(mem("Tags", arr(str("x"), str("y"))))},
		{"normalisation/a[b] is a.b", "Address[City]=Paris&Address[Zip]=75001", registerT,
			obj(mem("Address", obj(mem("City", str("Paris")), mem("Zip", str("75001")))))},
		{"normalisation/a[0] kept", "Tags[0]=x&Tags[1]=y", registerT, obj(mem("Tags", arr(str("x"), str("y"))))},
		{"normalisation/jQuery nested list", "Addresses[0][City]=A&Addresses[1][City]=B", registerT,
			obj(mem("Addresses", arr(obj(mem("City", str("A"))), obj(mem("City", str("B"))))))},
		{"normalisation/index starting with a digit kept whole", "Tags[0x]=a&Tags[0]=b", registerT,
			obj(mem("Tags", arr(str("b"))))},
		{"normalisation/Unicode digit is an index", "Tags[٠]=a&Tags.index=٠", registerT,
			obj(mem("Tags", arr(str("a"))))},
		{"normalisation/[] alone is the empty key", "[]=x", stringT, str("x")},

		// Nested objects: Address.City or Address[City].
		{"nested/dotted", "Address.City=Paris", registerT, obj(mem("Address", obj(mem("City", str("Paris")))))},
		{"nested/mixed case", "address.CITY=Paris", registerT, obj(mem("Address", obj(mem("City", str("Paris")))))},
		{"nested/plain key creates an empty object", "Address=x", registerT, obj(mem("Address", obj()))},
		{"nested/other prefix does not match", "AddressX.City=Paris", registerT, obj()},

		// Collections: plain repeated key, else [0],[1]… to the first gap, or .index.
		{"collections/plain repeated key", "UserRoleIds=1&UserRoleIds=2&UserRoleIds=1", registerT,
			obj(mem("UserRoleIds", arr(str("1"), str("2"), str("1"))))},
		{"collections/plain key single value", "UserRoleIds=1", registerT, obj(mem("UserRoleIds", arr(str("1"))))},
		{"collections/plain key comma text is one item", "Tags=a,b", registerT, obj(mem("Tags", arr(str("a,b"))))},
		{"collections/plain key wins over indexed", "Tags[0]=x&Tags=y", registerT, obj(mem("Tags", arr(str("y"))))},
		{"collections/plain key blank item is null", "Tags=a&Tags=&Tags=+", registerT, obj(mem("Tags", arr(str("a"), null, null)))},
		{"collections/indexed", "UserRoleIds[0]=1&UserRoleIds[1]=2", registerT, obj(mem("UserRoleIds", arr(str("1"), str("2"))))},
		{"collections/indexed any order", "Tags[1]=b&Tags[0]=a", registerT, obj(mem("Tags", arr(str("a"), str("b"))))},
		{"collections/indexed stops at the first gap", "Tags[0]=a&Tags[1]=b&Tags[3]=d", registerT, obj(mem("Tags", arr(str("a"), str("b"))))},
		{"collections/no index 0 is an empty list", "Tags[1]=b", registerT, obj(mem("Tags", arr()))},
		{"collections/indexed blank item is null", "Tags[0]=&Tags[1]=b", registerT, obj(mem("Tags", arr(null, str("b"))))},
		{"collections/indexed repeated key takes the first", "Tags[0]=a&Tags[0]=b", registerT, obj(mem("Tags", arr(str("a"))))},
		{"collections/indexed objects", "Addresses[0].City=A&Addresses[0].Zip=1&Addresses[1].City=B", registerT,
			obj(mem("Addresses", arr(obj(mem("City", str("A")), mem("Zip", str("1"))), obj(mem("City", str("B"))))))},
		{"collections/indexed object with no known member still counts", "Addresses[0].X=1&Addresses[1].City=B", registerT,
			obj(mem("Addresses", arr(obj(), obj(mem("City", str("B"))))))},
		{"collections/.index names the items", "Tags.index=10&Tags.index=5&Tags[5]=A&Tags[10]=B", registerT,
			obj(mem("Tags", arr(str("B"), str("A"))))},
		{"collections/.index missing item is null", "Tags.index=7&Tags.index=8&Tags[8]=Y", registerT,
			obj(mem("Tags", arr(null, str("Y"))))},
		{"collections/.index objects", "Addresses.index=9k&Addresses[9k].City=K", registerT,
			obj(mem("Addresses", arr(obj(mem("City", str("K"))))))},
		{"collections/.index names are folded", "Addresses.index=9k&Addresses[9K].City=K", registerT,
			obj(mem("Addresses", arr(obj(mem("City", str("K"))))))},
		{"collections/.index non-digit names are normalised away", "Tags.index=a&Tags[a]=A", registerT,
			obj(mem("Tags", arr(null)))},
		{"collections/.index wins over zero-based", "Tags.index=1&Tags[0]=a&Tags[1]=b", registerT,
			obj(mem("Tags", arr(str("b"))))},
		{"collections/plain key of objects binds each from the dotted keys", "Addresses=x&Addresses=y&Addresses.City=C", registerT,
			obj(mem("Addresses", arr(obj(mem("City", str("C"))), obj(mem("City", str("C"))))))},
		{"collections/list of lists plain", "Matrix=1&Matrix=2", registerT, obj(mem("Matrix", arr(arr(str("1")), arr(str("2")))))},
		{"collections/list of lists indexed", "Matrix[0][0]=1&Matrix[0][1]=2&Matrix[1][0]=3", registerT,
			obj(mem("Matrix", arr(arr(str("1"), str("2")), arr(str("3")))))},
		{"collections/top-level list", "[0]=a&[1]=b", listT(stringT), arr(str("a"), str("b"))},
		{"collections/top-level list plain", "=a&=b", listT(stringT), arr(str("a"), str("b"))},
		{"collections/map entries", "Meta[0].Key=a&Meta[0].Value=1&Meta[1].key=b&Meta[1].value=2&Meta[2].Key=a&Meta[2].Value=3", registerT,
			obj(mem("Meta", obj(mem("a", str("3")), mem("b", str("2")))))},
		{"collections/map keys are case-sensitive", "Meta[0].Key=a&Meta[0].Value=1&Meta[1].Key=A&Meta[1].Value=2", registerT,
			obj(mem("Meta", obj(mem("a", str("1")), mem("A", str("2")))))},
		{"collections/map entry without value dropped", "Meta[0].Key=a&Meta[1].Key=b&Meta[1].Value=2", registerT,
			obj(mem("Meta", obj(mem("b", str("2")))))},
		{"collections/map blank key dropped", "Meta[0].Key=&Meta[0].Value=1", registerT, obj(mem("Meta", obj()))},
		{"collections/map null value kept", "Meta[0].Key=a&Meta[0].Value=", registerT, obj(mem("Meta", obj(mem("a", null))))},

		// Repeated key into a scalar: the first value.
		{"first value/checkbox pair", "IsActive=true&IsActive=false", registerT, obj(mem("IsActive", str("true")))},
		{"first value/checkbox alone", "IsActive=false", registerT, obj(mem("IsActive", str("false")))},
		{"first value/string", "Email=a&Email=b", registerT, obj(mem("Email", str("a")))},
		{"first value/case-insensitive duplicates", "email=a&EMAIL=b", registerT, obj(mem("Email", str("a")))},
		{"first value/blank first wins", "Email=&Email=b", registerT, obj(mem("Email", null))},

		// Empty string → null (ReplaceEmptyStringWithNull; ValueProviderResult for other types).
		{"empty to null/string", "Email=&Password=x", registerT, obj(mem("Email", null), mem("Password", str("x")))},
		{"empty to null/white space", "Email=+%09+", registerT, obj(mem("Email", null))},
		{"empty to null/NBSP is white space", "Email=%C2%A0", registerT, obj(mem("Email", null))},
		{"empty to null/int", "Age=", registerT, obj(mem("Age", null))},
		{"empty to null/key without '='", "Age", registerT, obj(mem("Age", null))},
		{"empty to null/inner spaces kept", "Email=+a+", registerT, obj(mem("Email", str(" a ")))},

		// Conversion is the typed binder's: scalars stay text.
		{"scalars as text/int", "Age=+42+", registerT, obj(mem("Age", str(" 42 ")))},
		{"scalars as text/invalid int", "Age=abc", registerT, obj(mem("Age", str("abc")))},
		{"scalars as text/guid", "Id=00000000-0000-0000-0000-000000000001", registerT, obj(mem("Id", str("00000000-0000-0000-0000-000000000001")))},
		{"scalars as text/top-level simple parameter", "=value", stringT, str("value")},
		{"scalars as text/top-level key other than empty", "a=value", stringT, null},
		{"scalars as text/nil schema is a string", "=v", nil, str("v")},
		{"scalars as text/scalar with dotted key does not bind", "Age.X=1", registerT, obj()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeString(t, tt.body, tt.schema)
			if err != nil {
				t.Fatalf("DecodeWebAPI(%q): %v", tt.body, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("DecodeWebAPI(%q)\n got: %s\nwant: %s", tt.body, show(got), show(tt.want))
			}
		})
	}
}

func TestDecodeWebAPIMissingBracket(t *testing.T) {
	for _, body := range []string{"a[=1", "Tags[0=1", "Address[City=x", "ok=1&a]b[c=2", "Tags[0]]&x[", "%5B=1"} {
		_, err := decodeString(t, body, registerT)
		if !errors.Is(err, ErrMissingBracket) {
			t.Errorf("DecodeWebAPI(%q): err = %v, want ErrMissingBracket", body, err)
			continue
		}
		if !strings.HasSuffix(err.Error(), ": The key is invalid JQuery syntax because it is missing a closing bracket") {
			t.Errorf("error text: %s", err)
		}
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct{ give, want string }{
		{"a", "a"},
		{"a[]", "a"},
		{"a[][]", "a"},
		{"[]", ""},
		{"a[b]", "a.b"},
		{"[b]", ".b"},
		{"a[0]", "a[0]"},
		{"a[0][b]", "a[0].b"},
		{"a[b][0][c]", "a.b[0].c"},
		{"a[b]c", "a.bc"},
		{"a[b[c]]", "a.b[c]"},
		{"a[ 0]", "a. 0"},
		{"a[٣]", "a[٣]"},
		{"a[𝟎]", "a.𝟎"}, // U+1D7CE is Nd but outside the BMP
		{"a]", "a]"},
	}
	for _, tt := range tests {
		got, err := normalizeKey(tt.give)
		if err != nil || got != tt.want {
			t.Errorf("normalizeKey(%q) = %q, %v; want %q", tt.give, got, err, tt.want)
		}
	}
}

// A self-referencing list schema (T = List<T>) bound from a plain key
// recurses at one name; the depth bound stops it.
func TestDecodeWebAPISelfReferencingList(t *testing.T) {
	self := &codecs.Type{Name: "L", Shape: codecs.ListShape}
	self.Elem = self
	node := objT("Node", nil, fieldT("Name", stringT))
	node.Fields = append(node.Fields, fieldT("Child", node), fieldT("Kids", listT(node)))
	if _, err := decodeString(t, "=a&=b", self); err != nil {
		t.Fatal(err)
	}
	got, err := decodeString(t, "Name=r&Child.Name=c&Child.Child.Kids[0].Name=k", node)
	if err != nil {
		t.Fatal(err)
	}
	want := obj(mem("Name", str("r")), mem("Child", obj(mem("Name", str("c")),
		mem("Child", obj(mem("Kids", arr(obj(mem("Name", str("k"))))))))))
	if !got.Equal(want) {
		t.Errorf("got %s\nwant %s", show(got), show(want))
	}
}

// Plain repeated keys of nested lists multiply: 8 values at each of 10
// levels would bind 8^10 items. Binding gives up instead.
func TestDecodeWebAPITooComplex(t *testing.T) {
	node := objT("Node", nil, fieldT("Name", stringT))
	node.Fields = append(node.Fields, fieldT("Kids", listT(node)))
	var b strings.Builder
	key := "Kids"
	for range 10 {
		for range 8 {
			b.WriteString(key + "=x&")
		}
		key += ".Kids"
	}
	start := time.Now()
	_, err := decodeString(t, b.String(), node)
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	// Three levels (8^3 items) still bind.
	if _, err := decodeString(t, "Kids=1&Kids=2&Kids.Kids=3&Kids.Kids=4&Kids.Kids.Kids=5", node); err != nil {
		t.Fatal(err)
	}
}
