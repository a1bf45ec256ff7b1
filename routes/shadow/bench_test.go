package shadow_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/routes/shadow"
)

// The middleware is on every request's path: unsampled it must cost next
// to nothing; sampled it copies bounded prefixes of both bodies.
func BenchmarkMiddleware(b *testing.B) {
	for _, c := range []struct {
		name   string
		sample float64
	}{{"unsampled", 0}, {"sampled", 1}} {
		b.Run(c.name, func(b *testing.B) {
			sh := shadow.New(shadow.Config{Enabled: true, Queue: 1, Workers: 1,
				Hosts: map[string]shadow.HostConfig{"h": {Target: "http://127.0.0.1:1", Sample: c.sample}}},
				shadow.Options{Served: func(*http.Request) (string, string, bool) { return "h", "Op", false }})
			defer sh.Close()
			h := sh.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				_, _ = io.WriteString(w, `{"ok":true}`)
			}))
			body := `{"Username":"ann@example.com","Password":"x"}`
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("POST", "/Account/Register", strings.NewReader(body))
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
