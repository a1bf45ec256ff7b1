package shadow_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes/exchange/diff"
	"legacygate/routes/pipeline"
	"legacygate/routes/routestest"
	"legacygate/routes/shadow"
)

func TestMain(m *testing.M) { redistest.Main(m) }

// gateway serves every host contract on a real loopback server over the
// test Redis, in realms of its own, wrapped in the given middleware.
func gateway(t *testing.T, mw ...func(http.Handler) http.Handler) (*httptest.Server, *redisstore.Store) {
	t.Helper()
	store := routestest.Store(t, redisstore.Options{})
	o := routestest.Options(routestest.Hosts(t), store)
	o.PublicURL, o.Middleware = "https://gw.example", mw
	return routestest.Serve(t, o), store
}

func served(r *http.Request) (string, string, bool) {
	info := pipeline.InfoFrom(r.Context())
	return info.Host, info.Op, info.Op != ""
}

// tally is a Counter such as a metrics exporter would be.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *tally) Count(host, op string, o shadow.Outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[host+"/"+op+" "+string(o)]++
}

func send(t *testing.T, method, url, ct, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}

func one(f float64) *float64 { return &f }

// TestShadowBetweenGateways: one gateway stands in for the legacy host;
// the other shadows every request of two hub operations to it. Equal
// answers count as matches; a user that exists only on the "legacy" side
// is a deliberate difference, logged at its path, and counted.
func TestShadowBetweenGateways(t *testing.T) {
	legacy, legacyStore := gateway(t)
	if _, err := legacyStore.Register(context.Background(), backend.RegisterCommand{Realm: "hub", Username: "only-legacy@example.com", Email: "only-legacy@example.com", Password: "secret-pass"}); err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.DebugLevel)
	counter := &tally{n: map[string]int{}}
	cfg := shadow.Config{Enabled: true, Hosts: map[string]shadow.HostConfig{"hub": {
		Target: legacy.URL,
		Sample: 1,
		Operations: map[string]shadow.OpConfig{
			"Register": {Sample: one(1), SideEffects: true, Ignore: diff.Rules{{Path: "$.ID", Value: "{{int}}"}}},
		},
	}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sh := shadow.New(cfg, shadow.Options{Served: served, Log: zap.New(core), Counter: counter,
		Secrets: func(string) []string { return []string{"Password", "ConfirmPassword"} }})
	gw, _ := gateway(t, sh.Middleware)

	reg := `{"Username":"ann@example.com","Email":"ann@example.com","Password":"hunter22","ConfirmPassword":"hunter22"}`
	for _, c := range []struct {
		method, path, ct, body string
		status                 int
	}{
		{"GET", "/Account/IsUserAvailable?username=ann@example.com", "", "", 200},
		{"POST", "/Account/Register", "application/json", reg, 200},
		{"POST", "/Account/Register", "application/json", reg, 400},                       // taken on both sides
		{"GET", "/Account/IsUserAvailable?username=only-legacy@example.com", "", "", 200}, // the difference
		{"POST", "/api/v1/Account/Register", "application/json", `{}`, 400},               // rpost: not shadowed
	} {
		if got := send(t, c.method, gw.URL+c.path, c.ct, c.body); got != c.status {
			t.Fatalf("%s %s: status %d, want %d", c.method, c.path, got, c.status)
		}
	}
	sh.Close() // finishes the queued comparisons

	if got, want := sh.Counts("hub", "IsUserAvailable"), (shadow.Counts{Match: 1, Difference: 1}); got != want {
		t.Errorf("IsUserAvailable counts %+v, want %+v", got, want)
	}
	if got, want := sh.Counts("hub", "Register"), (shadow.Counts{Match: 2}); got != want {
		t.Errorf("Register counts %+v, want %+v", got, want)
	}
	if got := sh.Totals(); len(got) != 2 || got["hub/Register"].Match != 2 {
		t.Errorf("totals %+v", got)
	}
	if got := sh.Counts("rpost", "Register"); got != (shadow.Counts{}) {
		t.Errorf("rpost was shadowed: %+v", got)
	}
	if counter.n["hub/IsUserAvailable difference"] != 1 || counter.n["hub/Register match"] != 2 {
		t.Errorf("counter saw %v", counter.n)
	}
	entries := logs.FilterMessageSnippet("differs").All()
	if len(entries) != 1 {
		t.Fatalf("%d difference log lines, want 1: %v", len(entries), logs.All())
	}
	line := entries[0].ContextMap()
	if line["op"] != "IsUserAvailable" || line["path"] != "/Account/IsUserAvailable" {
		t.Errorf("log line %v", line)
	}
	ds, _ := line["differences"].([]any)
	if len(ds) != 1 {
		t.Fatalf("differences %v", line["differences"])
	}
	d := ds[0].(map[string]any)
	if d["path"] != "$" || d["kind"] != "value" || d["legacy"] != "false" || d["gateway"] != "true" {
		t.Errorf("difference %v", d)
	}
	for _, e := range logs.All() {
		for _, v := range e.ContextMap() {
			if s, ok := v.(string); ok && strings.Contains(s, "hunter22") {
				t.Errorf("a password reached the log: %v", e.ContextMap())
			}
		}
	}
}

// TestShadowSideEffectsAreOptIn: a POST to an operation without
// side_effects: true never reaches the legacy host.
func TestShadowSideEffectsAreOptIn(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	legacy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, "true")
	}))
	defer legacy.Close()
	sh := shadow.New(shadow.Config{Enabled: true, Hosts: map[string]shadow.HostConfig{"hub": {Target: legacy.URL, Sample: 1}}}, shadow.Options{Served: served})
	gw, _ := gateway(t, sh.Middleware)
	send(t, "POST", gw.URL+"/Account/Register", "application/json", `{"Username":"a@example.com","Email":"a@example.com","Password":"hunter22","ConfirmPassword":"hunter22"}`)
	send(t, "GET", gw.URL+"/Account/IsUserAvailable?username=b@example.com", "", "")
	sh.Close()
	if len(seen) != 1 || seen[0] != "GET /Account/IsUserAvailable" {
		t.Fatalf("legacy host saw %v, want only the GET", seen)
	}
	if got := sh.Counts("hub", "IsUserAvailable"); got.Match != 1 {
		t.Errorf("counts %+v", got)
	}
}

