// Package redistest gives tests a Redis server and, per test, a client with
// its own key prefix that is emptied when the test ends.
//
// Call [Main] (or [Addr]) from TestMain, then [Client] in each test:
//
//	func TestMain(m *testing.M) { redistest.Main(m) }
//
//	func TestX(t *testing.T) {
//		client, prefix := redistest.Client(t)
//		…
//	}
//
// The server is, in order of preference:
//
//  1. the one named by LEGACYGATE_TEST_REDIS (a redis:// or rediss:// URL,
//     or host:port), shared and never flushed: tests only touch keys under
//     their own prefix;
//  2. a private redis-server started on a free loopback port, without
//     persistence, if redis-server is on PATH, and stopped afterwards;
//  3. an in-process miniredis, with a one-line notice on stderr, since it
//     only emulates Redis.
//
// LEGACYGATE_TEST_TOPOLOGY=cluster or =sentinel makes Main start a real
// Redis Cluster (six nodes: three masters with a replica each) or a
// Sentinel set (a master, a replica, three sentinels) instead, on free
// loopback ports below 55000, once per test binary; [URL] then returns the
// redis+cluster:// or redis+sentinel:// URL a gateway takes, and [Client]
// a client of the topology. [Start] starts one explicitly (fault tests).
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvURL names the environment variable that points the tests at an
// existing server.
const EnvURL = "LEGACYGATE_TEST_REDIS"

var (
	mu     sync.Mutex
	active string  // URL of the server Addr found or started
	server *Server // the topology Addr started, if any
)

// Active returns the topology Addr started, or nil (a single node from the
// environment, a plain private server, or miniredis).
func Active() *Server {
	mu.Lock()
	defer mu.Unlock()
	return server
}

// Main is a complete TestMain: it finds or starts the server, runs the
// tests, stops the server and exits.
func Main(m *testing.M) {
	_, stop, err := Addr()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// Addr finds or starts the test server (see the package documentation) and
// returns its redis:// URL and a function that stops it if Addr started it.
// Client uses the server of the last successful Addr.
func Addr() (url string, stop func(), err error) {
	if t := CurrentTopology(); t != Single {
		srv, err := Start(t)
		if err != nil {
			return "", nil, err
		}
		mu.Lock()
		active, server = srv.URL, srv
		mu.Unlock()
		return srv.URL, srv.Stop, nil
	}
	if v := os.Getenv(EnvURL); v != "" {
		url, err = fromEnv(v)
		stop = func() {}
	} else if _, lerr := exec.LookPath("redis-server"); lerr == nil {
		var srv *Server
		if srv, err = Start(Single); err == nil {
			url, stop = srv.URL, srv.Stop
			mu.Lock()
			server = srv
			mu.Unlock()
		}
	} else {
		var m *miniredis.Miniredis
		if m, err = miniredis.Run(); err == nil {
			fmt.Fprintln(os.Stderr, "redistest: redis-server not on PATH and "+EnvURL+" unset: falling back to in-process miniredis, which only emulates Redis")
			url, stop = "redis://"+m.Addr()+"/0", m.Close
		}
	}
	if err != nil {
		return "", nil, err
	}
	mu.Lock()
	active = url
	mu.Unlock()
	return url, stop, nil
}

func fromEnv(v string) (string, error) {
	url := v
	if !strings.Contains(v, "://") {
		url = "redis://" + v
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return "", fmt.Errorf("redistest: %s: not a redis:// URL or host:port", EnvURL)
	}
	if err := ping(opts); err != nil {
		return "", fmt.Errorf("redistest: %s: %w", EnvURL, err)
	}
	return url, nil
}

func ping(opts *redis.Options) error {
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}

// URL returns the redis:// URL of the server of the last successful Addr,
// or "" before one.
func URL() string {
	mu.Lock()
	defer mu.Unlock()
	return active
}

// Client returns a client of the test server and a fresh key prefix
// "lgtest:<random>:". When tb ends, every key under the prefix is deleted
// and the client closed.
func Client(tb testing.TB) (redis.UniversalClient, string) {
	tb.Helper()
	url := URL()
	if url == "" {
		tb.Fatal("redistest: no server: call redistest.Main or redistest.Addr from TestMain")
	}
	c, err := NewClient(url)
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "lgtest:" + hex.EncodeToString(b[:]) + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := DeletePrefix(ctx, c, prefix); err != nil {
			tb.Errorf("redistest: deleting keys under %s: %v", prefix, err)
		}
		_ = c.Close()
	})
	return c, prefix
}

// DeletePrefix deletes every key that starts with prefix (which must not
// contain glob characters) from every master of c.
func DeletePrefix(ctx context.Context, c redis.UniversalClient, prefix string) error {
	keys, err := Keys(ctx, c, prefix+"*")
	if err != nil {
		return err
	}
	pipe := c.Pipeline()
	for _, k := range keys {
		pipe.Unlink(ctx, k) // one key each: a Cluster refuses cross-slot UNLINK
	}
	if len(keys) > 0 {
		_, err = pipe.Exec(ctx)
	}
	return err
}

// Topology names a kind of test server.
type Topology string

// The topologies; EnvTopology picks one for Main.
const (
	Single   Topology = "single"
	Cluster  Topology = "cluster"
	Sentinel Topology = "sentinel"
)

// EnvTopology names the environment variable that selects the topology Main
// starts: "single" (the default), "cluster" (six nodes, three masters with a
// replica each) or "sentinel" (a master, a replica and three sentinels).
const EnvTopology = "LEGACYGATE_TEST_TOPOLOGY"

// CurrentTopology returns the topology EnvTopology selects.
func CurrentTopology() Topology {
	switch Topology(os.Getenv(EnvTopology)) {
	case Cluster:
		return Cluster
	case Sentinel:
		return Sentinel
	}
	return Single
}
