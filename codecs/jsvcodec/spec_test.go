package jsvcodec

import (
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

var tPerson = object("Person", "Id", tInt, "Name", tString, "Age", tIntN, "Tags", listOf("List<string>", tString))

// decodeCases: one row per spec rule, typed or schemaless.
var decodeCases = []struct {
	sec, in string
	t       *codecs.Type
	opt     DecodeOptions
	want    codecs.Value
}{
	{"§1 BOM stripped", "\uFEFF{Id:1}", tPerson, DecodeOptions{}, obj(mem("Id", num("1")))},
	{"§2 schemaless object", "{a:1,b:[x,y],c:{d:}}", nil, DecodeOptions{}, obj(mem("a", str("1")), mem("b", arr(str("x"), str("y"))), mem("c", obj(mem("d", null))))},
	{"§2 scalar not cut by ] : space", "{Name:a]b: c d}", tPerson, DecodeOptions{}, obj(mem("Name", str("a]b: c d")))},
	{"§2 quoted value with braces", `{Name:"{a,b}"}`, tPerson, DecodeOptions{}, obj(mem("Name", str("{a,b}")))},
	{"§2 key trimmed, value raw", "{ Name : x }", tPerson, DecodeOptions{}, obj(mem("Name", str(" x ")))},
	{"§2 quoted key", `{"Name":x}`, tPerson, DecodeOptions{}, obj(mem("Name", str("x")))},
	{"§2.1 lenient trims values", "{\n\tName: x ,\n\tId: 2\n}\n", tPerson, DecodeOptions{Lenient: true}, obj(mem("Name", str("x")), mem("Id", num("2")))},
	{"§2.1 lenient nested", "{\n\tTags: \n\t[\n\t\ta,\n\t\tb\n\t]\n}", tPerson, DecodeOptions{Lenient: true}, obj(mem("Tags", arr(str("a"), str("b"))))},
	{"§2.1 list items not trimmed", "{Tags:[a, b]}", tPerson, DecodeOptions{}, obj(mem("Tags", arr(str("a"), str(" b"))))},
	{"§2.1 whitespace-only list", "{Tags:[ ]}", tPerson, DecodeOptions{}, obj(mem("Tags", arr()))},
	{"§2.1 empty map with spaces", "{ }", tPerson, DecodeOptions{}, obj()},
	{"§3.2 doubled quotes", `{Name:"a""b"}`, tPerson, DecodeOptions{}, obj(mem("Name", str(`a"b`)))},
	{"§3.2 unquoted keeps quotes", `{Name:a""b}`, tPerson, DecodeOptions{}, obj(mem("Name", str(`a""b`)))},
	{"§3.2 empty quoted", `{Name:""}`, tPerson, DecodeOptions{}, obj(mem("Name", str("")))},
	{"§3.2 unterminated quote", `{Name:"abc}`, tPerson, DecodeOptions{}, obj(mem("Name", str("abc")))},
	{"§4 case-insensitive, contract name", "{nAME:x,ID:3}", tPerson, DecodeOptions{}, obj(mem("Name", str("x")), mem("Id", num("3")))},
	{"§4 unknown ignored", "{Foo:{a:1},Id:1}", tPerson, DecodeOptions{}, obj(mem("Id", num("1")))},
	{"§4 duplicates kept in order", "{Id:1,Id:2}", tPerson, DecodeOptions{}, obj(mem("Id", num("1")), mem("Id", num("2")))},
	{"§4 bad value dropped", "{Id:x,Name:y}", tPerson, DecodeOptions{}, obj(mem("Name", str("y")))},
	{"§4 missing } tolerated", "{Id:1", tPerson, DecodeOptions{}, obj(mem("Id", num("1")))},
	{"§4 base chain", "{Extra:1,Id:2}", func() *codecs.Type { t := object("D", "Extra", tInt); t.Base = tPerson; return t }(), DecodeOptions{}, obj(mem("Extra", num("1")), mem("Id", num("2")))},
	{"§5.1 brackets optional (DecodeValue)", "a,b", listOf("List<string>", tString), DecodeOptions{}, arr(str("a"), str("b"))},
	{"§5.1 string list empties", "[a,,b,]", listOf("List<string>", tString), DecodeOptions{}, arr(str("a"), null, str("b"), null)},
	{"§5.1 List<int> trailing comma", "[1,2,]", listOf("List<int>", tInt), DecodeOptions{}, arr(num("1"), num("2"))},
	{"§5.1 List<long> empty item default", "[1,,2]", listOf("List<long>", tLong), DecodeOptions{}, arr(num("1"), num("0"), num("2"))},
	{"§5.1 list of objects", "[{Id:1},{Id:2}]", listOf("List<Person>", tPerson), DecodeOptions{}, arr(obj(mem("Id", num("1"))), obj(mem("Id", num("2"))))},
	{"§5.1 string[] double strip", "[[a,b]]", listOf("string[]", tString), DecodeOptions{}, arr(str("a"), str("b"))},
	{"§5.2 byte[] base64", "AQL/", tBytes, DecodeOptions{}, str("AQL/")},
	{"§5.2 byte[] list", "[1,2,255]", tBytes, DecodeOptions{}, str("AQL/")},
	{"§5.3 map", `{a:1,"b,c":"x""y",e:}`, tStringMap, DecodeOptions{}, obj(mem("a", str("1")), mem("b,c", str(`x"y`)), mem("e", null))},
	{"§5.3 map keys not trimmed", "{ a :1}", tStringMap, DecodeOptions{}, obj(mem(" a ", str("1")))},
	{"§5.3 Dictionary<string,HashSet<string>>", "{k:[a,b],e:[],n:}", mapOf(listOf("HashSet<string>", tString)), DecodeOptions{}, obj(mem("k", arr(str("a"), str("b"))), mem("e", arr()), mem("n", null))},
	{"§5.3 Dictionary<string,object>", "{a:{A:1}}", mapOf(nil), DecodeOptions{}, obj(mem("a", str("{A:1}")))},
	{"§6 empty token is null", "{Name:,Age:}", tPerson, DecodeOptions{}, obj(mem("Name", null), mem("Age", null))},
	{"§6 int empty dropped", "{Id:}", tPerson, DecodeOptions{}, obj()},
	{"§7.1 bools", "[1,t,y,on,off,0,TRUE,false]", listOf("List<bool>", tBool), DecodeOptions{}, arr(yes, yes, yes, yes, no, no, yes, no)},
	{"§7.2 ints canonical", "[ 007 ,-0,-12]", listOf("List<long>", tLong), DecodeOptions{}, arr(num("7"), num("0"), num("-12"))},
	{"§7.3 decimal scale", "[1.50,+2,1.5E1,-0.00]", listOf("List<decimal>", tDecimal), DecodeOptions{}, arr(num("1.50"), num("2"), num("15"), num("0.00"))},
	{"§7.3 double", "[0.1,1e20,1E-05,NaN,-Infinity,100]", listOf("List<double>", tDouble), DecodeOptions{}, arr(num("0.1"), num("1E+20"), num("1E-05"), num("NaN"), num("-Infinity"), num("100"))},
	{"§7.4 enum", "[red,GREEN,1]", listOf("List<Color>", enumOf("Color", "Red", "Green")), DecodeOptions{}, arr(str("Red"), str("Green"), str("Green"))},
	{"§7.5 guid forms", "[0123456789ABCDEF0123456789abcdef,{01234567-89ab-cdef-0123-456789abcdef}]", listOf("List<Guid>", tGuid), DecodeOptions{}, arr(str("01234567-89ab-cdef-0123-456789abcdef"), str("01234567-89ab-cdef-0123-456789abcdef"))},
	{"§7.6 dates", "[2020-01-02,2020-01-02T03:04:05Z,2020-01-02T03:04:05,2020-01-02T03:04:05.5+01:00]", listOf("List<DateTime>", tDate), DecodeOptions{}, arr(
		codecs.TimeV(time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), codecs.Local),
		codecs.TimeV(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), codecs.Local),
		codecs.TimeV(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), codecs.Unspecified),
		codecs.TimeV(time.Date(2020, 1, 2, 2, 4, 5, 5e8, time.UTC), codecs.Local))},
	{"§7.7 DateTimeOffset", "2020-01-02T03:04:05.0000000+02:00", tDTO, DecodeOptions{}, codecs.TimeV(time.Date(2020, 1, 2, 1, 4, 5, 0, time.UTC), codecs.Offset)},
	{"§7.8 TimeSpan", "[PT1H30M,01:30:00,90,P1D]", listOf("List<TimeSpan>", tTimeSpan), DecodeOptions{}, arr(str("PT1H30M"), str("PT1H30M"), str("PT1M30S"), str("P1D"))},
	{"§7.9 nullable empty", "{A:,B:,C:}", object("N", "A", tGuidN, "B", tDateN, "C", tBoolN), DecodeOptions{}, obj(mem("A", null), mem("B", null), mem("C", null))},
}

