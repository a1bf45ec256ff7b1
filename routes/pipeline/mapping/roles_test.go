package mapping_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/mapping"
)

// withRoles is contracttest.Base with Tags mapped to command.roles and a
// policy.
func withRoles(policy string) string {
	return strings.Replace(contracttest.Base, "command: {username: User, password: Pass, email: Mail}", "command: {username: User, password: Pass, email: Mail, roles: Tags}\n    roles:\n"+policy, 1)
}

func TestCheckRoles(t *testing.T) {
	h := contracttest.Load(t, withRoles("      privileged: [Boss]\n      anonymous: [Customer]\n      by_role: {Partner: [Client, Customer]}\n"))
	op := h.Operations[0]
	req := func(roles ...string) codecs.Value {
		items := make([]codecs.Value, len(roles))
		for i, r := range roles {
			items[i] = codecs.Str(r)
		}
		return codecs.Obj(codecs.M("User", codecs.Str("u")), codecs.M("Tags", codecs.Arr(items...)))
	}
	tests := []struct {
		name       string
		give       codecs.Value
		anonymous  bool
		caller     []string
		wantRole   string // "" = allowed
		privileged bool
	}{
		{"no roles", codecs.Obj(codecs.M("User", codecs.Str("u"))), true, nil, "", false},
		{"anonymous Customer", req("customer"), true, nil, "", false},
		{"anonymous Client", req("Client"), true, nil, "Client", false},
		{"anonymous Admin", req("Customer", "ADMIN"), true, nil, "ADMIN", true},
		{"partner Client", req("Client", "Customer"), false, []string{"Partner"}, "", false},
		{"partner Boss", req("Boss"), false, []string{"Partner"}, "Boss", true},
		{"partner Admin", req("Admin"), false, []string{"Partner", "Admin"}, "Admin", true},
		{"plain user Client", req("Client"), false, []string{"Customer"}, "Client", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := mapping.CheckRoles(op, tt.give, tt.anonymous, tt.caller)
			switch {
			case tt.wantRole == "" && ref != nil:
				t.Fatalf("refused %+v", ref)
			case tt.wantRole != "" && (ref == nil || ref.Role != tt.wantRole || ref.Privileged != tt.privileged || ref.Member != "Tags"):
				t.Fatalf("got %+v, want %s (privileged %v)", ref, tt.wantRole, tt.privileged)
			}
		})
	}
}
