package contract

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// SuperRole is the role both legacy stacks treat as passing every role
// check (ServiceStack's RoleNames.Admin). It is privileged in every
// contract: no request ever assigns it.
const SuperRole = "Admin"

// AnonymousCaller is the by_role key, and the log name, of a caller who did
// not sign in.
const AnonymousCaller = "anonymous"

// RolePolicy says which roles the user a register operation creates may be
// given by the request itself (the path, a role member or a roles list).
// Roles the operation's default_roles give are not requests and always
// apply.
type RolePolicy struct {
	// Members are the request members whose values are requested roles:
	// the member mapped to command.roles and any other listed.
	Members []string
	// Anonymous lists the roles a caller who did not sign in may request.
	Anonymous []string
	// ByRole lists, per role of a signed-in caller, the roles it may
	// request; a caller may request the union over its roles.
	ByRole map[string][]string
	// Privileged roles are never assignable through a request, whatever
	// Anonymous or ByRole say; SuperRole always is one.
	Privileged []string
}

// IsPrivileged reports whether role may never be requested.
func (p *RolePolicy) IsPrivileged(role string) bool {
	if strings.EqualFold(role, SuperRole) {
		return true
	}
	for _, r := range p.Privileged {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// Allows reports whether a caller (anonymous, or holding callerRoles) may
// request role.
func (p *RolePolicy) Allows(anonymous bool, callerRoles []string, role string) bool {
	if anonymous {
		return containsFold(p.Anonymous, role)
	}
	for _, cr := range callerRoles {
		if containsFold(p.ByRole[cr], role) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// compileRoles checks an operation's roles: block.
func (c *compiler) compileRoles(op *Operation, rr *rawRoles) {
	if rr == nil {
		return
	}
	if op.Action != ActionRegister {
		c.errorf(rr.pos, "operation %s: roles belongs to a register operation", op.Name)
	}
	for _, m := range rr.Members {
		if op.Request != nil && op.Request.Member(m) == nil {
			c.errorf(rr.pos, "operation %s: roles.members names unknown member %s.%s", op.Name, op.Request.Name, m)
		}
	}
	p := &RolePolicy{Members: rr.Members, Anonymous: rr.Anonymous, ByRole: rr.ByRole, Privileged: rr.Privileged}
	for _, r := range rr.Anonymous {
		if p.IsPrivileged(r) {
			c.errorf(rr.pos, "operation %s: roles.anonymous lists privileged role %q", op.Name, r)
		}
	}
	for caller, rs := range rr.ByRole {
		for _, r := range rs {
			if p.IsPrivileged(r) {
				c.errorf(rr.pos, "operation %s: roles.by_role.%s lists privileged role %q", op.Name, caller, r)
			}
		}
	}
	op.RolePolicy = p
}

func (r *rawRoles) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRoles
	return decodeStrict(n, (*plain)(r), &r.pos)
}
