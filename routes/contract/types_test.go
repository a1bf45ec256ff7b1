package contract_test

import (
	"strings"
	"testing"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
)

// wide declares one member of each type added for issue 11.
const wide = `
host: w
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Put
    action: register
    routes: [{method: POST, path: /w}]
    request: Wide
    parameter: model
    response: Wide
    command: {username: Name}
types:
  Wide:
    members:
      - {name: Name, type: string}
      - {name: B, type: byte, rules: [{range: [1, 200]}]}
      - {name: SB, type: sbyte}
      - {name: S, type: short}
      - {name: US, type: ushort}
      - {name: UI, type: uint}
      - {name: UL, type: ulong}
      - {name: MaybeUL, type: "ulong?"}
      - {name: TS, type: timespan}
      - {name: MaybeTS, type: "timespan?"}
      - {name: Bytes, type: "[]byte", rules: [required]}
      - {name: Tags, type: "set[string]", rules: [{minlength: 1}]}
      - {name: Ids, type: "set[int]"}
      - {name: Grid, type: "[][]string"}
`

// TestBindWideTypes: each row is what Json.NET (6, on Mono) does with
// the JSON value, converting it into the member's .NET type; "!" rows
// are the ones it refuses ("Error converting value 256 to type
// 'System.Byte'").
func TestBindWideTypes(t *testing.T) {
	req := load(t, wide).Operation("Put").Request
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
			got, errs := contract.Bind(req, codecs.Obj(codecs.M(tt.member, tt.give)), contract.BindOptions{})
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
	req := load(t, wide).Operation("Put").Request
	for give, want := range map[string]string{"P1DT2H": "1.02:00:00", "PT1.5S": "00:00:01.5000000", "90": "00:01:30", "01:00:00": "01:00:00"} {
		got, errs := contract.Bind(req, codecs.Obj(codecs.M("TS", codecs.Str(give))), contract.BindOptions{FoldOnly: true, TextSpans: true})
		v, _ := got.Get("TS")
		if len(errs) > 0 || v.Str != want {
			t.Errorf("%q: bound %v %v, want %q", give, v, errs, want)
		}
	}
}

