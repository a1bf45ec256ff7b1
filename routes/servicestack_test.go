package routes_test

import (
	"bufio"
	"context"
	"html"
	"legacygate/backend"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestServiceStackAuth drives the digitaluapi providers end to end: an API
// key as Bearer, a credentials session replayed from its cookies, and the
// 403 reason phrase a ServiceStack client shows as the error message.
func TestServiceStackAuth(t *testing.T) {
	g := newGateway(t)
	ctx := context.Background()
	partner, err := g.store.FindByName(ctx, "digitaluapi", "partner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	key, err := g.store.CreateAPIKey(ctx, "digitaluapi", partner.UUID)
	if err != nil {
		t.Fatal(err)
	}
	register := func(t *testing.T, email string, set func(*http.Request)) int {
		t.Helper()
		req, _ := http.NewRequest("POST", g.srv.URL+"/clientregister", strings.NewReader(`{"EMail":"`+email+`","Password":"p","Company":"Acme"}`))
		req.Header.Set("Content-Type", "application/json")
		set(req)
		res, _ := g.do(t, req)
		return res.StatusCode
	}
	t.Run("api key as bearer", func(t *testing.T) {
		if s := register(t, "k1@example.com", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+key) }); s != 200 {
			t.Fatalf("status %d", s)
		}
		if s := register(t, "k2@example.com", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }); s != 401 {
			t.Fatalf("unknown key: status %d, want 401", s)
		}
		if s := register(t, "k3@example.com", func(r *http.Request) { r.SetBasicAuth(key, "") }); s != 200 {
			t.Fatalf("key as basic user name: status %d", s)
		}
	})
	t.Run("credentials session cookies", func(t *testing.T) {
		req, _ := http.NewRequest("POST", g.srv.URL+"/auth/credentials", strings.NewReader(`{"UserName":"partner@example.com","Password":"partner-pass","RememberMe":true}`))
		req.Header.Set("Content-Type", "application/json")
		res, body := g.do(t, req)
		if res.StatusCode != 200 {
			t.Fatalf("sign-in: %d %s", res.StatusCode, body)
		}
		cookies := res.Cookies()
		names := map[string]bool{}
		for _, c := range cookies {
			names[c.Name] = true
		}
		for _, raw := range res.Header.Values("Set-Cookie") {
			if strings.Contains(raw, "Expires=") {
				t.Errorf("cookie uses Expires (the JS client splits it on its comma): %s", raw)
			}
		}
		if !names["ss-id"] || !names["ss-pid"] || !names["ss-opt"] {
			t.Fatalf("cookies %v", names)
		}
		if !strings.Contains(string(body), `"SessionId":"`) {
			t.Fatalf("no SessionId in %s", body)
		}
		if s := register(t, "c1@example.com", func(r *http.Request) {
			for _, c := range cookies {
				r.AddCookie(c)
			}
		}); s != 200 {
			t.Fatalf("with session cookies: status %d", s)
		}
		if s := register(t, "c2@example.com", func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: "ss-id", Value: "forged"})
		}); s != 401 {
			t.Fatalf("forged session: status %d, want 401", s)
		}
	})
	t.Run("an account waiting for activation cannot sign in", func(t *testing.T) {
		if _, err := g.store.Register(ctx, backend.RegisterCommand{Realm: "digitaluapi", Username: "pending@example.com", Password: "pending-pass", Roles: []string{"Partner"}, Inactive: true}); err != nil {
			t.Fatal(err)
		}
		if s := register(t, "p1@example.com", func(r *http.Request) { r.SetBasicAuth("pending@example.com", "pending-pass") }); s != 401 {
			t.Fatalf("inactive partner: status %d, want 401", s)
		}
		req, _ := http.NewRequest("POST", g.srv.URL+"/auth/credentials", strings.NewReader(`{"UserName":"pending@example.com","Password":"pending-pass"}`))
		req.Header.Set("Content-Type", "application/json")
		if res, body := g.do(t, req); res.StatusCode != 401 {
			t.Fatalf("inactive sign-in: %d %s", res.StatusCode, body)
		}
	})
	t.Run("403 reason phrase", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(g.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		body := `{"EMail":"r@example.com","Password":"p","Company":"Acme"}`
		req, _ := http.NewRequest("POST", g.srv.URL+"/clientregister", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth("plain@example.com", "plain-pass")
		if err := req.Write(conn); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line != "HTTP/1.1 403 Invalid Role\r\n" {
			t.Fatalf("status line %q", line)
		}
	})
}

