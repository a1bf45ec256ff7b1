package servicestack

import (
	"net/http"

	"legacygate/backend"
	"legacygate/routes/pipeline"
)

// logoutRoutes mount /auth/logout beside a host's sign-in operation.
// AuthFeature routes the Authenticate DTO at "/auth/{provider}"; with
// provider "logout" AuthenticateService hands the request to the first
// provider's Logout, and AllowGetAuthenticateRequests lets GET through for
// it (ServiceStack/ServiceStack, ServiceStack/src/ServiceStack/AuthFeature.cs
// and Auth/AuthenticateService.cs).
func logoutRoutes(prefix string, hd http.Handler, formats []string) []pipeline.Route {
	out := make([]pipeline.Route, 0, 2)
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		out = append(out, pipeline.Route{Method: m, Path: prefix + "/auth/logout", Handler: pipeline.Logout(hd), Suffixes: formats})
	}
	return out
}

var _ pipeline.SessionEnder = (*Authenticator)(nil)

// EndSession is AuthProvider.Logout (ServiceStack/ServiceStack,
// ServiceStack/src/ServiceStack/Auth/AuthProvider.cs): the session is
// removed from the store, then, as AuthFeature.DeleteSessionCookiesOnLogout
// is on by default, DeleteSessionCookies and DeleteJwtCookie
// (SessionExtensions.cs) expire ss-id, ss-pid, X-UAId and ss-tok; ss-opt
// stays. The answer is an empty AuthenticateResponse whether or not there
// was a session.
//
// ServiceStack keeps one session under the id GetSessionId picks; this
// store keeps it under both ids and links them, so whichever ids the
// request carries (header or cookie), the session ends under both: a
// header-only client that sends just X-ss-id leaves no ss-pid behind.
func (a *Authenticator) EndSession(w http.ResponseWriter, r *http.Request, realm string) error {
	s := backend.Session{ID: sessionParam(r, CookieSessionID), PermID: sessionParam(r, CookiePermSessionID)}
	if a.Sessions != nil && (s.ID != "" || s.PermID != "") {
		if err := a.Sessions.CloseSession(r.Context(), realm, s); err != nil {
			return err
		}
	}
	for _, name := range []string{CookieSessionID, CookiePermSessionID, "X-UAId", "ss-tok"} {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return nil
}
