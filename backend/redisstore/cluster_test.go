package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
)

// TestClusterSpread: after 1000 registrations in one realm every master of
// a three-master Cluster holds a share of the keys, and of the index keys
// in particular. The hot per-realm keys (seq, user hashes, outbox) stay on
// the realm's master; the figures go to the test log.
func TestClusterSpread(t *testing.T) {
	if redistest.CurrentTopology() != redistest.Cluster {
		t.Skip("needs " + redistest.EnvTopology + "=cluster")
	}
	e := newEnv(t, nil)
	cc, ok := e.client.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("client is %T, want *redis.ClusterClient", e.client)
	}
	ctx := context.Background()
	const n, workers = 1000, 16
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				name := fmt.Sprintf("spread%d", i)
				if _, err := e.store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: name, Email: name + "@x.io", Password: "pw"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var mu sync.Mutex
	perMaster := map[string][2]int{} // addr → {all keys, index keys}
	err := cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		keys, err := redistest.Keys(ctx, m, e.prefix+"*")
		if err != nil {
			return err
		}
		idx := 0
		for _, k := range keys {
			if strings.HasPrefix(k, e.prefix+"name:") || strings.HasPrefix(k, e.prefix+"email:") {
				idx++
			}
		}
		mu.Lock()
		perMaster[m.Options().Addr] = [2]int{len(keys), idx}
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	seq := e.client.Get(ctx, e.prefix+"{shop}:seq").Val()
	t.Logf("%d registrations (%d workers) in %v: %.0f/s; seq=%s; keys per master {all, index}: %v",
		n, workers, elapsed.Round(time.Millisecond), n/elapsed.Seconds(), seq, perMaster)
	if len(perMaster) != 3 {
		t.Fatalf("%d masters, want 3", len(perMaster))
	}
	for addr, c := range perMaster {
		// 2000 index keys over 3 masters: each should hold about 667.
		if c[1] < 400 {
			t.Errorf("master %s holds %d index keys of %d, want a share", addr, c[1], 2*n)
		}
	}
	if seq != fmt.Sprint(n) {
		t.Fatalf("seq = %s, want %d: ids are not consecutive", seq, n)
	}
}

func cheapHasher(t *testing.T) redisstore.Hasher {
	pool := passhash.New(cheap, 1, 4)
	t.Cleanup(pool.Close)
	return pool
}

// TestUnavailableAnswers: a real server refusing writes (OOM under
// maxmemory, READONLY on a replica) makes Register report
// backend.ErrUnavailable, which routes answer with 503, never 500.
func TestUnavailableAnswers(t *testing.T) {
	tests := []struct {
		name  string
		setup func(ctx context.Context, c *redis.Client) error
		want  string
	}{
		{"OOM", func(ctx context.Context, c *redis.Client) error {
			if err := c.ConfigSet(ctx, "maxmemory-policy", "noeviction").Err(); err != nil {
				return err
			}
			return c.ConfigSet(ctx, "maxmemory", "1").Err()
		}, "OOM"},
		{"READONLY", func(ctx context.Context, c *redis.Client) error {
			// A replica of a master that is not there is read-only.
			return c.ReplicaOf(ctx, "127.0.0.1", "1").Err()
		}, "READONLY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := redistest.Start(redistest.Single)
			if err != nil {
				t.Skip(err)
			}
			t.Cleanup(srv.Stop)
			c := srv.Client().(*redis.Client)
			t.Cleanup(func() { c.Close() })
			ctx := context.Background()
			if err := tt.setup(ctx, c); err != nil {
				t.Fatal(err)
			}
			for _, mode := range []redisstore.Reservations{redisstore.ReserveNever, redisstore.ReserveAlways} {
				s := redisstore.New(c, redisstore.Options{Prefix: "lgtest:", Hasher: cheapHasher(t), Reservations: mode})
				_, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "x", Password: "pw"})
				if !errors.Is(err, backend.ErrUnavailable) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("mode %d: Register = %v, want ErrUnavailable with %s", mode, err, tt.want)
				}
				if kind := redisstore.ErrorKind(err); kind != strings.ToLower(tt.want) {
					t.Fatalf("ErrorKind = %q, want %q", kind, strings.ToLower(tt.want))
				}
			}
		})
	}
}
