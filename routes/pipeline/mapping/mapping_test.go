package mapping_test

import (
	"strings"
	"testing"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/mapping"
)

func TestCommandAndResponse(t *testing.T) {
	h := contracttest.Load(t, contracttest.Base)
	op := h.Operation("Register")
	bound := codecs.Obj(codecs.M("User", codecs.Str("ann")), codecs.M("Mail", codecs.Str("a@b.c")), codecs.M("Pass", codecs.Str("pw")),
		codecs.M("Confirm", codecs.Str("pw")), codecs.M("Partner", codecs.Num("7")), codecs.M("Tags", codecs.Arr(codecs.Str("x"), codecs.Str("y"))))
	cmd := mapping.Command(op, bound, "realm1")
	if cmd.Realm != "realm1" || cmd.Username != "ann" || cmd.Email != "a@b.c" || cmd.Password != "pw" {
		t.Fatalf("command %+v", cmd)
	}
	wantAttrs := []backend.Attribute{{Name: "Partner", Value: "7"}, {Name: "Tags", Value: `["x","y"]`}}
	if len(cmd.Attributes) != len(wantAttrs) || cmd.Attributes[0] != wantAttrs[0] || cmd.Attributes[1] != wantAttrs[1] {
		t.Fatalf("attributes %+v, want %+v (secrets and mapped members excluded)", cmd.Attributes, wantAttrs)
	}
	user := backend.User{ID: 5, Username: "ann", Roles: []string{"3", "4"}, Attributes: cmd.Attributes}
	got := mapping.Respond(op, mapping.Source{User: user, Request: bound})
	want := codecs.Obj(
		codecs.M("ID", codecs.Num("5")), codecs.M("Name", codecs.Str("ann")), codecs.M("Partner", codecs.Num("7")),
		codecs.M("Missing", codecs.Num("0")), codecs.M("Flag", codecs.BoolV(true)),
		codecs.M("Roles", codecs.Arr(codecs.Obj(codecs.M("RoleID", codecs.Num("3"))), codecs.Obj(codecs.M("RoleID", codecs.Num("4"))))),
	)
	if !got.Equal(want) {
		t.Fatalf("response\n got %+v\nwant %+v", got, want)
	}
}

// TestInheritedMembers: base members follow own members (Json.NET's
// reflection order) in binding and responses, and the flattened list is
// built once at load, not per request.
func TestInheritedMembers(t *testing.T) {
	h := contracttest.Load(t, strings.Replace(contracttest.Base, "  Resp:\n    members:", "  Resp:\n    base: Entity\n    members:", 1)+`
  Entity:
    members:
      - {name: Id, type: guid, from: user.uuid}
`)
	op := h.Operation("Register")
	got := mapping.Respond(op, mapping.Source{User: backend.User{ID: 1, UUID: "0f8fad5b-d9cb-469f-a165-70867728950e"}})
	last := got.Members[len(got.Members)-1]
	if last.Name != "Id" || last.Value.Str != "0f8fad5b-d9cb-469f-a165-70867728950e" {
		t.Fatalf("last member %+v, want the inherited Id", last)
	}
	if n := testing.AllocsPerRun(100, func() { _ = op.Response.AllMembers() }); n != 0 {
		t.Errorf("AllMembers allocates %v times per call", n)
	}
}
