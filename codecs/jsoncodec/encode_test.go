package jsoncodec

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

// controlChars is U+0000..U+001F.
func controlChars() string {
	var b strings.Builder
	for c := range 0x20 {
		b.WriteByte(byte(c))
	}
	return b.String()
}

func TestAppend(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+30*60)
	dob := time.Date(2026, 3, 21, 11, 24, 12, 916396700, time.UTC)
	guid := &codecs.Type{Name: "guid", Scalar: codecs.GuidT}
	tests := []struct {
		name   string
		give   codecs.Value
		schema *codecs.Type
		want   string
	}{
		{"null", null, nil, `null`},
		{"true", yes, nil, `true`},
		{"false", no, nil, `false`},
		{"integer", num("8"), nil, `8`},
		{"negative zero", num("-0"), nil, `-0`},
		{"exponent kept", num("1E+5"), nil, `1E+5`},
		{"double text kept", num("1.0"), nil, `1.0`},
		{"NaN as string", num("NaN"), nil, `"NaN"`},
		{"Infinity as string", num("Infinity"), nil, `"Infinity"`},
		{"-Infinity as string", num("-Infinity"), nil, `"-Infinity"`},

		{"empty string", str(""), nil, `""`},
		{"plain string", str("sample string 1"), nil, `"sample string 1"`},
		{"quote and backslash", str(`a"b\c`), nil, `"a\"b\\c"`},
		{"short escapes", str("\b\t\n\f\r"), nil, `"\b\t\n\f\r"`},
		{"all control characters", str(controlChars()), nil, `"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"`},
		{"html and apostrophe raw", str(`<a href='x'>&amp;</a>`), nil, `"<a href='x'>&amp;</a>"`},
		{"solidus raw", str("a/b"), nil, `"a/b"`},
		{"DEL raw", str("\x7f"), nil, "\"\x7f\""},
		{"non-ascii raw", str("é€😀\u00a0\ufeff"), nil, "\"é€😀\u00a0\ufeff\""},
		{"line terminators escaped", str("a\u0085b\u2028c\u2029d"), nil, `"a\u0085b\u2028c\u2029d"`},
		{"C1 controls other than NEL raw", str("\u0080\u0084\u0086\u009f"), nil, "\"\u0080\u0084\u0086\u009f\""},
		{"ill-formed utf8 replaced", str("a\xffb\xe2\x82c\xed\xa0\x80"), nil, "\"a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD\""},
		{"escape at both ends", str("\nx\n"), nil, `"\nx\n"`},

		{"empty object", obj(), nil, `{}`},
		{"nil members object", codecs.Value{Kind: codecs.Object}, nil, `{}`},
		{"empty array", arr(), nil, `[]`},
		{"nil items array", codecs.Value{Kind: codecs.Array}, nil, `[]`},
		{"member order and duplicates kept", obj(mem("b", num("1")), mem("a", null), mem("b", num("2"))), nil, `{"b":1,"a":null,"b":2}`},
		{"member names escaped", obj(mem("a\"b\u2028", yes)), nil, `{"a\"b\u2028":true}`},
		{"nested", obj(mem("UserRoles", arr(obj(mem("RoleID", num("1")), mem("PartnerID", num("2"))), null))), nil, `{"UserRoles":[{"RoleID":1,"PartnerID":2},null]}`},
		{"array of everything", arr(null, yes, num("1"), str("s"), obj(), arr()), nil, `[null,true,1,"s",{},[]]`},

		{"time local on utc server", codecs.TimeV(dob, codecs.Local), nil, `"2026-03-21T11:24:12.9163967+00:00"`},
		{"time utc", codecs.TimeV(dob.In(ist), codecs.UTC), nil, `"2026-03-21T11:24:12.9163967Z"`},
		{"time unspecified", codecs.TimeV(dob, codecs.Unspecified), nil, `"2026-03-21T11:24:12.9163967"`},
		{"time offset", codecs.TimeV(dob.In(ist), codecs.Offset), nil, `"2026-03-21T16:54:12.9163967+05:30"`},
		{"time whole seconds", codecs.TimeV(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), codecs.UTC), nil, `"2026-01-01T00:00:00Z"`},

		{"schema does not override the value", num("42"), guid, `42`},
		{"schema on object", obj(mem("ID", num("1"))), &codecs.Type{Name: "UserDetail", Shape: codecs.ObjectShape}, `{"ID":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append([]byte("prefix:"), tt.give, tt.schema, NewtonsoftDialect)
			wantNoError(t, err)
			wantText(t, "Append", string(got), "prefix:"+tt.want)
		})
	}
}

func TestAppendErrors(t *testing.T) {
	cyclic := []codecs.Value{arr()}
	cyclic[0].Items = cyclic // an array that contains itself
	tests := []struct {
		name    string
		give    codecs.Value
		dialect Dialect
		want    string
	}{
		{"empty number", num(""), NewtonsoftDialect, `jsoncodec: invalid number literal ""`},
		{"leading zero", num("01"), NewtonsoftDialect, `jsoncodec: invalid number literal "01"`},
		{"trailing dot", num("1."), NewtonsoftDialect, `jsoncodec: invalid number literal "1."`},
		{"plus sign", num("+1"), NewtonsoftDialect, `jsoncodec: invalid number literal "+1"`},
		{"hex", num("0x1F"), NewtonsoftDialect, `jsoncodec: invalid number literal "0x1F"`},
		{"lower-case nan", num("nan"), NewtonsoftDialect, `jsoncodec: invalid number literal "nan"`},
		{"spaces", num(" 1"), NewtonsoftDialect, `jsoncodec: invalid number literal " 1"`},
		{"nested bad number", obj(mem("a", arr(num("x")))), NewtonsoftDialect, `jsoncodec: invalid number literal "x"`},
		{"year 0", codecs.TimeV(time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), codecs.Unspecified), NewtonsoftDialect, "jsoncodec: time 0000-12-31 00:00:00 +0000 UTC is outside the .NET DateTime range"},
		{"year 10000", codecs.TimeV(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), codecs.UTC), NewtonsoftDialect, "jsoncodec: time 10000-01-01 00:00:00 +0000 UTC is outside the .NET DateTime range"},
		{"unknown kind", codecs.Value{Kind: codecs.Kind(42)}, NewtonsoftDialect, "jsoncodec: cannot encode value of kind(?)"},
		{"unknown dialect", null, Dialect(200), "jsoncodec: unknown dialect Dialect(200)"},
		{"cyclic", cyclic[0], NewtonsoftDialect, "jsoncodec: value nested more than 10000 levels deep (cyclic?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append([]byte("keep"), tt.give, nil, tt.dialect)
			wantErrorText(t, err, tt.want)
			wantText(t, "dst on error", string(got), "keep")
		})
	}
}

func TestEncode(t *testing.T) {
	var buf bytes.Buffer
	err := Encode(&buf, obj(mem("a", str("<é>"))), nil, NewtonsoftDialect)
	wantNoError(t, err)
	wantText(t, "Encode", buf.String(), `{"a":"<é>"}`)
}

func TestEncodeWritesNothingOnError(t *testing.T) {
	var buf bytes.Buffer
	err := Encode(&buf, arr(num("1"), num("bad")), nil, NewtonsoftDialect)
	wantErrorText(t, err, `jsoncodec: invalid number literal "bad"`)
	wantText(t, "written", buf.String(), "")
}

type failWriter struct{}

var errWrite = errors.New("write failed")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestEncodeWriterError(t *testing.T) {
	err := Encode(failWriter{}, null, nil, NewtonsoftDialect)
	wantErrorIs(t, err, errWrite)
}

func TestDialectString(t *testing.T) {
	tests := []struct {
		give Dialect
		want string
	}{
		{NewtonsoftDialect, "Newtonsoft"},
		{Dialect(7), "Dialect(7)"},
	}
	for _, tt := range tests {
		wantText(t, "Dialect.String", tt.give.String(), tt.want)
	}
}

// TestAppendNewtonsoftNumbersBySchema: doubles as Double.ToString("R"),
// doubles and decimals with a decimal place, enums as numbers (checked
// against Json.NET 6 by dotnet.TestDotNetJsonNet).
func TestAppendNewtonsoftNumbersBySchema(t *testing.T) {
	sc := func(s codecs.Scalar) *codecs.Type { return &codecs.Type{Shape: codecs.ScalarShape, Scalar: s} }
	enum := &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.EnumT, Enum: []string{"Low", "High"}}
	tests := []struct {
		name string
		v    codecs.Value
		t    *codecs.Type
		want string
	}{
		{"double zero", codecs.Num("0"), sc(codecs.DoubleT), "0.0"},
		{"double exponent", codecs.Num("1e5"), sc(codecs.DoubleT), "100000.0"},
		{"double large", codecs.Num("1.7976931348623157e308"), sc(codecs.DoubleT), "1.7976931348623157E+308"},
		{"double fraction", codecs.Num("0.30000000000000004"), sc(codecs.DoubleT), "0.30000000000000004"},
		{"double infinity", codecs.Num("Infinity"), sc(codecs.DoubleT), `"Infinity"`},
		{"decimal integral", codecs.Num("7"), sc(codecs.DecimalT), "7.0"},
		{"decimal scale kept", codecs.Num("1.10"), sc(codecs.DecimalT), "1.10"},
		{"int untouched", codecs.Num("7"), sc(codecs.Int32T), "7"},
		{"enum name as number", codecs.Str("High"), enum, "1"},
		{"unknown enum name stays a string", codecs.Str("Other"), enum, `"Other"`},
		{"no schema", codecs.Num("7"), nil, "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append(nil, tt.v, tt.t, NewtonsoftDialect)
			if err != nil || string(got) != tt.want {
				t.Errorf("Append = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}
