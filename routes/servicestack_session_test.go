package routes_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// signIn opens a credentials session on digitaluapi and returns its ids.
func signIn(t *testing.T, g *gateway, remember bool) (ssid, sspid string) {
	t.Helper()
	req, _ := http.NewRequest("POST", g.srv.URL+"/auth/credentials", strings.NewReader(`{"UserName":"partner@example.com","Password":"partner-pass","RememberMe":`+strconv.FormatBool(remember)+`}`))
	req.Header.Set("Content-Type", "application/json")
	res, body := g.do(t, req)
	if res.StatusCode != 200 {
		t.Fatalf("sign-in: %d %s", res.StatusCode, body)
	}
	ssid, sspid = cookieValue(res, "ss-id"), cookieValue(res, "ss-pid")
	if ssid == "" || sspid == "" {
		t.Fatalf("no session cookies: %v", res.Header.Values("Set-Cookie"))
	}
	return ssid, sspid
}

// TestServiceStackSessionHeaders: GetSessionParam reads X-ss-id, X-ss-pid
// and X-ss-opt before the cookies (SessionExtensions.cs), so a client that
// keeps no cookie jar authenticates with headers.
func TestServiceStackSessionHeaders(t *testing.T) {
	g := newGateway(t)
	ssid, _ := signIn(t, g, false)
	_, permPid := signIn(t, g, true)
	for i, tc := range []struct {
		name    string
		headers map[string]string
		cookies map[string]string
		want    int
	}{
		{"X-ss-id", map[string]string{"X-ss-id": ssid}, nil, 200},
		{"X-ss-pid with X-ss-opt perm", map[string]string{"X-ss-pid": permPid, "X-ss-opt": "perm"}, nil, 200},
		{"X-ss-pid with cookie ss-opt perm", map[string]string{"X-ss-pid": permPid}, map[string]string{"ss-opt": "perm"}, 200},
		{"X-ss-opt lists options", map[string]string{"X-ss-pid": permPid, "X-ss-opt": "temp,perm"}, nil, 200},
		{"X-ss-pid without perm is not read", map[string]string{"X-ss-pid": permPid}, nil, 401},
		{"header wins over cookie", map[string]string{"X-ss-id": ssid}, map[string]string{"ss-id": "forged"}, 200},
		{"forged header wins over good cookie", map[string]string{"X-ss-id": "forged"}, map[string]string{"ss-id": ssid}, 401},
		{"empty header wins over cookie", map[string]string{"X-ss-id": ""}, map[string]string{"ss-id": ssid}, 401},
		{"forged header", map[string]string{"X-ss-id": "forged"}, nil, 401},
		{"header named without X-", map[string]string{"ss-id": ssid}, nil, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", g.srv.URL+"/clientregister", strings.NewReader(`{"EMail":"h`+strconv.Itoa(i)+`@example.com","Password":"p","Company":"Acme"}`))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.headers {
				req.Header[http.CanonicalHeaderKey(k)] = []string{v}
			}
			for k, v := range tc.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			if res, body := g.do(t, req); res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.want, body)
			}
		})
	}
}

