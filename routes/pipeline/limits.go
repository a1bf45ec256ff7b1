package pipeline

import (
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/validate"
)

// checkLimits refuses a decoded request that exceeds the configured
// limits (members, keys and items per collection, nesting depth, string
// length) with the host's 400, before anything binds or is stored.
func (h *Handler) checkLimits(in *Input) *Problem {
	e := h.Limits.Check(in.Value, h.Op.Request.Schema())
	if e == nil {
		return nil
	}
	msg := "The request has " + e.Msg
	if e.Path != "" {
		msg += " at " + e.Path
	}
	msg += "."
	f := validate.Failure{Path: e.Path, Rule: contract.Rule{Code: "LimitExceeded", Message: msg}, Message: msg}
	p := h.Style.Invalid(h.Op, in, nil, []validate.Failure{f})
	p.Err = e
	return p
}
