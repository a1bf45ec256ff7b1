package jsoncodec

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"legacygate/codecs"
)

// Source files of ServiceStack/ServiceStack.Text @ 6426a6f0e078, under
// src/ServiceStack.Text/, that settle each rule of ServiceStackDialect.
const (
	srcJsonUtils      = "Json/JsonUtils.cs WriteString, IsPrintable, IntToHex"
	srcTypeSerializer = "Json/JsonTypeSerializer.cs"
	srcDates          = "Common/DateTimeSerializer.cs WriteWcfJsonDate, WriteWcfJsonDateTimeOffset; DateTimeExtensions.cs ToUnixTimeMs, ToTimeOffsetString"
	srcNulls          = "Json/JsonTypeSerializer.cs IncludeNullValues; Common/WriteType.cs"
	srcDictNulls      = "Common/WriteDictionary.cs (IncludeNullValuesInDictionaries)"
	srcLists          = "Common/WriteLists.cs"
)

func TestAppendServiceStack(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+30*60)
	nst := time.FixedZone("NST", -(3*3600 + 30*60))
	mst := time.FixedZone("MST", -7*3600)
	noon := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC) // 1577880000000 ms
	guid := &codecs.Type{Name: "guid", Scalar: codecs.GuidT}
	nguid := &codecs.Type{Name: "guid", Scalar: codecs.GuidT, Nullable: true}
	str := &codecs.Type{Name: "string", Scalar: codecs.StringT, Nullable: true}
	base := &codecs.Type{Name: "Entity", Shape: codecs.ObjectShape, Fields: []codecs.Field{{Name: "Id", Type: guid, Order: -1}}}
	user := &codecs.Type{Name: "User", Shape: codecs.ObjectShape, Base: base, Fields: []codecs.Field{
		{Name: "Name", Type: str, Order: -1},
		{Name: "SessionId", Type: nguid, Order: -1},
		{Name: "Roles", Type: &codecs.Type{Name: "List", Shape: codecs.ListShape, Elem: guid}, Order: -1},
		{Name: "Meta", Type: &codecs.Type{Name: "Dictionary", Shape: codecs.MapShape, Elem: guid}, Order: -1},
	}}
	const (
		gD = "B9B8D9F6-6E73-4A39-8D4C-0C2B3E1F2A10"
		gN = "b9b8d9f66e734a398d4c0c2b3e1f2a10"
	)
	tests := []struct {
		name   string
		give   codecs.Value
		schema *codecs.Type
		want   string
		src    string
	}{
		// Nulls: IncludeNullValues = false, IncludeNullValuesInDictionaries = false.
		{"null member omitted", obj(mem("a", null), mem("b", num("1"))), nil, `{"b":1}`, srcNulls},
		{"only null members", obj(mem("a", null), mem("b", null)), nil, `{}`, srcNulls},
		{"nested null member omitted", obj(mem("a", obj(mem("x", null), mem("y", yes)))), nil, `{"a":{"y":true}}`, srcNulls},
		{"null dictionary value omitted", obj(mem("k1", null), mem("k2", str1("v"))), &codecs.Type{Shape: codecs.MapShape, Elem: str}, `{"k2":"v"}`, srcDictNulls},
		{"null array items kept", arr(null, num("1"), null), nil, `[null,1,null]`, srcLists},
		{"top-level null", null, nil, `null`, srcTypeSerializer},
		{"empty string kept", obj(mem("a", str1(""))), nil, `{"a":""}`, srcJsonUtils},
		{"member order and duplicates kept", obj(mem("b", num("1")), mem("a", null), mem("b", num("2"))), nil, `{"b":1,"b":2}`, srcNulls},

		// Scalars.
		{"true", yes, nil, `true`, srcTypeSerializer + " WriteBool"},
		{"false", no, nil, `false`, srcTypeSerializer + " WriteBool"},
		{"integer literal", num("-42"), nil, `-42`, srcTypeSerializer + " WriteInt64"},
		{"decimal literal kept", num("1.50"), nil, `1.50`, srcTypeSerializer + " WriteDecimal"},
		{"exponent literal kept", num("1E+20"), nil, `1E+20`, srcTypeSerializer + " WriteDouble"},
		{"NaN bare", num("NaN"), nil, `NaN`, srcTypeSerializer + " WriteDouble"},
		{"Infinity bare", num("Infinity"), nil, `Infinity`, srcTypeSerializer + " WriteDouble"},
		{"-Infinity bare", num("-Infinity"), nil, `-Infinity`, srcTypeSerializer + " WriteDouble"},

		// Strings: JsonUtils.WriteString with EscapeHtmlChars and EscapeUnicode off.
		{"plain string", str1("sample string 1"), nil, `"sample string 1"`, srcJsonUtils},
		{"quote and backslash", str1(`a"b\c`), nil, `"a\"b\\c"`, srcJsonUtils},
		{"short escapes", str1("\b\t\n\f\r"), nil, `"\b\t\n\f\r"`, srcJsonUtils},
		{"control characters upper-case hex", str1(controlChars()), nil, `"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"`, srcJsonUtils},
		{"DEL escaped", str1("a\x7fb"), nil, `"a\u007Fb"`, srcJsonUtils + " (char.IsControl)"},
		{"C1 controls escaped", str1("\u0080\u0085\u009f"), nil, `"\u0080\u0085\u009F"`, srcJsonUtils + " (char.IsControl)"},
		{"NBSP raw", str1("a\u00a0b"), nil, "\"a\u00a0b\"", srcJsonUtils},
		{"line and paragraph separators raw", str1("a\u2028b\u2029c"), nil, "\"a\u2028b\u2029c\"", srcJsonUtils},
		{"html, equals and apostrophe raw", str1(`<a href='x'>&amp;=</a>`), nil, `"<a href='x'>&amp;=</a>"`, srcJsonUtils + " (EscapeHtmlChars off)"},
		{"solidus raw", str1("a/b"), nil, `"a/b"`, srcJsonUtils},
		{"non-ascii raw", str1("é€😀\ufeff"), nil, "\"é€😀\ufeff\"", srcJsonUtils + " (EscapeUnicode off)"},
		{"ill-formed utf8 replaced", str1("a\xffb\xe2\x82c"), nil, "\"a\uFFFDb\uFFFDc\"", srcJsonUtils},
		{"member names escaped alike", obj(mem("a\"\x7f", yes)), nil, `{"a\"\u007F":true}`, srcJsonUtils},

		// Dates: DateHandler.TimestampOffset.
		{"utc", codecs.TimeV(noon, codecs.UTC), nil, `"\/Date(1577880000000)\/"`, srcDates},
		{"utc given in another zone", codecs.TimeV(noon.In(ist), codecs.UTC), nil, `"\/Date(1577880000000)\/"`, srcDates},
		{"unspecified", codecs.TimeV(noon, codecs.Unspecified), nil, `"\/Date(1577880000000-0000)\/"`, srcDates + " (UnspecifiedOffset)"},
		{"unspecified read in server zone", codecs.TimeV(noon.In(ist), codecs.Unspecified), nil, `"\/Date(1577880000000-0000)\/"`, srcDates},
		{"local on utc server", codecs.TimeV(noon, codecs.Local), nil, `"\/Date(1577880000000+0000)\/"`, srcDates},
		{"local on IST server", codecs.TimeV(noon.In(ist), codecs.Local), nil, `"\/Date(1577880000000+0530)\/"`, srcDates},
		{"local negative half-hour offset", codecs.TimeV(noon.In(nst), codecs.Local), nil, `"\/Date(1577880000000-0330)\/"`, srcDates},
		{"offset zero has no suffix", codecs.TimeV(noon, codecs.Offset), nil, `"\/Date(1577880000000)\/"`, srcDates},
		{"offset counts wall-clock ticks", codecs.TimeV(noon.In(ist), codecs.Offset), nil, `"\/Date(1577899800000+0530)\/"`, srcDates + " (DateTimeOffset.Ticks)"},
		{"offset negative", codecs.TimeV(time.Date(1994, 11, 24, 0, 0, 0, 0, mst), codecs.Offset), nil, `"\/Date(785635200000-0700)\/"`, srcDates},
		{"fraction truncated", codecs.TimeV(noon.Add(999999900), codecs.UTC), nil, `"\/Date(1577880000999)\/"`, srcDates},
		{"before epoch truncates toward zero", codecs.TimeV(time.Unix(0, -500000), codecs.UTC), nil, `"\/Date(0)\/"`, srcDates},
		{"before epoch", codecs.TimeV(time.Unix(0, -1500000), codecs.UTC), nil, `"\/Date(-1)\/"`, srcDates},
		{"DateTime.MinValue", codecs.TimeV(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), codecs.Unspecified), nil, `"\/Date(-62135596800000-0000)\/"`, srcDates},
		{"DateTime.MaxValue", codecs.TimeV(time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), codecs.UTC), nil, `"\/Date(253402300799999)\/"`, srcDates},
		{"date member", obj(mem("At", codecs.TimeV(noon, codecs.UTC))), nil, `{"At":"\/Date(1577880000000)\/"}`, srcDates},

		// Guids: WriteGuid uses ToString("N").
		{"guid D to N", str1(gD), guid, `"` + gN + `"`, srcTypeSerializer + " WriteGuid"},
		{"guid N kept", str1(gN), guid, `"` + gN + `"`, srcTypeSerializer + " WriteGuid"},
		{"guid braces", str1("{" + gD + "}"), guid, `"` + gN + `"`, srcTypeSerializer + " WriteGuid"},
		{"guid parentheses", str1("(" + gD + ")"), guid, `"` + gN + `"`, srcTypeSerializer + " WriteGuid"},
		{"empty guid", str1("00000000-0000-0000-0000-000000000000"), guid, `"00000000000000000000000000000000"`, srcTypeSerializer + " WriteGuid"},
		{"not a guid written as a string", str1("B9B8D9F6-6E73-4A39-8D4C-0C2B3E1F2A1Z"), guid, `"B9B8D9F6-6E73-4A39-8D4C-0C2B3E1F2A1Z"`, srcJsonUtils},
		{"guid schema on a number changes nothing", num("42"), guid, `42`, srcTypeSerializer},
		{"string schema keeps D", str1(gD), str, `"` + gD + `"`, srcJsonUtils},
		{"no schema keeps D", str1(gD), nil, `"` + gD + `"`, srcJsonUtils},
		{"guid members by schema", obj(
			mem("Name", str1(gD)),
			mem("SessionId", null),
			mem("Roles", arr(str1(gD), null)),
			mem("Meta", obj(mem("k", str1(gD)), mem("n", null))),
			mem("Id", str1(gD)),
		), user, `{"Name":"` + gD + `","Roles":["` + gN + `",null],"Meta":{"k":"` + gN + `"},"Id":"` + gN + `"}`, srcTypeSerializer + " WriteGuid, WriteNullableGuid"},
		{"camelCase members match the schema", obj(mem("id", str1(gD)), mem("sessionId", str1(gD)), mem("name", str1(gD))), user,
			`{"id":"` + gN + `","sessionId":"` + gN + `","name":"` + gD + `"}`, srcTypeSerializer + " WriteGuid"},
		{"unknown member has no schema", obj(mem("Other", str1(gD))), user, `{"Other":"` + gD + `"}`, srcJsonUtils},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append([]byte("prefix:"), tt.give, tt.schema, ServiceStackDialect)
			wantNoError(t, err)
			wantText(t, "Append ("+tt.src+")", string(got), "prefix:"+tt.want)
		})
	}
}

