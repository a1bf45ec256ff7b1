package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// TestPprofListener: debug.pprof_listen serves the profiles on its own
// listener and nowhere else; the main listener does not answer them.
func TestPprofListener(t *testing.T) {
	cfg := defaults()
	cfg.Timeouts.ShutdownDelay = 0
	cfg.Listen = "127.0.0.1:0"
	cfg.Password.MemoryKiB, cfg.Password.Iterations = 64, 1
	cfg.Hosts = []HostConfig{{Name: "hub"}}
	cfg.Debug.PprofListen = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan map[string]string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, zap.NewNop(), func(a map[string]string) { addrs <- a }) }()
	var a map[string]string
	select {
	case a = <-addrs:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not start")
	}
	defer func() { cancel(); <-done }()
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if a[pprofKey] == "" {
		t.Fatalf("no pprof address in %v", a)
	}
	if code, body := get("http://" + a[pprofKey] + "/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof index: %d %.200s", code, body)
	}
	if code, body := get("http://" + a[pprofKey] + "/debug/pprof/heap?debug=1"); code != http.StatusOK || !strings.Contains(body, "heap profile") {
		t.Errorf("heap profile: %d %.200s", code, body)
	}
	if code, _ := get("http://" + a[cfg.Listen] + "/debug/pprof/"); code == http.StatusOK {
		t.Error("the main listener serves pprof")
	}
}
