package contract_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
)

// base is the shared test contract (contracttest.Base).
const base = contracttest.Base

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
		// One placeholder syntax per style: the taken value is {0} on a Web
		// API host ({PropertyValue} on ServiceStack); {value} is refused.
		{"conflict {value}", "command: {username: User, password: Pass, email: Mail}\n    conflicts: {username: {key: model.User, message: 'Name {value} is taken.'}}", "command: {username: User, password: Pass, email: Mail}", `conflicts.username: a conflict message names the taken value as {0}`},
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

// TestOneSchemaTree: the contract annotates the codecs schema rather than
// keeping a tree of its own: each member is the schema's field itself
// (renaming it renames the field), a member's type is that field's node,
// and a base is the schema's base.
func TestOneSchemaTree(t *testing.T) {
	h := load(t, strings.Replace(base, "  Resp:\n    members:", "  Resp:\n    base: Entity\n    members:", 1)+`
  Entity:
    members:
      - {name: Id, type: guid, from: user.uuid}
`)
	for name, typ := range h.Types {
		if len(typ.Members) != len(typ.Fields) {
			t.Fatalf("%s: %d members, %d fields", name, len(typ.Members), len(typ.Fields))
		}
		for i, m := range typ.Members {
			if m.Field != &typ.Fields[i] || m.Type.Schema() != typ.Fields[i].Type {
				t.Errorf("%s.%s is not the schema's field %d", name, m.Name, i)
			}
		}
	}
	resp := h.Types["Resp"]
	if resp.Parent() != h.Types["Entity"] || resp.Base != h.Types["Entity"].Schema() {
		t.Fatalf("Resp's base: %v / %v", resp.Parent(), resp.Base)
	}
	resp.Members[0].Name = "Renamed"
	if f, ok := resp.Schema().Field("Renamed"); !ok || f.Type != resp.Members[0].Type.Schema() {
		t.Error("renaming a member did not rename the schema's field")
	}
	if got := h.Types["Req"].CLRNamespace(); got != "T.Models" || h.Types["Req"].Namespace != "http://schemas.datacontract.org/2004/07/T.Models" {
		t.Errorf("Req namespace %q / %q", got, h.Types["Req"].Namespace)
	}
}
