package jsoncodec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// fuzzSeeds seed FuzzDecode (and TestRoundTripCorpus): the Hub.Server
// bodies, every lexical feature, and known-bad inputs.
var fuzzSeeds = []string{
	registerBody,
	userDetailBody,
	userDetailPretty,
	``, ` `, "\xef\xbb\xbf", "\xef\xbb\xbf{}",
	`null`, `true`, `false`, `0`, `-0`, `-0.0e-0`, `1e5`, `1E+5`, `01`, `1.`, `-`, `+1`, `.5`,
	`"\"\\\/\b\f\n\r\t\u0041\u00e9"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00\ud83d\u0041"`,
	"\"\xff\xe2\x82\xed\xa0\x80\xc0\xaf\"", "\"\u0085\u2028\u2029\"",
	`{"a":1,"a":2}`, `{"a":{"b":[1,{"c":null}]}}`, `[[],{},[{}],{"":[]}]`,
	`[1,]`, `{"a":1,}`, `[1,,2]`, `{a:1}`, `{'a':'b\'c'}`, `{$a_1 : 2}`,
	"// c\n[1/* x */]", "/* unterminated", `[NaN,Infinity,-Infinity]`, `-Infinit`,
	"\"raw\tcontrol\x01\"", "\v\f\u00a0[1]", `{"a" /*c*/ : 1}`,
	`{"a":1} junk`, `[1]]`, strings.Repeat("[", 129), strings.Repeat("[", 128) + strings.Repeat("]", 128),
	`{"UserRoles":[{"RoleID":1},{"RoleID":x}]}`, `{"a.b":[1, x]}`,
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, dotnet bool) {
		opt := DecodeOptions{DotNet: dotnet}
		v, err := Decode(data, opt)

		// Errors are ErrEmpty or well-formed *SyntaxErrors.
		var se *SyntaxError
		switch {
		case err == nil, errors.Is(err, ErrEmpty):
		case errors.As(err, &se):
			if se.Offset < 0 || se.Offset > len(data) || se.Line < 1 || se.Col < 1 || se.Msg == "" ||
				!strings.HasPrefix(se.Error(), "jsoncodec: ") {
				t.Fatalf("malformed error for %q: %+v", data, *se)
			}
		default:
			t.Fatalf("Decode(%q): unexpected error type %T: %v", data, err, err)
		}

		// In strict mode we agree with encoding/json on what is JSON, except
		// for what it does not model: BOM, the empty-input sentinel, depth.
		if !dotnet && !hasBOM(data) && !errors.Is(err, ErrEmpty) &&
			(se == nil || !strings.HasPrefix(se.Msg, "exceeded max depth")) {
			if (err == nil) != json.Valid(data) {
				t.Fatalf("Decode(%q) error = %v, but json.Valid = %v", data, err, json.Valid(data))
			}
		}

		if err != nil {
			return
		}

		// Stopping after the value changes nothing for valid input.
		opt.IgnoreTrailing = true
		first, err := Decode(data, opt)
		if err != nil || !first.Equal(v) {
			t.Fatalf("Decode(%q) with IgnoreTrailing = %s, %v; want %s", data, show(first), err, show(v))
		}

		checkRoundTrip(t, v)
	})
}
