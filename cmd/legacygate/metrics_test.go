package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"legacygate/backend/redisstore/redistest"
)

// TestMetricsEndpoint: a registration, its duplicate and a malformed body
// show up at /metrics on the main listener, by host, operation, format and
// status, with the hash queue and the outbox depth beside them.
func TestMetricsEndpoint(t *testing.T) {
	_, prefix := redistest.Client(t)
	cfg := defaults()
	cfg.Listen = "127.0.0.1:0"
	cfg.Redis.URL, cfg.Redis.Prefix = redistest.URL(), prefix
	cfg.Password.MemoryKiB, cfg.Password.Iterations = 8, 1
	cfg.Mailer.Enabled = false
	base := startServe(t, cfg, nil).url(cfg.Listen)
	for _, body := range []string{
		`{"Username":"m@example.com","Email":"m@example.com","Password":"secret1","ConfirmPassword":"secret1","Name":"M","Surname":"S","PartnerID":1}`,
		`{"Username":"m@example.com","Email":"m@example.com","Password":"secret1","ConfirmPassword":"secret1","Name":"M","Surname":"S","PartnerID":1}`,
	} {
		res, err := http.Post(base+"/Account/Register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	for _, want := range []string{
		`legacygate_requests_total{format="json",host="hub",operation="Register",status="200"} 1`,
		`legacygate_requests_total{format="json",host="hub",operation="Register",status="400"} 1`,
		`legacygate_request_duration_seconds_count{host="hub",operation="Register"} 2`,
		`legacygate_hash_queue_depth 0`,
		`legacygate_build_info{`,
		`legacygate_hash_queue_wait_seconds_count`,
		`legacygate_outbox_depth{realm="rpost"} 0`,
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", grepLines(string(text), "legacygate_"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