func TestDecodeSpec(t *testing.T) {
	for _, c := range decodeCases {
		var got codecs.Value
		var err error
		if strings.Contains(c.sec, "DecodeValue") {
			got, err = DecodeValue(c.in, c.t, c.opt)
		} else {
			got, err = Decode([]byte(c.in), c.t, c.opt)
		}
		if err != nil {
			t.Errorf("%s: Decode(%q): %v", c.sec, c.in, err)
			continue
		}
		wantValue(t, c.sec+" "+c.in, got, c.want)
	}
}

// TestDecodeErrors (§8): what ServiceStack throws, with byte offsets.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		sec, in string
		t       *codecs.Type
		off     int
	}{
		{"§8 not starting with {", "Id:1", tPerson, 0},
		{"§8 member without :", "{abc}", tPerson, 1},
		{"§8 trailing comma", "{Id:1,}", tPerson, 6},
		{"§8 trailing newline", "{Id:1}\n", tPerson, 6},
		{"§8 List<int> bad item", "[1,x]", listOf("List<int>", tInt), 3},
		{"§8 list of objects with space", "[{Id:1}, {Id:2}]", listOf("List<Person>", tPerson), 8},
		{"§8 max depth", strings.Repeat("[", 140), nil, 64},
		{"§8 top-level int", "abc", tInt, 0},
	} {
		_, err := Decode([]byte(c.in), c.t, DecodeOptions{})
		wantSyntaxError(t, c.sec, err, c.off)
	}
	if _, err := Decode(nil, tPerson, DecodeOptions{}); err != ErrEmpty {
		t.Errorf("§6 empty input: %v", err)
	}
	if _, err := Decode([]byte("{Id:x}"), tPerson, DecodeOptions{Strict: true}); err == nil {
		t.Errorf("§4 Strict: bad value accepted")
	}
	// §8 characters after a nested value: the next key is ",C", dropped.
	v, err := Decode([]byte("{Tags:[a] ,Name:x}"), tPerson, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, "§8 out of sync", v, obj(mem("Tags", arr(str("a")))))
}

