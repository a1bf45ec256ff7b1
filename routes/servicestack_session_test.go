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
	for _, c := range res.Cookies() {
		switch c.Name {
		case "ss-id":
			ssid = c.Value
		case "ss-pid":
			sspid = c.Value
		}
	}
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
