package routes_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes"
	"legacygate/routes/contract"
)

func register(name, password string) []byte {
	return []byte(fmt.Sprintf(`{"Username":%q,"Email":%q,"Password":%q,"ConfirmPassword":%q}`, name, name, password, password))
}

func TestBodyLimit(t *testing.T) {
	g := newGateway(t, func(o *routes.Options) { o.MaxBodyBytes = 64 })
	res, body := post(t, g, "/Account/Register", "application/json", register(strings.Repeat("x", 80)+"@example.com", "password"))
	if res.StatusCode != http.StatusRequestEntityTooLarge || string(body) != `{"Message":"The request entity is too large."}` {
		t.Fatalf("got %d %s", res.StatusCode, body)
	}
	// Chunked bodies (no Content-Length) are cut at the limit too.
	req, _ := http.NewRequest(http.MethodPost, g.srv.URL+"/Account/Register", io.MultiReader(strings.NewReader(strings.Repeat(" ", 100)), strings.NewReader("{}")))
	req.Header.Set("Content-Type", "application/json")
	res, body = g.do(t, req)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: got %d %s", res.StatusCode, body)
	}
}

// TestConcurrentSameUser races 20 registrations of one name through HTTP:
// exactly one wins whatever the case, the others get the legacy 400.
func TestConcurrentSameUser(t *testing.T) {
	g := newGateway(t)
	const n = 20
	codes := make(chan int, n)
	var wg sync.WaitGroup
	spellings := []string{"race@example.com", "RACE@example.com", "Race@Example.COM"}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := post(t, g, "/Account/Register", "application/json", register(spellings[i%len(spellings)], "password1"))
			codes <- res.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[200] != 1 || count[400] != n-1 {
		t.Fatalf("status counts %v, want one 200 and %d 400", count, n-1)
	}
}

// TestNoPasswordAnywhere registers through HTTP and then reads every key the
// test wrote and every log entry.
func TestNoPasswordAnywhere(t *testing.T) {
	client, prefix := redistest.Client(t)
	pool := passhash.New(testParams, 1, 4)
	t.Cleanup(pool.Close)
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: pool})
	g := newGateway(t, func(o *routes.Options) { o.Registrar = store })
	const secret = "correct-horse-battery-staple"
	res, body := post(t, g, "/Account/Register", "application/json", register("nopw@example.com", secret))
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), secret) {
		t.Fatalf("got %d %s", res.StatusCode, body)
	}
	ctx := context.Background()
	keys, err := client.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys: %v %v", keys, err)
	}
	for _, k := range keys {
		var dump string
		switch client.Type(ctx, k).Val() {
		case "hash":
			dump = fmt.Sprint(client.HGetAll(ctx, k).Val())
		case "string":
			dump = client.Get(ctx, k).Val()
		}
		if strings.Contains(dump, secret) {
			t.Fatalf("key %s holds the password in clear: %s", k, dump)
		}
		if strings.Contains(dump, "password:") && !strings.Contains(dump, "$argon2id$") {
			t.Fatalf("key %s: password field is not an argon2id PHC string: %s", k, dump)
		}
	}
	for _, e := range g.logs.All() {
		if strings.Contains(fmt.Sprint(e.Message, e.ContextMap()), secret) {
			t.Fatalf("log entry holds the password: %v", e)
		}
	}
}

// TestBackendDown points the gateway at a Redis that is not there: 503 with
// Retry-After in the Web API shape, and /readyz says not ready.
func TestBackendDown(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	pool := passhash.New(testParams, 1, 4)
	t.Cleanup(pool.Close)
	store := redisstore.New(client, redisstore.Options{Prefix: "lgtest:down:", Hasher: pool})
	g := newGateway(t, func(o *routes.Options) { o.Registrar = store })
	res, body := post(t, g, "/Account/Register", "application/json", register("down@example.com", "password"))
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "1" || !strings.HasPrefix(string(body), `{"Message":"`) {
		t.Fatalf("got %d %v %s", res.StatusCode, res.Header, body)
	}
	req, _ := http.NewRequest(http.MethodGet, g.srv.URL+"/readyz", nil)
	if res, _ := g.do(t, req); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz: %d", res.StatusCode)
	}
}

// overloaded is a Registrar whose hashing pool is always full.
type overloaded struct{ backend.Registrar }

func (overloaded) Register(context.Context, backend.RegisterCommand) (backend.User, error) {
	return backend.User{}, backend.ErrOverloaded
}

func TestOverloadedAnswers503(t *testing.T) {
	g := newGateway(t, func(o *routes.Options) { o.Registrar = overloaded{o.Registrar}; o.RetryAfter = 3 * time.Second })
	res, body := post(t, g, "/Account/Register", "application/json", register("busy@example.com", "password"))
	want := `{"Message":"The service is temporarily overloaded. Retry after 3 seconds."}`
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "3" || string(body) != want {
		t.Fatalf("got %d %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
}

func TestHealthz(t *testing.T) {
	g := newGateway(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		req, _ := http.NewRequest(http.MethodGet, g.srv.URL+path, nil)
		if res, body := g.do(t, req); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
}

func TestRequestLogLine(t *testing.T) {
	g := newGateway(t)
	req, _ := http.NewRequest(http.MethodPost, g.srv.URL+"/Account/Register", strings.NewReader(string(register("log@example.com", "password"))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "abc-123")
	res, _ := g.do(t, req)
	if res.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("request id not echoed: %q", res.Header.Get("X-Request-Id"))
	}
	lines := g.logs.FilterMessage("request").All()
	if len(lines) != 1 {
		t.Fatalf("want 1 access-log line, got %d", len(lines))
	}
	f := lines[0].ContextMap()
	for k, want := range map[string]any{"request_id": "abc-123", "host": "hub", "op": "Register", "method": "POST", "path": "/Account/Register", "status": int64(200), "format": "json"} {
		if f[k] != want {
			t.Errorf("log field %s = %v (%T), want %v", k, f[k], f[k], want)
		}
	}
	for _, k := range []string{"latency", "negotiation"} {
		if _, ok := f[k]; !ok {
			t.Errorf("log line lacks %s", k)
		}
	}
}

// TestRefusesUnwritableFormat: a contract listing a format its style cannot
// write is refused at start-up instead of answering JSON under its label.
func TestRefusesUnwritableFormat(t *testing.T) {
	h, err := contract.Load("x.yaml", []byte(`
host: x
style: webapi
formats:
  - {format: json, media_types: [application/json]}
  - {format: jsv, media_types: [application/jsv]}
operations:
  - {name: Check, action: is_available, routes: [{method: GET, path: /c}], request: Q, bind: query, command: {username: u}, response: bool}
types:
  Q:
    members:
      - {name: u, type: string}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = routes.New(routes.Options{Mounts: []routes.Mount{{Host: h}}})
	if err == nil || !strings.Contains(err.Error(), `format "jsv"`) {
		t.Fatalf("got %v, want a refusal naming the jsv format", err)
	}
}
