package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPprofListener: debug.pprof_listen serves the profiles on its own
// listener and nowhere else; the main listener does not answer them.
func TestPprofListener(t *testing.T) {
	cfg := testConfig()
	cfg.Hosts = []HostConfig{{Name: "hub"}}
	cfg.Debug.PprofListen = "127.0.0.1:0"
	a := startServe(t, cfg, nil).addrs
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
