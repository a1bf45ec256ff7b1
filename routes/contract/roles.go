package contract

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"legacygate/codecs"
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

// Privileged reports whether role may never be requested.
func (p *RolePolicy) privileged(role string) bool {
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

// RoleRefusal is a requested role the caller may not assign.
type RoleRefusal struct {
	Member string // the request member that carried it
	Role   string
	// Privileged is set for a role no request may ever assign.
	Privileged bool
}

// CheckRoles returns the first role bound requests that a caller holding
// callerRoles (nil and anonymous=true for a caller who did not sign in)
// may not assign, or nil. An operation without a policy allows no
// requested role at all.
func (op *Operation) CheckRoles(bound codecs.Value, anonymous bool, callerRoles []string) *RoleRefusal {
	p := op.RolePolicy
	if p == nil {
		p = &RolePolicy{}
	}
	members := p.Members
	if m := op.Mapping["roles"]; m != "" && !contains(members, m) {
		members = append([]string{m}, members...)
	}
	for _, m := range members {
		v, ok := bound.Get(m)
		if !ok {
			continue
		}
		for _, role := range roleTexts(v) {
			if role == "" {
				continue
			}
			if p.privileged(role) {
				return &RoleRefusal{Member: m, Role: role, Privileged: true}
			}
			if !p.allows(anonymous, callerRoles, role) {
				return &RoleRefusal{Member: m, Role: role}
			}
		}
	}
	return nil
}

func (p *RolePolicy) allows(anonymous bool, callerRoles []string, role string) bool {
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

// roleTexts lists the role names a bound value holds: one scalar, or the
// items of a list.
func roleTexts(v codecs.Value) []string {
	switch v.Kind {
	case codecs.Null:
		return nil
	case codecs.Array:
		out := make([]string, 0, len(v.Items))
		for _, it := range v.Items {
			out = append(out, Text(it))
		}
		return out
	}
	return []string{Text(v)}
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
		if p.privileged(r) {
			c.errorf(rr.pos, "operation %s: roles.anonymous lists privileged role %q", op.Name, r)
		}
	}
	for caller, rs := range rr.ByRole {
		for _, r := range rs {
			if p.privileged(r) {
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
