package contract_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
)

const base = `
host: t
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Register
    action: register
    routes: [{method: POST, path: /r}]
    request: Req
    parameter: model
    response: Resp
    command: {username: User, password: Pass, email: Mail}
types:
  Req:
    namespace: T.Models
    members:
      - {name: User, type: string, rules: [required]}
      - {name: Mail, type: string, rules: [email]}
      - {name: Pass, type: string, secret: true, rules: [required, {length: {min: 4, max: 8}}]}
      - {name: Confirm, type: string, secret: true, rules: [{compare: Pass}]}
      - {name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}
      - {name: Partner, type: "int?"}
      - {name: Active, type: "bool?"}
      - {name: Id, type: "guid?"}
      - {name: Tags, type: "[]string"}
      - {name: Born, type: "datetime?"}
  Resp:
    members:
      - {name: ID, type: int, from: user.id}
      - {name: Name, type: string, from: user.username}
      - {name: Partner, type: "int?", from: user.attr.Partner}
      - {name: Missing, type: int}
      - {name: Flag, type: bool, from: "true"}
      - {name: Roles, type: "[]Role", from: user.roles}
  Role:
    members:
      - {name: RoleID, type: int, from: item}
`

func load(t *testing.T, src string) *contract.Host {
	t.Helper()
	h, err := contract.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// goType matches what a YAML decoder says of Go types (contract.rawRule,
// []string, struct { Min int }).
var goType = regexp.MustCompile(`contract\.|\bstruct\b|\[\]string|!!\w+|unmarshal`)

// TestLengthListForm: {length: [2, 50]} is {length: {min: 2, max: 50}}.
func TestLengthListForm(t *testing.T) {
	a := load(t, strings.Replace(base, "{name: User, type: string, rules: [required]}", "{name: User, type: string, rules: [required, {length: [2, 50]}]}", 1))
	b := load(t, strings.Replace(base, "{name: User, type: string, rules: [required]}", "{name: User, type: string, rules: [required, {length: {min: 2, max: 50}}]}", 1))
	ra, rb := a.Types["Req"].Members, b.Types["Req"].Members
	for i := range ra {
		if ra[i].Name == "User" && !reflect.DeepEqual(ra[i].Rules, rb[i].Rules) {
			t.Fatalf("list form %+v, mapping form %+v", ra[i].Rules, rb[i].Rules)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		give string // replaces the first occurrence of the 'from' text in base
		from string
		want string // substring of the error, with its position
	}{
		{"unknown top key", "hostx: t", "host: t", `t.yaml:2:1: hostx: unknown key "hostx"`},
		{"bad style", "style: soap", "style: webapi", `style: "soap" is not one of webapi, servicestack`},
		{"unknown member key", "{name: Age, typ: int}", "{name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}", `unknown key "typ"`},
		{"unknown type", "{name: Age, type: integer}", "{name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}", `t.yaml:22:9: types.Req.members[4]: Req.Age: unknown type "integer"`},
		{"unknown rule", "rules: [requird]", "rules: [required]", `unknown rule "requird"`},
		{"compare unknown", "{compare: Pas}", "{compare: Pass}", `compare names unknown member "Pas"`},
		{"bad action", "action: delete", "action: register", `action "delete" is not one of`},
		{"command member", "username: Usr", "username: User", `command.username names unknown member Req.Usr`},
		{"bad expr", "from: user.nope", "from: user.id", `unknown user field "nope"`},
		{"length on int", "{name: Age, type: int, rules: [{maxlength: 3}]}", "{name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}", `rule maxlength applies to strings, not int`},
		{"range on string", "{name: User, type: string, rules: [{range: {min: 1, max: 2}}]}", "{name: User, type: string, rules: [required]}", `rule range applies to numbers, not string`},
		{"bad media type", "media_types: [json]", "media_types: [application/json]", `format "json"`},
		{"response type", "response: Nope", "response: Resp", `unknown response type "Nope"`},
		{"list from a scalar", `{name: Roles, type: "[]Role", from: user.username}`, `{name: Roles, type: "[]Role", from: user.roles}`, `a list member maps from user.roles`},
		// Rule arguments: both shapes of bounds, no Go type in any message,
		// and fractional bounds refused rather than truncated.
		{"range max 9.5", "{name: Age, type: int, rules: [{range: {min: 1, max: 9.5}}]}", "{name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}", `max must be a whole number, found "9.5"`},
		{"length as a mapping of text", "{name: User, type: string, rules: [{length: {min: a}}]}", "{name: User, type: string, rules: [required]}", `rule length: min must be a whole number, found "a"`},
		{"length of three", "{name: User, type: string, rules: [{length: [1, 2, 3]}]}", "{name: User, type: string, rules: [required]}", `rule length: takes [min, max], found a list of 3`},
		{"password as a list", "{name: User, type: string, rules: [{password: [1]}]}", "{name: User, type: string, rules: [required]}", `rule password: found a list where a mapping is expected`},
		{"member as a list", "{name: Age, type: [int]}", "{name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}", `t.yaml:22:1: types.Req.members[4]: found a list where text is expected`},
		{"scalar from roles", "{name: Name, type: string, from: user.roles}", "{name: Name, type: string, from: user.username}", `user.roles is a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contract.Load("t.yaml", []byte(strings.Replace(base, tt.from, tt.give, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if goType.MatchString(err.Error()) {
				t.Errorf("error names a Go type: %v", err)
			}
		})
	}
}

func TestBind(t *testing.T) {
	h := load(t, base)
	req := h.Operation("Register").Request
	tests := []struct {
		name     string
		give     codecs.Value
		want     codecs.Value
		wantErrs []string // paths
	}{
		{
			name: "exact and folded names, schema order, unknown dropped",
			give: codecs.Obj(codecs.M("pass", codecs.Str("x")), codecs.M("USER", codecs.Str("a")), codecs.M("Other", codecs.Str("z"))),
			want: codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("x"))),
		},
		{
			name: "last duplicate wins",
			give: codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("User", codecs.Str("b"))),
			want: codecs.Obj(codecs.M("User", codecs.Str("b"))),
		},
		{
			name: "Json.NET coercions",
			give: codecs.Obj(codecs.M("User", codecs.Num("12")), codecs.M("Mail", codecs.BoolV(true)), codecs.M("Age", codecs.Str(" 42 ")),
				codecs.M("Partner", codecs.Str("")), codecs.M("Active", codecs.Str("TRUE")), codecs.M("Id", codecs.Str("{0F8FAD5B-D9CB-469F-A165-70867728950E}"))),
			want: codecs.Obj(codecs.M("User", codecs.Str("12")), codecs.M("Mail", codecs.Str("True")), codecs.M("Age", codecs.Num("42")),
				codecs.M("Partner", codecs.Value{}), codecs.M("Active", codecs.BoolV(true)), codecs.M("Id", codecs.Str("0f8fad5b-d9cb-469f-a165-70867728950e"))),
		},
		{
			name:     "conversion failures are reported and left out",
			give:     codecs.Obj(codecs.M("Age", codecs.Str("abc")), codecs.M("Partner", codecs.Num("1.5")), codecs.M("Active", codecs.Str("yes")), codecs.M("User", codecs.Obj())),
			want:     codecs.Obj(),
			wantErrs: []string{"Age", "Partner", "Active", "User"},
		},
		{
			name:     "null into a value type",
			give:     codecs.Obj(codecs.M("Age", codecs.Value{}), codecs.M("Partner", codecs.Value{})),
			want:     codecs.Obj(codecs.M("Partner", codecs.Value{})),
			wantErrs: []string{"Age"},
		},
		{
			name:     "list items keep their index in the path",
			give:     codecs.Obj(codecs.M("Tags", codecs.Arr(codecs.Str("a"), codecs.Obj()))),
			want:     codecs.Obj(),
			wantErrs: []string{"Tags[1]"},
		},
		{
			name:     "not an object",
			give:     codecs.Arr(),
			want:     codecs.Obj(),
			wantErrs: []string{""},
		},
		{
			name: "null body binds an empty object",
			give: codecs.Value{},
			want: codecs.Obj(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := contract.Bind(req, tt.give, contract.BindOptions{})
			if !got.Equal(tt.want) {
				t.Errorf("bound %+v, want %+v", got, tt.want)
			}
			var paths []string
			for _, e := range errs {
				paths = append(paths, e.Path)
			}
			if strings.Join(paths, ",") != strings.Join(tt.wantErrs, ",") {
				t.Errorf("error paths %q, want %q", paths, tt.wantErrs)
			}
		})
	}
}

type names struct{}

func (names) Message(r contract.Rule, m *contract.Member, _ *contract.Member, _ codecs.Value) string {
	return m.Name + ":" + string(r.Kind)
}

func TestValidate(t *testing.T) {
	h := load(t, base)
	req := h.Operation("Register").Request
	tests := []struct {
		name string
		give codecs.Value
		want string
	}{
		{"all good", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), ""},
		{"required: null, empty, white space", codecs.Obj(codecs.M("User", codecs.Str(" \t"))), "User:required Pass:required"},
		{"all rules of a member run", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("")), codecs.M("Confirm", codecs.Str(""))), "Pass:required Pass:length"},
		{"length counts UTF-16 units", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("😀😀😀")), codecs.M("Confirm", codecs.Str("😀😀😀"))), ""},
		{"length max", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("123456789")), codecs.M("Confirm", codecs.Str("123456789"))), "Pass:length"},
		{"compare against null fails", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Pass", codecs.Str("abcd"))), "Confirm:compare"},
		{"email", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Mail", codecs.Str("nope")), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), "Mail:email"},
		{"email with angle brackets", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Mail", codecs.Str("<a@b.c>")), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), "Mail:email"},
		{"range", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Age", codecs.Num("151")), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), "Age:range"},
		{"range inside", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Age", codecs.Num("150")), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), ""},
		{"email null passes", codecs.Obj(codecs.M("User", codecs.Str("a")), codecs.M("Mail", codecs.Value{}), codecs.M("Pass", codecs.Str("abcd")), codecs.M("Confirm", codecs.Str("abcd"))), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range contract.Validate(req, tt.give, names{}) {
				got = append(got, f.Message)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
}

func TestCommandAndResponse(t *testing.T) {
	h := load(t, base)
	op := h.Operation("Register")
	bound := codecs.Obj(codecs.M("User", codecs.Str("ann")), codecs.M("Mail", codecs.Str("a@b.c")), codecs.M("Pass", codecs.Str("pw")),
		codecs.M("Confirm", codecs.Str("pw")), codecs.M("Partner", codecs.Num("7")), codecs.M("Tags", codecs.Arr(codecs.Str("x"), codecs.Str("y"))))
	cmd := op.Command(bound, "realm1")
	if cmd.Realm != "realm1" || cmd.Username != "ann" || cmd.Email != "a@b.c" || cmd.Password != "pw" {
		t.Fatalf("command %+v", cmd)
	}
	wantAttrs := []backend.Attribute{{Name: "Partner", Value: "7"}, {Name: "Tags", Value: `["x","y"]`}}
	if len(cmd.Attributes) != len(wantAttrs) || cmd.Attributes[0] != wantAttrs[0] || cmd.Attributes[1] != wantAttrs[1] {
		t.Fatalf("attributes %+v, want %+v (secrets and mapped members excluded)", cmd.Attributes, wantAttrs)
	}
	user := backend.User{ID: 5, Username: "ann", Roles: []string{"3", "4"}, Attributes: cmd.Attributes}
	got := op.Respond(contract.Source{User: user, Request: bound})
	want := codecs.Obj(
		codecs.M("ID", codecs.Num("5")), codecs.M("Name", codecs.Str("ann")), codecs.M("Partner", codecs.Num("7")),
		codecs.M("Missing", codecs.Num("0")), codecs.M("Flag", codecs.BoolV(true)),
		codecs.M("Roles", codecs.Arr(codecs.Obj(codecs.M("RoleID", codecs.Num("3"))), codecs.Obj(codecs.M("RoleID", codecs.Num("4"))))),
	)
	if !got.Equal(want) {
		t.Fatalf("response\n got %+v\nwant %+v", got, want)
	}
}

func TestParseGuid(t *testing.T) {
	tests := []struct{ give, want string }{
		{"0f8fad5bd9cb469fa16570867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"(0f8fad5b-d9cb-469f-a165-70867728950e)", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{" {0f8fad5b-d9cb-469f-a165-70867728950e} ", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"0f8fad5b-d9cb-469f-a165-70867728950", ""},
		{"zf8fad5bd9cb469fa16570867728950e", ""},
	}
	for _, tt := range tests {
		got, _ := contract.ParseGuid(tt.give)
		if got != tt.want {
			t.Errorf("ParseGuid(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// TestInheritedMembers: base members follow own members (Json.NET's
// reflection order) in binding and responses, and the flattened list is
// built once at load, not per request.
func TestInheritedMembers(t *testing.T) {
	h := load(t, strings.Replace(base, "  Resp:\n    members:", "  Resp:\n    base: Entity\n    members:", 1)+`
  Entity:
    members:
      - {name: Id, type: guid, from: user.uuid}
`)
	op := h.Operation("Register")
	got := op.Respond(contract.Source{User: backend.User{ID: 1, UUID: "0f8fad5b-d9cb-469f-a165-70867728950e"}})
	last := got.Members[len(got.Members)-1]
	if last.Name != "Id" || last.Value.Str != "0f8fad5b-d9cb-469f-a165-70867728950e" {
		t.Fatalf("last member %+v, want the inherited Id", last)
	}
	if n := testing.AllocsPerRun(100, func() { _ = op.Response.AllMembers() }); n != 0 {
		t.Errorf("AllMembers allocates %v times per call", n)
	}
}