// TestShadowRedactsSecrets: secret members (the contract's, and password
// hashes, which the legacy digitaluapi UserAuth carried) are logged as
// differences without their values, whether they differ member by member
// or the bodies are compared whole.
func TestShadowRedactsSecrets(t *testing.T) {
	legacy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/text" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, "x")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"User":{"Password":"old-pass","Salt":"pepper"}}`)
	}))
	defer legacy.Close()
	core, logs := observer.New(zap.DebugLevel)
	sh := shadow.New(shadow.Config{Enabled: true, Hosts: map[string]shadow.HostConfig{"h": {Target: legacy.URL, Sample: 1}}},
		shadow.Options{Served: func(*http.Request) (string, string, bool) { return "h", "Op", true }, Log: zap.New(core),
			Secrets: func(string) []string { return []string{"Password"} }})
	// a stand-in gateway answering JSON with secrets, legacy answering text
	srv := httptest.NewServer(sh.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"User":{"Password":"hunter22","PasswordHash":"abc$def"}}`)
	})))
	defer srv.Close()
	send(t, "GET", srv.URL+"/json", "", "")
	send(t, "GET", srv.URL+"/text", "", "")
	sh.Close()
	if sh.Counts("h", "Op").Difference != 2 {
		t.Fatalf("counts %+v", sh.Counts("h", "Op"))
	}
	for _, e := range logs.All() {
		for _, f := range e.Context {
			if strings.Contains(f.String, "hunter22") || strings.Contains(f.String, "abc$def") || strings.Contains(f.String, "old-pass") || strings.Contains(f.String, "pepper") {
				t.Errorf("a secret reached the log: %v", e.ContextMap())
			}
		}
		s := stringify(e.ContextMap())
		if strings.Contains(s, "hunter22") || strings.Contains(s, "abc$def") || strings.Contains(s, "old-pass") || strings.Contains(s, "pepper") {
			t.Errorf("a secret reached the log: %s", s)
		}
		if e.Message != "shadow: totals" && !strings.Contains(s, "(secret)") && !strings.Contains(s, "holding a secret member") {
			t.Errorf("no redaction marker: %s", s)
		}
	}
}

func stringify(m map[string]any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				b.WriteString(k + " ")
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			b.WriteString(x + " ")
		}
	}
	walk(m)
	return b.String()
}

// TestShadowNeverWaitsForLegacy: while the legacy host does not answer at
// all, clients still get every answer; the full queue drops samples and
// counts them.
func TestShadowNeverWaitsForLegacy(t *testing.T) {
	release := make(chan struct{})
	legacy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer legacy.Close()
	sh := shadow.New(shadow.Config{Enabled: true, Queue: 1, Workers: 1, Hosts: map[string]shadow.HostConfig{"hub": {Target: legacy.URL, Sample: 1}}}, shadow.Options{Served: served})
	gw, _ := gateway(t, sh.Middleware)
	for range 6 {
		if got := send(t, "GET", gw.URL+"/Account/IsUserAvailable?username=c@example.com", "", ""); got != 200 {
			t.Fatalf("status %d", got)
		}
	}
	close(release) // only now can the legacy host answer
	sh.Close()
	c := sh.Counts("hub", "IsUserAvailable")
	if c.Dropped < 4 || c.Dropped+c.Match+c.Difference+c.Error != 6 {
		t.Fatalf("counts %+v: want at least 4 of 6 dropped (one comparison running, one queued)", c)
	}
}