// TestDecodeValueSpec (§11): query-string binding.
func TestDecodeValueSpec(t *testing.T) {
	tSalesRepQ := object("SalesRep", "Id", tInt, "Name", tString)
	for _, c := range []struct {
		sec, in string
		t       *codecs.Type
		want    codecs.Value
	}{
		{"§11 string raw", `"a,b"`, tString, str(`"a,b"`)},
		{"§11 bool before comma", "true,false", tBool, yes},
		{"§11 list without brackets", "1,2,3", listOf("List<int>", tInt), arr(num("1"), num("2"), num("3"))},
		{"§11 quoted item", `a,"b,c"`, listOf("List<string>", tString), arr(str("a"), str("b,c"))},
		{"§11 object", "{id:1,name:x}", tSalesRepQ, obj(mem("Id", num("1")), mem("Name", str("x")))},
		{"§11 empty skipped", "", tInt, null},
	} {
		got, err := DecodeValue(c.in, c.t, DecodeOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.sec, err)
			continue
		}
		wantValue(t, c.sec, got, c.want)
	}
}

// TestEncodeSpec (§3.1, §4, §5, §7, §10).
func TestEncodeSpec(t *testing.T) {
	g := "01234567-89ab-cdef-0123-456789abcdef"
	for _, c := range []struct {
		sec  string
		v    codecs.Value
		t    *codecs.Type
		opt  Options
		want string
	}{
		{"§3.1 quoting", arr(str(""), str("a b"), str(" A "), str(`a"b`), str("a:b"), str("a,b"), str("{"), str("]"), str("a\nb"), str("é\\/'")), nil, Options{}, "[\"\",a b, A ,\"a\"\"b\",\"a:b\",\"a,b\",\"{\",\"]\",\"a\nb\",é\\/']"},
		{"§4 nulls omitted", obj(mem("Id", num("1")), mem("Name", null), mem("Tags", arr())), tPerson, Options{}, "{Id:1,Tags:[]}"},
		{"§4 empty object", obj(), object("Empty", "Name", tString, "Age", tIntN), Options{}, "{}"},
		// A .NET host binds to its DTO first: a value-type member the value
		// lacks is written with its default, in declaration order.
		{"§4 value-type defaults", obj(mem("Name", str("n"))), tPerson, Options{}, "{Id:0,Name:n}"},
		{"§4 null value type", obj(mem("Name", str("n")), mem("Id", codecs.Value{})), tPerson, Options{}, "{Id:0,Name:n}"},
		{"§5.1 null items", arr(str("a"), null, str("b")), listOf("List<string>", tString), Options{}, "[a,,b]"},
		{"§5.2 bytes", str("AQL/"), tBytes, Options{}, "AQL/"},
		{"§5.3 map keys quoted, nulls skipped", obj(mem("a,b", str("1")), mem("", str("x")), mem("n", null)), tStringMap, Options{CamelCase: true}, `{"a,b":1,"":x}`},
		{"§7.1 bools", arr(yes, no), nil, Options{}, "[True,False]"},
		{"§7.2 ints", num("007"), tInt, Options{}, "7"},
		{"§7.3 decimal", num("1.50"), tDecimal, Options{}, "1.50"},
		{"§7.3 double", arr(num("1e20"), num("0.00001"), num("123456789012345"), num("1e15")), listOf("List<double>", tDouble), Options{}, "[1E+20,1E-05,123456789012345,1E+15]"},
		{"§7.4 enum", num("1"), enumOf("C", "Red", "Green"), Options{}, "Green"},
		{"§7.5 guid", str(g), tGuid, Options{}, "0123456789abcdef0123456789abcdef"},
		{"§7.6 date only", codecs.TimeV(minTime, codecs.Unspecified), tDate, Options{}, "0001-01-01"},
		{"§7.6 utc fraction", codecs.TimeV(time.Date(2020, 1, 2, 3, 4, 5, 1e6, time.UTC), codecs.UTC), tDate, Options{}, "2020-01-02T03:04:05.0010000Z"},
		{"§7.6 local", codecs.TimeV(time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)), codecs.Local), tDate, Options{}, "2020-01-02T03:04:05+01:00"},
		{"§7.7 offset", codecs.TimeV(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), codecs.Offset), tDTO, Options{}, "2020-01-02T03:04:05.0000000+00:00"},
		{"§7.8 timespan", arr(str("PT0S"), str("1.02:03:04.5"), str("-PT1S")), listOf("List<TimeSpan>", tTimeSpan), Options{}, "[PT0S,P1DT2H3M4.5S,-PT1S]"},
		{"§10 camelCase", obj(mem("ID", num("1")), mem("EMail", str("x")), mem("PartnerUserID", num("2")), mem("URLValue", str("u"))), nil, Options{CamelCase: true}, "{id:1,eMail:x,partnerUserID:2,urlValue:u}"},
	} {
		got := mustAppend(t, c.v, c.t, c.opt)
		wantText(t, c.sec, got, c.want)
	}
}

