package routes_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRouteVariableIsOneSegment: a route's {Var} takes one path segment, as
// ServiceStack's RestPath and Web API's attribute routes match; an extra
// segment is the host's 404, not a binding error.
func TestRouteVariableIsOneSegment(t *testing.T) {
	g := newGateway(t)
	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"/service/RegisterUser/Customer/extra", http.StatusNotFound, "Handler for Request not found: POST /service/RegisterUser/Customer/extra"},
		{"/service/auth/Register/Customer/x/y", http.StatusNotFound, "Handler for Request not found"},
		{"/service/RegisterUser/Nope", http.StatusBadRequest, "'Nope' is an Invalid value for 'Role'"},
	} {
		res, body := post(t, g, tt.path, "application/json", []byte(`{"userName":"seg@example.com","password":"p"}`))
		if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s: %d %s, want %d %q", tt.path, res.StatusCode, body, tt.status, tt.want)
		}
	}
}
