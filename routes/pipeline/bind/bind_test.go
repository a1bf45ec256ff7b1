package bind_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/bind"
)

func TestBind(t *testing.T) {
	h := contracttest.Load(t, contracttest.Base)
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
			got, errs := bind.Request(req, tt.give, bind.Options{})
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
		got, _ := bind.ParseGuid(tt.give)
		if got != tt.want {
			t.Errorf("ParseGuid(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// TestEnumExplicitValues: enum members with explicit values (C# counting
// on from the last explicit one) bind by name in any case and by number by
// value, not position.
func TestEnumExplicitValues(t *testing.T) {
	h := contracttest.Load(t, contracttest.OpHost+`
  Level:
    enum: [Low, {Mid: 4}, High, {Neg: -1}]
  Req:
    members:
      - {name: Name, type: string}
      - {name: L, type: Level}
`)
	req := h.Operation("Op").Request
	// Binding: names in any case, and numbers by value (not position).
	for _, tt := range []struct {
		give codecs.Value
		want string
		ok   bool
	}{
		{codecs.Num("5"), "High", true},
		{codecs.Num("4"), "Mid", true},
		{codecs.Num("-1"), "Neg", true},
		{codecs.Num("1"), "", false}, // position 1, but no member is 1
		{codecs.Str("mid"), "Mid", true},
		{codecs.Str("4"), "Mid", true},
	} {
		got, errs := bind.Request(req, codecs.Obj(codecs.M("L", tt.give)), bind.Options{})
		v, _ := got.Get("L")
		if ok := len(errs) == 0; ok != tt.ok || ok && v.Str != tt.want {
			t.Errorf("L=%v: %v %v, want %q ok=%v", tt.give, v, errs, tt.want, tt.ok)
		}
	}
}
