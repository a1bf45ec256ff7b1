package mapping_test

import (
	"testing"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/mapping"
	"legacygate/routes/pipeline/validate"
)

// names formats a failure as "Member:rule".
type names struct{}

func (names) Message(r contract.Rule, m *contract.Member, _ *contract.Member, _ codecs.Value) string {
	return m.Name + ":" + string(r.Kind)
}

func TestWholeRequest(t *testing.T) {
	h := contracttest.Load(t, contracttest.Whole)
	imp := h.Operation("Import").Request
	if imp.Ref == nil || imp.Schema().Name != "ArrayOfItem" {
		t.Fatalf("Import request %+v", imp)
	}
	in := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("a"))), codecs.Obj(codecs.M("name", codecs.Str("")), codecs.M("Count", codecs.Num("70000"))))
	bound, errs := bind.Request(imp, in, bind.Options{})
	if len(errs) != 1 || errs[0].Path != "[1].Count" {
		t.Errorf("bind errors %v, want one at [1].Count", errs)
	}
	want := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("a"))), codecs.Obj(codecs.M("Name", codecs.Str(""))))
	if !bound.Equal(want) {
		t.Errorf("bound %v, want %v", bound, want)
	}
	fails := validate.Request(imp, bound, names{})
	if len(fails) != 1 || fails[0].Path != "[1].Name" {
		t.Errorf("failures %+v, want one at [1].Name", fails)
	}
	if v, errs := bind.Request(imp, codecs.Obj(), bind.Options{}); len(errs) != 1 || !v.IsNull() {
		t.Errorf("an object for a list: %v %v", v, errs)
	}
	if v, errs := bind.Request(imp, codecs.Value{}, bind.Options{}); len(errs) != 0 || !v.IsNull() {
		t.Errorf("an empty body: %v %v", v, errs)
	}

	byKey := h.Operation("Id").Request
	bound, _ = bind.Request(byKey, codecs.Obj(codecs.M("k", codecs.Obj())), bind.Options{})
	if fails := validate.Request(byKey, bound, names{}); len(fails) != 1 || fails[0].Path != "['k'].Name" {
		t.Errorf("failures %+v, want one at ['k'].Name", fails)
	}

	check := h.Operation("Check")
	bound, errs = bind.Request(check.Request, codecs.Str("bob"), bind.Options{})
	if len(errs) > 0 || mapping.Command(check, bound, "r").Username != "bob" {
		t.Errorf("scalar request: %v %v %q", bound, errs, mapping.Command(check, bound, "r").Username)
	}
}

func TestWholeResponse(t *testing.T) {
	h := contracttest.Load(t, contracttest.Whole)
	src := mapping.Source{User: backend.User{ID: 42, Username: "u", Roles: []string{"A", "B"}}}
	got := mapping.Respond(h.Operation("Import"), src)
	want := codecs.Arr(codecs.Obj(codecs.M("Name", codecs.Str("A"))), codecs.Obj(codecs.M("Name", codecs.Str("B"))))
	if !got.Equal(want) {
		t.Errorf("list response %v, want %v", got, want)
	}
	if got := mapping.Respond(h.Operation("Id"), src); !got.Equal(codecs.Num("42")) {
		t.Errorf("long response %v", got)
	}
	if s := h.Operation("Import").Response.Schema(); s.Name != "ArrayOfRole" || s.Shape != codecs.ListShape {
		t.Errorf("response schema %+v", s)
	}
}
