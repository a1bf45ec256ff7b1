package servicestack

import (
	"errors"
	"net/http"
	"strings"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
)

// authRoutes mount what AuthFeature routes to AuthenticateService beside a
// host's sign-in operation (the contract's /auth/credentials). AuthFeature
// registers "/auth" and "/auth/{provider}" without verbs, so every verb
// reaches the service, which has Get (= Post), Post, Delete and Options
// and no other method (ServiceStack/ServiceStack v4.5,
// src/ServiceStack/AuthFeature.cs and src/ServiceStack/Auth/
// AuthenticateService.cs):
//
//   - GET/POST /auth/logout: provider "logout", the first provider's
//     Logout (AuthProvider.Logout, see EndSession and LogoutRedirect);
//   - GET/POST /auth: no provider and no user name, so Authenticate
//     returns nothing and the answer is the current session's
//     AuthenticateResponse, or 401 "Not Authenticated" (see NoSession);
//   - DELETE /auth and /auth/{provider}: RemoveSession, then an empty
//     AuthenticateResponse, whatever the provider (see DropSession);
//   - PUT and PATCH there: no Put or Patch method, so ServiceExec's
//     NotImplementedException, a 405 (see NoMethod).
//
// The /authenticate aliases the same AuthFeature registers are not
// mounted, nor OPTIONS (the gateway's CORS layer answers preflights).
func authRoutes(prefix string, hd http.Handler, formats []string) []pipeline.Route {
	var out []pipeline.Route
	add := func(method, path string, v pipeline.AuthVerb) {
		out = append(out, pipeline.Route{Method: method, Path: prefix + path, Handler: pipeline.WithAuthVerb(hd, v), Suffixes: formats})
	}
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		add(m, "/auth/logout", pipeline.AuthLogout)
		add(m, "/auth", pipeline.AuthSession)
	}
	for _, p := range []string{"/auth", "/auth/{provider}"} {
		add(http.MethodDelete, p, pipeline.AuthDelete)
		add(http.MethodPut, p, pipeline.AuthNoMethod)
		add(http.MethodPatch, p, pipeline.AuthNoMethod)
	}
	return out
}

var _ pipeline.AuthService = (*Authenticator)(nil)

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

// LogoutRedirect is AuthProvider.Logout's redirect: when the response
// content type is text/html (a browser's Accept), the client is sent to
// the request's Continue, else its Referer unless that is the logout URL
// itself (NotLogoutUrl), with the hash parameter s=-1 set
// (HttpResponseExtensions.SetParam: AddRedirectParamsToQueryString is off
// by default, so SetHashParam of ServiceStack.Text's HttpUtils.cs). The
// host-configured HtmlLogoutRedirect, the session's ReferrerUrl and the
// provider's RedirectUrl, which come between them in ServiceStack, are
// unset on the reproduced hosts. The pipeline redirects only to an
// allowed origin.
func (a *Authenticator) LogoutRedirect(r *http.Request, op *contract.Operation, bound codecs.Value) string {
	if !htmlClient(op.Host(), r) {
		return ""
	}
	to := ""
	if v, ok := bound.Get("Continue"); ok {
		to = contract.Text(v)
	}
	if to == "" {
		if ref := r.Header.Get("Referer"); !strings.HasSuffix(ref, "/auth/logout") {
			to = ref
		}
	}
	if to == "" {
		return ""
	}
	return setHashParam(to, "s", "-1")
}

// htmlClient reports whether ServiceStack's GetResponseContentType picks
// text/html for r: PreferredContentTypes lists it first, whether or not
// the host registers the HTML format.
func htmlClient(h *contract.Host, r *http.Request) bool {
	q := r.URL.Query()
	n := codecs.NegotiateServiceStack(h.Formatters(), preferred, codecs.ServiceStackRequest{
		Format:      q.Get("format"),
		PathFormat:  pipeline.InfoFrom(r.Context()).RouteFormat,
		Accept:      strings.Join(r.Header.Values("Accept"), ","),
		ContentType: r.Header.Get("Content-Type"),
		JSONP:       q.Get("callback") != "",
	})
	return n.MediaType == "text/html"
}

