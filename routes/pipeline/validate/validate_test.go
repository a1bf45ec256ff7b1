package validate_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/validate"
)

type names struct{}

func (names) Message(r contract.Rule, m *contract.Member, _ *contract.Member, _ codecs.Value) string {
	return m.Name + ":" + string(r.Kind)
}

func TestValidate(t *testing.T) {
	h := contracttest.Load(t, contracttest.Base)
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
			for _, f := range validate.Request(req, tt.give, names{}) {
				got = append(got, f.Message)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
}
