package load

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		give []time.Duration
		p    float64
		want float64
	}{
		{ms(1), 0.5, 1},
		{ms(1, 2, 3, 4), 0.5, 2},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.99, 10},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.5, 5},
	}
	for _, tt := range tests {
		if got := percentile(tt.give, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tt.give, tt.p, got, tt.want)
		}
	}
}

// Every request carries a body no other request of the run carries, and the
// answers are counted by status.
func TestDriveSendsUniqueBodies(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "text/jsv" || r.Header.Get("Accept") != "text/jsv" {
			w.WriteHeader(http.StatusUnsupportedMediaType)
			return
		}
		mu.Lock()
		seen[string(b)]++
		n := seen[string(b)]
		mu.Unlock()
		if n > 1 {
			w.WriteHeader(http.StatusConflict)
		}
	}))
	defer srv.Close()
	res, err := Drive(Config{URL: srv.URL, Connections: 4, Duration: 100 * time.Millisecond,
		ContentType: "text/jsv", Accept: "text/jsv", Body: "{userName:u{{n}},email:u{{n}}@x.y}", Run: "r"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Statuses["200"] != int(res.Requests) || res.Errors != 0 {
		t.Fatalf("result %+v: want only 200s", res)
	}
	srv.Close() // waits for handlers still running when Drive returned
	for body := range seen {
		if !strings.HasPrefix(body, "{userName:ur") || strings.Contains(body, "{{n}}") {
			t.Fatalf("body %q not rendered from the template", body)
		}
	}
}