// setHashParam sets key=val in the URL's fragment as ServiceStack.Text's
// SetHashParam does: parameters are separated by "/", a key found right
// after "#" or after a "/" there has its value replaced up to the next
// "/" (matching the key as a prefix, as the original does), and otherwise
// "#key=val" or "/key=val" is appended. val is sent as given (the callers'
// values need no escaping).
func setHashParam(u, key, val string) string {
	h := strings.IndexByte(u, '#')
	if h >= 0 {
		at := -1
		if strings.HasPrefix(u[h+1:], key) {
			at = h
		} else if i := strings.Index(u[h:], "/"+key); i >= 0 {
			at = h + i
		}
		if at >= 0 {
			end := len(u)
			if i := strings.IndexByte(u[at+1:], '/'); i >= 0 {
				end = at + 1 + i
			}
			return u[:at+len(key)+1] + "=" + val + u[end:]
		}
		return u + "/" + key + "=" + val
	}
	return u + "#" + key + "=" + val
}

// DropSession is AuthenticateService.Delete: RemoveSession removes the
// session GetSessionId names (this store then forgets both its ids), and
// the cookies are left as they are.
func (a *Authenticator) DropSession(r *http.Request, realm string) error {
	id := SessionID(r)
	if a.Sessions == nil || id == "" {
		return nil
	}
	return a.Sessions.CloseSession(r.Context(), realm, backend.Session{ID: id})
}

// CurrentSession is the session id the request carries when it names
// user's session (the AuthenticateResponse's SessionId).
func (a *Authenticator) CurrentSession(r *http.Request, realm, user string) string {
	id := SessionID(r)
	if a.Sessions == nil || id == "" {
		return ""
	}
	if u, err := a.Sessions.SessionUser(r.Context(), realm, id); err != nil || u.UUID != user {
		return ""
	}
	return id
}

// SignsInWithBody: with a user name and no provider AuthenticateService
// signs in with the first provider; only a credentials provider reads the
// name and password from the request DTO (BasicAuthProvider reads the
// Authorization header, which Authenticate already checks).
func (a *Authenticator) SignsInWithBody(h *contract.Host) bool {
	return len(h.Auth.Providers) > 0 && h.Auth.Providers[0] == "credentials"
}

// NoSession is the 401 of a session query without a signed-in caller. A
// first provider that authenticates each request (basic, apikey:
// IAuthWithRequest) has AuthenticateService run AuthenticateAttribute
// first, whose 401 is empty with the challenge; otherwise the service
// throws HttpError.Unauthorized(ErrorMessages.NotAuthenticated), a
// ResponseStatus with ErrorCode "Unauthorized".
func (a *Authenticator) NoSession(h *contract.Host) *pipeline.Problem {
	if len(h.Auth.Providers) > 0 && h.Auth.Providers[0] != "credentials" {
		return &pipeline.Problem{Kind: pipeline.Unauthorized, Status: http.StatusUnauthorized, Empty: true,
			Challenge: a.Challenge(h), Err: errNotAuthenticated}
	}
	return &pipeline.Problem{Kind: pipeline.Unauthorized, Status: http.StatusUnauthorized,
		Code: "Unauthorized", Message: "Not Authenticated", Err: errNotAuthenticated}
}

// NoMethod is ServiceExec's NotImplementedException for a verb the
// service lacks, which HttpRequestExtensions.ToStatusCode maps to 405.
func (a *Authenticator) NoMethod(r *http.Request, op *contract.Operation) *pipeline.Problem {
	verb := r.Method
	if verb != "" {
		verb = verb[:1] + strings.ToLower(verb[1:])
	}
	// The service of the one operation mounted with this verb is
	// AuthenticateService, named after its request DTO.
	name := op.Request.Name
	return &pipeline.Problem{Kind: pipeline.MethodNotAllowed, Status: http.StatusMethodNotAllowed, Method: r.Method,
		Code:    "NotImplementedException",
		Message: "Could not find method named " + verb + "(" + name + ") or Any(" + name + ") on Service " + name + "Service",
		Err:     errNoMethod}
}

var (
	errNotAuthenticated = errors.New("not authenticated")
	errNoMethod         = errors.New("no method for the verb")
)
