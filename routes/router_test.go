package routes

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
)

// testRouter mounts every embedded host, its docs and the gateway's own
// paths, as New does.
func testRouter(t testing.TB) *router {
	t.Helper()
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	r := &router{}
	var mounts []Mount
	for _, h := range set.Hosts() {
		st, err := StyleFor(h.Style)
		if err != nil {
			continue
		}
		m := Mount{Host: h, Prefix: h.Prefix}
		mounts = append(mounts, m)
		mp := &mounts[len(mounts)-1]
		hd := func(*contract.Operation) http.Handler { return http.NotFoundHandler() }
		for _, rt := range st.Routes(h, h.Prefix, hd) {
			if err := r.add(rt, mp, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := mountDocs(r, mounts); err != nil {
		t.Fatal(err)
	}
	_ = r.add(pipeline.Route{Method: http.MethodGet, Path: "/healthz", Handler: http.NotFoundHandler()}, nil, nil)
	return r
}

func TestRouterMatch(t *testing.T) {
	r := testRouter(t)
	tests := []struct {
		name, method, target string
		// want: the template matched ("" none), whether the method is
		// taken, the path after routing, and the Match's fields.
		tmpl       string
		ok         bool
		path       string
		params     []pipeline.Param
		format     string
		predefined bool
		host       string
	}{
		{name: "exact", method: "POST", target: "/Account/Register", tmpl: "/Account/Register", ok: true, path: "/Account/Register", host: "hub"},
		{name: "case and trailing slash", method: "POST", target: "/ACCOUNT/register/", tmpl: "/Account/Register", ok: true, path: "/Account/Register", host: "hub"},
		{name: "unmatched verb: 405 on the route", method: "GET", target: "/account/register", tmpl: "/Account/Register", path: "/Account/Register", host: "hub"},
		{name: "two operations on one path, by verb", method: "POST", target: "/api/v1/account/activate", tmpl: "/api/v1/Account/Activate", ok: true, path: "/api/v1/Account/Activate", host: "rpost"},
		{name: "variable keeps its spelling", method: "POST", target: "/service/registeruser/cUSTOMER", tmpl: "/service/RegisterUser/{Role}", ok: true, path: "/service/RegisterUser/cUSTOMER", params: []pipeline.Param{{Name: "Role", Value: "cUSTOMER"}}, host: "emun1"},
		{name: "suffix cut and names the format", method: "POST", target: "/service/RegisterUser/Manager.JSV", tmpl: "/service/RegisterUser/{Role}", ok: true, path: "/service/RegisterUser/Manager", params: []pipeline.Param{{Name: "Role", Value: "Manager"}}, format: "jsv", host: "emun1"},
		{name: "suffix on a static route", method: "POST", target: "/clientregister.xml", tmpl: "/clientregister", ok: true, path: "/clientregister", format: "xml", host: "digitaluapi"},
		{name: "suffix the route does not take", method: "POST", target: "/clientregister.yaml", path: "/clientregister.yaml"},
		{name: "Web API routes take no suffix", method: "POST", target: "/Account/Register.json", path: "/Account/Register.json"},
		{name: "predefined route", method: "PUT", target: "/jsv/reply/clientregister", tmpl: "/jsv/reply/ClientRegister", ok: true, path: "/jsv/reply/ClientRegister", format: "jsv", predefined: true, host: "digitaluapi"},
		{name: "predefined /api route is json", method: "GET", target: "/api/ClientRegister", tmpl: "/api/ClientRegister", ok: true, path: "/api/ClientRegister", format: "json", predefined: true, host: "digitaluapi"},
		{name: "predefined routes take no suffix", method: "POST", target: "/api/ClientRegister.xml", path: "/api/ClientRegister.xml"},
		{name: "a variable is one segment", method: "POST", target: "/service/RegisterUser/Customer/extra", path: "/service/RegisterUser/Customer/extra"},
		{name: "escaped slash matches as sent", method: "POST", target: "/service/RegisterUser/a%2Fb", tmpl: "/service/RegisterUser/{Role}", ok: true, path: "/service/RegisterUser/a/b", params: []pipeline.Param{{Name: "Role", Value: "a%2Fb"}}, host: "emun1"},
		{name: "gateway path is exact", method: "GET", target: "/healthz", tmpl: "/healthz", ok: true, path: "/healthz"},
		{name: "gateway path in other case is nobody's", method: "GET", target: "/HEALTHZ", path: "/HEALTHZ"},
		{name: "help page is the Web API host's", method: "GET", target: "/help/api/x", tmpl: "/Help/Api/{id}", ok: true, path: "/Help/Api/x", params: []pipeline.Param{{Name: "id", Value: "x"}}, host: "fls"},
		{name: "unknown", method: "GET", target: "/nope", path: "/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			rd := &routed{}
			r.route(req, rd)
			if req.URL.Path != tt.path {
				t.Errorf("path %q, want %q", req.URL.Path, tt.path)
			}
			if rd.route == nil {
				if tt.tmpl != "" {
					t.Fatalf("no route, want %s", tt.tmpl)
				}
				return
			}
			if rd.route.tmpl != tt.tmpl || (rd.ep != nil) != tt.ok {
				t.Fatalf("route %s (method taken %v), want %s (%v)", rd.route.tmpl, rd.ep != nil, tt.tmpl, tt.ok)
			}
			m := rd.match()
			if !reflect.DeepEqual(m.Params, tt.params) || m.Format != tt.format || m.Predefined != tt.predefined || m.Route != tt.tmpl {
				t.Errorf("match %+v, want params %v format %q predefined %v", m, tt.params, tt.format, tt.predefined)
			}
			host := ""
			if rd.route.mount != nil {
				host = rd.route.mount.Host.Name
			}
			if tt.host != "" && host != tt.host {
				t.Errorf("owner %s, want %s", host, tt.host)
			}
		})
	}
}

// TestRouterPrefersStatic: at each level a static segment is tried before
// a variable, and a path both match goes to the route that takes the
// method.
func TestRouterPrefersStatic(t *testing.T) {
	r := &router{}
	m := &Mount{Host: nil}
	set, _ := hosts.Open("")
	m.Host = set.Hosts()[0]
	add := func(method, path string) {
		if err := r.add(pipeline.Route{Method: method, Path: path, Handler: http.NotFoundHandler()}, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	add("GET", "/a/{x}/c")
	add("GET", "/a/b/{y}")
	add("POST", "/a/b/c")
	for _, tt := range []struct{ method, path, want string }{
		{"POST", "/a/b/c", "/a/b/c"},
		{"GET", "/A/B/C", "/a/b/{y}"}, // /a/b/c does not take GET; /a/b/{y} does
		{"GET", "/a/z/c", "/a/{x}/c"},
		{"PUT", "/a/b/c", "/a/b/c"}, // nothing takes PUT: the first path match (405)
	} {
		rd := &routed{}
		r.route(httptest.NewRequest(tt.method, tt.path, nil), rd)
		if rd.route == nil || rd.route.tmpl != tt.want {
			t.Errorf("%s %s: %+v, want %s", tt.method, tt.path, rd.route, tt.want)
		}
	}
	if err := r.add(pipeline.Route{Method: "GET", Path: "/A/B/C", Handler: http.NotFoundHandler()}, &Mount{Host: set.Hosts()[1]}, nil); err == nil {
		t.Error("a second host mounted a path another host owns (ignoring case)")
	}
}

// BenchmarkRoute is the router's work per request: matching, the path
// rewrite and the Match, for the kinds of route the hosts have.
func BenchmarkRoute(b *testing.B) {
	r := testRouter(b)
	for _, bc := range []struct{ name, method, target string }{
		{"static", "POST", "/Account/Register"},
		{"case-folded", "POST", "/account/register"},
		{"variable", "POST", "/service/RegisterUser/Customer"},
		{"suffix", "POST", "/service/RegisterUser/Customer.xml"},
		{"predefined", "POST", "/json/reply/ClientRegister"},
		{"unmatched", "GET", "/no/such/path"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(bc.method, bc.target, nil)
			path := req.URL.Path
			b.ReportAllocs()
			for b.Loop() {
				req.URL.Path = path
				rd := &routed{}
				r.route(req, rd)
				if rd.route != nil {
					_ = rd.match()
				}
			}
		})
	}
}
