package contract_test

import (
	"strings"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
)

// withRoles is base with Tags mapped to command.roles and a policy.
func withRoles(policy string) string {
	src := strings.Replace(contracttest.Base, "command: {username: User, password: Pass, email: Mail}", "command: {username: User, password: Pass, email: Mail, roles: Tags}\n    roles:\n"+policy, 1)
	return src
}

func TestRolePolicyLoadErrors(t *testing.T) {
	tests := []struct{ name, policy, want string }{
		{"Admin for anonymous", "      anonymous: [Admin]\n", `roles.anonymous lists privileged role "Admin"`},
		{"privileged by role", "      privileged: [Boss]\n      by_role: {Partner: [boss]}\n", `roles.by_role.Partner lists privileged role "boss"`},
		{"unknown member", "      members: [Nope]\n", `roles.members names unknown member Req.Nope`},
		{"unknown key", "      anon: [x]\n", `unknown key "anon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contract.Load("t.yaml", []byte(withRoles(tt.policy)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}