func TestValidateWideTypes(t *testing.T) {
	req := load(t, wide).Operation("Put").Request
	tests := []struct {
		give codecs.Value
		want string // failing members, comma-separated
	}{
		{codecs.Obj(codecs.M("B", codecs.Num("201")), codecs.M("Bytes", codecs.Str("AQ=="))), "B:range"},
		{codecs.Obj(codecs.M("B", codecs.Num("200")), codecs.M("Bytes", codecs.Str("AQ=="))), ""},
		{codecs.Obj(codecs.M("B", codecs.Num("5"))), "Bytes:required"},
		// An empty byte[] is not null: [Required] passes it.
		{codecs.Obj(codecs.M("B", codecs.Num("5")), codecs.M("Bytes", codecs.Str("")), codecs.M("Tags", codecs.Arr())), "Tags:minlength"},
	}
	for _, tt := range tests {
		fails := contract.Validate(req, tt.give, names{})
		var got []string
		for _, f := range fails {
			got = append(got, f.Message)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("%v: failures %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestWideTypeSpecs(t *testing.T) {
	h := load(t, wide)
	w := h.Types["Wide"]
	tests := []struct {
		member, name, ns string
		set              bool
	}{
		{"B", "unsignedByte", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"SB", "byte", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"TS", "duration", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"Bytes", "base64Binary", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"Tags", "ArrayOfstring", "http://schemas.microsoft.com/2003/10/Serialization/Arrays", true},
		{"Grid", "ArrayOfArrayOfstring", "http://schemas.microsoft.com/2003/10/Serialization/Arrays", false},
	}
	for _, tt := range tests {
		m := w.Member(tt.member)
		if m == nil || m.Type.Schema.Name != tt.name || m.Type.Schema.Namespace != tt.ns || m.Type.Schema.Set != tt.set {
			t.Errorf("%s: schema %+v", tt.member, m.Type.Schema)
		}
	}
	if !w.Member("Bytes").Type.Nullable || w.Member("TS").Type.Nullable || !w.Member("MaybeTS").Type.Nullable {
		t.Error("nullability of byte[] and TimeSpan")
	}
}

func TestWideTypeSpecErrors(t *testing.T) {
	tests := []struct{ give, want string }{
		{"set[string", `type "set[string": a set is written set[T]`},
		{"set[[]int]", `a set holds scalars or objects, not collections`},
		{"map[int]string", `dictionary keys are strings`},
		{"[]byte?", `[]byte is already nullable`},
		{"string?", `string is already nullable`},
		{"uint8", `unknown type "uint8" (built-in types: string, bool, int`},
		{"[][][][][][][][][][]int", `nests more than 8 collections`},
	}
	for _, tt := range tests {
		src := strings.Replace(wide, `{name: Name, type: string}`, `{name: Name, type: string}
      - {name: X, type: "`+tt.give+`"}`, 1)
		_, err := contract.Load("w.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "w.yaml:18:9: types.Wide.members[1]") {
			t.Errorf("%s: got %v, want a positioned error containing %q", tt.give, err, tt.want)
		}
		if err != nil && goType.MatchString(err.Error()) {
			t.Errorf("error names a Go type: %v", err)
		}
	}
}

// whole declares operations whose request or response is a list, a
// dictionary or a scalar as a whole.
const whole = `
host: whole
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Import
    action: register
    routes: [{method: POST, path: /import}]
    request: "[]Item"
    parameter: items
    command: {username: .}
    response: "[]Role"
    response_from: user.roles
  - name: Check
    action: is_available
    routes: [{method: POST, path: /check}]
    request: string
    parameter: name
    command: {username: .}
    response: bool
  - name: Id
    action: register
    routes: [{method: POST, path: /id}]
    request: "map[string]Item"
    parameter: byKey
    command: {username: .}
    response: long
    response_from: user.id
types:
  Item:
    members:
      - {name: Name, type: string, rules: [required]}
      - {name: Count, type: ushort}
  Role:
    members:
      - {name: Name, type: string, from: item}
`

func TestWholeRequest(t *testing.T) {
	h := load(t, whole)
	imp := h.Operation("Import").Request
	if imp.Ref == nil || imp.Schema.Name != "ArrayOfItem" {
		t.Fatalf("Import request %+v", imp)
	}
	in := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("a"))), codecs.Obj(codecs.M("name", codecs.Str("")), codecs.M("Count", codecs.Num("70000"))))
	bound, errs := contract.Bind(imp, in, contract.BindOptions{})
	if len(errs) != 1 || errs[0].Path != "[1].Count" {
		t.Errorf("bind errors %v, want one at [1].Count", errs)
	}
	want := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("a"))), codecs.Obj(codecs.M("Name", codecs.Str(""))))
	if !bound.Equal(want) {
		t.Errorf("bound %v, want %v", bound, want)
	}
	fails := contract.Validate(imp, bound, names{})
	if len(fails) != 1 || fails[0].Path != "[1].Name" {
		t.Errorf("failures %+v, want one at [1].Name", fails)
	}
	if v, errs := contract.Bind(imp, codecs.Obj(), contract.BindOptions{}); len(errs) != 1 || !v.IsNull() {
		t.Errorf("an object for a list: %v %v", v, errs)
	}
	if v, errs := contract.Bind(imp, codecs.Value{}, contract.BindOptions{}); len(errs) != 0 || !v.IsNull() {
		t.Errorf("an empty body: %v %v", v, errs)
	}

	byKey := h.Operation("Id").Request
	bound, _ = contract.Bind(byKey, codecs.Obj(codecs.M("k", codecs.Obj())), contract.BindOptions{})
	if fails := contract.Validate(byKey, bound, names{}); len(fails) != 1 || fails[0].Path != "['k'].Name" {
		t.Errorf("failures %+v, want one at ['k'].Name", fails)
	}

	check := h.Operation("Check")
	bound, errs = contract.Bind(check.Request, codecs.Str("bob"), contract.BindOptions{})
	if len(errs) > 0 || check.Command(bound, "r").Username != "bob" {
		t.Errorf("scalar request: %v %v %q", bound, errs, check.Command(bound, "r").Username)
	}
}

func TestWholeResponse(t *testing.T) {
	h := load(t, whole)
	src := contract.Source{User: backend.User{ID: 42, Username: "u", Roles: []string{"A", "B"}}}
	got := h.Operation("Import").Respond(src)
	want := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("A"))), codecs.Obj(codecs.M("Name", codecs.Str("B"))))
	if !got.Equal(want) {
		t.Errorf("list response %v, want %v", got, want)
	}
	if got := h.Operation("Id").Respond(src); !got.Equal(codecs.Num("42")) {
		t.Errorf("long response %v", got)
	}
	if s := h.Operation("Import").Response.Schema; s.Name != "ArrayOfRole" || s.Shape != codecs.ListShape {
		t.Errorf("response schema %+v", s)
	}
}

func TestWholeTypeErrors(t *testing.T) {
	tests := []struct{ from, give, want string }{
		{"command: {username: .}\n    response: \"[]Role\"", "command: {username: Name}\n    response: \"[]Role\"", `command.username: request []Item has no members; map the whole request with "."`},
		{"response_from: user.id", "response_from: user.nope", `response_from: unknown user field "nope"`},
		{"style: webapi", "style: servicestack", `a ServiceStack request is a DTO`},
		{"response: bool", "response: Item\n    response_from: user.id", `response_from is for a list, set, dictionary or scalar response`},
		{"response: bool", "response: \"[]Nope\"", `response: unknown type "Nope"`},
	}
	for _, tt := range tests {
		_, err := contract.Load("whole.yaml", []byte(strings.Replace(whole, tt.from, tt.give, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.give, err, tt.want)
		}
	}
}