// TestEMUN1AutoLogin: autoLogin opens a session whose id comes back as
// sessionId and in ss-id.
func TestEMUN1AutoLogin(t *testing.T) {
	g := newGateway(t)
	res, body := post(t, g, "/service/RegisterUser/Customer", "application/json", []byte(`{"userName":"auto","password":"p","autoLogin":true}`))
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	ssid := cookieValue(res, "ss-id")
	if ssid == "" || !strings.Contains(string(body), `"sessionId":"`+ssid+`"`) {
		t.Fatalf("ss-id %q, body %s", ssid, body)
	}
	u, err := g.store.SessionUser(context.Background(), "emun1", ssid)
	if err != nil || u.Username != "auto" || len(u.Roles) != 1 || u.Roles[0] != "Customer" {
		t.Fatalf("session user %+v, %v", u, err)
	}
}

// TestMetadataPages: the ServiceStack hosts' metadata pages are generated
// from their contracts, under the mount prefix, and EMUN1's JSV response
// sample is the seed's byte for byte.
func TestMetadataPages(t *testing.T) {
	g := newGateway(t)
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", g.srv.URL+path, nil)
		res, body := g.do(t, req)
		return res.StatusCode, string(body)
	}
	if code, body := get("/service/metadata"); code != 200 || !strings.Contains(body, `href="/service/jsv/metadata?op=RegisterUser"`) {
		t.Fatalf("index: %d %s", code, body)
	}
	code, body := get("/service/jsv/metadata?op=RegisterUser")
	if code != 200 || !strings.Contains(body, "All Verbs</th><td>/service/auth/Register/{Role}") {
		t.Fatalf("operation page: %d %s", code, body)
	}
	pres := strings.Split(body, "<pre>")
	if len(pres) < 3 {
		t.Fatalf("no samples in %s", body)
	}
	resp := html.UnescapeString(strings.SplitN(pres[2], "</pre>", 2)[0])
	_, sample, _ := strings.Cut(resp, "\n\n")
	want, err := os.ReadFile("../codecs/jsvcodec/testdata/004_registeruser_response.jsv")
	if err != nil {
		t.Fatal(err)
	}
	if sample != strings.TrimRight(string(want), "\n") {
		t.Errorf("JSV response sample:\n%s\nwant the seed's:\n%s", sample, want)
	}
	if code, body := get("/clientregister"); code == 200 {
		t.Fatalf("GET on a POST route: %d %s", code, body)
	}
	if code, _ := get("/jsv/metadata?op=Nope"); code != 404 {
		t.Fatalf("unknown operation: %d", code)
	}
	if code, body := get("/metadata"); code != 200 || !strings.Contains(body, "Requires Authentication") && !strings.Contains(body, "ClientRegister") {
		t.Fatalf("digitaluapi index: %d %s", code, body)
	}
}

// TestEMUN1QueryBinding: every complex query parameter of the seed reaches
// the stored user (as attributes, in JSON), bound through JSV syntax.
func TestEMUN1QueryBinding(t *testing.T) {
	g := newGateway(t)
	q := "?salesRep={id:7,name:Sam,isActive:true}&personName={first:Ann,last:Lee}&roles=a,b&permissions=[p1,p2]" +
		"&meta={k:v,x:y}&tags={t:[x,y]}&forceResetPassword=true,false&city=Z%C3%BCrich"
	res, body := post(t, g, "/service/RegisterUser/SalesRep"+q, "application/json", []byte(`{"userName":"q","password":"p"}`))
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	u, err := g.store.FindByName(context.Background(), "emun1", "q")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"SalesRep":           `{"Id":"7","Name":"Sam","IsActive":true}`,
		"PersonName":         `{"First":"Ann","Last":"Lee"}`,
		"Roles":              `["a","b"]`,
		"Permissions":        `["p1","p2"]`,
		"Meta":               `{"k":"v","x":"y"}`,
		"Tags":               `{"t":["x","y"]}`,
		"ForceResetPassword": "true",
		"City":               "Zürich",
	}
	for name, v := range want {
		if got, _ := u.Attr(name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if len(u.Roles) != 1 || u.Roles[0] != "SalesRep" {
		t.Errorf("roles %v, want the path's role", u.Roles)
	}
}
