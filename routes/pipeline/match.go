package pipeline

import (
	"net/http"

	"legacygate/routes/contract"
)

// Match is the router's answer for a request: which route it matched and
// what the route itself says. It is handed explicitly to the handler and
// to each style method that depends on the route (Negotiate, Read); the
// log record (Info) is filled from it, never read back as an input.
type Match struct {
	// Op is the matched operation (the operation's handler fills it in);
	// nil when no route matched (a routing error worded by a host's style).
	Op *contract.Operation
	// Route is the matched template as mounted ("/service/RegisterUser/{Role}").
	Route string
	// Params are the route's path variables in template order.
	Params []Param
	// Format is the format the route itself names: the segment of
	// /{format}/reply/{Op}, a custom route's .ext suffix, or json for
	// /api/{Op} (ServiceStack); empty when the route names none.
	Format string
	// Predefined marks ServiceStack's predefined routes, whose query
	// string only fills what the body left empty.
	Predefined bool
	// Client is the client's address as the server's IP extractor
	// resolved it (X-Forwarded-For or X-Real-IP only from a trusted
	// proxy); empty means the connection's peer.
	Client string
}

// Param is one path variable of a matched route.
type Param struct{ Name, Value string }

// MatchHandler is a handler that takes the router's Match. The router
// calls ServeMatch on route handlers that implement it and ServeHTTP on
// the others (pages that do not depend on the match).
type MatchHandler interface {
	ServeMatch(w http.ResponseWriter, r *http.Request, m Match)
}
