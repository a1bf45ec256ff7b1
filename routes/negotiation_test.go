package routes_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNegotiationTables is each host's negotiation table, asked of the
// running gateway over HTTP: which Content-Type answers which request.
// The rows are the decisions a client can observe (docs/legacy/aspnet-webapi.md
// §4, docs/legacy/servicestack.md §1).
func TestNegotiationTables(t *testing.T) {
	g := newGateway(t)
	type row struct {
		name               string
		method, path, ct   string
		accept, body, auth string
		wantCT             string
		wantStatus         int
	}
	const (
		hubBody   = `{"Username":"n@example.com","Email":"n@example.com","Password":"hunter22","ConfirmPassword":"hunter22"}`
		flsBody   = `{"FriendlyName":"F","NotificationEmail":"f@example.com","UserName":"f","EmailConfirmationLink":"https://fls.example/c"}`
		rpostBody = `{"Email":"r@example.com","Password":"Secret007","FirstName":"R","LastName":"P","RegistrationApp":"App","Language":"en-us"}`
		ssBody    = `{"EMail":"s@example.com","Password":"p","Company":"Acme"}`
		emBody    = `{"userName":"e","password":"p"}`
		partner   = "partner@example.com:partner-pass"
		form      = "application/x-www-form-urlencoded"
	)
	tables := map[string][]row{
		"hub": {
			{name: "no Accept, JSON body", path: "/Account/Register", ct: "application/json", body: hubBody, wantCT: "application/json; charset=utf-8"},
			{name: "no Accept, XML body", path: "/Account/Register", ct: "application/xml", body: hubBody, wantCT: "application/xml; charset=utf-8"},
			{name: "no Accept, text/xml body", path: "/Account/Register", ct: "text/xml", body: hubBody, wantCT: "text/xml; charset=utf-8"},
			{name: "no Accept, form body: JSON", path: "/Account/Register", ct: form, body: "Username=a", wantCT: "application/json; charset=utf-8"},
			{name: "*/* beats the request type", path: "/Account/Register", ct: "application/xml", accept: "*/*", body: hubBody, wantCT: "application/json; charset=utf-8"},
			{name: "equal q: formatter order", path: "/Account/Register", ct: "application/json", accept: "application/xml, application/json", body: hubBody, wantCT: "application/json; charset=utf-8"},
			{name: "higher q wins", path: "/Account/Register", ct: "application/json", accept: "application/json;q=0.5, application/xml", body: hubBody, wantCT: "application/xml; charset=utf-8"},
			{name: "text/* range", path: "/Account/Register", ct: "application/json", accept: "text/*", body: hubBody, wantCT: "text/json; charset=utf-8"},
			{name: "unknown Accept falls back (no 406)", path: "/Account/Register", ct: "application/json", accept: "text/plain", body: hubBody, wantCT: "application/json; charset=utf-8"},
			{name: "browser Accept: XML (q0.9 beats */*)", path: "/Account/Register", ct: "application/json", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", body: hubBody, wantCT: "application/xml; charset=utf-8"},
			{name: "unsupported body type: 415", path: "/Account/Register", ct: "text/plain", body: "x", wantCT: "application/json; charset=utf-8", wantStatus: 415},
		},
		"fls": {
			{name: "browser Accept: JSON labelled text/html", path: "/api/v1/users", ct: "application/json", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", body: flsBody, wantCT: "text/html; charset=utf-8"},
			{name: "Accept XML", path: "/api/v1/users", ct: "application/json", accept: "application/xml", body: flsBody, wantCT: "application/xml; charset=utf-8"},
			{name: "no Accept, JSON", path: "/api/v1/users", ct: "application/json", body: flsBody, wantCT: "application/json; charset=utf-8"},
		},
		"rpost": {
			{name: "JSON: empty Ok()", path: "/api/v1/Account/Register", ct: "application/json", body: rpostBody, wantCT: "", wantStatus: 200},
			{name: "Accept XML: still JSON (only formatter)", path: "/api/v1/Lookup/Language", method: "GET", accept: "application/xml", wantCT: "application/json; charset=utf-8"},
			{name: "XML body: 415", path: "/api/v1/Account/Register", ct: "application/xml", body: "<x/>", wantCT: "application/json; charset=utf-8", wantStatus: 415},
		},
		"digitaluapi": {
			{name: "default JSON", path: "/clientregister", ct: "application/json", body: ssBody, auth: partner, wantCT: "application/json; charset=utf-8"},
			{name: "*/* answers in the request type (JSV)", path: "/clientregister", ct: "text/jsv", accept: "*/*", body: `{EMail:s2@example.com,Password:p,Company:Acme}`, auth: partner, wantCT: "application/jsv"},
			{name: "Accept text/jsv", path: "/clientregister", ct: "application/json", accept: "text/jsv", body: `{"EMail":"s3@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/jsv"},
			{name: "?format=jsv beats Accept", path: "/clientregister?format=jsv", ct: "application/json", accept: "application/xml", body: `{"EMail":"s4@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/jsv"},
			{name: "unknown ?format= ignored", path: "/clientregister?format=yaml", ct: "application/json", accept: "application/xml", body: `{"EMail":"s5@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/xml"},
			{name: ".xml suffix", path: "/clientregister.xml", ct: "application/json", body: `{"EMail":"s6@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/xml"},
			{name: "/jsv/reply path beats Accept, answers text/jsv", path: "/jsv/reply/ClientRegister", ct: "application/json", accept: "application/json", body: `{"EMail":"s7@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "text/jsv"},
			{name: "/jsv/reply?format=jsv: application/jsv", path: "/jsv/reply/ClientRegister?format=jsv", ct: "application/json", body: `{"EMail":"s10@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/jsv"},
			{name: "/jsv/oneway: application/jsv", path: "/jsv/oneway/ClientRegister", ct: "application/json", body: `{"EMail":"s11@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/jsv"},
			{name: "?format= beats the path format", path: "/xml/reply/ClientRegister?format=json", ct: "application/json", body: `{"EMail":"s8@example.com","Password":"p","Company":"Acme"}`, auth: partner, wantCT: "application/json; charset=utf-8"},
			{name: "/api is JSON", path: "/api/ClientRegister", ct: "text/jsv", accept: "*/*", body: `{EMail:s9@example.com,Password:p,Company:Acme}`, auth: partner, wantCT: "application/json; charset=utf-8"},
			{name: "unknown suffix: 404", path: "/clientregister.yaml", ct: "application/json", body: ssBody, auth: partner, wantCT: "application/json; charset=utf-8", wantStatus: 404},
		},
		"emun1": {
			{name: "GET, no Accept: JSON", method: "GET", path: "/service/RegisterUser/Customer?userName=q1&password=p", wantCT: "application/json; charset=utf-8"},
			{name: "Accept application/xml", method: "PUT", path: "/service/RegisterUser", ct: "application/json", accept: "application/xml", body: `{"userName":"q2","password":"p"}`, wantCT: "application/xml"},
			{name: "form post with */*: default JSON", method: "POST", path: "/service/RegisterUser", ct: form, accept: "*/*", body: "userName=q3&password=p", wantCT: "application/json; charset=utf-8"},
			{name: ".jsv suffix after the path variable", method: "PATCH", path: "/service/RegisterUser/Manager.jsv", ct: "application/json", body: `{"userName":"q4","password":"p"}`, wantCT: "application/jsv"},
			{name: "/service/xml/oneway", method: "POST", path: "/service/xml/oneway/RegisterUser", ct: "application/json", body: emBody, wantCT: "application/xml"},
		},
	}
	for host, rows := range tables {
		for _, r := range rows {
			t.Run(host+"/"+r.name, func(t *testing.T) {
				method := r.method
				if method == "" {
					method = "POST"
				}
				req, _ := http.NewRequest(method, g.srv.URL+r.path, strings.NewReader(r.body))
				if r.ct != "" {
					req.Header.Set("Content-Type", r.ct)
				}
				if r.accept != "" {
					req.Header.Set("Accept", r.accept)
				}
				if u, p, ok := strings.Cut(r.auth, ":"); ok {
					req.SetBasicAuth(u, p)
				}
				res, body := g.do(t, req)
				// Errors are negotiated too, so a row checks the answer's
				// Content-Type whatever the outcome, and the status when
				// the row names one.
				if (r.wantStatus != 0 && res.StatusCode != r.wantStatus) || res.Header.Get("Content-Type") != r.wantCT {
					t.Fatalf("%d %q, want %d %q: %s", res.StatusCode, res.Header.Get("Content-Type"), r.wantStatus, r.wantCT, body)
				}
				if strings.HasPrefix(host, "d") || strings.HasPrefix(host, "e") {
					if v := res.Header.Get("Vary"); v != "Accept" {
						t.Errorf("Vary %q", v)
					}
				}
			})
		}
	}
}
