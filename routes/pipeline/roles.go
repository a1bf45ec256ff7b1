package pipeline

import (
	"fmt"
	"net/http"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/mapping"
	"legacygate/routes/pipeline/validate"
)

// checkRoles is the one place a register request's requested roles meet
// the contract's role policy (mapping.CheckRoles). caller is nil
// for a caller who did not sign in. An anonymous request for a role it may
// not assign is a validation failure of the member that carried it (the
// host's 400); a signed-in caller without the right gets the host's 403,
// as ServiceStack's [RequiredRole] answers AssignRoles.
func (h *Handler) checkRoles(in *Input, bound codecs.Value, caller *backend.User) *Problem {
	op := h.Op
	var roles []string
	if caller != nil {
		roles = caller.Roles
	}
	ref := mapping.CheckRoles(op, bound, caller == nil, roles)
	if ref == nil {
		return nil
	}
	why := "may not be assigned by an anonymous caller"
	switch {
	case ref.Privileged:
		why = "is privileged and is never assigned through registration"
	case caller != nil:
		why = "may not be assigned by this caller"
	}
	msg := fmt.Sprintf("The role '%s' %s.", ref.Role, why)
	if caller != nil {
		return &Problem{Kind: Forbidden, Status: http.StatusForbidden, Empty: true, Reason: "Invalid Role",
			Err: fmt.Errorf("role %q refused: %s", ref.Role, why)}
	}
	f := validate.Failure{Path: ref.Member, Member: op.Request.Member(ref.Member),
		Rule: contract.Rule{Code: "RoleNotAssignable", Message: msg}, Message: msg}
	p := h.Style.Invalid(op, in, nil, []validate.Failure{f})
	p.Err = fmt.Errorf("role %q refused: %s", ref.Role, why)
	return p
}
