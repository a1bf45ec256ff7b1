package jsoncodec

import (
	"strconv"
	"strings"
	"testing"

	"legacygate/codecs"
)

var (
	strict = DecodeOptions{}
	dotnet = DecodeOptions{DotNet: true}
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		give string
		opt  DecodeOptions
		want codecs.Value
	}{
		// Literals and numbers.
		{"null", `null`, strict, null},
		{"true", `true`, strict, yes},
		{"false", `false`, strict, no},
		{"zero", `0`, strict, num("0")},
		{"negative zero", `-0`, strict, num("-0")},
		{"negative zero fraction", `-0.0`, strict, num("-0.0")},
		{"exponent", `1e5`, strict, num("1e5")},
		{"exponent upper signed", `1E+5`, strict, num("1E+5")},
		{"fraction negative exponent", `-1.5e-3`, strict, num("-1.5e-3")},
		{"zero exponent", `0e0`, strict, num("0e0")},
		{"literal text kept beyond float64", `123456789012345678901234567890.000000000000000000001`, strict, num("123456789012345678901234567890.000000000000000000001")},
		{"surrounding whitespace", " \t\r\n 42 \t\r\n ", strict, num("42")},

		// Strings and escapes.
		{"empty string", `""`, strict, str("")},
		{"plain string", `"sample string 1"`, strict, str("sample string 1")},
		{"every short escape", `"\"\\\/\b\f\n\r\t"`, strict, str("\"\\/\b\f\n\r\t")},
		{"unicode escape ascii", `"\u0041"`, strict, str("A")},
		{"unicode escape upper hex", `"\u00E9\u00e9"`, strict, str("éé")},
		{"unicode escape nul", `"a\u0000b"`, strict, str("a\x00b")},
		{"unicode escape bmp", `"\u20ac"`, strict, str("€")},
		{"surrogate pair", `"\ud83d\ude00"`, strict, str("😀")},
		{"surrogate pair upper hex", `"\uD83D\uDE00!"`, strict, str("😀!")},
		{"lone high surrogate at end", `"\ud83d"`, strict, str("\uFFFD")},
		{"lone high surrogate then char", `"\ud83dx"`, strict, str("\uFFFDx")},
		{"lone high surrogate then escape", `"\ud83d\u0041"`, strict, str("\uFFFDA")},
		{"lone high surrogate then short escape", `"\ud83d\n"`, strict, str("\uFFFD\n")},
		{"two highs then low", `"\ud83d\ud83d\ude00"`, strict, str("\uFFFD😀")},
		{"lone low surrogate", `"\ude00"`, strict, str("\uFFFD")},
		{"low then high", `"\ude00\ud83d"`, strict, str("\uFFFD\uFFFD")},
		{"raw non-ascii", `"é€😀 <>&'"`, strict, str("é€😀 <>&'")},
		{"raw DEL", "\"\x7f\"", strict, str("\x7f")},
		{"escape after raw non-ascii", `"é\n"`, strict, str("é\n")},
		{"single quote inside double", `"it's"`, strict, str("it's")},
		{"invalid utf8 byte", "\"a\xffb\"", strict, str("a\uFFFDb")},
		{"truncated sequence is one replacement", "\"a\xe2\x82b\"", strict, str("a\uFFFDb")},
		{"truncated 4-byte at end", "\"\xf0\x9f\x98\"", strict, str("\uFFFD")},
		{"encoded surrogate", "\"\xed\xa0\x80\"", strict, str("\uFFFD\uFFFD\uFFFD")},
		{"overlong", "\"\xc0\xaf\"", strict, str("\uFFFD\uFFFD")},
		{"stray continuation", "\"\x80\x80\"", strict, str("\uFFFD\uFFFD")},
		{"invalid utf8 with escape", "\"\xff\\n\"", strict, str("\uFFFD\n")},
		{"utf8 replacement char itself", "\"\xef\xbf\xbd\"", strict, str("\uFFFD")},

		// BOM.
		{"bom", "\xef\xbb\xbf{}", strict, obj()},
		{"bom whitespace", "\xef\xbb\xbf \n [1]", strict, arr(num("1"))},

		// Containers.
		{"empty object", `{}`, strict, obj()},
		{"empty array", `[]`, strict, arr()},
		{"empty with space", `{ } `, strict, obj()},
		{"array", `[1,"a",true,null,{},[]]`, strict, arr(num("1"), str("a"), yes, null, obj(), arr())},
		{"members in wire order", `{"b":1,"a":2,"c":3}`, strict, obj(mem("b", num("1")), mem("a", num("2")), mem("c", num("3")))},
		{"duplicates kept in order", `{"a":1,"b":2,"a":3,"a":{"a":4}}`, strict, obj(mem("a", num("1")), mem("b", num("2")), mem("a", num("3")), mem("a", obj(mem("a", num("4")))))},
		{"escaped member name", `{"a\"b\u00e9":null}`, strict, obj(mem("a\"bé", null))},
		{"empty member name", `{"":0}`, strict, obj(mem("", num("0")))},
		{"nested", `{"UserRoles":[{"RoleID":1,"PartnerID":2},{"RoleID":1,"PartnerID":2}]}`, strict, obj(mem("UserRoles", arr(
			obj(mem("RoleID", num("1")), mem("PartnerID", num("2"))),
			obj(mem("RoleID", num("1")), mem("PartnerID", num("2"))))))},
		{"whitespace everywhere", "{ \"a\" : [ 1 , 2 ] , \"b\" :\n{ } }", strict, obj(mem("a", arr(num("1"), num("2"))), mem("b", obj()))},
		{"siblings after nested close", `[[1],[2,[3]],4]`, strict, arr(arr(num("1")), arr(num("2"), arr(num("3"))), num("4"))},

		// Depth limit boundary.
		{"max depth exactly", strings.Repeat("[", 128) + strings.Repeat("]", 128), strict, nest(128)},
		{"custom max depth exactly", `[{"a":[]}]`, DecodeOptions{MaxDepth: 3}, arr(obj(mem("a", arr())))},

		// Trailing data ignored on request.
		{"ignore trailing", `{"a":1} junk`, DecodeOptions{IgnoreTrailing: true}, obj(mem("a", num("1")))},
		{"ignore trailing bad second value", `[1]]`, DecodeOptions{IgnoreTrailing: true}, arr(num("1"))},

		// Json.NET leniencies.
		{"line comment", "// c\n{\"a\":1} // end", dotnet, obj(mem("a", num("1")))},
		{"line comment ends at CR", "[1 // c\r,2]", dotnet, arr(num("1"), num("2"))},
		{"line comment at end of input", "1 // c", dotnet, num("1")},
		{"block comments", "/* a */[/* b */1/* c */,/**/2/* d */]/***/", dotnet, arr(num("1"), num("2"))},
		{"block comment with stars", "[1/* ** * */]", dotnet, arr(num("1"))},
		{"comment before member name", `{/* c */"a":/* d */1}`, dotnet, obj(mem("a", num("1")))},
		{"single quoted string", `'it''s'`, DecodeOptions{DotNet: true, IgnoreTrailing: true}, str("it")},
		{"single quoted with double inside", `'say "hi"'`, dotnet, str(`say "hi"`)},
		{"escaped apostrophe", `['it\'s', "it\'s"]`, dotnet, arr(str("it's"), str("it's"))},
		{"single quoted name", `{'a b':1}`, dotnet, obj(mem("a b", num("1")))},
		{"unquoted names", `{a:1, $b_2 :2, 3c:3,名前:4}`, dotnet, obj(mem("a", num("1")), mem("$b_2", num("2")), mem("3c", num("3")), mem("名前", num("4")))},
		{"non-finite literals", `[NaN,Infinity,-Infinity]`, dotnet, arr(num("NaN"), num("Infinity"), num("-Infinity"))},
		{"trailing comma array", `[1,2,]`, dotnet, arr(num("1"), num("2"))},
		{"trailing comma object", `{"a":1, }`, dotnet, obj(mem("a", num("1")))},
		{"raw control characters", "\"a\tb\nc\x01\"", dotnet, str("a\tb\nc\x01")},
		{"dotnet whitespace", "\v\f[\u00a01\u2003]\u3000", dotnet, arr(num("1"))},
		{"only comments then value", "/**/ //x\n /* y */ true", dotnet, yes},
		{"strict input unchanged", `{"a":[1,"x"]}`, dotnet, obj(mem("a", arr(num("1"), str("x"))))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.give), tt.opt)
			wantNoError(t, err)
			wantValue(t, got, tt.want)
		})
	}
}

