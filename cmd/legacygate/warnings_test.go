package main

import (
	"strings"
	"testing"

	"legacygate/routes/hosts"
)

func TestRiskyWarnings(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(*Config)
		environ []string
		want    []string // one substring per expected warning, in order
	}{
		{"defaults: every host, rpost and fls mail links", func(*Config) {}, nil, []string{"public_url is not set"}},
		{"public_url set", func(c *Config) { c.PublicURL = "https://gw.example.com" }, nil, nil},
		{"no mailing host", func(c *Config) { c.Hosts = []HostConfig{{Name: "hub"}} }, nil, nil},
		{"debug headers", func(c *Config) { c.Hosts = []HostConfig{{Name: "hub"}}; c.DebugHeaders = true }, nil, []string{"debug_headers is on"}},
		{"smtp password in clear", func(c *Config) {
			c.PublicURL = "https://x"
			c.SMTP.Host, c.SMTP.Security, c.SMTP.Username = "mail.example.com", "none", "u"
		}, nil, []string{"crosses the network in clear"}},
		{"smtp none on loopback is fine", func(c *Config) {
			c.PublicURL = "https://x"
			c.SMTP.Host, c.SMTP.Security, c.SMTP.Username = "127.0.0.1", "none", "u"
		}, nil, nil},
		{"env typo", func(c *Config) { c.PublicURL = "https://x" },
			[]string{"LEGACYGATE_LIMIT_MAX_BODY_BYTES=1", "LEGACYGATE_REDIS=x", "LEGACYGATE_CONFIG=y", "LEGACYGATE_LISTEN=z", "HOME=/"}, []string{"set no configuration key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaults()
			tt.edit(&cfg)
			groups, err := mountGroups(cfg, all)
			if err != nil {
				t.Fatal(err)
			}
			ws := riskyWarnings(cfg, groups, "http://127.0.0.1:8080", tt.environ)
			if len(ws) != len(tt.want) {
				t.Fatalf("got %d warnings %v, want %v", len(ws), ws, tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(ws[i].msg, w) {
					t.Errorf("warning %d %q lacks %q", i, ws[i].msg, w)
				}
			}
		})
	}
}
