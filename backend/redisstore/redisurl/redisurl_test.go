package redisurl_test

import (
	"slices"
	"strings"
	"testing"

	"legacygate/backend/redisstore/redisurl"
)

func TestParse(t *testing.T) {
	tests := []struct {
		give      string
		wantKind  redisurl.Kind
		wantAddrs []string
		wantTLS   bool
		check     func(t *testing.T, p redisurl.Parsed)
	}{
		{give: "redis://u:p@127.0.0.1:6379/2", wantKind: redisurl.Single, wantAddrs: []string{"127.0.0.1:6379"},
			check: func(t *testing.T, p redisurl.Parsed) {
				if p.Single.Username != "u" || p.Single.Password != "p" || p.Single.DB != 2 {
					t.Errorf("options %+v", p.Single)
				}
			}},
		{give: "rediss://cache.example:6380", wantKind: redisurl.Single, wantAddrs: []string{"cache.example:6380"}, wantTLS: true},
		{give: "unix:///run/redis.sock?db=1", wantKind: redisurl.Single, wantAddrs: []string{"/run/redis.sock"}},
		{give: "redis+cluster://u:p@10.0.0.1:7000?addr=10.0.0.2:7000&addr=10.0.0.3:7000&dial_timeout=2s",
			wantKind: redisurl.Cluster, wantAddrs: []string{"10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000"},
			check: func(t *testing.T, p redisurl.Parsed) {
				if p.Cluster.Username != "u" || p.Cluster.Password != "p" || p.Cluster.DialTimeout.Seconds() != 2 {
					t.Errorf("options %+v", p.Cluster)
				}
			}},
		{give: "rediss+cluster://10.0.0.1:7000", wantKind: redisurl.Cluster, wantAddrs: []string{"10.0.0.1:7000"}, wantTLS: true},
		{give: "10.0.0.1:7000, 10.0.0.2:7000", wantKind: redisurl.Cluster, wantAddrs: []string{"10.0.0.1:7000", "10.0.0.2:7000"}},
		{give: "redis+sentinel://su:sp@10.0.0.1:26379?master_name=main&addr=10.0.0.2:26379&password=mp&db=3",
			wantKind: redisurl.Sentinel, wantAddrs: []string{"10.0.0.1:26379", "10.0.0.2:26379"},
			check: func(t *testing.T, p redisurl.Parsed) {
				f := p.Failover
				if f.MasterName != "main" || f.SentinelUsername != "su" || f.SentinelPassword != "sp" || f.Password != "mp" || f.DB != 3 {
					t.Errorf("options %+v", f)
				}
			}},
		{give: "rediss+sentinel://10.0.0.1:26379?master_name=main", wantKind: redisurl.Sentinel, wantAddrs: []string{"10.0.0.1:26379"}, wantTLS: true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			p, err := redisurl.Parse(tt.give)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tt.wantKind || !slices.Equal(p.Addrs(), tt.wantAddrs) || p.TLS() != tt.wantTLS {
				t.Fatalf("Parse = %s %v tls=%v, want %s %v tls=%v", p.Kind, p.Addrs(), p.TLS(), tt.wantKind, tt.wantAddrs, tt.wantTLS)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
			c := redisurl.NewClient(p)
			c.Close()
		})
	}
}

// Errors name the problem and never echo the URL, which may hold a
// password.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		give string
		want string
	}{
		{"redis+sentinel://u:hunter2@10.0.0.1:26379", "without master_name"},
		{"redis+cluster://u:hunter2@10.0.0.1:7000?bogus=1", "unexpected option: bogus"},
		{"redis://u:hunter2@10.0.0.1:6379/x", "invalid database number"},
		{"redis+sentinel://u:hunter2@10.0.0.1:26379?master_name=m&db=x", "invalid database number"},
		{"http://u:hunter2@10.0.0.1:6379", `unknown scheme "http"`},
		{"redis://u:hunter2@[::1", "malformed URL"},
		{"u:hunter2@10.0.0.1", "item 1 is not host:port"},
		{"10.0.0.1:7000,nonsense", "item 2 is not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := redisurl.Parse(tt.give)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want one saying %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error %q leaks the password", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"redis://u:p@h:1/0", "redis+cluster://h:1?addr=h:2", "redis+sentinel://h:1?master_name=m", "h:1,h:2", "unix:///s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := redisurl.Parse(s)
		if err != nil {
			return
		}
		if len(p.Addrs()) == 0 {
			t.Fatalf("Parse(%q) gave no address", s)
		}
	})
}

// TestProtocol: every form speaks RESP2 unless the URL asks for RESP3
// (see the package documentation for why).
func TestProtocol(t *testing.T) {
	proto := func(p redisurl.Parsed) int {
		switch p.Kind {
		case redisurl.Cluster:
			return p.Cluster.Protocol
		case redisurl.Sentinel:
			return p.Failover.Protocol
		}
		return p.Single.Protocol
	}
	tests := []struct {
		give string
		want int
	}{
		{"redis://127.0.0.1:6379", 2},
		{"redis://127.0.0.1:6379?protocol=3", 3},
		{"unix:///run/redis.sock", 2},
		{"redis+cluster://10.0.0.1:7000", 2},
		{"redis+cluster://10.0.0.1:7000?protocol=3", 3},
		{"10.0.0.1:7000,10.0.0.2:7000", 2},
		{"redis+sentinel://10.0.0.1:26379?master_name=main", 2},
		{"redis+sentinel://10.0.0.1:26379?master_name=main&protocol=3", 3},
	}
	for _, tt := range tests {
		p, err := redisurl.Parse(tt.give)
		if err != nil {
			t.Fatalf("%s: %v", tt.give, err)
		}
		if got := proto(p); got != tt.want {
			t.Errorf("%s: protocol %d, want %d", tt.give, got, tt.want)
		}
	}
}
