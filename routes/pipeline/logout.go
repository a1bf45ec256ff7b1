package pipeline

import (
	"context"
	"errors"
	"net/http"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// AuthVerb is what a request of an authenticate operation asks for. A
// framework may serve its sign-in operation on more routes and verbs than
// sign-in (ServiceStack's AuthenticateService: sign-out, the session
// query, DELETE); the style mounts each with [WithAuthVerb].
type AuthVerb uint8

// Authenticate verbs.
const (
	// AuthSignIn checks credentials and opens a session (the default).
	AuthSignIn AuthVerb = iota
	// AuthLogout ends the caller's session and tells the client to
	// forget it.
	AuthLogout
	// AuthSession answers the caller's own session, or the host's 401.
	AuthSession
	// AuthDelete removes the caller's session from the store and leaves
	// the client's cookies alone.
	AuthDelete
	// AuthNoMethod: the framework routes the verb to the operation but
	// its service has no method for it.
	AuthNoMethod
)

type authVerbKey struct{}

// WithAuthVerb wraps the handler of an authenticate operation for a route
// that asks for v instead of a sign-in.
func WithAuthVerb(next http.Handler, v AuthVerb) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authVerbKey{}, v)))
	})
}

// Logout wraps the handler of an authenticate operation for its sign-out
// route (WithAuthVerb with AuthLogout).
func Logout(next http.Handler) http.Handler { return WithAuthVerb(next, AuthLogout) }

func authVerbOf(ctx context.Context) AuthVerb {
	v, _ := ctx.Value(authVerbKey{}).(AuthVerb)
	return v
}

// SessionEnder is an Authenticator that can end the session a request
// carries and tell the client to forget it.
type SessionEnder interface {
	EndSession(w http.ResponseWriter, r *http.Request, realm string) error
}

// AuthService is an Authenticator whose framework answers the verbs other
// than sign-in; each method words its framework's answer.
type AuthService interface {
	SessionEnder
	// LogoutRedirect is where a client is sent after signing out ("" for
	// none): the style decides from the request and its bound value (an
	// HTML client, its continue URL or referrer). The pipeline redirects
	// only to an allowed origin.
	LogoutRedirect(r *http.Request, op *contract.Operation, bound codecs.Value) string
	// DropSession removes the request's session from the store, cookies
	// untouched.
	DropSession(r *http.Request, realm string) error
	// CurrentSession is the id of the request's session when it signs in
	// user (by UUID), else "".
	CurrentSession(r *http.Request, realm, user string) string
	// SignsInWithBody reports whether the session query of host h signs in
	// instead when the request names a user (its first provider takes
	// credentials from the body).
	SignsInWithBody(h *contract.Host) bool
	// NoSession is the answer to a session query without a signed-in
	// caller.
	NoSession(h *contract.Host) *Problem
	// NoMethod is the answer to a verb the service has no method for.
	NoMethod(r *http.Request, op *contract.Operation) *Problem
}

// authVerb runs what the request of an authenticate operation asks for.
func (h *Handler) authVerb(w http.ResponseWriter, r *http.Request, bound codecs.Value) (codecs.Value, *Problem) {
	v := authVerbOf(r.Context())
	if v == AuthSignIn {
		return h.authenticate(w, r, bound)
	}
	if v == AuthLogout {
		if _, ok := h.Auth.(SessionEnder); ok {
			return h.logout(w, r, bound)
		}
	}
	svc, ok := h.Auth.(AuthService)
	if !ok {
		return codecs.Value{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: authenticate verb but the authenticator serves none")}
	}
	switch v {
	case AuthDelete:
		if err := svc.DropSession(r, h.Realm); err != nil {
			return codecs.Value{}, h.backendProblem(err)
		}
		return codecs.Obj(), nil
	case AuthNoMethod:
		return codecs.Value{}, svc.NoMethod(r, h.Op)
	case AuthSession:
		return h.session(w, r, svc, bound)
	}
	return codecs.Value{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: unknown authenticate verb")}
}

// session answers the caller's own session: the operation's response as a
// sign-in would fill it, or the style's 401.
func (h *Handler) session(w http.ResponseWriter, r *http.Request, svc AuthService, bound codecs.Value) (codecs.Value, *Problem) {
	hst := h.Op.Host()
	if name, _ := bound.Get(h.Op.Mapping["username"]); contract.Text(name) != "" && svc.SignsInWithBody(hst) {
		return h.authenticate(w, r, bound)
	}
	u, ok, err := h.Auth.Authenticate(r, hst, h.Realm)
	if err != nil {
		return codecs.Value{}, h.backendProblem(err)
	}
	if !ok {
		return codecs.Value{}, svc.NoSession(hst)
	}
	InfoFrom(r.Context()).User = &u
	return h.Op.Respond(contract.Source{User: u, Request: bound, Location: h.Location, Session: svc.CurrentSession(r, h.Realm, u.UUID)}), nil
}

// logout ends the request's session; the answer is the operation's empty
// response, or a redirect the style asks for to an allowed origin (an
// open redirect would send a signed-out user wherever a link named).
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, bound codecs.Value) (codecs.Value, *Problem) {
	e := h.Auth.(SessionEnder)
	if err := e.EndSession(w, r, h.Realm); err != nil {
		return codecs.Value{}, h.backendProblem(err)
	}
	if svc, ok := h.Auth.(AuthService); ok {
		if to := svc.LogoutRedirect(r, h.Op, bound); to != "" && h.Origins.Allows(to) {
			InfoFrom(r.Context()).Redirect = to
		}
	}
	return codecs.Obj(), nil
}
