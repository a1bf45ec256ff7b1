package pipeline

import (
	"context"
	"errors"
	"net/http"

	"legacygate/codecs"
)

type logoutKey struct{}

// Logout wraps the handler of an authenticate operation for its sign-out
// route: the request then ends the caller's session instead of opening
// one (ServiceStack's AuthenticateService with provider "logout").
func Logout(next http.Handler) http.Handler { return logoutHandler{next} }

type logoutHandler struct{ next http.Handler }

func (l logoutHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), logoutKey{}, true)))
}

// ServeMatch hands the router's Match on to next.
func (l logoutHandler) ServeMatch(w http.ResponseWriter, r *http.Request, m Match) {
	mh, ok := l.next.(MatchHandler)
	if !ok {
		l.ServeHTTP(w, r)
		return
	}
	mh.ServeMatch(w, r.WithContext(context.WithValue(r.Context(), logoutKey{}, true)), m)
}

func isLogout(ctx context.Context) bool {
	v, _ := ctx.Value(logoutKey{}).(bool)
	return v
}

// SessionEnder is an Authenticator that can end the session a request
// carries and tell the client to forget it.
type SessionEnder interface {
	EndSession(w http.ResponseWriter, r *http.Request, realm string) error
}

// logout ends the request's session; the answer is the operation's empty
// response.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) (codecs.Value, *Problem) {
	e, ok := h.Auth.(SessionEnder)
	if !ok {
		return codecs.Value{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: logout route but the authenticator cannot end sessions")}
	}
	if err := e.EndSession(w, r, h.Realm); err != nil {
		return codecs.Value{}, h.backendProblem(err)
	}
	return codecs.Obj(), nil
}