// nest returns n arrays nested in each other.
func nest(n int) codecs.Value {
	v := arr()
	for range n - 1 {
		v = arr(v)
	}
	return v
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("[", 100000)
	tests := []struct {
		name string
		give string
		opt  DecodeOptions
		want SyntaxError
	}{
		// Numbers.
		{"leading zero", `01`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character '1' after leading zero in numeric literal"}},
		{"negative leading zero", `-01`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character '1' after leading zero in numeric literal"}},
		{"dot without digits", `1.`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "unexpected end of JSON input"}},
		{"dot then bracket", `[1.]`, strict, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "invalid character ']' after decimal point in numeric literal"}},
		{"leading dot", `.5`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: "invalid character '.' looking for beginning of value"}},
		{"plus sign", `+1`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: "invalid character '+' looking for beginning of value"}},
		{"minus alone", `-`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "unexpected end of JSON input"}},
		{"minus letter", `-a`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'a' in numeric literal"}},
		{"exponent without digits", `1e`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "unexpected end of JSON input"}},
		{"exponent sign without digits", `[1e+]`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character ']' in exponent of numeric literal"}},
		{"hex number", `0x1F`, dotnet, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'x' after top-level value"}},
		{"NaN strict", `NaN`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: "invalid character 'N' looking for beginning of value"}},
		{"Infinity strict", `[Infinity]`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'I' looking for beginning of value"}},
		{"-Infinity strict", `-Infinity`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'I' in numeric literal"}},
		{"nan lower case", `nan`, dotnet, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'a' in literal null (expecting 'u')"}},
		{"Infinit truncated", `Infinit`, dotnet, SyntaxError{Offset: 7, Line: 1, Col: 8, Msg: "unexpected end of JSON input"}},

		// Literals.
		{"tru", `tru`, strict, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "unexpected end of JSON input"}},
		{"trux", `[trux]`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character 'x' in literal true (expecting 'e')"}},
		{"truex", `truex`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character 'x' after top-level value"}},
		{"bad literal", `x`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: "invalid character 'x' looking for beginning of value"}},
		{"bad literal at column 5", `[1, x]`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character 'x' looking for beginning of value", Path: "[0]"}},

		// Strings.
		{"unterminated string", `"abc`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "unexpected end of JSON input"}},
		{"unterminated after escape", `"abc\`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: "unexpected end of JSON input"}},
		{"bad escape", `"\x"`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character 'x' in string escape code"}},
		{"apostrophe escape strict", `"\'"`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: `invalid character '\'' in string escape code`}},
		{"bad unicode escape", `"\u12G4"`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: `invalid character 'G' in \u hexadecimal character escape`}},
		{"short unicode escape", `"\u12"`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: `invalid character '"' in \u hexadecimal character escape`}},
		{"bad second surrogate escape", `"\ud83d\u12"`, strict, SyntaxError{Offset: 11, Line: 1, Col: 12, Msg: `invalid character '"' in \u hexadecimal character escape`}},
		{"truncated unicode escape", `"\u00`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: "unexpected end of JSON input"}},
		{"raw newline strict", "\"a\nb\"", strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: `invalid character '\n' in string literal`}},
		{"raw tab strict", "[\"\t\"]", strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: `invalid character '\t' in string literal`}},
		{"single quotes strict", `'a'`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: `invalid character '\'' looking for beginning of value`}},
		{"unterminated single quote", `'abc`, dotnet, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "unexpected end of JSON input"}},

		// Objects.
		{"unquoted name strict", `{a:1}`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'a' looking for beginning of object key string"}},
		{"missing colon", `{"a" 1}`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: "invalid character '1' after object key"}},
		{"missing colon keeps previous path", `{"a":1,"b" 2}`, strict, SyntaxError{Offset: 11, Line: 1, Col: 12, Msg: "invalid character '2' after object key", Path: "a"}},
		{"missing comma", `{"a":1 "b":2}`, strict, SyntaxError{Offset: 7, Line: 1, Col: 8, Msg: `invalid character '"' after object key:value pair`, Path: "a"}},
		{"trailing comma object strict", `{"a":1,}`, strict, SyntaxError{Offset: 7, Line: 1, Col: 8, Msg: "invalid character '}' looking for beginning of object key string", Path: "a"}},
		{"leading comma object", `{,}`, dotnet, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character ',' looking for beginning of object key string"}},
		{"object closed by bracket", `{"a":1]`, strict, SyntaxError{Offset: 6, Line: 1, Col: 7, Msg: "invalid character ']' after object key:value pair", Path: "a"}},
		{"unexpected end in object", `{"a":1`, strict, SyntaxError{Offset: 6, Line: 1, Col: 7, Msg: "unexpected end of JSON input", Path: "a"}},
		{"unexpected end after colon", `{"a":`, strict, SyntaxError{Offset: 5, Line: 1, Col: 6, Msg: "unexpected end of JSON input", Path: "a"}},
		{"unexpected end after brace", `{`, strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "unexpected end of JSON input"}},
		{"invalid unquoted name char", `{a-b:1}`, dotnet, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character '-' in unquoted property name"}},
		{"unquoted name at end", `{ab`, dotnet, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "unexpected end of JSON input"}},
		{"comment between name and colon", `{"a"/*c*/:1}`, dotnet, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character '/' after object key"}},

		// Arrays.
		{"trailing comma array strict", `[1,]`, strict, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "invalid character ']' looking for beginning of value", Path: "[0]"}},
		{"empty element", `[1,,2]`, dotnet, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "invalid character ',' looking for beginning of value", Path: "[0]"}},
		{"array closed by brace", `[1}`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character '}' after array element", Path: "[0]"}},
		{"unexpected end in array", `[1,`, strict, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "unexpected end of JSON input", Path: "[0]"}},
		{"error in first item names the array", `{"a":[x]}`, strict, SyntaxError{Offset: 6, Line: 1, Col: 7, Msg: "invalid character 'x' looking for beginning of value", Path: "a"}},

		// Trailing data.
		{"trailing garbage", `{"a":1} x`, strict, SyntaxError{Offset: 8, Line: 1, Col: 9, Msg: "invalid character 'x' after top-level value"}},
		{"second value", `[1] [2]`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character '[' after top-level value"}},
		{"extra close", `{}}`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character '}' after top-level value"}},
		{"trailing comment strict", `1 // c`, strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: "invalid character '/' after top-level value"}},
		{"trailing garbage after comment", `1 /* c */ x`, dotnet, SyntaxError{Offset: 10, Line: 1, Col: 11, Msg: "invalid character 'x' after top-level value"}},
		{"trailing nul", "1\x00", strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: `invalid character '\x00' after top-level value`}},

		// Comments.
		{"comment strict", `// c`, strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: "invalid character '/' looking for beginning of value"}},
		{"unterminated block comment", `[1 /* c `, dotnet, SyntaxError{Offset: 8, Line: 1, Col: 9, Msg: "unexpected end of JSON input", Path: "[0]"}},
		{"slash alone", `/`, dotnet, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "unexpected end of JSON input"}},
		{"slash letter", `/x`, dotnet, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'x' in comment (expecting '/' or '*')"}},

		// Characters outside strings.
		{"invalid utf8 outside string", "\xff", strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: `invalid character '\xff' looking for beginning of value`}},
		{"non-ascii outside string", "[é]", strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: "invalid character 'é' looking for beginning of value"}},
		{"nbsp strict", "\u00a01", strict, SyntaxError{Offset: 0, Line: 1, Col: 1, Msg: `invalid character '\u00a0' looking for beginning of value`}},
		{"bom not at start", "1\xef\xbb\xbf", strict, SyntaxError{Offset: 1, Line: 1, Col: 2, Msg: `invalid character '\ufeff' after top-level value`}},
		{"bom twice", "\xef\xbb\xbf\xef\xbb\xbf1", dotnet, SyntaxError{Offset: 3, Line: 1, Col: 1, Msg: `invalid character '\ufeff' looking for beginning of value`}},

		// Positions: lines, columns in characters, BOM not counted.
		{"bom then error", "\xef\xbb\xbfx", strict, SyntaxError{Offset: 3, Line: 1, Col: 1, Msg: "invalid character 'x' looking for beginning of value"}},
		{"crlf and characters", "{\r\n  \"é\": x}", strict, SyntaxError{Offset: 11, Line: 2, Col: 8, Msg: "invalid character 'x' looking for beginning of value", Path: "é"}},
		{"lf lines", "[\n1,\n2,\nx]", strict, SyntaxError{Offset: 8, Line: 4, Col: 1, Msg: "invalid character 'x' looking for beginning of value", Path: "[1]"}},
		{"cr lines", "[\r1,\r\rx]", strict, SyntaxError{Offset: 6, Line: 4, Col: 1, Msg: "invalid character 'x' looking for beginning of value", Path: "[0]"}},
		{"error on a newline", "[1\n\n", strict, SyntaxError{Offset: 4, Line: 3, Col: 1, Msg: "unexpected end of JSON input", Path: "[0]"}},
		{"raw cr strict", "\"a\r\n\"", strict, SyntaxError{Offset: 2, Line: 1, Col: 3, Msg: `invalid character '\r' in string literal`}},

		// Paths.
		{"path of nested member", `{"UserRoles":[{"RoleID":1},{"RoleID":x}]}`, strict, SyntaxError{Offset: 37, Line: 1, Col: 38, Msg: "invalid character 'x' looking for beginning of value", Path: "UserRoles[1].RoleID"}},
		{"path of first nested member", `{"UserRoles":[{"RoleID":"1","PartnerID":tru}]}`, strict, SyntaxError{Offset: 43, Line: 1, Col: 44, Msg: "invalid character '}' in literal true (expecting 'e')", Path: "UserRoles[0].PartnerID"}},
		{"path after closed sibling", `{"a":{"b":1}x}`, strict, SyntaxError{Offset: 12, Line: 1, Col: 13, Msg: "invalid character 'x' after object key:value pair", Path: "a"}},
		{"path of new empty object", `[1,{x}]`, strict, SyntaxError{Offset: 4, Line: 1, Col: 5, Msg: "invalid character 'x' looking for beginning of object key string", Path: "[1]"}},
		{"path of nested arrays", `[1,[2,{"x":[3, x]}]]`, strict, SyntaxError{Offset: 15, Line: 1, Col: 16, Msg: "invalid character 'x' looking for beginning of value", Path: "[1][1].x[0]"}},
		{"path with special name", `{"a.b":[1, x]}`, strict, SyntaxError{Offset: 11, Line: 1, Col: 12, Msg: "invalid character 'x' looking for beginning of value", Path: "['a.b'][0]"}},
		{"path with apostrophe name", `{"x":{"it's":x}}`, strict, SyntaxError{Offset: 13, Line: 1, Col: 14, Msg: "invalid character 'x' looking for beginning of value", Path: `x['it\'s']`}},
		{"path with line separator name", "{\"a\u2028\":x}", strict, SyntaxError{Offset: 8, Line: 1, Col: 7, Msg: "invalid character 'x' looking for beginning of value", Path: `['a\u2028']`}},
		{"path with plain non-ascii name", `{"名前":x}`, strict, SyntaxError{Offset: 10, Line: 1, Col: 7, Msg: "invalid character 'x' looking for beginning of value", Path: "名前"}},

		// Depth.
		{"depth exceeded", `[[[[1]]]]`, DecodeOptions{MaxDepth: 3}, SyntaxError{Offset: 3, Line: 1, Col: 4, Msg: "exceeded max depth of 3", Path: "[0][0][0]"}},
		{"depth exceeded in object", `{"a":{"b":{}}}`, DecodeOptions{MaxDepth: 2}, SyntaxError{Offset: 10, Line: 1, Col: 11, Msg: "exceeded max depth of 2", Path: "a.b"}},
		{"default depth", strings.Repeat("[", 129), strict, SyntaxError{Offset: 128, Line: 1, Col: 129, Msg: "exceeded max depth of 128", Path: strings.Repeat("[0]", 128)}},
		{"negative depth is default", strings.Repeat("[", 129), DecodeOptions{MaxDepth: -1}, SyntaxError{Offset: 128, Line: 1, Col: 129, Msg: "exceeded max depth of 128", Path: strings.Repeat("[0]", 128)}},
		{"very deep input", deep, strict, SyntaxError{Offset: 128, Line: 1, Col: 129, Msg: "exceeded max depth of 128", Path: strings.Repeat("[0]", 128)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.give), tt.opt)
			wantSyntaxError(t, err, tt.want)
		})
	}
}