// TestServiceStackLogout: /auth/logout (GET or POST, cookies or X-ss-*
// headers, under a host prefix too) removes the session, expires ss-id,
// ss-pid, X-UAId and ss-tok, and answers an empty AuthenticateResponse;
// the old ids no longer authenticate.
func TestServiceStackLogout(t *testing.T) {
	g := newGateway(t)
	send := func(t *testing.T, method, path string, set func(*http.Request)) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, g.srv.URL+path, nil)
		req.Header.Set("Accept", "application/json")
		set(req)
		return g.do(t, req)
	}
	register := func(t *testing.T, n int, set func(*http.Request)) int {
		t.Helper()
		req, _ := http.NewRequest("POST", g.srv.URL+"/clientregister", strings.NewReader(`{"EMail":"lo`+strconv.Itoa(n)+`@example.com","Password":"p","Company":"Acme"}`))
		req.Header.Set("Content-Type", "application/json")
		set(req)
		res, _ := g.do(t, req)
		return res.StatusCode
	}
	withCookies := func(id, pid, opt string) func(*http.Request) {
		return func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: "ss-id", Value: id})
			r.AddCookie(&http.Cookie{Name: "ss-pid", Value: pid})
			r.AddCookie(&http.Cookie{Name: "ss-opt", Value: opt})
		}
	}
	withHeaders := func(id, pid, opt string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("X-ss-id", id)
			r.Header.Set("X-ss-pid", pid)
			r.Header.Set("X-ss-opt", opt)
		}
	}
	for i, tc := range []struct {
		name, method, path string
		carry              func(id, pid, opt string) func(*http.Request)
		remember           bool
	}{
		{"GET with cookies", "GET", "/auth/logout", withCookies, false},
		{"POST with cookies, remembered", "POST", "/auth/logout", withCookies, true},
		{"GET with headers", "GET", "/auth/logout", withHeaders, false},
		{"POST with headers, remembered", "POST", "/auth/logout", withHeaders, true},
		{"json suffix", "GET", "/auth/logout.json", withCookies, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, pid := signIn(t, g, tc.remember)
			opt := "temp"
			if tc.remember {
				opt = "perm"
			}
			if s := register(t, 2*i, tc.carry(id, pid, opt)); s != 200 {
				t.Fatalf("before logout: status %d", s)
			}
			res, body := send(t, tc.method, tc.path, tc.carry(id, pid, opt))
			if res.StatusCode != 200 || string(body) != "{}" {
				t.Fatalf("logout: %d %s", res.StatusCode, body)
			}
			expired := map[string]bool{}
			for _, c := range res.Cookies() {
				if c.Value == "" && c.MaxAge < 0 {
					expired[c.Name] = true
				}
			}
			for _, name := range []string{"ss-id", "ss-pid", "X-UAId", "ss-tok"} {
				if !expired[name] {
					t.Errorf("cookie %s not expired: %v", name, res.Header.Values("Set-Cookie"))
				}
			}
			if expired["ss-opt"] {
				t.Error("ss-opt expired; DeleteSessionCookies keeps it")
			}
			for _, o := range []string{"temp", "perm"} {
				if s := register(t, 2*i+1, tc.carry(id, pid, o)); s != 401 {
					t.Fatalf("after logout (ss-opt %s): status %d, want 401", o, s)
				}
			}
		})
	}
	// A client without a cookie jar that signs out sending only the id it
	// authenticates with: the session's other id ends too (the store links
	// them), so a stolen or leftover ss-pid does not outlive the logout.
	for i, only := range []string{"X-ss-id", "X-ss-pid"} {
		t.Run("only "+only, func(t *testing.T) {
			id, pid := signIn(t, g, true)
			if s := register(t, 100+2*i, withHeaders(id, pid, "perm")); s != 200 {
				t.Fatalf("before logout: status %d", s)
			}
			res, body := send(t, "POST", "/auth/logout", func(r *http.Request) {
				r.Header.Set(only, map[string]string{"X-ss-id": id, "X-ss-pid": pid}[only])
				if only == "X-ss-pid" {
					r.Header.Set("X-ss-opt", "perm")
				}
			})
			if res.StatusCode != 200 || string(body) != "{}" {
				t.Fatalf("logout: %d %s", res.StatusCode, body)
			}
			for _, o := range []string{"temp", "perm"} {
				if s := register(t, 100+2*i+1, withHeaders(id, pid, o)); s != 401 {
					t.Fatalf("after logout (ss-opt %s): status %d, want 401", o, s)
				}
			}
		})
	}
	t.Run("without a session", func(t *testing.T) {
		res, body := send(t, "GET", "/auth/logout", func(*http.Request) {})
		if res.StatusCode != 200 || string(body) != "{}" {
			t.Fatalf("logout: %d %s", res.StatusCode, body)
		}
	})
	t.Run("under a host prefix", func(t *testing.T) {
		res, body := post(t, g, "/service/RegisterUser/Customer", "application/json", []byte(`{"userName":"lo-prefix","password":"p","autoLogin":true}`))
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		id := cookieValue(res, "ss-id")
		if _, err := g.store.SessionUser(t.Context(), "emun1", id); err != nil {
			t.Fatalf("session before logout: %v", err)
		}
		res, body = send(t, "POST", "/service/auth/logout", func(r *http.Request) { r.Header.Set("X-ss-id", id) })
		if res.StatusCode != 200 || string(body) != "{}" {
			t.Fatalf("logout: %d %s", res.StatusCode, body)
		}
		if _, err := g.store.SessionUser(t.Context(), "emun1", id); err == nil {
			t.Fatal("session still resolves after logout")
		}
	})
}

