package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// TestReadinessDuringShutdown: once shutdown starts /readyz answers 503 at
// once while registrations are still served (on new connections too) for
// the shutdown delay; the delay ends (here by a second signal, the delay
// itself being an hour), then the listener closes.
func TestReadinessDuringShutdown(t *testing.T) {
	cfg := testConfig()
	cfg.Timeouts.ShutdownDelay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hurry := make(chan struct{})
	addrs := make(chan map[string]string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(withHurry(ctx, hurry), cfg, zap.NewNop(), func(a map[string]string) { addrs <- a })
	}()
	addr := (<-addrs)["127.0.0.1:0"]
	get := func(path string) (int, string) {
		t.Helper()
		// A fresh connection each time: what a load balancer's probe does.
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		res, err := c.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Fatalf("before shutdown: %d %s", code, body)
	}
	cancel() // SIGTERM
	// serve notices the context in its own goroutine: poll a bounded number
	// of times (each a real request), not for a duration.
	code, body := 0, ""
	for i := 0; i < 1000 && code != http.StatusServiceUnavailable; i++ {
		code, body = get("/readyz")
	}
	if code != http.StatusServiceUnavailable || body != "shutting down\n" {
		t.Fatalf("readyz during the delay: %d %q", code, body)
	}
	// Still serving: a registration on a new connection, and health.
	c := &http.Client{Transport: &http.Transport{}}
	res, err := c.Post("http://"+addr+"/Account/Register", "application/json",
		strings.NewReader(`{"Username":"late@example.com","Email":"late@example.com","Password":"password","ConfirmPassword":"password"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("registration during the delay: %d", res.StatusCode)
	}
	if !res.Close {
		t.Error("the connection stays open during the delay; clients should reconnect elsewhere")
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz during the delay: %d", code)
	}
	select {
	case err := <-done:
		t.Fatalf("stopped before the delay ended: %v", err)
	default:
	}
	close(hurry) // the second signal
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("listener still open after shutdown")
	}
}
