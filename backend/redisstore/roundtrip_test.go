package redisstore_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/backend/redisstore/redisurl"
)

// roundTrips counts what a client sends: each Process is one command and
// one round trip, each pipeline one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

// TestRegisterOneRoundTrip: on a single node a registration is one round
// trip (the register script, which checks uniqueness itself), and so is a
// refused duplicate; there is no separate precheck.
func TestRegisterOneRoundTrip(t *testing.T) {
	if redistest.CurrentTopology() == redistest.Cluster {
		t.Skip("one script needs every key on one node")
	}
	e := newEnv(t, nil)
	rt := &roundTrips{}
	e.client.AddHook(rt)
	store := redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: e.hasher, Reservations: redisstore.ReserveNever, WaitReplicas: -1})
	ctx := context.Background()
	// The first run may load the script (EVALSHA, NOSCRIPT, EVAL).
	if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "warm", Email: "warm@x.io", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		before := rt.n.Load()
		name := "user" + strconv.Itoa(i)
		if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: name, Email: name + "@x.io", Password: "pw"}); err != nil {
			t.Fatal(err)
		}
		if n := rt.n.Load() - before; n != 1 {
			t.Fatalf("registration %d took %d round trips, want 1", i, n)
		}
	}
	before := rt.n.Load()
	if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "USER0", Email: "new@x.io", Password: "pw"}); err == nil {
		t.Fatal("duplicate registered")
	}
	if n := rt.n.Load() - before; n != 1 {
		t.Fatalf("a refused duplicate took %d round trips, want 1", n)
	}
}

// BenchmarkRedisClient is one EVALSHA round trip through the client Open
// builds from a redis:// URL, per RESP version: the cost of go-redis's
// per-command push-notification handling on RESP3 (see package redisurl);
// and per dialer: dial=go-redis is go-redis's own, whose connections the
// pool peeks with a system call at every checkout, dial=busy the one
// redisurl.NewClient installs (see redisurl.PeekAfterIdle).
func BenchmarkRedisClient(b *testing.B) {
	url := redistest.URL()
	if redistest.CurrentTopology() != redistest.Single {
		b.Skip("needs a single node")
	}
	if !strings.Contains(url, "://") {
		url = "redis://" + url
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	for _, proto := range []string{"2", "3"} {
		for _, dial := range []string{"go-redis", "busy"} {
			b.Run("resp"+proto+"/dial="+dial, func(b *testing.B) {
				p, err := redisurl.Parse(url + sep + "protocol=" + proto)
				if err != nil {
					b.Fatal(err)
				}
				if dial == "go-redis" {
					p.Single.Dialer = redis.NewDialer(p.Single)
				}
				c := redisurl.NewClient(p)
				defer c.Close()
				script := redis.NewScript(`return 1`)
				ctx := context.Background()
				if err := script.Run(ctx, c, nil).Err(); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				cpu0 := processCPU(b)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := script.Run(ctx, c, nil).Err(); err != nil {
							b.Error(err)
							return
						}
					}
				})
				// The client's CPU (user and system time of this process)
				// per round trip: the wait for Redis is most of ns/op.
				b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// processCPU returns this process's user and system CPU time.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