func TestDecodeEmpty(t *testing.T) {
	tests := []struct {
		name string
		give string
		opt  DecodeOptions
	}{
		{"nil", "", strict},
		{"whitespace", " \t\r\n ", strict},
		{"bom", "\xef\xbb\xbf", strict},
		{"bom whitespace", "\xef\xbb\xbf\r\n", strict},
		{"comments only", "// nothing\n/* at all */ ", dotnet},
		{"dotnet whitespace", "\v\f\u00a0", dotnet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.give), tt.opt)
			wantErrorIs(t, err, ErrEmpty)
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{"root", `[1,2,x]`, "jsoncodec: invalid character 'x' looking for beginning of value at line 1, column 6 (offset 5), path '[1]'"},
		{"no path", `    x`, "jsoncodec: invalid character 'x' looking for beginning of value at line 1, column 5 (offset 4)"},
		{"eof", "{\n\"a\":", "jsoncodec: unexpected end of JSON input at line 2, column 5 (offset 6), path 'a'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.give), strict)
			wantErrorText(t, err, tt.want)
		})
	}
}

// TestDecodeVeryDeepAllowed shows that a raised limit is safe: the parser
// does not recurse, so deep nesting costs memory, not stack.
func TestDecodeVeryDeepAllowed(t *testing.T) {
	const n = 300_000
	data := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	v, err := Decode(data, DecodeOptions{MaxDepth: n})
	wantNoError(t, err)
	depth := 0
	for ; len(v.Items) > 0; v = v.Items[0] {
		depth++
	}
	wantText(t, "depth", strconv.Itoa(depth+1), strconv.Itoa(n))
}

// TestDecodeIndependentOfInput checks that the result does not alias the
// input buffer, and that pooled decoder state does not leak between calls.
func TestDecodeIndependentOfInput(t *testing.T) {
	data := []byte(`{"name":"value","list":["a","b"]}`)
	v, err := Decode(data, strict)
	wantNoError(t, err)
	for i := range data {
		data[i] = 'x'
	}
	_, err = Decode([]byte(`[1,2,3,{"other":[4,5]}]`), strict)
	wantNoError(t, err)
	wantValue(t, v, obj(mem("name", str("value")), mem("list", arr(str("a"), str("b")))))
}
