package routes_test

import (
	"net/http"
	"testing"
)

// TestUnmatchedVerb: on a ServiceStack host a method a route's verbs leave
// out matches no route (RestPath.IsMatch), so it is the host's 404; Web API
// keeps its 405 with Allow. (The /auth routes are left out: AuthFeature
// declares them for every verb, see docs/legacy/servicestack.md §5.)
func TestUnmatchedVerb(t *testing.T) {
	g := newGateway(t)
	for _, tc := range []struct {
		host, method, path string
		want               int
	}{
		{"", "GET", "/clientregister", 404},
		{"", "PUT", "/clientregister", 404},
		{"hub.example", "GET", "/Account/Register", 405},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, g.srv.URL+tc.path, nil)
			req.Header.Set("Accept", "application/json")
			if tc.host != "" {
				req.Host = tc.host
			}
			res, body := g.do(t, req)
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.want, body)
			}
			if allow := res.Header.Get("Allow"); (tc.want == 405) != (allow != "") {
				t.Fatalf("Allow %q with status %d", allow, res.StatusCode)
			}
		})
	}
}
