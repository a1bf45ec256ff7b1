package jsvcodec

import (
	"testing"

	"legacygate/codecs"
)

// The scalar families added for issue 11, keyed by Type.Scalar (the
// contract compiler's schemas) rather than by Type.Name.
var (
	wByte   = scalar("unsignedByte", codecs.ByteT, false)
	wSByte  = scalar("byte", codecs.SByteT, false)
	wShort  = scalar("short", codecs.Int16T, false)
	wUShort = scalar("unsignedShort", codecs.UInt16T, false)
	wUInt   = scalar("unsignedInt", codecs.UInt32T, false)
	wULong  = scalar("unsignedLong", codecs.UInt64T, true)
	wSpan   = scalar("duration", codecs.TimeSpanT, false)
	wBytes  = scalar("base64Binary", codecs.BytesT, true)
	wSet    = &codecs.Type{Name: "ArrayOfstring", Shape: codecs.ListShape, Elem: tString, Nullable: true, Set: true}
	wGrid   = listOf("ArrayOfArrayOfstring", listOf("ArrayOfstring", tString))
	wideT   = object("Wide", "B", wByte, "SB", wSByte, "S", wShort, "US", wUShort, "UI", wUInt, "UL", wULong,
		"TS", wSpan, "Blob", wBytes, "Tags", wSet, "Grid", wGrid)
)

func TestWideDecode(t *testing.T) {
	tests := []struct {
		in   string
		want codecs.Value
	}{
		{"{B:255,SB:-128,S:-32768,US:65535,UI:4294967295,UL:18446744073709551615,TS:P1DT2H3M4.5S,Blob:AQL/,Tags:[a,b,a],Grid:[[a,b],[c]]}",
			obj(mem("B", num("255")), mem("SB", num("-128")), mem("S", num("-32768")), mem("US", num("65535")), mem("UI", num("4294967295")),
				mem("UL", num("18446744073709551615")), mem("TS", str("P1DT2H3M4.5S")), mem("Blob", str("AQL/")),
				mem("Tags", arr(str("a"), str("b"), str("a"))), mem("Grid", arr(arr(str("a"), str("b")), arr(str("c")))))},
		// Out of range: the member keeps its default (ServiceStack drops a
		// value that does not convert).
		{"{B:256,SB:128,US:-1,UI:4294967296,UL:18446744073709551616}", obj()},
		{"{TS:01:00:00}", obj(mem("TS", str("PT1H")))},
		{"{TS:90}", obj(mem("TS", str("PT1M30S")))},
		{"{Blob:[1,2,255]}", obj(mem("Blob", str("AQL/")))},
		{"{Grid:[[],[a]]}", obj(mem("Grid", arr(arr(), arr(str("a")))))},
	}
	for _, tt := range tests {
		v, err := Decode([]byte(tt.in), wideT, DecodeOptions{})
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		wantValue(t, tt.in, v, tt.want)
	}
	if _, err := Decode([]byte("{B:256}"), wideT, DecodeOptions{Strict: true}); err == nil {
		t.Error("strict: a byte of 256 is not refused")
	}
}

func TestWideEncode(t *testing.T) {
	v := obj(mem("B", num("255")), mem("SB", num("-128")), mem("S", num("-32768")), mem("US", num("65535")), mem("UI", num("4294967295")),
		mem("UL", num("18446744073709551615")), mem("TS", str("1.02:03:04.5000000")), mem("Blob", str("AQL/")),
		mem("Tags", arr(str("b"), str("a"))), mem("Grid", arr(arr(str("a"), str("b")), arr(str("c")))))
	wantText(t, "wide", mustAppend(t, v, wideT, Options{}),
		"{B:255,SB:-128,S:-32768,US:65535,UI:4294967295,UL:18446744073709551615,TS:P1DT2H3M4.5S,Blob:AQL/,Tags:[b,a],Grid:[[a,b],[c]]}")
	if _, err := Append(nil, obj(mem("B", num("256"))), wideT, Options{}); err == nil {
		t.Error("a byte of 256 was written")
	}
}
