package formcodec

import (
	"testing"

	"legacygate/codecs"
)

// TestDecodeWebAPIWideTypes: a byte[] binds as an array (Web API has no
// Base64 byte[] binder); a set and a list of lists bind by index like any
// collection; the new scalars stay text for the contract binder.
func TestDecodeWebAPIWideTypes(t *testing.T) {
	wide := objT("Wide", nil,
		fieldT("Blob", scalarT(codecs.BytesT)),
		fieldT("Tags", &codecs.Type{Shape: codecs.ListShape, Elem: stringT, Nullable: true, Set: true}),
		fieldT("Grid", listT(listT(stringT))),
		fieldT("Span", scalarT(codecs.TimeSpanT)),
		fieldT("Port", scalarT(codecs.UInt16T)))
	tests := []struct {
		body string
		want codecs.Value
	}{
		{"Blob=1&Blob=2&Blob=255", obj(mem("Blob", arr(str("1"), str("2"), str("255"))))},
		{"Blob[0]=1&Blob[1]=2", obj(mem("Blob", arr(str("1"), str("2"))))},
		{"Blob=AQL%2F", obj(mem("Blob", arr(str("AQL/"))))},
		{"Tags=a&Tags=b&Tags=a", obj(mem("Tags", arr(str("a"), str("b"), str("a"))))},
		{"Grid[0][0]=a&Grid[0][1]=b&Grid[1][0]=c", obj(mem("Grid", arr(arr(str("a"), str("b")), arr(str("c")))))},
		{"Grid[1][0]=c", obj(mem("Grid", arr()))},
		{"Span=1.02%3A03%3A04&Port=65535", obj(mem("Span", str("1.02:03:04")), mem("Port", str("65535")))},
	}
	for _, tt := range tests {
		got, err := decodeString(t, tt.body, wide)
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("%s:\n got %s\nwant %s", tt.body, show(got), show(tt.want))
		}
	}
}
