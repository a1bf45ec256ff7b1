package pipeline

import (
	"context"

	"legacygate/backend"
)

// Info is what the request log line says about a request beyond method,
// path and status. The access-log middleware creates it; the pipeline fills
// it in.
type Info struct {
	RequestID   string
	Host        string
	Op          string
	Format      string
	Negotiation string
	// User is the user the request acted on or as: the caller of an
	// operation that required sign-in, the account a registration created,
	// a sign-in opened or an activation activated. The log line carries its
	// id and uuid, never its name or email. UserEvent says what happened
	// to it ("registered", "activated", "signed_in"), when anything did.
	User      *backend.User
	UserEvent string
	// Client is the client's address (X-Forwarded-For or X-Real-IP only
	// from a trusted proxy).
	Client string
	// RouteFormat is the format a route itself names: the segment of
	// /{format}/reply/{Op}, a custom route's .ext suffix, or json for
	// /api/{Op} (ServiceStack).
	RouteFormat string
	// Predefined marks ServiceStack's predefined routes, whose query
	// string only fills what the body left empty.
	Predefined bool
	// Redirect, when set by the operation, answers 302 with this Location.
	Redirect string
	// Params are the route's path variables in template order.
	Params []Param
	Err    error
}

// Param is one path variable of a matched route.
type Param struct{ Name, Value string }

type infoKey struct{}

// WithInfo returns a context carrying info.
func WithInfo(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// InfoFrom returns the request's Info; a throwaway one when there is none.
func InfoFrom(ctx context.Context) *Info {
	if i, ok := ctx.Value(infoKey{}).(*Info); ok {
		return i
	}
	return &Info{}
}
