package main

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/zap"

	"legacygate/internal/certs/certstest"
	"legacygate/routes/hosts"
)

// TestTLSAndHTTP2 serves the main listener over TLS with a generated
// certificate and a second host's listener over plain HTTP with h2c, and
// talks HTTP/2 to both, HTTP/1.1 to the TLS one; SIGHUP then swaps in a new
// certificate without a restart.
func TestTLSAndHTTP2(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := certstest.Write(t, dir, 1)
	pool := certstest.Pool(t, certFile)
	cfg := testConfig()
	cfg.TLS = TLSConfig{CertFile: certFile, KeyFile: keyFile}
	cfg.H2C = true
	cfg.Hosts = []HostConfig{{Name: "hub"}, {Name: "hub", Prefix: "/plain", Listen: "localhost:0", Realm: "plain"}}
	a := startServe(t, cfg, nil).addrs

	h2 := new(http.Protocols)
	h2.SetHTTP2(true)
	h1 := new(http.Protocols)
	h1.SetHTTP1(true)
	h2c := new(http.Protocols)
	h2c.SetUnencryptedHTTP2(true)
	client := func(p *http.Protocols) *http.Client {
		return &http.Client{Transport: &http.Transport{Protocols: p, TLSClientConfig: &tls.Config{RootCAs: pool}}}
	}
	body := `{"Username":"tls@example.com","Email":"tls@example.com","Password":"password","ConfirmPassword":"password"}`
	tests := []struct {
		name      string
		client    *http.Client
		url       string
		wantProto string
		wantCode  int
	}{
		{"HTTP/2 over TLS", client(h2), "https://" + a["127.0.0.1:0"] + "/Account/Register", "HTTP/2.0", 200},
		{"HTTP/1.1 over TLS", client(h1), "https://" + a["127.0.0.1:0"] + "/Account/Register", "HTTP/1.1", 400}, // already taken
		{"h2c on the plain listener", client(h2c), "http://" + a["localhost:0"] + "/plain/Account/Register", "HTTP/2.0", 200},
		{"HTTP/1.1 on the plain listener", client(h1), "http://" + a["localhost:0"] + "/plain/Account/Register", "HTTP/1.1", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.client.Post(tt.url, "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.Proto != tt.wantProto || res.StatusCode != tt.wantCode {
				t.Errorf("%s %d %s, want %s %d", res.Proto, res.StatusCode, b, tt.wantProto, tt.wantCode)
			}
		})
	}
	// Plain HTTP to the TLS listener is refused.
	if res, err := http.Get("http://" + a["127.0.0.1:0"] + "/healthz"); err == nil {
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP on the TLS listener: %d", res.StatusCode)
		}
		res.Body.Close()
	}

	// A renewed certificate in the same files, announced by SIGHUP.
	certstest.Write(t, dir, 2)
	pool2 := certstest.Pool(t, certFile)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	var serial int64
	for i := 0; i < 1000 && serial != 2; i++ { // bounded by handshakes, not time
		conn, err := tls.Dial("tcp", a["127.0.0.1:0"], &tls.Config{RootCAs: pool2, InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		serial = conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
		conn.Close()
	}
	if serial != 2 {
		t.Errorf("serving serial %d after SIGHUP, want 2", serial)
	}
}

// TestListenerConfigErrors: TLS and CORS settings that cannot work.
func TestListenerConfigErrors(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	pair := TLSConfig{CertFile: "c.pem", KeyFile: "k.pem"}
	tests := []struct {
		name  string
		hosts []HostConfig
		want  string
	}{
		{"tls on the main listener", []HostConfig{{Name: "hub", TLS: pair}}, "hosts[0].tls: the host shares the main listener"},
		{"half a pair", []HostConfig{{Name: "hub", Listen: ":1", TLS: TLSConfig{CertFile: "c.pem"}}}, "hosts[0].tls: cert_file and key_file go together"},
		{"cors without origins", []HostConfig{{Name: "hub", CORS: CORSConfig{AllowCredentials: true}}}, "hosts[0].cors: allowed_origins is empty"},
		{"cors any origin with credentials", []HostConfig{{Name: "hub", CORS: CORSConfig{AllowedOrigins: []string{"*"}, AllowCredentials: true}}}, "hosts[0].cors: allowed_origins \"*\" with allow_credentials"},
		{"cors origin with a path", []HostConfig{{Name: "hub", CORS: CORSConfig{AllowedOrigins: []string{"https://a.example/app"}}}}, "is not an origin"},
		{"two pairs on one listener", []HostConfig{{Name: "hub", Listen: ":1", TLS: pair}, {Name: "rpost", Listen: ":1", TLS: TLSConfig{CertFile: "x", KeyFile: "y"}}}, "hosts[1].tls: listener :1 already has another certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaults()
			cfg.Hosts = tt.hosts
			if _, err := mountGroups(cfg, all); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	cfg := defaults()
	cfg.TLS.KeyFile = "k.pem"
	if err := cfg.validate(); err == nil || !strings.Contains(err.Error(), "tls: cert_file and key_file go together") {
		t.Errorf("validate: %v", err)
	}
	cfg = defaults()
	cfg.Listen = "127.0.0.1:0"
	cfg.TLS = TLSConfig{CertFile: "/nonexistent/c.pem", KeyFile: "/nonexistent/k.pem"}
	if err := serve(context.Background(), cfg, zap.NewNop(), nil); err == nil || !strings.Contains(err.Error(), "/nonexistent/c.pem") {
		t.Errorf("serve with missing files: %v", err)
	}
}
