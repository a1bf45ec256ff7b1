package servicestack

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"legacygate/backend"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
)

// Authenticator identifies callers with the providers a host lists
// (AuthenticateAttribute: each IAuthWithRequest provider pre-authenticates
// the request, then the session decides):
//
//   - basic: "Authorization: Basic" checked against the backend's users on
//     every request (BasicAuthProvider);
//   - apikey: "Authorization: Bearer <key>", or Basic with the key as the
//     user name (ApiKeyAuthProvider);
//   - credentials: the session opened by /auth/credentials, from the ss-id
//     cookie, or ss-pid when ss-opt=perm (SessionFeature).
type Authenticator struct {
	Registrar backend.Registrar
	Sessions  backend.Sessions
	APIKeys   backend.APIKeys
}

var _ pipeline.Authenticator = (*Authenticator)(nil)

// Challenge names the host's first provider, as AuthenticateAttribute's
// 401 does: `basic realm="/auth/basic"`.
func (a *Authenticator) Challenge(h *contract.Host) string {
	p := h.Auth.Providers[0]
	return p + ` realm="/auth/` + p + `"`
}

// HasRole: the Admin role passes every role check
// (AuthUserSession.HasRole via SessionValidForAllRoles).
func (a *Authenticator) HasRole(roles []string, want string) bool {
	for _, r := range roles {
		if r == want || r == contract.SuperRole {
			return true
		}
	}
	return false
}

// Authenticate returns the caller. Wrong credentials are ok=false, not an
// error: the caller then gets the host's 401.
func (a *Authenticator) Authenticate(r *http.Request, h *contract.Host, realm string) (backend.User, bool, error) {
	has := func(p string) bool {
		for _, x := range h.Auth.Providers {
			if x == p {
				return true
			}
		}
		return false
	}
	ctx := r.Context()
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Bearer") && has("apikey") && a.APIKeys != nil:
		return found(a.APIKeys.APIKeyUser(ctx, realm, cred))
	case strings.EqualFold(scheme, "Basic") && (has("basic") || has("apikey")):
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return backend.User{}, false, nil
		}
		user, pass, _ := strings.Cut(string(raw), ":")
		if has("basic") {
			u, ok, err := found(a.Registrar.Authenticate(ctx, realm, user, backend.Password(pass)))
			if ok || err != nil {
				return u, ok, err
			}
		}
		if has("apikey") && a.APIKeys != nil && pass == "" {
			return found(a.APIKeys.APIKeyUser(ctx, realm, user))
		}
		return backend.User{}, false, nil
	}
	if has("credentials") && a.Sessions != nil {
		if id := SessionID(r); id != "" {
			return found(a.Sessions.SessionUser(ctx, realm, id))
		}
	}
	return backend.User{}, false, nil
}

// SessionID is the request's session id as SessionExtensions.GetSessionId
// reads it (ServiceStack/ServiceStack, ServiceStack/src/ServiceStack/
// SessionExtensions.cs): ss-pid when the session options hold "perm", else
// ss-id; each of ss-opt, ss-id and ss-pid from the "X-<name>" request
// header first (how non-browser clients carry them), then the cookie
// (GetSessionParam). Query and form values are not read: that needs
// AllowSessionIdsInHttpParams, off by default.
func SessionID(r *http.Request) string {
	name := CookieSessionID
	for _, o := range strings.Split(sessionParam(r, CookieOptions), ",") {
		if o == "perm" {
			name = CookiePermSessionID
		}
	}
	return sessionParam(r, name)
}

// sessionParam is GetSessionParam: the X- header, else the cookie. A
// header sent empty still wins, as GetHeader returns "" rather than null.
func sessionParam(r *http.Request, name string) string {
	if v, ok := r.Header["X-"+http.CanonicalHeaderKey(name)]; ok && len(v) > 0 {
		return v[0]
	}
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

// found turns a lookup into the provider's answer. An account still
// waiting for activation cannot sign in.
func found(u backend.User, err error) (backend.User, bool, error) {
	switch {
	case err == nil && !u.Active:
		return backend.User{}, false, nil
	case err == nil:
		return u, true, nil
	case errors.Is(err, backend.ErrInvalidCredentials):
		return backend.User{}, false, nil
	}
	return backend.User{}, false, err
}

// IssueSession sets ServiceStack's session cookies.
func (a *Authenticator) IssueSession(w http.ResponseWriter, s backend.Session, remember bool, ttl time.Duration) {
	SetSessionCookies(w, s, remember, ttl)
}

// Session cookies as ServiceStack names them. Max-Age rather than Expires:
// @servicestack/client splits Set-Cookie on commas and mangles Expires.
const (
	CookieSessionID     = "ss-id"
	CookiePermSessionID = "ss-pid"
	CookieOptions       = "ss-opt"
)

// SetSessionCookies sets ss-id (a browser-session cookie), ss-pid (lasting
// ttl) and, for a remembered session, ss-opt=perm.
func SetSessionCookies(w http.ResponseWriter, s backend.Session, remember bool, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: CookieSessionID, Value: s.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	maxAge := int(ttl / time.Second)
	http.SetCookie(w, &http.Cookie{Name: CookiePermSessionID, Value: s.PermID, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	opt := "temp"
	if remember {
		opt = "perm"
	}
	http.SetCookie(w, &http.Cookie{Name: CookieOptions, Value: opt, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
