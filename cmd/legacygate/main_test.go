package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("listen: 127.0.0.1:1111\nredis:\n  url: redis://file:6379\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		give       []string
		env        map[string]string
		wantListen string
		wantRedis  string
	}{
		{"file", []string{"--config", file}, nil, "127.0.0.1:1111", "redis://file:6379"},
		{"env beats file", []string{"--config", file}, map[string]string{"LEGACYGATE_LISTEN": "127.0.0.1:2222", "LEGACYGATE_REDIS": "redis://env:6379"}, "127.0.0.1:2222", "redis://env:6379"},
		{"empty env redis selects embedded", []string{"--config", file}, map[string]string{"LEGACYGATE_REDIS": ""}, "127.0.0.1:1111", ""},
		{"flags beat env", []string{"--config", file, "--listen", "127.0.0.1:3333", "--redis", "a:1,b:2"}, map[string]string{"LEGACYGATE_LISTEN": "127.0.0.1:2222", "LEGACYGATE_REDIS": "redis://env:6379"}, "127.0.0.1:3333", "a:1,b:2"},
		{"config from env", nil, map[string]string{"LEGACYGATE_CONFIG": file}, "127.0.0.1:1111", "redis://file:6379"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := serveFlags(tt.give, io.Discard, env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Listen != tt.wantListen || cfg.Redis.URL != tt.wantRedis {
				t.Errorf("listen %q redis %q, want %q %q", cfg.Listen, cfg.Redis.URL, tt.wantListen, tt.wantRedis)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		give string
		want string
	}{
		{"unknown key", "listne: x\n", ".yaml:1: listne: unknown key (here the keys are listen, redis"},
		{"bad duration", "timeouts:\n  read: soon\n", `.yaml:2: timeouts.read: "soon" is not a duration such as 300ms, 15s, 2m or 1h30m`},
		{"mapping for text", "redis:\n  url: {a: b}\n", ".yaml:2: redis.url: a mapping is not text"},
		{"text for a mapping", "redis: redis://x\n", ".yaml:1: redis: a value is not a mapping with the keys url, prefix"},
		{"out of range", "password:\n  parallelism: 1000\n", `password.parallelism: "1000" is not a whole number from 0 to 255`},
		{"bad host key", "hosts:\n  - name: hub\n    lisen: x\n", ".yaml:3: hosts[0].lisen: unknown key"},
		{"bad zone", "time_zone: Mars/Base\n", "time_zone"},
		{"zero body limit", "limits:\n  max_body_bytes: 0\n", "max_body_bytes"},
		{"shadow without hosts", "shadow:\n  enabled: true\n", "shadow: enabled but no hosts"},
		{"shadow target", "shadow:\n  enabled: true\n  hosts:\n    hub: {target: legacy, sample: 1}\n", "shadow.hosts.hub.target"},
		{"shadow sample", "shadow:\n  enabled: true\n  hosts:\n    hub: {target: \"http://l\", sample: 2}\n", "within 0..1"},
		{"argon2 memory above 4 GiB", "password:\n  memory_kib: 5000000\n", "password.memory_kib is 5000000"},
		{"argon2 iterations", "password:\n  iterations: 100000\n", "password.iterations"},
		{"hash workers", "password:\n  workers: 100000\n", "password.workers"},
		{"negative workers", "password:\n  workers: -1\n", "password.workers"},
		{"zero timeout", "timeouts:\n  read: 0s\n", "timeouts.read must be a positive duration"},
		{"negative timeout", "timeouts:\n  shutdown: -5s\n", "timeouts.shutdown"},
		{"zero wait budget", "password:\n  wait_budget: 0s\n", "password.wait_budget"},
		{"lockout without duration", "lockout:\n  max_failures: 5\n  duration: 0s\n", "lockout.duration"},
		{"bad proxy range", "trusted_proxies: [10.0.0.0/33]\n", "trusted_proxies"},
		{"bad origin", "allowed_origins: [\"ftp://x.example\"]\n", "allowed_origins"},
		{"origin with a path", "allowed_origins: [\"https://x.example/app\"]\n", "allowed_origins"},
		{"zero items limit", "limits:\n  max_items: 0\n", "limits.max_items"},
		{"embedded beyond loopback", "listen: 0.0.0.0:18080\n", "redis.url is empty but the gateway listens on 0.0.0.0:18080"},
		{"pprof beyond loopback", "debug:\n  pprof_listen: \":6060\"\n", "debug.pprof_listen \":6060\" binds beyond loopback"},
		{"pprof not an address", "debug:\n  pprof_listen: localhost\n", "debug.pprof_listen \"localhost\" is not host:port"},
		{"host listener beyond loopback", "hosts:\n  - {name: hub, listen: \":18081\"}\n", "listens on :18081"},
		{"negative log buffer", "log:\n  buffer_kib: -1\n", "log.buffer_kib"},
		{"huge log buffer", "log:\n  buffer_kib: 1000000\n", "log.buffer_kib is 1000000"},
		{"log buffer never flushed", "log:\n  buffer_kib: 64\n  flush_interval: 0s\n", "log.flush_interval must be a positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml")
			if err := os.WriteFile(file, []byte(tt.give), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := serveFlags([]string{"--config", file}, io.Discard, env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// Saying so is enough: the embedded store on purpose, beyond loopback.
	ok := filepath.Join(dir, "embedded.yaml")
	if err := os.WriteFile(ok, []byte("listen: 0.0.0.0:18080\nredis:\n  url: embedded\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := serveFlags([]string{"--config", ok}, io.Discard, env(nil)); err != nil {
		t.Errorf("redis.url: embedded beyond loopback: %v", err)
	}
	remote := filepath.Join(dir, "pprof.yaml")
	if err := os.WriteFile(remote, []byte("debug:\n  pprof_listen: 0.0.0.0:6060\n  pprof_allow_remote: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := serveFlags([]string{"--config", remote}, io.Discard, env(nil)); err != nil {
		t.Errorf("debug.pprof_allow_remote: %v", err)
	}
	if _, err := serveFlags([]string{"--config", filepath.Join(dir, "missing.yaml")}, io.Discard, env(nil)); err == nil {
		t.Error("a named config file that is missing must be an error")
	}
}

// TestServeEmbedded starts the real gateway on the embedded backend,
// registers a user over HTTP, checks the log never holds the password, then
// shuts down through the context (what SIGTERM does).
func TestServeEmbedded(t *testing.T) {
	cfg := testConfig()
	cfg.Hosts = []HostConfig{{Name: "hub"}, {Name: "hub", Prefix: "/second", Listen: "localhost:0", Realm: "other"}}
	core, logs := observer.New(zap.DebugLevel)
	g := startServe(t, cfg, zap.New(core))
	a := g.addrs
	if len(a) != 2 {
		t.Fatalf("want two listeners, got %v", a)
	}
	const secret = "Tr0ub4dor&3-unique"
	body := `{"Username":"zed@example.com","Email":"zed@example.com","Password":"` + secret + `","ConfirmPassword":"` + secret + `"}`
	// The second mount has its own listener, prefix and realm: the same
	// user registers again there.
	for listen, path := range map[string]string{"127.0.0.1:0": "/Account/Register", "localhost:0": "/second/Account/Register"} {
		addr := a[listen]
		res, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s%s: %d %s", listen, path, res.StatusCode, b)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Fatal("response echoes the password")
		}
	}
	res, err := http.Get("http://" + a["127.0.0.1:0"] + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, e := range logs.All() {
		line := e.Message
		for k, v := range e.ContextMap() {
			line += " " + k + "=" + strings.TrimSpace(toString(v))
		}
		if strings.Contains(line, secret) {
			t.Fatalf("log line holds the password: %s", line)
		}
	}
	if logs.FilterMessage("request").Len() < 2 {
		t.Errorf("want one access-log line per request, got %d", logs.FilterMessage("request").Len())
	}
	if logs.FilterMessageSnippet("in-memory").Len() == 0 {
		t.Error("the embedded backend must warn that data lives in memory only")
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		var b strings.Builder
		for k, v := range x {
			b.WriteString(k + ":" + toString(v) + " ")
		}
		return b.String()
	}
	return ""
}

// TestShutdownDrainsInFlight starts a request, begins shutting down while
// its body is still arriving, and checks the request is answered in full.
func TestShutdownDrainsInFlight(t *testing.T) {
	cfg := testConfig()
	g := startServe(t, cfg, nil)
	addr := g.addr(cfg.Listen)

	body := `{"Username":"slow@example.com","Email":"slow@example.com","Password":"password","ConfirmPassword":"password"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST /Account/Register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server is now reading this body
	stopped := make(chan error, 1)
	go func() { stopped <- g.Stop() }() // what SIGTERM does
	time.Sleep(100 * time.Millisecond)
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request was cut: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"UserName":"slow@example.com"`) {
		t.Fatalf("got %d %s", res.StatusCode, b)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	// New connections are refused once stopped.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("listener still open after shutdown")
	}
}
