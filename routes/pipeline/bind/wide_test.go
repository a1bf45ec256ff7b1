package bind_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/bind"
)

// TestBindWideTypes: each row is what Json.NET (6, on Mono) does with
// the JSON value, converting it into the member's .NET type; "!" rows
// are the ones it refuses ("Error converting value 256 to type
// 'System.Byte'").
func TestBindWideTypes(t *testing.T) {
	req := contracttest.Load(t, contracttest.Wide).Operation("Put").Request
	tests := []struct {
		member string
		give   codecs.Value
		want   codecs.Value // Kind Null with wantErr
		err    string       // substring of the bind error; "" for none
	}{
		{"B", codecs.Num("255"), codecs.Num("255"), ""},
		{"B", codecs.Num("256"), codecs.Value{}, "error converting value 256 to type 'System.Byte'"},
		{"B", codecs.Num("-1"), codecs.Value{}, "System.Byte"},
		{"B", codecs.Num("255.0"), codecs.Num("255"), ""},
		{"B", codecs.Num("1.5"), codecs.Num("2"), ""},
		{"B", codecs.Num("1e2"), codecs.Num("100"), ""},
		{"B", codecs.Str("12"), codecs.Num("12"), ""},
		{"B", codecs.Str(" 7 "), codecs.Num("7"), ""},
		{"B", codecs.Str("+7"), codecs.Num("7"), ""},
		{"B", codecs.Str("256"), codecs.Value{}, `error converting value "256"`},
		{"B", codecs.Str("0x1"), codecs.Value{}, "System.Byte"},
		{"B", codecs.Str(""), codecs.Value{}, `error converting value ""`},
		{"B", codecs.BoolV(true), codecs.Num("1"), ""},
		{"B", codecs.Value{}, codecs.Value{}, "{null}"},
		{"SB", codecs.Num("-128"), codecs.Num("-128"), ""},
		{"SB", codecs.Num("128"), codecs.Value{}, "System.SByte"},
		{"SB", codecs.Num("-129"), codecs.Value{}, "System.SByte"},
		{"S", codecs.Num("-32768"), codecs.Num("-32768"), ""},
		{"S", codecs.Num("32768"), codecs.Value{}, "System.Int16"},
		{"US", codecs.Num("65535"), codecs.Num("65535"), ""},
		{"US", codecs.Num("65536"), codecs.Value{}, "System.UInt16"},
		{"US", codecs.Num("-1"), codecs.Value{}, "System.UInt16"},
		{"UI", codecs.Num("4294967295"), codecs.Num("4294967295"), ""},
		{"UI", codecs.Str("4294967295"), codecs.Num("4294967295"), ""},
		{"UI", codecs.Num("4294967296"), codecs.Value{}, "System.UInt32"},
		{"UL", codecs.Num("18446744073709551615"), codecs.Num("18446744073709551615"), ""},
		{"UL", codecs.Num("9223372036854775808"), codecs.Num("9223372036854775808"), ""},
		{"UL", codecs.Num("18446744073709551616"), codecs.Value{}, "System.UInt64"},
		{"UL", codecs.Num("-1"), codecs.Value{}, "System.UInt64"},
		{"MaybeUL", codecs.Num("9223372036854775807"), codecs.Num("9223372036854775807"), ""},
		{"MaybeUL", codecs.Num("9223372036854775808"), codecs.Value{}, "System.Nullable`1[System.UInt64]"},
		{"MaybeUL", codecs.Str(""), codecs.Value{}, ""},
		{"TS", codecs.Str("1.02:03:04.5000000"), codecs.Str("1.02:03:04.5000000"), ""},
		{"TS", codecs.Str("5"), codecs.Str("5.00:00:00"), ""},
		{"TS", codecs.Str("01:02"), codecs.Str("01:02:00"), ""},
		{"TS", codecs.Str("1:02:03:04"), codecs.Str("1.02:03:04"), ""},
		{"TS", codecs.Str(" 01:02 "), codecs.Str("01:02:00"), ""},
		{"TS", codecs.Str("24:00:00"), codecs.Str("24.00:00:00"), ""},
		{"TS", codecs.Str("P1D"), codecs.Value{}, `error converting value "P1D" to type 'System.TimeSpan'`},
		{"TS", codecs.Str("00:60:00"), codecs.Value{}, "System.TimeSpan"},
		{"TS", codecs.Str("1.02:03:04.12345678"), codecs.Value{}, "System.TimeSpan"},
		{"TS", codecs.Str("10675200.00:00:00"), codecs.Value{}, "System.TimeSpan"},
		{"TS", codecs.Num("5"), codecs.Value{}, "error converting value 5 to type 'System.TimeSpan'"},
		{"TS", codecs.Str(""), codecs.Value{}, "System.TimeSpan"},
		{"MaybeTS", codecs.Str(""), codecs.Value{}, ""},
		{"Bytes", codecs.Str("AQL/"), codecs.Str("AQL/"), ""},
		{"Bytes", codecs.Arr(codecs.Num("1"), codecs.Num("2"), codecs.Num("255")), codecs.Str("AQL/"), ""},
		{"Bytes", codecs.Arr(codecs.Num("256")), codecs.Value{}, "unsigned byte"},
		{"Bytes", codecs.Str(""), codecs.Str(""), ""},
		{"Bytes", codecs.Str("AQ"), codecs.Value{}, "Base-64"},
		{"Bytes", codecs.Str("!!"), codecs.Value{}, "Base-64"},
		{"Bytes", codecs.Num("5"), codecs.Value{}, "error reading bytes"},
		{"Tags", codecs.Arr(codecs.Str("a"), codecs.Str("b"), codecs.Str("a")), codecs.Arr(codecs.Str("a"), codecs.Str("b")), ""},
		{"Tags", codecs.Arr(codecs.Str("a"), codecs.Str("A"), codecs.Value{}, codecs.Value{}), codecs.Arr(codecs.Str("a"), codecs.Str("A"), codecs.Value{}), ""},
		{"Ids", codecs.Arr(codecs.Num("3"), codecs.Str("3"), codecs.Num("1")), codecs.Arr(codecs.Num("3"), codecs.Num("1")), ""},
		{"Grid", codecs.Arr(codecs.Arr(codecs.Str("a")), codecs.Arr(), codecs.Value{}), codecs.Arr(codecs.Arr(codecs.Str("a")), codecs.Arr(), codecs.Value{}), ""},
		{"Grid", codecs.Arr(codecs.Str("a")), codecs.Value{}, "collection"},
	}
	for _, tt := range tests {
		t.Run(tt.member+"="+tt.give.String(), func(t *testing.T) {
			got, errs := bind.Request(req, codecs.Obj(codecs.M(tt.member, tt.give)), bind.Options{})
			if tt.err != "" {
				if len(errs) != 1 || !strings.Contains(errs[0].Msg, tt.err) || !strings.HasPrefix(errs[0].Path, tt.member) {
					t.Fatalf("errors %v, want one at %s containing %q", errs, tt.member, tt.err)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors %v", errs)
			}
			v, _ := got.Get(tt.member)
			if !v.Equal(tt.want) {
				t.Errorf("bound %v, want %v", v, tt.want)
			}
		})
	}
}

// TestBindTimeSpanServiceStack: a ServiceStack host reads TimeSpans as
// ServiceStack.Text does (DateTimeSerializer.ParseTimeSpan).
func TestBindTimeSpanServiceStack(t *testing.T) {
	req := contracttest.Load(t, contracttest.Wide).Operation("Put").Request
	for give, want := range map[string]string{"P1DT2H": "1.02:00:00", "PT1.5S": "00:00:01.5000000", "90": "00:01:30", "01:00:00": "01:00:00"} {
		got, errs := bind.Request(req, codecs.Obj(codecs.M("TS", codecs.Str(give))), bind.Options{FoldOnly: true, TextSpans: true})
		v, _ := got.Get("TS")
		if len(errs) > 0 || v.Str != want {
			t.Errorf("%q: bound %v %v, want %q", give, v, errs, want)
		}
	}
}