// TestPrettySpec (§9) against JsvFormatterTests and the quirks.
func TestPrettySpec(t *testing.T) {
	for _, c := range []struct{ sec, in, want string }{
		{"§9 flat", "{Id:1,Name:Name}", "{\n\tId: 1,\n\tName: Name\n}"},
		{"§9 nested", "{A:{B:1}}", "{\n\tA: \n\t{\n\t\tB: 1\n\t}\n}"},
		{"§9 inline empty", "{Tags:[],M:{}}", "{\n\tTags: [],\n\tM: {}\n}"},
		{"§9 date quirk", "[2020-01-01T10:00:00Z]", "[\n\t2020-01-01T10: 00:00Z\n]"},
		{"§9 top-level empty", "{}", "{\n\t\n}"},
		{"§9 comma in string", `{A:"x,y",B:1}`, "{\n\tA: \"x,y\",\n\tB: 1\n}"},
		{"§9 empty", "", ""},
	} {
		wantText(t, c.sec, string(Pretty(nil, []byte(c.in))), c.want)
	}
}

// TestStringsSurvive (§3): awkward strings survive encode→decode exactly.
func TestStringsSurvive(t *testing.T) {
	ss := []string{"a,b", `"q"`, `""`, "{x}", "[y]", "k:v", "line\nbreak\r\n", "  lead", "trail  ", "héllo wörld ✓ 日本", `\`, "'", "a}b", "]", "=&?"}
	for _, s := range ss {
		v := obj(mem("Id", num("0")), mem("Name", str(s)), mem("Tags", arr(str(s), str(s))))
		out := mustAppend(t, v, tPerson, Options{})
		back, err := Decode([]byte(out), tPerson, DecodeOptions{})
		if err != nil {
			t.Fatalf("§3 %q: %v", out, err)
		}
		wantValue(t, "§3 "+out, back, v)
		m := obj(mem(s, str(s)))
		{ // quoted keys round-trip too (a real ServiceStack.Text halves doubled quotes)
			out = mustAppend(t, m, tStringMap, Options{})
			back, err = Decode([]byte(out), tStringMap, DecodeOptions{})
			if err != nil {
				t.Fatalf("§3 map %q: %v", out, err)
			}
			wantValue(t, "§3 map "+out, back, m)
		}
	}
}