func str1(s string) codecs.Value { return codecs.Str(s) }

// The Newtonsoft dialect ignores the schema: a Guid stays as it was given.
func TestAppendNewtonsoftIgnoresGuidSchema(t *testing.T) {
	guid := &codecs.Type{Name: "guid", Scalar: codecs.GuidT}
	got, err := Append(nil, str1("B9B8D9F6-6E73-4A39-8D4C-0C2B3E1F2A10"), guid, NewtonsoftDialect)
	wantNoError(t, err)
	wantText(t, "Append", string(got), `"B9B8D9F6-6E73-4A39-8D4C-0C2B3E1F2A10"`)
}

func TestAppendServiceStackErrors(t *testing.T) {
	tests := []struct {
		name string
		give codecs.Value
		want string
	}{
		{"bad number", num("01"), `jsoncodec: invalid number literal "01"`},
		{"year 10000", codecs.TimeV(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), codecs.UTC), "jsoncodec: time 10000-01-01 00:00:00 +0000 UTC is outside the .NET DateTime range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append([]byte("keep"), tt.give, nil, ServiceStackDialect)
			wantErrorText(t, err, tt.want)
			wantText(t, "dst on error", string(got), "keep")
		})
	}
}

// Every string the ServiceStack dialect writes is valid JSON that decodes
// back to the (well-formed) input.
func TestServiceStackStringsRoundTrip(t *testing.T) {
	var all []rune
	for r := rune(0); r < 0x3000; r++ {
		if !(0xd800 <= r && r <= 0xdfff) {
			all = append(all, r)
		}
	}
	all = append(all, 0xfeff, 0xfffd, 0x1f600, 0x10ffff)
	s := string(all)
	out, err := Append(nil, str1(s), nil, ServiceStackDialect)
	wantNoError(t, err)
	if !utf8.Valid(out) || !json.Valid(out) {
		t.Fatalf("not valid JSON: %q", out)
	}
	var back string
	if err := json.Unmarshal(out, &back); err != nil || back != s {
		t.Fatalf("round trip failed: %v", err)
	}
}

func TestDialectStringServiceStack(t *testing.T) {
	wantText(t, "Dialect.String", ServiceStackDialect.String(), "ServiceStack")
}
