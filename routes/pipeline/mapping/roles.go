package mapping

import (
	"slices"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

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
func CheckRoles(op *contract.Operation, bound codecs.Value, anonymous bool, callerRoles []string) *RoleRefusal {
	p := op.RolePolicy
	if p == nil {
		p = &contract.RolePolicy{}
	}
	members := p.Members
	if m := op.Mapping["roles"]; m != "" && !slices.Contains(members, m) {
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
			if p.IsPrivileged(role) {
				return &RoleRefusal{Member: m, Role: role, Privileged: true}
			}
			if !p.Allows(anonymous, callerRoles, role) {
				return &RoleRefusal{Member: m, Role: role}
			}
		}
	}
	return nil
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
