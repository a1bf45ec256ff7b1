package redisurl

import (
	"net"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestBusyConnPeek: the RawConn go-redis's health check reads through runs
// the peek on a connection that never read or was quiet for PeekAfterIdle,
// and skips it on one that just read a reply.
func TestBusyConnPeek(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := dialer(0)(t.Context(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	server := <-accepted
	defer server.Close()

	sc, ok := c.(syscall.Conn)
	if !ok {
		t.Fatalf("%T is not a syscall.Conn: go-redis would never check it", c)
	}
	peeks := func() int {
		raw, err := sc.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := raw.Read(func(uintptr) bool { n++; return true }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := peeks(); n != 1 {
		t.Errorf("fresh connection: %d peeks, want 1", n)
	}
	if _, err := server.Write([]byte("+OK\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if _, err := c.Read(buf); err != nil {
		t.Fatal(err)
	}
	if n := peeks(); n != 0 {
		t.Errorf("connection that just read: %d peeks, want 0", n)
	}
	c.(*busyConn).lastRead.Add(-int64(PeekAfterIdle + time.Millisecond))
	if n := peeks(); n != 1 {
		t.Errorf("connection quiet for PeekAfterIdle: %d peeks, want 1", n)
	}
}

// TestNewClientDialer: NewClient gives every topology our dialer without
// TLS, and leaves TLS and a caller's own dialer alone.
func TestNewClientDialer(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"redis://127.0.0.1:6379", true},
		{"unix:///run/redis.sock", true},
		{"rediss://127.0.0.1:6379", false},
		{"redis+cluster://127.0.0.1:7000", true},
		{"rediss+cluster://127.0.0.1:7000", false},
		{"127.0.0.1:7000,127.0.0.1:7001", true},
		{"redis+sentinel://127.0.0.1:26379?master_name=m", true},
		{"rediss+sentinel://127.0.0.1:26379?master_name=m", false},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			p, err := Parse(tt.give)
			if err != nil {
				t.Fatal(err)
			}
			c := NewClient(p)
			defer c.Close()
			var got bool
			switch p.Kind {
			case Single:
				got = p.Single.Dialer != nil
			case Cluster:
				got = p.Cluster.Dialer != nil
			case Sentinel:
				got = p.Failover.Dialer != nil
			}
			if got != tt.want {
				t.Errorf("own dialer = %v, want %v", got, tt.want)
			}
		})
	}
	p, err := Parse("redis://127.0.0.1:6379")
	if err != nil {
		t.Fatal(err)
	}
	own := redis.NewDialer(p.Single)
	p.Single.Dialer = own
	NewClient(p).Close()
	if reflect.ValueOf(p.Single.Dialer).Pointer() != reflect.ValueOf(own).Pointer() {
		t.Fatal("the caller's dialer was replaced")
	}
}
