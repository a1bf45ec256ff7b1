package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		give Policy
		want string // "" valid
	}{
		{"exact", Policy{AllowedOrigins: []string{"https://app.example.com", "http://127.0.0.1:3000"}}, ""},
		{"any", Policy{AllowedOrigins: []string{"*"}}, ""},
		{"empty", Policy{}, "allowed_origins is empty"},
		{"any with credentials", Policy{AllowedOrigins: []string{"*"}, AllowCredentials: true}, "list the origins"},
		{"path", Policy{AllowedOrigins: []string{"https://a.example/"}}, "is not an origin"},
		{"no scheme", Policy{AllowedOrigins: []string{"a.example"}}, "is not an origin"},
		{"lower-case method", Policy{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"post"}}, "upper-case method"},
		{"negative max age", Policy{AllowedOrigins: []string{"*"}, MaxAge: -time.Second}, "max_age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.give.Validate()
			if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	p := &Policy{AllowedOrigins: []string{"https://app.example"}, ExposedHeaders: []string{"Location"}, AllowCredentials: true, MaxAge: 10 * time.Minute}
	anyOrigin := &Policy{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"POST"}, AllowedHeaders: []string{"*"}}
	tests := []struct {
		name        string
		policy      *Policy
		origin      string
		method      string
		headers     string
		route       []string
		wantStatus  int
		wantHeaders map[string]string // "" = absent
		wantReason  string
	}{
		{"allowed", p, "https://app.example", "POST", "content-type", []string{"POST"}, 204, map[string]string{
			"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "content-type",
			"Access-Control-Allow-Credentials": "true", "Access-Control-Max-Age": "600"}, ""},
		{"route serves any verb", p, "https://app.example", "PUT", "", []string{"*"}, 204, map[string]string{"Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": ""}, ""},
		{"HEAD on a GET route", p, "https://app.example", "HEAD", "", []string{"GET"}, 204, nil, ""},
		{"other origin", p, "https://evil.example", "POST", "", []string{"POST"}, 403, map[string]string{"Access-Control-Allow-Origin": ""}, "origin https://evil.example is not allowed"},
		{"origin differs by scheme", p, "http://app.example", "POST", "", []string{"POST"}, 403, nil, "origin"},
		{"method the route lacks", p, "https://app.example", "DELETE", "", []string{"POST"}, 403, nil, "method DELETE"},
		{"header not allowed", p, "https://app.example", "POST", "Content-Type, X-Secret", []string{"POST"}, 403, nil, "header X-Secret"},
		{"any origin, no credentials", anyOrigin, "https://x.example", "POST", "X-Anything", []string{"*"}, 204, map[string]string{
			"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "", "Access-Control-Max-Age": ""}, ""},
		{"configured methods limit the route's", anyOrigin, "https://x.example", "GET", "", []string{"*"}, 403, nil, "method GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodOptions, "/x", nil)
			r.Header.Set("Origin", tt.origin)
			r.Header.Set("Access-Control-Request-Method", tt.method)
			if tt.headers != "" {
				r.Header.Set("Access-Control-Request-Headers", tt.headers)
			}
			if !IsPreflight(r) {
				t.Fatal("not a preflight")
			}
			w := httptest.NewRecorder()
			ok, reason := tt.policy.Preflight(w, r, tt.route)
			if w.Code != tt.wantStatus || ok != (tt.wantStatus == 204) || !strings.Contains(reason, tt.wantReason) {
				t.Errorf("status %d ok %v reason %q", w.Code, ok, reason)
			}
			for k, v := range tt.wantHeaders {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(w.Header().Get("Vary"), "Origin") {
				t.Errorf("Vary %q", w.Header().Values("Vary"))
			}
		})
	}
}

func TestActual(t *testing.T) {
	p := &Policy{AllowedOrigins: []string{"https://app.example"}, ExposedHeaders: []string{"Location"}}
	h := http.Header{}
	if !p.Actual(h, "https://app.example") || h.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		h.Get("Access-Control-Expose-Headers") != "X-Request-Id, Location" || h.Get("Vary") != "Origin" {
		t.Errorf("allowed: %v", h)
	}
	h = http.Header{}
	if p.Actual(h, "https://evil.example") || h.Get("Access-Control-Allow-Origin") != "" || h.Get("Vary") != "Origin" {
		t.Errorf("refused: %v", h)
	}
	if IsPreflight(httptest.NewRequest(http.MethodOptions, "/x", nil)) {
		t.Error("OPTIONS without CORS headers is not a preflight")
	}
}

func BenchmarkActual(b *testing.B) {
	p := &Policy{AllowedOrigins: []string{"https://a.example", "https://b.example", "https://app.example"}}
	h := http.Header{}
	for b.Loop() {
		clear(h)
		p.Actual(h, "https://app.example")
	}
}
