package routes_test

import (
	"net/http"
	"strings"
	"testing"
)

// send posts body to path with the given content type and headers and
// returns the status and body.
func (g *gateway) send(t *testing.T, method, path, ctype, body string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, g.srv.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, b := g.do(t, req)
	return res.StatusCode, string(b)
}

// TestRoleEscalation: the contract's role policy refuses every way a
// caller may ask for a role it may not give (path, role member, enum
// index, roles list), and keeps the legitimate self-registration.
func TestRoleEscalation(t *testing.T) {
	g := newGateway(t)
	partner := map[string]string{"Authorization": "Basic cGFydG5lckBleGFtcGxlLmNvbTpwYXJ0bmVyLXBhc3M="} // partner@example.com:partner-pass
	const js = "application/json"
	tests := []struct {
		name, path, body string
		hdr              map[string]string
		want             int
		wantIn           string
	}{
		{"emun1 path Administrator", "/service/RegisterUser/Administrator", `{"userName":"x1","password":"p"}`, nil, 400, `"errorCode":"RoleNotAssignable"`},
		{"emun1 path administrator any case", "/service/auth/Register/administrator", `{"userName":"x2","password":"p"}`, nil, 400, `"fieldName":"Role"`},
		{"emun1 role member", "/service/RegisterUser", `{"userName":"x3","password":"p","role":"Administrator"}`, nil, 400, "privileged"},
		{"emun1 role as enum index 0", "/service/RegisterUser", `{"userName":"x4","password":"p","role":0}`, nil, 400, "Administrator"},
		{"emun1 role by query", "/service/RegisterUser?role=Administrator", `{"userName":"x5","password":"p"}`, nil, 400, "RoleNotAssignable"},
		{"emun1 predefined route", "/service/json/reply/RegisterUser", `{"userName":"x6","password":"p","role":"Administrator"}`, nil, 400, "RoleNotAssignable"},
		{"emun1 Manager is not self-assignable", "/service/RegisterUser/Manager", `{"userName":"x7","password":"p"}`, nil, 400, "anonymous"},
		{"emun1 anonymous Customer still works", "/service/RegisterUser/Customer", `{"userName":"ok1","password":"p"}`, nil, 200, `"userName":"ok1"`},
		{"emun1 no role still works", "/service/RegisterUser", `{"userName":"ok2","password":"p"}`, nil, 200, `"userName":"ok2"`},
		{"digitaluapi partner hands out Admin", "/clientregister", `{"EMail":"y1@example.com","Password":"p","Company":"Acme","Roles":["Admin"]}`, partner, 403, ""},
		{"digitaluapi partner hands out admin (case)", "/clientregister", `{"EMail":"y2@example.com","Password":"p","Company":"Acme","Roles":["Client","admin"]}`, partner, 403, ""},
		{"digitaluapi partner hands out Partner", "/clientregister", `{"EMail":"y3@example.com","Password":"p","Company":"Acme","Roles":["Partner"]}`, partner, 403, ""},
		{"digitaluapi partner hands out Client", "/clientregister", `{"EMail":"y4@example.com","Password":"p","Company":"Acme","Roles":["Client"]}`, partner, 200, `"Roles":["Client"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := g.send(t, "POST", tt.path, js, tt.body, tt.hdr)
			if status != tt.want || !strings.Contains(body, tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %q", status, body, tt.want, tt.wantIn)
			}
		})
	}
	// Nothing refused was written.
	for _, name := range []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7"} {
		if free, err := g.store.IsAvailable(t.Context(), "emun1", name); err != nil || !free {
			t.Errorf("%s was stored (free=%v err=%v)", name, free, err)
		}
	}
}