// cookieValue is the value of the last cookie named name the response sets.
func cookieValue(res *http.Response, name string) string {
	v := ""
	for _, c := range res.Cookies() {
		if c.Name == name {
			v = c.Value
		}
	}
	return v
}

// TestServiceStackAuthVerbs: the other verbs AuthFeature routes to
// AuthenticateService. GET /auth answers the caller's own session (with its
// id) or a 401 worded by the first provider; DELETE removes the session
// without touching cookies; plain /auth with a user name signs in when the
// first provider reads credentials from the body (emun1).
func TestServiceStackAuthVerbs(t *testing.T) {
	g := newGateway(t)
	send := func(t *testing.T, method, path, body string, set func(*http.Request)) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, g.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Accept", "application/json")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if set != nil {
			set(req)
		}
		return g.do(t, req)
	}
	withID := func(id string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("X-ss-id", id) }
	}
	t.Run("session query", func(t *testing.T) {
		id, _ := signIn(t, g, false)
		res, body := send(t, "GET", "/auth", "", withID(id))
		if res.StatusCode != 200 || !strings.Contains(string(body), `"SessionId":"`+id+`"`) || !strings.Contains(string(body), `"UserName":"partner@example.com"`) {
			t.Fatalf("GET /auth: %d %s", res.StatusCode, body)
		}
		res, body = send(t, "GET", "/auth", "", withID("forged"))
		if res.StatusCode != 401 || len(body) != 0 || res.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("forged session: %d %q %v", res.StatusCode, body, res.Header)
		}
	})
	t.Run("delete keeps cookies, ends the session", func(t *testing.T) {
		id, pid := signIn(t, g, true)
		res, body := send(t, "DELETE", "/auth/credentials", "", withID(id))
		if res.StatusCode != 200 || string(body) != "{}" || len(res.Header.Values("Set-Cookie")) != 0 {
			t.Fatalf("DELETE: %d %s %v", res.StatusCode, body, res.Header.Values("Set-Cookie"))
		}
		for _, sid := range []string{id, pid} {
			if _, err := g.store.SessionUser(t.Context(), "digitaluapi", sid); err == nil {
				t.Fatal("session resolves after DELETE")
			}
		}
	})
	t.Run("credentials-first host", func(t *testing.T) {
		res, body := send(t, "GET", "/service/auth", "", nil)
		if res.StatusCode != 401 || !strings.Contains(string(body), `"errorCode":"Unauthorized","message":"Not Authenticated"`) {
			t.Fatalf("anonymous: %d %s", res.StatusCode, body)
		}
		res, body = send(t, "POST", "/service/auth", `{"userName":"member@example.com","password":"member-pass"}`, nil)
		id := cookieValue(res, "ss-id")
		if res.StatusCode != 200 || id == "" || !strings.Contains(string(body), `"sessionId":"`+id+`"`) {
			t.Fatalf("sign-in on /auth: %d %s", res.StatusCode, body)
		}
		res, body = send(t, "GET", "/service/auth", "", withID(id))
		if res.StatusCode != 200 || !strings.Contains(string(body), `"sessionId":"`+id+`"`) {
			t.Fatalf("session: %d %s", res.StatusCode, body)
		}
		res, body = send(t, "PUT", "/service/auth/credentials", "", nil)
		if res.StatusCode != 405 || !strings.Contains(string(body), "Could not find method named Put(Authenticate)") {
			t.Fatalf("PUT: %d %s", res.StatusCode, body)
		}
	})
}
